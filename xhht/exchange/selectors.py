"""Reads of the exchange: the values a caller may export."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from xhht.accounts.access import scope_codes
from xhht.indicators.models import DataValue, Source
from xhht.indicators.periods import Period
from xhht.units.models import Unit
from xhht.units.selectors import unit_subtree_codes_ever


def export_values(*, user: Any, unit: Unit, start: Period, end: Period, elements: Iterable[str] | None = None
                  ) -> Iterator[tuple[str, str, str, str, Decimal]]:
    """(element, unit, period, disaggregation, value) of ``unit`` and every unit ever under it that ``user`` may read,
    for periods lying within ``start``…``end``; projections ("dự kiến") are not data and are left out. Ordered by
    unit, period, element, disaggregation (stable)."""
    from xhht.indicators.periods import parse_period

    codes = unit_subtree_codes_ever(unit=unit)
    scope = scope_codes(user)
    if scope is not None:
        codes &= scope
    query = DataValue.objects.exclude(source=Source.PROJECTED)
    if elements is not None:
        query = query.filter(element__in=list(elements))
    periods = []
    for code in query.values_list("period", flat=True).distinct():
        try:
            p = parse_period(code)
        except ValueError:
            continue
        if p.start >= start.start and p.end <= end.end:
            periods.append(code)
    rows = (query.filter(period__in=periods, unit_id__in=sorted(codes))
            .order_by("unit_id", "period", "element", "disaggregation").values_list("element", "unit_id", "period", "disaggregation", "value"))
    return rows.iterator(chunk_size=5000)
