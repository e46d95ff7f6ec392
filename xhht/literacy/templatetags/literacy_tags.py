from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from xhht.core.formatting import format_number, format_rate

register = template.Library()


@register.filter
def share(counts: dict[str, int], measure: str) -> str:
    """{{ counts|share:"level2" }} -> "98,75%" (level2 / population)."""
    return format_rate(counts.get(measure, 0), counts.get("population", 0))


@register.filter
def ratio(numerator: int | None, denominator: int | None) -> str:
    if numerator is None or not denominator:
        return ""
    return format_rate(numerator, denominator)


@register.filter
def threshold(value: Decimal | None) -> str:
    return "chưa kiểm chứng" if value is None else f"≥ {format_number(value * 100, 0)}%"


@register.filter
def get(mapping: Any, key: Any) -> Any:
    if not hasattr(mapping, "get"):
        return None
    value = mapping.get(key)
    if value is None and isinstance(key, str) and key.isdigit():
        value = mapping.get(int(key))
    return value
