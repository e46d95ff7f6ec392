"""Showing an exact cell of a register table the Vietnamese way (3.358; 40.552.000 đ; 100,00%; empty stays empty)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from django import template

from xhht.core.formatting import format_money, format_number, format_percent

register = template.Library()


@register.filter
def cell(value: Any, kind: str = "") -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "có" if value else ""
    if isinstance(value, Fraction) or kind == "percent":
        return format_percent(value)
    if kind == "money":
        return format_money(value)
    if isinstance(value, (int, Decimal)) and kind != "text":
        return format_number(value)
    return str(value)


@register.filter
def is_numeric(value: Any) -> bool:
    return isinstance(value, (int, Decimal, Fraction)) and not isinstance(value, bool)


@register.simple_tag
def summary_chart(summary: Any) -> str:
    """Bars of the summary's first count column, one per row (a year, a school year), beside the table (issue 15)."""
    from xhht.indicators.charts import stacked_bars_svg

    if summary is None or not summary.rows or summary.columns[0].kind != "text":
        return ""
    index = next((i for i, c in enumerate(summary.columns) if c.kind == "number"), None)
    if index is None:
        return ""
    rows = [(str(row[0]), [int(row[index] or 0)]) for row in summary.rows if isinstance(row[index], (int, type(None))) or str(row[index]).isdigit()]
    return stacked_bars_svg(title=f"{summary.title}: {summary.columns[index].label}", rows=rows, series=[summary.columns[index].label],
                            colours=["#1f5fa8"]) if rows else ""
