"""Reading the values people type or paste: counts, years, school years, money, vocabulary codes.

Each parser takes text (a form field or a spreadsheet cell) and returns an exact value, or raises
``ValueError`` with a Vietnamese message that says what was expected. Money never goes through
float: "40.552.000", "40,552,000", "40552000 đ" are all 40552000 đồng. Numbers follow the one reader's
rules (xhht/core/numbers.py): a lone thousands group ("3.358", "12.500") is refused as ambiguous.
"""

from __future__ import annotations

import re
from decimal import Decimal

from xhht.core.numbers import NumberError, parse_number
from xhht.core.text import fold

_DASHES = "-–—‒−/"
_SCHOOL_YEAR = re.compile(r"^(?:nam hoc\s*)?(\d{4})\s*[" + _DASHES + r"]\s*(\d{4})$")
_MONEY_SUFFIX = re.compile(r"\s*(?:đồng|dong|vnd|vnđ|đ|d)\.?$", re.IGNORECASE)


def _clean(text: str | None) -> str:
    return (text or "").strip().replace("\u00a0", " ")


MAX_WHOLE = 2_147_483_647  # the largest value a (Positive)IntegerField holds on every database
MAX_MONEY = 10**18 - 1  # BudgetLine.amount: max_digits=18


def parse_whole_number(text: str | None, *, what: str = "giá trị") -> int:
    """ "3.358", "3,358", "3358", "3 358" -> 3358. Refuses signs, decimals, words and absurdly large numbers."""
    value = _parse_whole_number(text, what=what)
    if value > MAX_WHOLE:
        raise ValueError(f"{what} quá lớn («{_clean(text)[:30]}»).")
    return value


def _parse_whole_number(text: str | None, *, what: str) -> int:
    """The rules of the one number reader (xhht/core/numbers.py): "3.358.000" and "3,358,000" are read,
    a lone group such as "3.358" is refused as ambiguous (issue 12: "1.234" read the same everywhere)."""
    raw = _clean(text)
    if not raw:
        raise ValueError(f"thiếu {what}.")
    if raw.startswith("-") or raw.startswith("−"):
        raise ValueError(f"{what} không được âm («{raw}»).")
    try:
        value = parse_number(raw, whole=True)
    except NumberError as exc:
        raise ValueError(f"{what}: {exc}") from None
    if value is None:
        raise ValueError(f"thiếu {what}.")
    return int(value)


def parse_count(text: str | None, *, what: str = "số lượng", required: bool = True) -> int | None:
    """A count of people, classes, items: a whole number ≥ 0. Empty is None when not required."""
    if not _clean(text):
        if required:
            raise ValueError(f"thiếu {what}.")
        return None
    return parse_whole_number(text, what=what)


def parse_money(text: str | None, *, what: str = "số tiền") -> Decimal:
    """An amount in đồng, exact: Vietnamese (40.552.000) or English (40,552,000) separators, optional "đ".

    đồng has no fractional part, so a decimal mark ("40.552,5", "40,552.50") is refused, not rounded.
    """
    amount = _parse_money(text, what=what)
    if amount > MAX_MONEY:
        raise ValueError(f"{what} quá lớn («{_clean(text)[:30]}»).")
    return amount


def _parse_money(text: str | None, *, what: str) -> Decimal:
    raw = _MONEY_SUFFIX.sub("", _clean(text))
    if not raw:
        raise ValueError(f"thiếu {what}.")
    if raw.startswith("-") or raw.startswith("−"):
        raise ValueError(f"{what} không được âm («{_clean(text)}»).")
    if re.match(r"^\d[\d.,\s]*[.,]\d{1,2}$", raw):
        raise ValueError(f"{what} tính bằng đồng, không có phần lẻ («{_clean(text)}»).")
    if "." in raw and "," in raw:
        raise ValueError(
            f"{what} «{_clean(text)}» không đọc được: ghi ví dụ 40.552.000 hoặc 40,552,000 (đồng), không trộn dấu chấm và dấu phẩy."
        )
    try:
        value = parse_number(raw, whole=True, max_digits=len(str(MAX_MONEY)))
    except NumberError as exc:
        raise ValueError(f"{what} «{_clean(text)}» không đọc được: {exc} Ghi ví dụ 40.552.000 hoặc 40,552,000 (đồng).") from None
    if value is None:
        raise ValueError(f"thiếu {what}.")
    return value


