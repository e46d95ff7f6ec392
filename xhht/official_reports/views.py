from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from xhht.accounts.access import can_edit_unit, require_edit_unit, scope_codes, unit_for_user_or_404
from xhht.official_reports.catalogue import report_kinds
from xhht.official_reports.forms import ReportHeaderForm, ReportNewForm, SectionForm
from xhht.official_reports.models import IssuedVersion, ReportSection
from xhht.jobs.models import JobState
from xhht.official_reports.jobs import issue_active, issue_job, issue_start
from xhht.official_reports.placeholders import PlaceholderError, parse_one
from xhht.official_reports.render import Renderer
from xhht.official_reports.selectors import (issued_version_or_404, report_checklist, public_units, public_version_or_404, public_versions,
                                             report_for_user_or_404, report_list, report_page)
from xhht.official_reports.services import (ReportError, report_create, report_issue_precheck, report_section_redraft,
                                            report_section_update, report_update, report_version_publish, report_version_withdraw)
from xhht.units.models import COMMUNE_LEVEL_KINDS, Unit, UnitKind

REPORTING_KINDS = [UnitKind.PROVINCE, UnitKind.CITY, UnitKind.DISTRICT, UnitKind.TOWN_DISTRICT, UnitKind.URBAN_DISTRICT,
                   UnitKind.PROVINCIAL_CITY, *COMMUNE_LEVEL_KINDS]


def _unit_choices(user: object) -> list[tuple[str, str]]:
    qs = Unit.objects.filter(kind__in=REPORTING_KINDS).order_by("code")
    scope = scope_codes(user)
    if scope is not None:
        qs = qs.filter(code__in=scope)
    return [(u.code, f"{u.code} – {u.full_name}") for u in qs if can_edit_unit(user, u)]


@login_required
def report_index(request: HttpRequest) -> HttpResponse:
    form = ReportNewForm(units=_unit_choices(request.user))
    return render(request, "official_reports/index.html", _index_context(request, form))


@login_required
@require_POST
def report_new(request: HttpRequest) -> HttpResponse:
    form = ReportNewForm(request.POST, units=_unit_choices(request.user))
    if form.is_valid():
        unit = unit_for_user_or_404(request.user, form.cleaned_data["unit"])
        require_edit_unit(request.user, unit)
        try:
            report = report_create(actor=request.user, unit=unit, period=form.cleaned_data["period"], kind=form.cleaned_data["kind"],
                                   issuer=form.cleaned_data.get("issuer") or None)
        except ReportError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Đã tạo dự thảo báo cáo từ số liệu; hãy đọc và chỉnh sửa từng mục.")
            return redirect("official_reports:detail", pk=report.pk)
    return render(request, "official_reports/index.html", _index_context(request, form), status=400)


def _index_context(request: HttpRequest, form: ReportNewForm) -> dict[str, Any]:
    names = {k.kind: k.name for k in report_kinds().values()}
    reports = list(report_list(user=request.user)[:200])
    for report in reports:
        report.kind_name = names.get(report.kind, report.kind)  # type: ignore[attr-defined]
    return {"reports": reports, "form": form}


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_for_user_or_404(request.user, pk)
    can_edit = can_edit_unit(request.user, report.unit)
    return render(request, "official_reports/detail.html", {
        "report": report, "page": report_page(report, can_edit=can_edit), "can_edit": can_edit,
        "versions": report.versions.select_related("issued_by"), "job": issue_active(report=report),
    })


