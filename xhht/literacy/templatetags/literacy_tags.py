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


# The engine's measures (xhht/literacy/catalogue/nd20-2014.yaml, "columns") as the decree words them.
MEASURE_NAMES = {
    "level1": "người biết chữ mức độ 1",
    "level2": "người biết chữ mức độ 2",
    "entered_grade1": "trẻ vào học lớp 1",
    "completed_primary": "người hoàn thành chương trình tiểu học",
    "in_primary": "người đang học tiểu học",
    "lower_secondary_diploma": "người tốt nghiệp trung học cơ sở",
    "studying_upper": "người đang học trung học phổ thông",
}


@register.filter
def criterion_name(label: str) -> str:
    """The engine's "completed_primary+in_primary 11-11" → "người hoàn thành chương trình tiểu học hoặc người đang
    học tiểu học, 11 tuổi"; "level1 15-35" → "người biết chữ mức độ 1, 15–35 tuổi"."""
    measures, _, ages = str(label).rpartition(" ")
    if not measures:
        measures, ages = ages, ""
    names = " hoặc ".join(MEASURE_NAMES.get(m, "chỉ số chưa xác định") for m in measures.split("+"))
    low, _, high = ages.partition("-")
    if not low:
        return names
    return f"{names}, {low} tuổi" if low == high else f"{names}, {low}–{high} tuổi"
