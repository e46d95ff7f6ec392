"""Template filters for Vietnamese figures; loaded as builtins in every template."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template

from xhht.core import formatting

register = template.Library()


@register.filter
def vn_number(value: Any, places: int = 0) -> str:
    return formatting.format_number(value, int(places))


@register.filter
def vn_money(value: Any) -> str:
    return formatting.format_money(value)


@register.filter
def vn_percent(value: Any, places: int = 2) -> str:
    return formatting.format_percent(value, int(places))


@register.filter
def vn_decimal(value: Any) -> str:
    """A stored figure with the digits it has: "400000000" -> "400.000.000"; "98.50" -> "98,5"."""
    try:
        return formatting.format_decimal(value)
    except (ArithmeticError, ValueError, TypeError):
        return str(value)


@register.filter
def vn_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y")