@login_required
def report_header(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_for_user_or_404(request.user, pk)
    require_edit_unit(request.user, report.unit)
    form = ReportHeaderForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        report.refresh_from_db()
        try:
            report_update(actor=request.user, report=report, **fields)
        except ReportError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Đã lưu phần đầu, nơi nhận và chữ ký.")
            return redirect("official_reports:detail", pk=report.pk)
    return render(request, "official_reports/header_form.html", {"report": report, "form": form})


def _section_or_404(report_pk: int, section_id: int) -> ReportSection:
    section = ReportSection.objects.filter(pk=section_id, report_id=report_pk).select_related("report").first()
    if section is None:
        raise Http404("Không có mục này.")
    return section


@login_required
def report_section(request: HttpRequest, pk: int, section_id: int) -> HttpResponse:
    report = report_for_user_or_404(request.user, pk)
    require_edit_unit(request.user, report.unit)
    section = _section_or_404(report.pk, section_id)
    form = SectionForm(request.POST or None, initial={"text": section.text})
    if request.method == "POST" and form.is_valid():
        try:
            report_section_update(actor=request.user, section=section, text=form.cleaned_data["text"])
        except ReportError as exc:
            form.add_error("text", str(exc))
        else:
            messages.success(request, f"Đã lưu mục {section.number} {section.heading}.")
            return redirect(reverse("official_reports:detail", args=[report.pk]) + f"#muc-{section.pk}")
    return render(request, "official_reports/section_form.html", {"report": report, "section": section, "form": form})


@login_required
@require_POST
def report_section_redraft_view(request: HttpRequest, pk: int, section_id: int) -> HttpResponse:
    report = report_for_user_or_404(request.user, pk)
    require_edit_unit(request.user, report.unit)
    section = _section_or_404(report.pk, section_id)
    report_section_redraft(actor=request.user, section=section)
    messages.success(request, f"Đã soạn lại mục {section.number} từ số liệu hiện có.")
    return redirect("official_reports:detail", pk=report.pk)


@login_required
def report_trace(request: HttpRequest, pk: int) -> HttpResponse:
    """The data values and rule behind one figure of the report."""
    report = report_for_user_or_404(request.user, pk)
    source = request.GET.get("f", "")[:400]
    try:
        placeholder = parse_one(source)
    except PlaceholderError as exc:
        raise Http404(str(exc)) from exc
    renderer = Renderer(report)
    figure = renderer.resolver.resolve(placeholder)
    return render(request, "official_reports/trace.html", {"report": report, "figure": figure, "placeholder": placeholder})


@login_required
@require_POST
def report_issue_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the build of the files (``xhht worker`` makes them; LibreOffice may take minutes); the page polls the job."""
    report = report_for_user_or_404(request.user, pk)
    require_edit_unit(request.user, report.unit)
    # From the checklist page: its fingerprint (refused if the inputs changed since) and, with gaps, the
    # confirmation box and the reason. Without a confirmed reason a report with gaps is not issued. Checked here
    # at once, and again by the job when it runs (the inputs may change while it waits).
    fingerprint = request.POST.get("fingerprint") or None
    reason = request.POST.get("gap_reason", "") if request.POST.get("confirm_gaps") == "1" else ""
    try:
        report_issue_precheck(report=report, gap_reason=reason, checklist_fingerprint=fingerprint)
    except ReportError as exc:
        if fingerprint is not None and not request.headers.get("HX-Request"):
            messages.error(request, f"Chưa phát hành: {exc}")
            return redirect("official_reports:checklist", pk=report.pk)
        messages.error(request, f"Không tạo được tệp: {exc}")
        if request.headers.get("HX-Request"):
            return render(request, "official_reports/_versions.html", {"report": report, "versions": report.versions.all(), "error": str(exc)})
        return redirect("official_reports:detail", pk=report.pk)
    job = issue_start(user=request.user, report=report, gap_reason=reason, checklist_fingerprint=fingerprint)
    if job.state == JobState.DONE and not request.headers.get("HX-Request"):
        messages.success(request, f"Đã tạo phiên bản {job.result.get('version')}.")
    if request.headers.get("HX-Request"):
        return _versions(request, report, job)
    return redirect("official_reports:detail", pk=report.pk)


def _versions(request: HttpRequest, report: Any, job: Any) -> HttpResponse:
    context: dict[str, Any] = {"report": report, "versions": report.versions.select_related("issued_by"), "job": job}
    if job is not None and job.state == JobState.DONE:
        context["new"] = {"version": job.result.get("version")}
    elif job is not None and not job.active:
        context["error"] = "; ".join(job.result.get("problems", [])) or job.error
    return render(request, "official_reports/_versions.html", context)


@login_required
def report_issue_status(request: HttpRequest, pk: int, job: int) -> HttpResponse:
    report = report_for_user_or_404(request.user, pk)
    found = issue_job(report=report, pk=job)
    if found is None:
        raise Http404("Không tìm thấy lượt tạo tệp.")
    return _versions(request, report, found)


@login_required
def report_checklist_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Before a version is issued: every missing or unapproved input by unit and form, with links to the form
    and to the people responsible; the issue form (confirmation and reason when there are gaps)."""
    report = report_for_user_or_404(request.user, pk)
    require_edit_unit(request.user, report.unit)
    checklist = report_checklist(report)
    return render(request, "official_reports/checklist.html", {"report": report, "checklist": checklist})


@login_required
def report_version(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    report = report_for_user_or_404(request.user, pk)
    issued = issued_version_or_404(report, version)
    return render(request, "official_reports/version.html", {"report": report, "issued": issued,
                                                             "can_edit": can_edit_unit(request.user, report.unit)})


CONTENT = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "pdf": "application/pdf"}


def _file_response(issued: IssuedVersion, fmt: str) -> FileResponse:
    if fmt not in CONTENT:
        raise Http404("Không có định dạng này.")
    field = getattr(issued, fmt)
    if not field:
        raise Http404("Phiên bản này không có tệp định dạng đó.")
    return FileResponse(field.open("rb"), as_attachment=True, filename=field.name.rsplit("/", 1)[-1], content_type=CONTENT[fmt])


@login_required
def report_download(request: HttpRequest, pk: int, version: int, fmt: str) -> FileResponse:
    report = report_for_user_or_404(request.user, pk)
    return _file_response(issued_version_or_404(report, version), fmt)


def _version_change(request: HttpRequest, pk: int, version: int, change: Callable[[IssuedVersion], object], done: str) -> HttpResponse:
    """A change to an issued version by whoever may edit the report's unit (403 for others, 404 if unseen)."""
    report = report_for_user_or_404(request.user, pk)
    require_edit_unit(request.user, report.unit)
    issued = issued_version_or_404(report, version)
    try:
        change(issued)
    except ReportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done.format(version=issued.version))
    return redirect("official_reports:version", pk=report.pk, version=issued.version)


