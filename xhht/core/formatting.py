"""Figures formatted for Vietnamese readers: 98,75%; 40.552.000 đ; 3.358.

Values stay exact (int, Decimal, Fraction) until here; rounding is half up, at display only.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

Number = int | Decimal | Fraction


def _group(digits: str) -> str:
    parts: list[str] = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    parts.insert(0, digits)
    return ".".join(parts)


def format_number(value: Number | None, places: int = 0) -> str:
    """3358 -> "3.358"; Decimal("98.745"), 2 -> "98,75". None -> "" (an empty cell, not a zero)."""
    if value is None:
        return ""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    quantum = Decimal(1).scaleb(-places)
    rounded = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    text = f"{abs(rounded):f}"
    whole, _, frac = text.partition(".")
    out = sign + _group(whole)
    if places:
        out += "," + frac
    return out


def rate(numerator: int, denominator: int) -> Fraction | None:
    """The exact share numerator/denominator × 100, or None when there is no denominator."""
    if not denominator:
        return None
    return Fraction(numerator * 100, denominator)


def format_rate(numerator: int, denominator: int, places: int = 2) -> str:
    """7817, 7916 -> "98,75%"."""
    value = rate(numerator, denominator)
    return "" if value is None else f"{format_number(value, places)}%"


def format_percent(value: Number | None, places: int = 2) -> str:
    return "" if value is None else f"{format_number(value, places)}%"


def format_money(amount: int | Decimal | None) -> str:
    """40552000 -> "40.552.000 đ"."""
    return "" if amount is None else f"{format_number(amount)} đ"


def format_decimal(value: Number | str | None) -> str:
    """A stored figure with the digits it has, no more: Decimal("600000.0000") -> "600.000"; "98.50" -> "98,5"."""
    if value is None or value == "":
        return ""
    if isinstance(value, Fraction):
        return format_number(value, 2)
    number = Decimal(str(value)).normalize()
    exponent = number.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return format_number(number, places)
