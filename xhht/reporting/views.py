"""Web pages of the reporting cycle. Thin: they fetch through the access helpers and call services."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from xhht.accounts.access import unit_for_user_or_404
from xhht.core.formatting import format_number, format_rate
from xhht.indicators.charts import stacked_bars_svg
from xhht.core.tabular import Problem, Rejected
from xhht.indicators.periods import Period, parse_period
from xhht.reporting.catalogue import Form, get_catalogue
from xhht.reporting.excel import Expected, import_workbook, template_workbook
from xhht.reporting.models import Status, Submission
from xhht.reporting.periods import due_date
from xhht.reporting.selectors import (
    default_period_for,
    Reporter,
    area_codes,
    can_approve_reporter,
    can_edit_reporter,
    completeness_page,
    expected_reporters,
    form_or_404,
    form_reports_for,
    form_values,
    forms_for_user,
    period_or_404,
    previous_values,
    reporter_for_user_or_404,
    submission_find,
)
from xhht.reporting.services import (
    InvalidValues,
    Locked,
    ReportingError,
    StaleVersion,
    SubmitRefused,
    submission_approve,
    submission_reopen,
    submission_return,
    submission_save,
    submission_submit,
)
from xhht.reporting.routing import approval_route, route_label
from xhht.reporting.validation import Finding, form_findings, outlier_findings_many


def _input_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == value.to_integral_value() else format(value, "f")


def _default_period(user: Any) -> str:
    return default_period_for(user=user)


# ---------------------------------------------------------------- dashboard and completeness


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The district officer's starting page: who has reported for the period, and who is late."""
    user: Any = request.user
    if not user.unit_id:
        return redirect("units:tree")
    code = request.GET.get("don-vi") or user.unit_id
    period_code = request.GET.get("ky") or _default_period(user)
    return _completeness_page(request, code, period_code, home=True)


@login_required
def completeness_view(request: HttpRequest, code: str, period: str) -> HttpResponse:
    typed = request.GET.get("ky", "").strip()
    if typed and typed != period:  # the period box of this page: go to the typed period, or say what is wrong with it
        try:
            return redirect("reporting:completeness", code=code, period=parse_period(typed).code)
        except ValueError:
            period = typed
    return _completeness_page(request, code, period, home=False)


URL_SAFE = "!$&'()*+,;=/~:@"  # what django.urls.reverse leaves unquoted in a path argument


def _completeness_page(request: HttpRequest, code: str, period_code: str, *, home: bool) -> HttpResponse:
    unit = unit_for_user_or_404(request.user, code)
    period_problem = ""
    try:
        period = parse_period(period_code)
    except ValueError as exc:  # a mistyped period is a message on the page, not a 404 (issue 15)
        period = parse_period(_default_period(request.user))
        period_problem = f"{exc} Đang hiển thị {period.label}."
    page = request.GET.get("trang", "1")
    result = completeness_page(unit=unit, period=period, page=int(page) if page.isdigit() else 1)
    mine = forms_for_user(request.user, period)
    totals = result.totals
    # Each child's link from one reverse() with a stand-in code: a province's page lists its children once per form.
    child_url = reverse("reporting:completeness", args=["0STANDIN0", period.code])
    entry_url = reverse("reporting:entry", args=["0FORM0", "0TOKEN0", period.code])
    for section in result.sections:
        for child in section.children:
            child.link = child_url.replace("0STANDIN0", child.unit.code) if child.unit else ""
        for row in section.rows:
            row.link = entry_url.replace("0FORM0", quote(section.form.code, safe=URL_SAFE)).replace("0TOKEN0", quote(row.reporter.token, safe=URL_SAFE))
    kinds = ["on_time", "late", "pending", "missing"]
    chart = stacked_bars_svg(
        title=f"Tình hình nộp báo cáo {period.label} theo biểu", series=["Đúng hạn", "Muộn", "Chưa đến hạn", "Quá hạn, chưa nộp"],
        colours=["#17663a", "#d4a017", "#6b7785", "#a11"],
        rows=[(s.form.title, [getattr(s.summary, k) for k in kinds]) for s in result.sections])
    return render(request, "reporting/completeness.html", {
        "chart": chart,
        "unit": unit, "period": period, "result": result, "home": home, "mine": mine,
        "period_problem": period_problem, "typed_period": period_code if period_problem else period.code,
        "on_time_rate": format_rate(totals.on_time, totals.expected) if totals.expected else "",
        "commune_form": get_catalogue().forms.get("commune"),
        "can_bulk": any(s.form.code == "commune" and (s.children or any(r.reporter.unit.code != unit.code for r in s.rows)) for s in result.sections),
        "page_numbers": range(1, result.pages + 1),
    })


# ---------------------------------------------------------------- entry form


