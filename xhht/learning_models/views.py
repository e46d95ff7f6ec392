"""Web pages of the learning-model cycle. Thin: read through selectors, write through services."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from xhht.accounts.access import can_edit_unit, can_view_unit, is_viewer, unit_for_user_or_404
from xhht.core.dates import date_from_text
from xhht.core.formatting import format_number, format_percent
from xhht.core.tabular import Rejected
from xhht.core.uploads import upload_on_disk
from xhht.core.xlsx import formulas_as_text
from xhht.indicators.charts import stacked_bars_svg
from xhht.learning_models import exports
from xhht.learning_models.files import evidence_file_response
from xhht.learning_models.models import Evaluation, Evidence, InspectionTeam, ModelKind, Participant, Status
from xhht.learning_models.rubrics import SUBJECT_LABELS, all_rubrics, rubric_get
from xhht.learning_models.scoring import enterable
from xhht.learning_models.selectors import (
    commune_years_with_data,
    commune_classification_table,
    commune_results,
    evaluation_for,
    evaluation_for_user_or_404,
    inspection_team_candidates,
    participant_for_user_or_404,
    participants_of,
    recognised_entries,
    recognition_candidates,
    registration_shares,
)
from xhht.learning_models.services import (
    DecisionInfo,
    LearningModelError,
    evaluation_result,
    evaluation_review,
    evaluation_rubric,
    evaluation_self_score,
    evaluation_start,
    evaluation_submit,
    evidence_attach,
    inspection_team_set,
    may_review,
    participant_register,
    recognition_create,
    registrations_import,
    village_households_set,
)
from xhht.units.models import Unit

KIND_LABELS = dict(ModelKind.choices)


def _this_year() -> int:
    return date.today().year


YEAR_MIN, YEAR_MAX = 1900, 2100


def _year_or_404(value: Any) -> int:
    """A year from a URL or a query parameter, or 404: never a crash on "abc", 0 or 25 digits."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise Http404("Năm không hợp lệ.") from None
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Http404("Năm không hợp lệ.")
    return year


def _kind_or_404(kind: str) -> str:
    if kind not in ModelKind.values:
        raise Http404("Không có loại mô hình này.")
    return kind


@login_required
def index(request: HttpRequest) -> HttpResponse:
    unit = request.user.unit  # type: ignore[union-attr]
    if unit is None:
        unit = Unit.objects.filter(parent__isnull=True).first()
    if unit is None:
        raise Http404("Chưa có đơn vị.")
    if unit.level >= 3:
        # A commune opens on the latest year it has data for, not on an empty current year (issue 15).
        year = _year_or_404(request.GET.get("nam") or _latest_year(unit))
        return redirect("learning_models:commune", code=unit.code, year=year)
    return redirect("learning_models:classification", code=unit.code)


def _latest_year(commune: Unit) -> int:
    years = commune_years_with_data(commune=commune)
    return years[-1] if years else _this_year()


@login_required
def rubric_list(request: HttpRequest) -> HttpResponse:
    rubrics = sorted(all_rubrics().values(), key=lambda r: (r.subject, r.from_year or 0))
    return render(request, "learning_models/rubrics.html", {"rubrics": rubrics, "subjects": SUBJECT_LABELS})


@login_required
def rubric_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        rubric = rubric_get(code)
    except KeyError as exc:
        raise Http404("Không có bộ tiêu chí này.") from exc
    return render(request, "learning_models/rubric.html", {"rubric": rubric, "subjects": SUBJECT_LABELS})


def _years(request: HttpRequest) -> list[int]:
    try:
        first = int(request.GET.get("tu") or 2017)
        last = int(request.GET.get("den") or max(first, 2019))
    except ValueError as exc:
        raise Http404("Năm không hợp lệ.") from exc
    if last < first or last - first > 30 or first < YEAR_MIN or last > YEAR_MAX:
        raise Http404("Khoảng năm không hợp lệ.")
    return list(range(first, last + 1))


