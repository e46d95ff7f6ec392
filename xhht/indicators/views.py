"""Indicator pages: the appendix table and charts of a unit. Thin views over the selectors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.urls import reverse
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.text import slugify

from xhht.core.dates import date_from_text
from xhht.accounts.access import can_edit_unit, can_view_unit, require_edit_unit, unit_for_user_or_404
from xhht.indicators.catalogue import Programme, catalogue
from xhht.indicators.charts import line_chart_svg
from xhht.indicators.exports import appendix_xlsx, rounded, target_value
from xhht.indicators.services import projection_set
from xhht.indicators.selectors import (TREND_METHOD, Appendix, IndicatorQueryError, appendix_build, appendix_years_check,
                                       indicator_trace as trace_build, programmes_available)
from xhht.units.selectors import unit_lineage

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Choice:
    programme: Programme
    year_from: int
    year_to: int
    propose: bool


def _choice(request: HttpRequest) -> Choice:
    cat = catalogue()
    pid = request.GET.get("chuong_trinh") or "qd89-2012-2020"
    if pid not in cat.programmes:
        raise IndicatorQueryError(f"Không có chương trình «{pid}».")
    programme = cat.programmes[pid]
    try:
        year_from = int(request.GET.get("tu_nam") or programme.default_years[0])
        year_to = int(request.GET.get("den_nam") or programme.default_years[1])
    except ValueError:
        raise IndicatorQueryError("Năm phải là số, ví dụ 2016.") from None
    appendix_years_check(year_from=year_from, year_to=year_to)
    return Choice(programme, year_from, year_to, request.GET.get("de_xuat") == "1")


@login_required
def index(request: HttpRequest) -> HttpResponse:
    unit_id = getattr(request.user, "unit_id", None)
    if not unit_id:
        raise Http404("Tài khoản chưa gắn với đơn vị nào.")
    return redirect("indicators:unit", code=unit_id)


def _charts(appendix: Appendix) -> list[dict[str, Any]]:
    charts = []
    labels = [str(y) for y in appendix.years]
    for row in appendix.indicator_rows():
        ind = row.indicator
        assert ind is not None
        is_rate = ind.kind == "rate"
        values = [c.rate if is_rate else c.count for c in row.cells]
        projections = [(p.phase, p.value, p.is_proposed) for p in row.projections]
        title = f"{ind.code}. {ind.name}" + (" (tỷ lệ %)" if is_rate else "")
        charts.append({"title": title, "svg": line_chart_svg(title=title, labels=labels, values=values,
                                                             target=target_value(row), is_rate=is_rate, projections=projections)})
    return charts


def _on(request: HttpRequest) -> date | None:
    """``?theo_dia_gioi=31/12/2019`` (or ISO): read every year on the units as they stand on that date (format 4)."""
    text = (request.GET.get("theo_dia_gioi") or "").strip()
    if not text:
        return None
    try:
        return date_from_text(text)
    except ValueError:
        raise IndicatorQueryError(f"Ngày địa giới «{text[:20]}» không hợp lệ; hãy nhập ngày dạng dd/mm/yyyy, ví dụ 31/12/2019.") from None


@login_required
def unit_indicators(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_for_user_or_404(request.user, code)
    context: dict[str, Any] = {"unit": unit, "programmes": programmes_available(), "trend_method": TREND_METHOD}
    try:
        choice = _choice(request)
        context["choice"] = choice
        on = _on(request)
        context["on"] = on
        appendix = appendix_build(unit=unit, programme=choice.programme, years=range(choice.year_from, choice.year_to + 1),
                                  propose_projections=choice.propose, on=on)
    except IndicatorQueryError as exc:
        context["error"] = str(exc)
        return render(request, "indicators/unit.html", context, status=400)
    context.update({"appendix": appendix, "charts": _charts(appendix), "query": request.GET.urlencode(),
                    "predecessors": [c for c in unit_lineage(unit=unit)["predecessors"] if can_view_unit(request.user, c.source_id or "")],
                    "can_edit": can_edit_unit(request.user, unit),
                    "year_options": list(range(choice.programme.year_from - 4, choice.programme.year_to + 6))})
    return render(request, "indicators/unit.html", context)


@login_required
def indicator_trace(request: HttpRequest, code: str, indicator: str, year: int) -> HttpResponse:
    """Where one figure of the appendix comes from; 404 for a unit the user may not see or an unknown indicator."""
    unit = unit_for_user_or_404(request.user, code)
    programme = request.GET.get("chuong_trinh") or "qd89-2012-2020"
    try:
        trace = trace_build(unit=unit, programme=programme, indicator=indicator, year=year)
    except IndicatorQueryError as exc:
        raise Http404(str(exc)) from None
    back: dict[str, str] = {k: str(v) for k, v in request.GET.items() if k in ("chuong_trinh", "tu_nam", "den_nam")}
    return render(request, "indicators/trace.html", {"trace": trace, "unit": unit, "query": urlencode(back)})


@login_required
def appendix_export(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_for_user_or_404(request.user, code)
    try:
        choice = _choice(request)
        appendix = appendix_build(unit=unit, programme=choice.programme, years=range(choice.year_from, choice.year_to + 1),
                                  propose_projections=choice.propose, on=_on(request))
    except IndicatorQueryError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(appendix_xlsx(appendix), content_type=XLSX)
    name = f"phu-luc-{choice.programme.id}-{slugify(unit.name) or unit.code}-{choice.year_from}-{choice.year_to}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def projections_edit(request: HttpRequest, code: str) -> HttpResponse:
    """The unit enters its projections ("dự kiến") per indicator and projection phase (POST), 403 without edit rights."""
    unit = unit_for_user_or_404(request.user, code)
    require_edit_unit(request.user, unit)
    try:
        choice = _choice(request)
    except IndicatorQueryError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    programme = choice.programme
    errors: list[str] = []
    if request.method == "POST":
        entries = []
        for ind in programme.indicators():
            if ind.rate_element is None and ind.kind == "rate":
                continue
            for phase in programme.projection_phases:
                field = f"{ind.code}|{phase}"
                if field not in request.POST:
                    continue
                text = request.POST[field].strip().replace(",", ".")
                try:
                    value = Decimal(text) if text else None
                except InvalidOperation:
                    errors.append(f"{ind.code} {phase}: «{request.POST[field]}» không phải là số.")
                    continue
                if value is not None and not value.is_finite():  # "NaN", "sNaN", "Infinity" parse, but are no figure
                    errors.append(f"{ind.code} {phase}: «{request.POST[field]}» không phải là số.")
                    continue
                entries.append((ind.code, phase, value))
        if not errors:
            try:
                with transaction.atomic():
                    for ind_code, phase, value in entries:
                        projection_set(actor=request.user, unit_code=unit.code, programme_id=programme.id,
                                       indicator_code=ind_code, phase=phase, value=value)
            except ValueError as exc:
                errors.append(str(exc))
        if not errors:
            messages.success(request, "Đã lưu số liệu dự kiến.")
            return redirect(f"{reverse('indicators:unit', args=[unit.code])}?{request.GET.urlencode()}")
    appendix = appendix_build(unit=unit, programme=programme, years=range(choice.year_from, choice.year_to + 1))
    rows = []
    for row in appendix.indicator_rows():
        shown_ind = row.indicator
        assert shown_ind is not None
        if shown_ind.rate_element is None and shown_ind.kind == "rate":
            continue
        cells = []
        for p in row.projections:
            field = f"{shown_ind.code}|{p.phase}"
            shown = request.POST.get(field) if request.method == "POST" else (
                "" if p.value is None or p.how != "entered" else str(rounded(p.value)).replace(".", ","))
            cells.append({"field": field, "value": shown})
        rows.append({"row": row, "cells": cells})
    return render(request, "indicators/projections.html", {"unit": unit, "appendix": appendix, "rows": rows, "errors": errors,
                                                           "query": request.GET.urlencode()}, status=400 if errors else 200)