def _rows(form: Form, values: dict[str, Any], before: dict[str, Decimal | None], errors: dict[str, str], findings: list[Finding],
          texts: dict[str, str]) -> list[dict[str, Any]]:
    by_key: dict[str, list[Finding]] = {}
    for f in findings:
        for k in f.keys:
            by_key.setdefault(k, []).append(f)
    sections = []
    for section in form.sections:
        items = []
        for field in section.fields:
            if field.kind == "text":
                items.append({"kind": "text", "code": field.code, "label": field.label, "value": texts.get(field.code, ""),
                              "error": errors.get(field.code, ""), "max_length": field.max_length})
                continue
            cells = []
            for cell in field.cells:
                value = values.get(cell.key)
                shown = value if isinstance(value, str) else _input_text(value)
                prev = before.get(cell.key)
                cells.append({"cell": cell, "value": shown, "total": format_number(value) if isinstance(value, Decimal) else "",
                              "prev": format_number(prev) if prev is not None else "", "error": errors.get(cell.key, ""),
                              "findings": by_key.get(cell.key, []), "whole": cell.value_type in {"integer", "money"},
                              "total_of": " ".join(cell.total_of)})
            items.append({"kind": "number", "label": field.label, "cells": cells, "split": len(cells) > 1})
        sections.append({"title": section.title, "items": items})
    return sections


def _entry_context(request: HttpRequest, form: Form, reporter: Reporter, period: Period, **extra: Any) -> dict[str, Any]:
    sub = submission_find(form=form, reporter=reporter, period=period.code)
    stored = form_values(form=form, unit_code=reporter.unit.code, period=period.code)
    values: dict[str, Any] = extra.pop("values", None) or stored
    texts = extra.pop("texts", None) or ((sub.texts or {}) if sub else {})
    findings = extra.pop("findings", None)
    if findings is None:
        findings = form_findings(form, stored) if sub else []
    before_code, before = previous_values(form=form, unit_code=reporter.unit.code, period=period.code)
    editable = (sub is None or sub.is_editable) and can_edit_reporter(request.user, reporter)
    errors = extra.pop("errors", {})
    context = {
        "form": form, "reporter": reporter, "period": period, "submission": sub, "version": sub.version if sub else 0,
        "sections": _rows(form, values, before, errors, findings, texts), "before_code": before_code,
        "before_label": parse_period(before_code).label if before_code else "",
        "findings": findings, "warnings": [f for f in findings if not f.is_error], "errors": errors,
        "editable": editable, "can_approve": bool(sub) and can_approve_reporter(request.user, reporter, period),
        "route": route_label(approval_route(unit=reporter.unit, period=period, organisation=reporter.organisation is not None)),
        "due": due_date(period, form.due_days), "events": list(sub.events.select_related("actor")) if sub else [],
        "comments": (sub.warning_comments or {}) if sub else {},
        "storage_key": f"xhht-report:{form.code}:{reporter.token}:{period.code}",
        "saved": request.GET.get("luu") == "1", "Status": Status,
        "rules_json": [
            {"code": r.code, "op": r.operator, "importance": r.importance, "message": r.message, "keys": r.keys,
             "left": [[t.sign, t.key if t.element else None, int(t.constant or 0)] for t in r.left],
             "right": [[t.sign, t.key if t.element else None, int(t.constant or 0)] for t in r.right]}
            for r in get_catalogue().rules_for(form)
        ],
    }
    context.update(extra)
    return context


