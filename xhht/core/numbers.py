"""Reading numbers people type, in a form field or an Excel cell, without guessing: the one reader of
every app (reporting, activities, learning models; issue 12 found three that disagreed on "1.234").

Decision (docs/reporting.md): several thousands groups are read exactly in both the Vietnamese
(1.234.567) and the English (1,234,567) style, and a decimal part with a comma (VN: 12,5) or a point
(EN: 12.5). A single separator followed by exactly three digits ("1.234", "1,234") is refused, with a
message of its own for each style: one reader takes it for one thousand two hundred and thirty-four,
another for a decimal, and a report must not depend on which of them typed it. Anything else that is
not a number is refused.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_GROUPED = {".": re.compile(r"^\d{1,3}(\.\d{3})+$"), ",": re.compile(r"^\d{1,3}(,\d{3})+$")}
_MAX_DIGITS = 15


class NumberError(ValueError):
    """Why a text is not an acceptable number, in Vietnamese."""


def _grouped(text: str, sep: str) -> bool:
    return bool(_GROUPED[sep].match(text))


def parse_number(raw: object, *, whole: bool, allow_negative: bool = False, max_digits: int = _MAX_DIGITS) -> Decimal | None:
    """The exact value of ``raw`` (a str, int, float or Decimal); None for an empty cell.

    ``whole``: the field holds a count or an amount in đồng; ``max_digits``: digits of the whole part
    at most (15 by default; 18 for money columns). Raises :class:`NumberError`.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise NumberError("ô chứa giá trị đúng/sai, không phải là số.")
    if isinstance(raw, (int, Decimal)):
        value = Decimal(raw)
    elif isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise NumberError("giá trị không phải là số.")
        value = Decimal(repr(raw))
    else:
        text = _SPACES.sub("", str(raw))
        if not text:
            return None
        value = _parse_text(text, whole=whole, shown=str(raw).strip())
    if value.is_nan() or value.is_infinite():
        raise NumberError("giá trị không phải là số.")
    if value < 0 and not allow_negative:
        raise NumberError(f"số âm ({_show(value)}) không hợp lệ: số lượng, kinh phí không thể nhỏ hơn 0.")
    if whole and value != value.to_integral_value():
        raise NumberError(f"«{_show(value)}» không phải là số nguyên: ô này chỉ nhận số nguyên (số người, số lớp, số tiền đồng…).")
    if len(value.to_integral_value().as_tuple().digits) > max_digits:
        raise NumberError("số quá lớn.")
    return value.to_integral_value() if whole else value


def _show(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    return text.replace(".", ",")


def _parse_text(text: str, *, whole: bool, shown: str) -> Decimal:
    sign = ""
    if text[0] in "+-−":
        sign = "-" if text[0] in "-−" else ""
        text = text[1:]
    if not text or not re.fullmatch(r"[0-9.,]+", text) or not text[0].isdigit() or not text[-1].isdigit():
        raise NumberError(f"«{shown}» không phải là số.")
    has_dot, has_comma = "." in text, "," in text
    if has_dot and has_comma:
        decimal_sep = "." if text.rfind(".") > text.rfind(",") else ","
        thousands_sep = "," if decimal_sep == "." else "."
        whole_part, _, frac = text.rpartition(decimal_sep)
        if decimal_sep in whole_part or not _grouped(whole_part, thousands_sep):
            raise NumberError(f"«{shown}» có dấu phân cách không đúng chỗ; hãy viết ví dụ 1.234.567 hoặc 1234567.")
        number = whole_part.replace(thousands_sep, "") + "." + frac
    elif has_dot or has_comma:
        sep = "." if has_dot else ","
        if text.count(sep) > 1:
            if not _grouped(text, sep):
                raise NumberError(f"«{shown}» có dấu phân cách hàng nghìn không đúng chỗ; hãy viết ví dụ 1.234.567 hoặc 1234567.")
            number = text.replace(sep, "")
        elif _grouped(text, sep):
            plain, decimal = text.replace(sep, ""), text.replace(sep, ".")
            style = "dấu chấm phân cách hàng nghìn kiểu Việt Nam" if sep == "." else "dấu phẩy phân cách hàng nghìn kiểu tiếng Anh"
            raise NumberError(
                f"«{shown}» không rõ nghĩa ({style}): có thể đọc là {plain} hay là số thập phân {decimal.replace('.', ',')}. "
                f"Hãy viết {plain} (không có dấu phân cách)."
            )
        else:
            number = text.replace(sep, ".")
    else:
        number = text
    try:
        return Decimal(sign + number)
    except InvalidOperation:
        raise NumberError(f"«{shown}» không phải là số.") from None
