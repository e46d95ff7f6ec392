"""Indicator pages: the appendix table and charts of a unit. Thin views over the selectors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify

from xhht.accounts.access import unit_for_user_or_404
from xhht.indicators.catalogue import Programme, catalogue
from xhht.indicators.charts import line_chart_svg
from xhht.indicators.exports import appendix_xlsx, rounded, target_value
from xhht.indicators.selectors import TREND_METHOD, Appendix, IndicatorQueryError, appendix_build, appendix_years_check, programmes_available

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


@login_required
def unit_indicators(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_for_user_or_404(request.user, code)
    context: dict[str, Any] = {"unit": unit, "programmes": programmes_available(), "trend_method": TREND_METHOD}
    try:
        choice = _choice(request)
        context["choice"] = choice
        appendix = appendix_build(unit=unit, programme=choice.programme, years=range(choice.year_from, choice.year_to + 1),
                                  propose_projections=choice.propose)
    except IndicatorQueryError as exc:
        context["error"] = str(exc)
        return render(request, "indicators/unit.html", context, status=400)
    context.update({"appendix": appendix, "charts": _charts(appendix), "query": request.GET.urlencode(),
                    "year_options": list(range(choice.programme.year_from - 4, choice.programme.year_to + 6))})
    return render(request, "indicators/unit.html", context)


@login_required
def appendix_export(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_for_user_or_404(request.user, code)
    try:
        choice = _choice(request)
        appendix = appendix_build(unit=unit, programme=choice.programme, years=range(choice.year_from, choice.year_to + 1),
                                  propose_projections=choice.propose)
    except IndicatorQueryError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(appendix_xlsx(appendix), content_type=XLSX)
    name = f"phu-luc-{choice.programme.id}-{slugify(unit.name) or unit.code}-{choice.year_from}-{choice.year_to}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


__all__ = ["rounded"]
