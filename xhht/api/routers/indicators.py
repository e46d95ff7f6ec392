"""The indicator catalogue, a unit's appendix (computed on read, as the web's) and its stored values with their source."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.http import HttpRequest
from ninja import Router

from xhht.accounts.access import unit_for_user_or_404
from xhht.api.common import caller, date_param, page_slice, period_param
from xhht.api.errors import ApiError
from xhht.indicators.catalogue import Element, catalogue
from xhht.indicators.models import DataValue
from xhht.indicators.selectors import Appendix, Cell, IndicatorQueryError, StoreReader, appendix_build, appendix_years_check
from xhht.indicators.services import disaggregation_key

router = Router(tags=["Chỉ tiêu"])


def number(value: Decimal | Fraction | int | None) -> str | None:
    """Exact numbers as text ("40552000", "98.75"): a rate keeps 6 decimals, never a float."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
        return format(value.quantize(Decimal("0.000001")).normalize(), "f")
    return format(Decimal(value).normalize(), "f")


def _cell(cell: Cell) -> dict[str, Any]:
    return {"year": cell.year, "count": number(cell.count), "numerator": number(cell.numerator), "denominator": number(cell.denominator),
            "rate": number(cell.rate), "rate_source": cell.rate_source,
            "target": number(cell.target.value) if cell.target else None, "status": cell.status}


def appendix_json(appendix: Appendix) -> dict[str, Any]:
    return {
        "unit": appendix.unit.code, "programme": appendix.programme.id, "years": appendix.years,
        "on": appendix.on, "lineage_note": appendix.lineage_note,
        "rows": [{"kind": r.kind, "tt": r.tt, "name": r.name, "indicator": r.indicator.code if r.indicator else None,
                  "cells": [_cell(c) for c in r.cells], "phase": _cell(r.phase) if r.phase else None,
                  "projections": [{"phase": p.phase, "value": number(p.value), "how": p.how} for p in r.projections]}
                 for r in appendix.rows],
    }


def _element(code: str, field: str = "element") -> Element:
    el = catalogue().elements.get(code)
    if el is None:
        raise ApiError(400, f"Không có phần tử dữ liệu «{code[:80]}» trong danh mục.", field)
    return el


def _disaggregation(text: str, element: Element | None) -> str:
    """"sex=F;age_band=15-25" → the canonical key; 400 naming a category the element (or the catalogue) does not split by."""
    if not text:
        return ""
    parts: dict[str, str] = {}
    for piece in text.split(";"):
        name, sep, value = piece.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise ApiError(400, f"Phân tổ «{text[:80]}» không đúng dạng «tên=giá trị;tên=giá trị».", "disaggregation")
        parts[name.strip()] = value.strip()
    known = set(element.disaggregations) if element else {d for el in catalogue().elements.values() for d in el.disaggregations}
    unknown = sorted(set(parts) - known)
    if unknown:
        where = f"phần tử «{element.code}»" if element else "danh mục"
        raise ApiError(400, f"Không có phân tổ «{', '.join(unknown)}» trong {where}.", "disaggregation")
    return disaggregation_key(parts)


@router.get("/catalogue", summary="Danh mục phần tử dữ liệu và chương trình")
def catalogue_read(request: HttpRequest) -> dict[str, Any]:
    cat = catalogue()
    return {
        "elements": [{"code": e.code, "name": e.name, "aggregation": e.aggregation, "value_type": e.value_type,
                      "period_types": list(e.period_types), "disaggregations": list(e.disaggregations)}
                     for e in sorted(cat.elements.values(), key=lambda e: e.code)],
        "programmes": [{"id": p.id, "name": p.name, "year_from": p.year_from, "year_to": p.year_to,
                        "indicators": [{"code": i.code, "tt": i.tt, "name": i.name, "kind": i.kind, "numerator": i.numerator,
                                        "denominator": i.denominator, "count": i.count} for i in p.indicators()]}
                       for p in sorted(cat.programmes.values(), key=lambda p: p.id)],
    }