@login_required
def entry(request: HttpRequest, form_code: str, reporter_token: str, period: str) -> HttpResponse:
    form = form_or_404(form_code)
    reporter = reporter_for_user_or_404(request.user, reporter_token)
    period_obj = period_or_404(form, period)
    if not form_reports_for(form, reporter):
        from django.http import Http404

        raise Http404("Đơn vị này không báo cáo theo biểu này.")
    if request.method != "POST":
        return render(request, "reporting/entry.html", _entry_context(request, form, reporter, period_obj))
    if not can_edit_reporter(request.user, reporter):
        raise PermissionDenied("Bạn không có quyền nhập báo cáo của đơn vị này.")
    raw = {c.key: request.POST.get(c.key, "") for c in form.input_cells}
    texts = {f.code: request.POST.get(f"text__{f.code}", "") for f in form.text_fields}
    comments = {k[len("comment__"):]: request.POST.get(k, "") for k in request.POST if k.startswith("comment__")}
    try:
        base = int(request.POST.get("version", "0"))
    except ValueError:
        base = -1
    try:
        result = submission_save(actor=request.user, form=form, reporter=reporter, period=period_obj.code, values=raw, texts=texts, base_version=base)
    except InvalidValues as exc:
        ctx = _entry_context(request, form, reporter, period_obj, values=raw, texts=texts, errors=exc.errors, problem=str(exc), findings=[])
        return render(request, "reporting/entry.html", ctx, status=400)
    except StaleVersion as exc:
        attempted = [(c, raw.get(c.key, "")) for c in form.input_cells if raw.get(c.key, "")]
        ctx = _entry_context(request, form, reporter, period_obj, problem=str(exc), attempted=attempted, clear_draft=True)
        return render(request, "reporting/entry.html", ctx, status=409)
    except Locked as exc:
        ctx = _entry_context(request, form, reporter, period_obj, problem=str(exc), clear_draft=True)
        return render(request, "reporting/entry.html", ctx, status=409)
    except ReportingError as exc:
        ctx = _entry_context(request, form, reporter, period_obj, values=raw, texts=texts, problem=str(exc))
        return render(request, "reporting/entry.html", ctx, status=400)
    url = reverse("reporting:entry", args=[form.code, reporter.token, period_obj.code]) + "?luu=1"
    if request.POST.get("action") == "submit":
        try:
            submission_submit(actor=request.user, submission=result.submission, comments=comments)
        except (SubmitRefused, Locked) as exc:
            ctx = _entry_context(request, form, reporter, period_obj, problem=f"Đã lưu bản nháp. {exc}",
                                 findings=getattr(exc, "findings", None), posted_comments=comments, saved=True)
            return render(request, "reporting/entry.html", ctx, status=400)
        messages.success(request, "Đã nộp báo cáo. Cấp trên sẽ xem và duyệt.")
        return redirect(url)
    _saved_message(request, form, reporter, period_obj, f"Đã lưu bản nháp (phiên bản {format_number(result.submission.version)}).")
    return redirect(url)


def _saved_message(request: HttpRequest, form: Form, reporter: Reporter, period: Period, saved: str) -> None:
    """Green only when nothing breaks a rule: values that do are saved as a draft, and the message says so first."""
    stored = form_values(form=form, unit_code=reporter.unit.code, period=period.code)
    errors = [f for f in form_findings(form, stored) if f.is_error]
    if not errors:
        messages.success(request, saved)
        return
    more = f" (và {format_number(len(errors) - 1)} lỗi khác, xem «Kết quả kiểm tra»)" if len(errors) > 1 else ""
    messages.error(request, f"{saved[:-1]}, nhưng có {format_number(len(errors))} lỗi phải sửa trước khi nộp: {errors[0].message}{more}.")


@login_required
@require_POST
def decide(request: HttpRequest, form_code: str, reporter_token: str, period: str) -> HttpResponse:
    form = form_or_404(form_code)
    reporter = reporter_for_user_or_404(request.user, reporter_token)
    period_obj = period_or_404(form, period)
    sub = submission_find(form=form, reporter=reporter, period=period_obj.code)
    if sub is None:
        from django.http import Http404

        raise Http404("Chưa có báo cáo.")
    action = request.POST.get("action")
    comment = request.POST.get("comment", "")
    try:
        if action == "approve":
            submission_approve(actor=request.user, submission=sub, comment=comment)
            messages.success(request, "Đã duyệt báo cáo; số liệu được khóa.")
        elif action == "return":
            submission_return(actor=request.user, submission=sub, comment=comment)
            messages.success(request, "Đã trả lại báo cáo cho đơn vị.")
        elif action == "reopen":
            submission_reopen(actor=request.user, submission=sub, reason=comment)
            messages.success(request, "Đã mở lại báo cáo để sửa.")
        else:
            messages.error(request, "Thao tác không hợp lệ.")
    except ReportingError as exc:
        messages.error(request, str(exc))
    return redirect("reporting:entry", form.code, reporter.token, period_obj.code)


# ---------------------------------------------------------------- Excel


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def template_download(request: HttpRequest, form_code: str, reporter_token: str, period: str) -> HttpResponse:
    form = form_or_404(form_code)
    reporter = reporter_for_user_or_404(request.user, reporter_token)
    period_obj = period_or_404(form, period)
    return _xlsx(template_workbook(form=form, reporters=[reporter], period=period_obj.code), f"mau-{form.code}-{reporter.token}-{period_obj.code}.xlsx")


@login_required
def bulk_template(request: HttpRequest, form_code: str, code: str, period: str) -> HttpResponse:
    """One workbook, one sheet per reporting unit or organisation below ``code`` that the user may edit."""
    form = form_or_404(form_code)
    unit = unit_for_user_or_404(request.user, code)
    period_obj = period_or_404(form, period)
    reporters = []
    for r in expected_reporters(form=form, unit=unit, period=period_obj):
        if (r.organisation is None and r.unit.code == unit.code) or not can_edit_reporter(request.user, r):
            continue  # the unit's own report has its own template
        sub = submission_find(form=form, reporter=r, period=period_obj.code)
        if sub is None or sub.is_editable:
            reporters.append(r)
    if not reporters:
        messages.error(request, "Không có báo cáo nào còn nhập được cho kỳ này.")
        return redirect("reporting:completeness", unit.code, period_obj.code)
    return _xlsx(template_workbook(form=form, reporters=reporters, period=period_obj.code), f"mau-{form.code}-{unit.code}-{period_obj.code}.xlsx")