@login_required
def classification(request: HttpRequest, code: str) -> HttpResponse:
    """The district's table of commune classes per year, and the communes of the latest year."""
    unit = unit_for_user_or_404(request.user, code)
    if unit.level >= 3:
        return redirect("learning_models:commune", code=unit.code, year=_latest_year(unit))
    years = _years(request)
    table = commune_classification_table(unit=unit, years=years)
    if request.GET.get("dinh-dang") == "xlsx":
        return _xlsx(exports.classification_workbook(unit, table), f"xep-loai-cdht-{unit.code}-{years[0]}-{years[-1]}.xlsx")
    year = _year_or_404(request.GET.get("nam") or years[-1])
    results = commune_results(unit=unit, year=year)
    codes: list[str] = []
    for row in table:
        codes += [c for c in row.counts if c not in codes]
    labels = [next((r.labels[c] for r in table if c in r.labels), c) for c in codes]
    rows = [{"row": r, "cells": [(r.counts.get(c), r.rates.get(c)) for c in codes]} for r in table]
    chart = stacked_bars_svg(title=f"Xếp loại “Cộng đồng học tập” cấp xã theo năm — {unit.full_name}", series=labels,
                             colours=["#17663a", "#1f5fa8", "#d4a017", "#a11", "#7a4fa3", "#6b7785"],
                             rows=[(str(r.year), [r.counts.get(c) or 0 for c in codes]) for r in table])
    return render(request, "learning_models/classification.html", {
        "chart": chart,
        "unit": unit, "table": table, "labels": labels, "rows": rows, "years": years, "year": year, "results": results,
        "can_manage": can_edit_unit(request.user, unit) and not is_viewer(request.user),
        "kinds": ModelKind.choices,
    })


@login_required
def commune(request: HttpRequest, code: str, year: int) -> HttpResponse:
    year = _year_or_404(year)
    unit = unit_for_user_or_404(request.user, code)
    if unit.level < 3:
        return redirect("learning_models:classification", code=unit.code)
    commune_participant = Participant.objects.filter(kind=ModelKind.COMMUNE, commune=unit).first()
    own = evaluation_for(participant=commune_participant, year=year) if commune_participant else None
    regs = list(participants_of(commune=unit, year=year))
    evaluations = {ev.registration_id: ev for ev in Evaluation.objects.filter(registration__in=regs)}
    rows = [(reg, evaluations.get(reg.pk)) for reg in regs if reg.participant.kind != ModelKind.COMMUNE]
    shares, total = registration_shares(commune=unit, year=year)
    if request.GET.get("dinh-dang") == "xlsx":
        return _xlsx(exports.registrations_workbook(unit, year, rows, shares, total), f"dang-ky-{unit.code}-{year}.xlsx")
    return render(request, "learning_models/commune.html", {
        "unit": unit, "year": year, "own": own, "own_registered": any(r.participant.kind == ModelKind.COMMUNE for r in regs),
        "rows": rows, "shares": shares, "share_total": total, "can_edit": can_edit_unit(request.user, unit),
        "kinds": [(k, v) for k, v in ModelKind.choices if k != ModelKind.COMMUNE],
        "years": sorted(set(commune_years_with_data(commune=unit)) | {year, _this_year()}),
        # The breadcrumb goes up only where the user may go (a commune officer may not open the district's page).
        "parent_visible": unit.parent is not None and can_view_unit(request.user, unit.parent),
    })