@router.get("/{code}/appendix", summary="Phụ lục chỉ tiêu của một đơn vị (như trang web)")
def appendix_read(request: HttpRequest, code: str, programme: str = "qd89-2012-2020", year_from: int | None = None,
                  year_to: int | None = None, on: str | None = None) -> dict[str, Any]:
    """Các chỉ tiêu theo năm, tính khi đọc từ kho số liệu; ``on=YYYY-MM-DD`` tính lại theo địa giới ngày đó."""
    unit = unit_for_user_or_404(caller(request), code)
    cat = catalogue()
    if programme not in cat.programmes:
        raise ApiError(400, f"Không có chương trình «{programme[:60]}». Có: {', '.join(sorted(cat.programmes))}.", "programme")
    prog = cat.programmes[programme]
    first = year_from if year_from is not None else prog.default_years[0]
    last = year_to if year_to is not None else prog.default_years[1]
    try:
        appendix_years_check(year_from=first, year_to=last)
        appendix = appendix_build(unit=unit, programme=prog, years=range(first, last + 1), on=date_param(on))
    except IndicatorQueryError as exc:
        raise ApiError(400, str(exc), "year_from") from None
    return appendix_json(appendix)


@router.get("/{code}/values", summary="Giá trị dữ liệu của một đơn vị, kèm nguồn")
def values_read(request: HttpRequest, code: str, period_from: str | None = None, period_to: str | None = None, element: str = "",
                disaggregation: str = "", on: str | None = None, limit: int = 100, offset: int = 0) -> dict[str, Any]:
    """Giá trị đã lưu của đơn vị (nguồn: nhập trên web, nhập từ tệp, tính, dự kiến; quy tắc hoặc tệp nguồn), theo
    khoảng kỳ, phần tử và phân tổ. Với ``on=YYYY-MM-DD`` (cần ``element``): giá trị cộng dồn từ cấp dưới theo địa giới
    ngày đó (như «theo địa giới» trên web), mỗi năm trong khoảng kỳ."""
    unit = unit_for_user_or_404(caller(request), code)
    when = date_param(on)
    start = period_param(period_from, "period_from") if period_from else None
    end = period_param(period_to, "period_to") if period_to else None
    el = _element(element) if element else None
    key = _disaggregation(disaggregation, el) if disaggregation else None
    if when is not None:
        if el is None:
            raise ApiError(400, "Tính lại theo địa giới (on) cần chọn một phần tử dữ liệu (element).", "element")
        if start is None or end is None:
            raise ApiError(400, "Tính lại theo địa giới (on) cần khoảng kỳ period_from và period_to (năm).", "period_from")
        years = list(range(start.start.year, end.end.year + 1))
        if len(years) > 50:
            raise ApiError(400, "Khoảng kỳ quá dài (tối đa 50 năm).", "period_to")
        if not unit.exists_on(when):
            raise ApiError(400, f"{unit.title_name} không tồn tại vào ngày {when:%d/%m/%Y}.", "on")
        reader = StoreReader(unit=unit, elements=[el.code], periods=[str(y) for y in years], on=when)
        rows = [{"element": el.code, "unit": unit.code, "period": str(y), "disaggregation": key or "",
                 "value": number(reader.value(el.code, str(y), key or "")), "source": "aggregated", "rule": f"theo địa giới {when.isoformat()}",
                 "updated_at": None} for y in years]
        total, items = page_slice(rows, limit=limit, offset=offset)
        return {"count": total, "limit": limit, "offset": offset, "items": items}
    qs = DataValue.objects.filter(unit=unit)
    if el is not None:
        qs = qs.filter(element=el.code)
    if key is not None:
        qs = qs.filter(disaggregation=key)
    if start is not None or end is not None:
        wanted = []
        for text in qs.values_list("period", flat=True).distinct():
            try:
                p = period_param(text, "period")
            except ApiError:
                continue
            if (start is None or p.start >= start.start) and (end is None or p.end <= end.end):
                wanted.append(text)
        qs = qs.filter(period__in=wanted)
    qs = qs.order_by("element", "period", "disaggregation", "pk")
    total, page = page_slice(qs, limit=limit, offset=offset)
    return {"count": total, "limit": limit, "offset": offset, "items": [
        {"element": v.element, "unit": v.unit_id, "period": v.period, "disaggregation": v.disaggregation, "value": number(v.value),
         "source": v.source, "rule": v.rule, "updated_at": v.updated_at} for v in page]}