@login_required
@require_POST
def report_publish_view(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    def publish(issued: IssuedVersion) -> object:
        if request.POST.get("confirm_publish") != "1":  # publishing has its own confirmation (issue 14)
            raise ReportError("Chưa công khai: hãy đánh dấu ô xác nhận công khai phiên bản này cho mọi người đọc.")
        return report_version_publish(actor=request.user, issued=issued)

    return _version_change(request, pk, version, publish,
                           "Đã công khai phiên bản {version}: ai cũng đọc được tại trang Báo cáo công khai.")


@login_required
@require_POST
def report_withdraw_view(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _version_change(request, pk, version, lambda issued: report_version_withdraw(actor=request.user, issued=issued, reason=reason),
                           "Đã gỡ công khai phiên bản {version}.")


# Public pages: no account needed; they show only what an issuing office made public.


def public_list(request: HttpRequest) -> HttpResponse:
    unit_code = request.GET.get("don_vi") or None
    year_text = request.GET.get("nam") or ""
    year = int(year_text) if year_text.isdigit() and 1900 <= int(year_text) <= 2100 else None
    units = public_units()
    if unit_code not in {code for code, _ in units}:
        unit_code = None
    page = Paginator(public_versions(unit_code=unit_code, year=year), 50).get_page(request.GET.get("trang"))
    return render(request, "official_reports/public_list.html", {"page": page, "units": units, "unit_code": unit_code, "year": year})


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "official_reports/public_detail.html", {"issued": public_version_or_404(pk)})


def public_download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    return _file_response(public_version_or_404(pk), fmt)