def parse_year(text: str | None, *, first: int, last: int, what: str = "năm") -> int:
    raw = _clean(text)
    if not re.fullmatch(r"\d{4}", raw):
        raise ValueError(f"{what} «{raw}» không hợp lệ: ghi 4 chữ số, ví dụ 2019.")
    year = int(raw)
    if not first <= year <= last:
        raise ValueError(f"{what} {year} nằm ngoài thời gian của chương trình ({first}–{last}).")
    return year


def parse_school_year(text: str | None, *, first: int, last: int) -> str:
    """ "2019-2020", "2019–2020", "2019/2020", "năm học 2019 - 2020" -> "2019-2020"."""
    raw = _clean(text)
    match = _SCHOOL_YEAR.match(fold(raw))
    if not match:
        raise ValueError(f"năm học «{raw}» không hợp lệ: ghi dạng 2019-2020 (cũng nhận 2019–2020, 2019/2020).")
    a, b = int(match.group(1)), int(match.group(2))
    if b != a + 1:
        raise ValueError(f"năm học «{raw}» không hợp lệ: hai năm phải liền nhau (ví dụ 2019-2020).")
    if not first <= a <= last - 1:
        raise ValueError(f"năm học {a}-{b} nằm ngoài thời gian của chương trình ({first}–{last}).")
    return f"{a}-{b}"


def parse_year_or_phase(text: str | None, *, first: int, last: int, what: str = "năm hoặc giai đoạn") -> str:
    """ "2019" (a year) or "2016-2020" / "2016–2020" (a phase of more than two years)."""
    raw = _clean(text)
    folded = fold(raw)
    if re.fullmatch(r"\d{4}", folded):
        return str(parse_year(raw, first=first, last=last, what="năm"))
    match = re.fullmatch(r"(\d{4})\s*[" + _DASHES + r"]\s*(\d{4})", folded)
    if match:
        a, b = int(match.group(1)), int(match.group(2))
        if b <= a + 1:
            raise ValueError(f"«{raw}» không phải một năm hay một giai đoạn (giai đoạn gồm hơn hai năm, ví dụ 2016-2020).")
        if a < first or b > last:
            raise ValueError(f"giai đoạn {a}-{b} nằm ngoài thời gian của chương trình ({first}–{last}).")
        return f"{a}-{b}"
    raise ValueError(f"{what} «{raw}» không hợp lệ: ghi 2019 (năm) hoặc 2016-2020 (giai đoạn).")


def parse_choice(text: str | None, choices: list[tuple[str, str]], *, what: str, required: bool = True) -> str:
    """A vocabulary value given by its code ("farm") or its label, with or without diacritics."""
    raw = _clean(text)
    if not raw:
        if required:
            raise ValueError(f"thiếu {what}.")
        return ""
    key = fold(raw)
    for code, label in choices:
        if key == code or key == fold(label):
            return code
    allowed = "; ".join(label for _, label in choices)
    raise ValueError(f"{what} «{raw}» không có trong danh mục ({allowed}).")


def parse_flag(text: str | None) -> bool:
    key = fold(_clean(text))
    if key in {"", "0", "khong", "no", "false", "sai"}:
        return False
    if key in {"1", "co", "x", "yes", "true", "dung", "uoc tinh"}:
        return True
    raise ValueError(f"giá trị «{_clean(text)}» không hợp lệ: ghi 1 (có) hoặc để trống.")


def parse_sex(text: str | None) -> str:
    """ "Nam"/"M" -> "M", "Nữ"/"F" -> "F", empty -> ""."""
    key = fold(_clean(text))
    if key in {"", "-"}:
        return ""
    if key in {"m", "nam", "male"}:
        return "M"
    if key in {"f", "nu", "female"}:
        return "F"
    raise ValueError(f"giới tính «{_clean(text)}» không hợp lệ: ghi Nam hoặc Nữ (M/F).")


def parse_birth_year(text: str | None, *, latest: int) -> int | None:
    raw = _clean(text)
    if not raw:
        return None
    if not re.fullmatch(r"\d{4}", raw) or not 1900 <= int(raw) <= latest:
        raise ValueError(f"năm sinh «{raw}» không hợp lệ: ghi 4 chữ số, từ 1900 đến {latest}.")
    return int(raw)