def _save_upload(upload: Any) -> Path:
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)
    with handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return Path(handle.name)


def _upload(request: HttpRequest, expected: Expected | None) -> tuple[list[Any], list[Problem]]:
    upload = request.FILES.get("file")
    if upload is None:
        return [], [Problem("chưa chọn tệp.")]
    name = Path(upload.name or "tệp").name
    limit = settings.XHHT_MAX_UPLOAD_BYTES
    if upload.size and upload.size > limit:
        return [], [Problem(f"tệp quá lớn ({upload.size / (1024 * 1024):.0f} MB; tối đa {limit // (1024 * 1024)} MB).", file=name)]
    path = _save_upload(upload)
    try:
        return import_workbook(path=path, actor=request.user, display_name=name, expected=expected), []
    except Rejected as exc:
        return [], exc.problems
    finally:
        path.unlink(missing_ok=True)


@login_required
@require_POST
def upload_for_form(request: HttpRequest, form_code: str, reporter_token: str, period: str) -> HttpResponse:
    form = form_or_404(form_code)
    reporter = reporter_for_user_or_404(request.user, reporter_token)
    period_obj = period_or_404(form, period)
    if not can_edit_reporter(request.user, reporter):
        raise PermissionDenied("Bạn không có quyền nhập báo cáo của đơn vị này.")
    results, problems = _upload(request, Expected(form.code, period_obj.code, (reporter.token,)))
    if problems:
        ctx = _entry_context(request, form, reporter, period_obj, upload_problems=problems)
        return render(request, "reporting/entry.html", ctx, status=400)
    _saved_message(request, form, reporter, period_obj, "Đã nhận tệp Excel và lưu số liệu (bản nháp).")
    return redirect(reverse("reporting:entry", args=[form.code, reporter.token, period_obj.code]) + "?luu=1")


@login_required
def upload_any(request: HttpRequest) -> HttpResponse:
    """Upload a template made by XHHT (one unit, or a district workbook with a sheet per commune)."""
    results: list[Any] = []
    problems: list[Problem] = []
    if request.method == "POST":
        results, problems = _upload(request, None)
    links = [(r.submission, reverse("reporting:entry", args=[r.submission.form_code, f"tc-{r.submission.organisation_id}" if r.submission.organisation_id
                                                             else r.submission.unit_id, r.submission.period])) for r in results]
    return render(request, "reporting/upload.html", {"links": links, "problems": problems}, status=400 if problems else 200)


# ---------------------------------------------------------------- data quality


@login_required
def quality(request: HttpRequest, code: str, period: str) -> HttpResponse:
    """Every finding for a unit (and the units and organisations reporting below it) and a period or phase."""
    unit = unit_for_user_or_404(request.user, code)
    try:
        period_obj = parse_period(period)
    except ValueError as exc:  # a mistyped period: say so on the page, show the default period
        period_obj = parse_period(_default_period(request.user))
        messages.error(request, f"{exc} Đang hiển thị {period_obj.label}.")
    periods = [str(y) for y in period_obj.years] if period_obj.kind == "phase" else [period_obj.code]
    codes = area_codes(unit=unit, on=period_obj.end)
    rows: list[dict[str, Any]] = []
    catalogue = get_catalogue()
    from xhht.units.models import Unit

    names = {u.code: u.full_name for u in Unit.objects.filter(code__in=codes)}
    for sub in Submission.objects.filter(unit_id__in=codes, period__in=periods).select_related("unit", "organisation").order_by("period", "unit_id"):
        form = catalogue.forms.get(sub.form_code)
        if form is None:
            continue
        values = form_values(form=form, unit_code=sub.unit_id, period=sub.period)
        for f in form_findings(form, values, catalogue):
            rows.append({"who": sub.organisation.name if sub.organisation else sub.unit.full_name, "period": sub.period, "finding": f,
                         "comment": (sub.warning_comments or {}).get(f.code, ""),
                         "link": reverse("reporting:entry", args=[sub.form_code, f"tc-{sub.organisation_id}" if sub.organisation_id else sub.unit_id, sub.period])})
    area = list(Unit.objects.filter(code__in=codes).order_by("code"))
    for p in periods:
        found = outlier_findings_many(units=area, period=p, catalogue=catalogue)
        for u in area:
            for f in found.get(u.code, []):
                rows.append({"who": names.get(u.code, u.code), "period": p, "finding": f, "comment": "", "link": ""})
    return render(request, "reporting/quality.html", {"unit": unit, "period": period_obj, "rows": rows})