@login_required
@require_POST
def register(request: HttpRequest, code: str, year: int) -> HttpResponse:
    year = _year_or_404(year)
    unit = unit_for_user_or_404(request.user, code)
    kind = request.POST.get("kind", "")
    name = request.POST.get("name", "")
    if kind == ModelKind.COMMUNE:
        name = unit.full_name
    try:
        registration = participant_register(actor=request.user, kind=kind, commune=unit, name=name, year=year,
                                            village=request.POST.get("village", ""), head_name=request.POST.get("head_name", ""))
        messages.success(request, f"Đã đăng ký «{name}» năm {year}.")
        if request.POST.get("start"):
            ev = evaluation_start(actor=request.user, participant=registration.participant, year=year)
            return redirect("learning_models:evaluation", pk=ev.pk)
    except LearningModelError as exc:
        messages.error(request, str(exc))
    return redirect("learning_models:commune", code=unit.code, year=year)


@login_required
def registration_template(request: HttpRequest, code: str, year: int) -> HttpResponse:
    year = _year_or_404(year)
    unit = unit_for_user_or_404(request.user, code)
    return _xlsx(exports.registration_template_workbook(unit, year), f"mau-dang-ky-{unit.code}-{year}.xlsx")


@login_required
@require_POST
def registrations_upload(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Import a registration list (htmx: the result replaces the form's result box; else back to the page)."""
    year = _year_or_404(year)
    unit = unit_for_user_or_404(request.user, code)
    if not can_edit_unit(request.user, unit):
        raise PermissionDenied("Bạn không có quyền nhập danh sách đăng ký của đơn vị này.")
    context: dict[str, Any] = {"unit": unit, "year": year, "problems": [], "result": None}
    upload = request.FILES.get("tep")
    if upload is None:
        context["problems"] = ["Chưa chọn tệp."]
    else:
        with upload_on_disk(upload) as path:
            try:
                context["result"] = registrations_import(actor=request.user, commune=unit, year=year, path=path, display_name=upload.name)
            except Rejected as exc:
                context["problems"] = [str(p) for p in exc.problems]
    if request.headers.get("HX-Request"):
        return render(request, "learning_models/_registrations_result.html", context)  # htmx swaps only 2xx answers
    if context["problems"]:
        return render(request, "learning_models/registrations_import.html", context, status=400)
    result = context["result"]
    messages.success(request, f"Đã nhập {result.rows} dòng: {result.created} đăng ký mới, {result.existing} đã có.")
    return redirect("learning_models:commune", code=unit.code, year=year)


@login_required
@require_POST
def households(request: HttpRequest, code: str, year: int) -> HttpResponse:
    year = _year_or_404(year)
    unit = unit_for_user_or_404(request.user, code)
    try:
        count = int(request.POST.get("households", ""))
        village_households_set(actor=request.user, commune=unit, village=request.POST.get("village", "").strip(), year=year, households=count)
        messages.success(request, "Đã lưu số hộ.")
    except LearningModelError as exc:
        messages.error(request, str(exc))
    except ValueError:
        messages.error(request, "Số hộ phải là số nguyên không âm.")
    return redirect("learning_models:commune", code=unit.code, year=year)


@login_required
@require_POST
def evaluation_open(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    year = _year_or_404(year)
    participant = participant_for_user_or_404(user=request.user, pk=pk)
    try:
        ev = evaluation_start(actor=request.user, participant=participant, year=year)
    except LearningModelError as exc:
        messages.error(request, str(exc))
        return redirect("learning_models:commune", code=participant.commune_id, year=year)
    return redirect("learning_models:evaluation", pk=ev.pk)


def _evaluation_or_404(request: HttpRequest, pk: int) -> Evaluation:
    return evaluation_for_user_or_404(user=request.user, pk=pk)


def _plain_number(value: Any) -> str:
    """8.00 → "8", 7.50 → "7.5": the form an <input type=number> expects (decimal point, no grouping)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _sheet_context(ev: Evaluation) -> dict[str, Any]:
    rubric = evaluation_rubric(ev)
    scores = {row.indicator: row for row in ev.scores.all()}
    own = evaluation_result(ev, reviewed=False)
    final = evaluation_result(ev, reviewed=True)
    evidence: dict[str, list[Evidence]] = {}
    for item in ev.evidence.all().order_by("uploaded_at"):
        evidence.setdefault(item.indicator, []).append(item)
    criteria = []
    for crit in rubric.criteria:
        lines = []
        for ind in crit.indicators:
            row = scores.get(ind.code)
            input_value = "" if row is None or row.self_value is None else _plain_number(row.self_value)
            lines.append({"ind": ind, "row": row, "enterable": enterable(ind), "computed": bool(row and row.self_source == "computed"),
                          "evidence": evidence.get(ind.code, []), "input_value": input_value,
                          "max_value": "" if ind.max_points is None else _plain_number(ind.max_points)})
        same = len(crit.indicators) == 1 and crit.indicators[0].title == crit.title
        criteria.append({"crit": crit, "lines": lines, "header": not same})
    return {"ev": ev, "rubric": rubric, "criteria": criteria, "own": own, "final": final, "participant": ev.registration.participant,
            "year": ev.registration.year, "general_evidence": evidence.get("", []), "Status": Status}


@login_required
def evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    ev = _evaluation_or_404(request, pk)
    participant = ev.registration.participant
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "save":
                rubric = evaluation_rubric(ev)
                values = {ind.code: request.POST.get(f"v_{ind.code}") for ind in rubric.indicators
                          if enterable(ind) and f"v_{ind.code}" in request.POST}
                values = {k: (None if v in ("", None) else v) for k, v in values.items()}
                notes = {ind.code: request.POST.get(f"n_{ind.code}", "") for ind in rubric.indicators if f"n_{ind.code}" in request.POST}
                evaluation_self_score(actor=request.user, participant=participant, year=ev.registration.year, values=values, notes=notes,
                                      note=request.POST.get("self_note"))
                messages.success(request, "Đã lưu bản tự đánh giá.")
            elif action == "upload":
                upload = request.FILES.get("file")
                if upload is None:
                    raise LearningModelError("Chưa chọn tệp minh chứng.")
                from xhht.learning_models.services import EVIDENCE_MAX_BYTES

                if upload.size and upload.size > EVIDENCE_MAX_BYTES:
                    raise LearningModelError(f"Tệp «{upload.name}» quá lớn (tối đa {EVIDENCE_MAX_BYTES // (1024 * 1024)} MB).")
                evidence_attach(actor=request.user, evaluation=ev, name=upload.name or "", content=upload.read(),
                                indicator=request.POST.get("indicator", ""), content_type=upload.content_type or "")
                messages.success(request, "Đã đính kèm minh chứng.")
            elif action == "submit":
                evaluation_submit(actor=request.user, evaluation=ev)
                messages.success(request, "Đã gửi bản tự đánh giá để thẩm định.")
            elif action == "review":
                rubric = evaluation_rubric(ev)
                changes = {}
                for ind in rubric.indicators:
                    raw = request.POST.get(f"r_{ind.code}", "").strip()
                    if raw:
                        changes[ind.code] = (raw, request.POST.get(f"reason_{ind.code}", ""))
                evaluation_review(actor=request.user, evaluation=ev, changes=changes, note=request.POST.get("review_note", ""))
                messages.success(request, "Đã ghi kết quả thẩm định.")
            else:
                raise LearningModelError("Thao tác không hợp lệ.")
        except LearningModelError as exc:
            messages.error(request, str(exc))
        return redirect("learning_models:evaluation", pk=ev.pk)
    context = _sheet_context(ev)
    context.update({
        "can_edit": ev.status == Status.DRAFT and can_edit_unit(request.user, participant.commune),
        "can_review": ev.status == Status.SUBMITTED and may_review(request.user, ev),
        "can_upload": ev.status in (Status.DRAFT, Status.SUBMITTED) and can_edit_unit(request.user, participant.commune),
    })
    return render(request, "learning_models/evaluation.html", context)


@login_required
def score_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    ev = _evaluation_or_404(request, pk)
    return render(request, "learning_models/score_sheet.html", _sheet_context(ev))


@login_required
def evidence_download(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    return evidence_file_response(user=request.user, evaluation=pk, evidence=evidence_pk)


@login_required
def inspection_team(request: HttpRequest, code: str, year: int) -> HttpResponse:
    year = _year_or_404(year)
    unit = unit_for_user_or_404(request.user, code)
    if unit.level != 2:
        raise Http404("Đoàn kiểm tra do cấp huyện lập.")
    candidates = inspection_team_candidates(district=unit)
    team = InspectionTeam.objects.filter(district=unit, year=year).first()
    if request.method == "POST":
        wanted = [v for v in request.POST.getlist("members") if v.isdigit() and len(v) <= 18]  # a forged "abc" is no one, not a crash
        members = list(candidates.filter(pk__in=wanted))
        try:
            inspection_team_set(actor=request.user, district=unit, year=year, members=members, decision_number=request.POST.get("decision_number", ""))
        except LearningModelError as exc:
            messages.error(request, str(exc))
            return redirect("learning_models:team", code=unit.code, year=year)
        messages.success(request, "Đã lưu thành viên đoàn kiểm tra.")
        return redirect("learning_models:team", code=unit.code, year=year)
    chosen = set(team.members.values_list("pk", flat=True)) if team else set()
    return render(request, "learning_models/team.html", {"unit": unit, "year": year, "team": team, "candidates": candidates, "chosen": chosen})


@login_required
def recognise(request: HttpRequest, code: str, year: int, kind: str) -> HttpResponse:
    year = _year_or_404(year)
    unit = unit_for_user_or_404(request.user, code)
    kind = _kind_or_404(kind)
    results = [(ev, evaluation_result(ev)) for ev in recognition_candidates(unit=unit, kind=kind, year=year)]
    if request.method == "POST":
        chosen = [ev for ev, _ in results if str(ev.pk) in request.POST.getlist("evaluations")]
        try:
            decided_on = date_from_text(request.POST.get("decided_on", ""))
        except ValueError:
            messages.error(request, f"Ngày ký «{request.POST.get('decided_on', '')[:20]}» không hợp lệ; hãy nhập ngày dạng dd/mm/yyyy, ví dụ 30/12/2019.")
            return redirect(request.path)
        try:
            recognition_create(actor=request.user, unit=unit, kind=kind, year=year, evaluations=chosen,
                               decision=DecisionInfo(number=request.POST.get("number", ""), decided_on=decided_on, signer=request.POST.get("signer", ""),
                                                     signer_title=request.POST.get("signer_title", "")))
        except LearningModelError as exc:
            messages.error(request, str(exc))
            return redirect(request.path)
        messages.success(request, "Đã ghi quyết định công nhận.")
        return redirect("learning_models:list", code=unit.code, year=year, kind=kind)
    return render(request, "learning_models/recognise.html", {"unit": unit, "year": year, "kind": kind, "kind_label": KIND_LABELS[kind], "results": results})


@login_required
def recognised_list(request: HttpRequest, code: str, year: int, kind: str) -> HttpResponse:
    year = _year_or_404(year)
    unit = unit_for_user_or_404(request.user, code)
    kind = _kind_or_404(kind)
    entries = list(recognised_entries(unit=unit, kind=kind, year=year))
    if request.GET.get("dinh-dang") == "xlsx":
        return _xlsx(exports.recognised_workbook(unit, kind, year, entries), f"danh-sach-{kind}-{unit.code}-{year}.xlsx")
    decisions = list(dict.fromkeys(e.recognition for e in entries))
    return render(request, "learning_models/list.html", {"unit": unit, "year": year, "kind": kind, "kind_label": KIND_LABELS[kind],
                                                          "entries": entries, "decisions": decisions})


def _xlsx(workbook: Any, filename: str) -> HttpResponse:
    buffer = BytesIO()
    formulas_as_text(workbook).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


__all__ = ["format_number", "format_percent", "reverse"]
