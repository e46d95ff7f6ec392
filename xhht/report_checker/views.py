"""The report checker's pages: upload and see the findings in place; accept recognised figures; a stored report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from xhht.accounts.access import can_check_reports, can_view_unit, is_administrator, unit_for_user_or_404
from xhht.core.tabular import Problem, Rejected
from xhht.core.uploads import upload_on_disk
from xhht.report_checker.documents import SUFFIXES, Paragraph
from xhht.report_checker.engine import Finding, Result
from xhht.report_checker.models import CheckedReport
from xhht.report_checker.selectors import form_for_unit, recognised_figures
from xhht.report_checker.services import AcceptRefused, pending_drop, pending_get, pending_keep, report_check, report_figures_accept
from xhht.units.models import Unit
from xhht.units.selectors import sort_units, unit_children


def _require(user: Any) -> None:
    if not can_check_reports(user):
        raise PermissionDenied("Chỉ cán bộ cấp xã, cấp huyện, cấp tỉnh mới kiểm tra được số liệu báo cáo.")


def _units_for(user: Any) -> list[Unit]:
    if is_administrator(user):
        return sort_units(Unit.objects.exclude(kind="village"))
    if user.unit is None:
        return []
    return [user.unit, *[u for u in unit_children(unit=user.unit) if u.kind != "village"]]


@dataclass
class Segment:
    text: str
    number: int | None = None
    finding: Finding | None = None


@dataclass
class ShownBlock:
    kind: str  # paragraph | table
    label: str
    segments: list[Segment] = field(default_factory=list)
    rows: list[list[Segment]] = field(default_factory=list)


def shown_blocks(result: Result) -> list[ShownBlock]:
    """The report's text, each statement with a finding cut out as a numbered segment (server-side highlighting)."""
    numbered = list(enumerate(result.findings, start=1))
    blocks: list[ShownBlock] = []
    for index, block in enumerate(result.document.blocks):
        mine = [(n, f) for n, f in numbered if f.block == index]
        if isinstance(block, Paragraph):
            shown = ShownBlock("paragraph", f"đoạn {block.number}")
            position = 0
            for n, f in sorted(mine, key=lambda item: item[1].span or (0, 0)):
                start, end = f.span or (0, 0)
                if start < position:  # overlaps the previous highlight: the number is enough
                    shown.segments.append(Segment("", n, f))
                    continue
                if start > position:
                    shown.segments.append(Segment(block.text[position:start]))
                shown.segments.append(Segment(block.text[start:end], n, f))
                position = end
            shown.segments.append(Segment(block.text[position:]))
        else:
            shown = ShownBlock("table", f"bảng {block.number}")
            cells = {f.cell: (n, f) for n, f in reversed(mine) if f.cell}
            for r, row in enumerate(block.rows):
                shown.rows.append([Segment(text, *cells.get((r, c), (None, None))) for c, text in enumerate(row)])
        blocks.append(shown)
    return blocks


def _periods(form: Any) -> list[tuple[str, str]]:
    """The periods a figure may go to: the form's kinds, this year back to the start of QĐ 89 (2012)."""
    if form is None:
        return []
    from django.utils import timezone

    from xhht.indicators.periods import parse_period

    codes: list[str] = []
    for year in range(timezone.localdate().year, 2011, -1):
        if "year" in form.period_types:
            codes.append(str(year))
        if "half_year" in form.period_types:
            codes += [f"{year}-H2", f"{year}-H1"]
    return [(code, parse_period(code).label) for code in codes]


@login_required
def check(request: HttpRequest) -> HttpResponse:
    _require(request.user)
    units = _units_for(request.user)
    context: dict[str, Any] = {"units": units, "limit_mb": settings.XHHT_MAX_UPLOAD_BYTES // (1024 * 1024),
                               "accept": ", ".join(sorted(SUFFIXES))}
    if request.method != "POST":
        return render(request, "report_checker/check.html", context)
    upload = request.FILES.get("file")
    unit = None
    code = (request.POST.get("unit") or "").strip()
    if code:
        unit = unit_for_user_or_404(request.user, code)
    context["unit"] = unit
    if upload is None:
        context["problems"] = [Problem("Hãy chọn tệp báo cáo (.docx, .pdf hoặc .txt).")]
        return render(request, "report_checker/check.html", context, status=400)
    name = upload.name or "bao-cao"
    if upload.size and upload.size > settings.XHHT_MAX_UPLOAD_BYTES:
        context["problems"] = [Problem(f"tệp quá lớn ({upload.size // (1024 * 1024)} MB; tối đa {context['limit_mb']} MB): không đọc tệp này.", file=name)]
        return render(request, "report_checker/check.html", context, status=400)
    try:
        with upload_on_disk(upload) as path:
            result = report_check(path=path, name=name, unit=unit)
            form = form_for_unit(unit) if unit else None
            recognised, conflicts = recognised_figures(result=result, form=form) if form else ([], [])
            token = pending_keep(path=path, name=name, user_id=int(request.user.pk or 0)) if recognised else ""
    except Rejected as exc:
        context["problems"] = exc.problems
        return render(request, "report_checker/check.html", context, status=400)
    context.update({"result": result, "blocks": shown_blocks(result), "numbered": list(enumerate(result.findings, start=1)),
                    "form": form, "recognised": recognised, "conflicts": conflicts, "token": token, "periods": _periods(form)})
    return render(request, "report_checker/check.html", context)


@login_required
@require_POST
def accept(request: HttpRequest) -> HttpResponse:
    _require(request.user)
    unit = unit_for_user_or_404(request.user, request.POST.get("unit", ""))
    token = request.POST.get("token", "")
    period = (request.POST.get("period") or "").strip()
    try:
        from xhht.indicators.periods import parse_period

        period_obj = parse_period(period)
        form = form_for_unit(unit)
        if form is None or not form.accepts_period_kind(period_obj.kind):
            raise AcceptRefused(f"Kỳ «{period}» không phải kỳ của biểu báo cáo định kỳ của {unit.title_name}.")
        path, name = pending_get(token=token, user_id=int(request.user.pk or 0))
        accepted = report_figures_accept(actor=request.user, path=path, name=name, unit=unit, period=period_obj.code,
                                         keys=request.POST.getlist("figure"))
    except (AcceptRefused, ValueError) as exc:
        messages.error(request, f"Chưa nhận số liệu nào: {exc}")
        return redirect("report_checker:check")
    pending_drop(token=token)
    messages.success(request, f"Đã nhận {len(accepted.figures)} số liệu vào bản nháp báo cáo định kỳ ({period_obj.label}); báo cáo chưa được nộp hay duyệt.")
    return redirect("report_checker:accepted", accepted.report.pk)


def _report_or_404(request: HttpRequest, pk: int) -> CheckedReport:
    report = get_object_or_404(CheckedReport.objects.select_related("unit", "accepted_by"), pk=pk)
    if not can_view_unit(request.user, report.unit):
        raise Http404("Không tìm thấy báo cáo.")
    return report


@login_required
def accepted(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    form = form_for_unit(report.unit)
    entry = reverse("reporting:entry", args=[form.code, report.unit.code, report.period]) if form else ""
    return render(request, "report_checker/accepted.html", {"report": report, "figures": report.figures.all(), "entry": entry})


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    report = _report_or_404(request, pk)
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=report.name)
