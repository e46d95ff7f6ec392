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
