"""The seed's narrative figures: every number of sections I–IV of the Hòa An report 298/BC-UBND that is
not a date, a year, a document number or a heading number, with its context (issue 14's measure).

A number is compared by value ("7844" = "7.844", "02" = "2", "99,0" = "99,00"). The seed's own slips are
counted as found when the correct value is printed (SLIPS)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

SEED = Path("/work/shared/seed/000_67b075cb66aab582.txt")

# seed value -> the value the report must print instead (the seed's arithmetic slips and roundings)
SLIPS = {
    Decimal("52.5"): Decimal("52.38"),   # 11/21 is 52,38%
    Decimal("90"): Decimal("93.77"),     # beside 7.544/8.045 (also "trên 90%" elsewhere: found either way)
    Decimal("92"): Decimal("92.35"),     # 8.385/9.080
    Decimal("66.7"): Decimal("66.67"),   # 14/21
    Decimal("9.5"): Decimal("9.52"),     # 2/21
    Decimal("14.3"): Decimal("14.29"),   # 3/21
    Decimal("19"): Decimal("19.05"),     # 4/21
}

_NUMBER = re.compile(r"(?<![\w,.])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2})|\.(\d)(?!\d))?(?=\s*%|[^\w]|đ|d\b|$)")


def to_decimal(token: str) -> Decimal | None:
    whole, _, frac = token.partition(",")
    if not frac and re.fullmatch(r"\d+\.\d", token):  # "104.3 triệu": the seed's decimal point
        whole, frac = token.split(".")
    try:
        return Decimal(whole.replace(".", "") + ("." + frac if frac else ""))
    except InvalidOperation:
        return None


def _clean(line: str) -> str:
    s = line.strip()
    s = re.sub(r"^(\*\*)?([IVX]+\.|\d+(\.\d+)*\.|[a-zđ]\)|[-+*])\s*", "", s)
    s = re.sub(r"\d{1,2}/\d{1,2}/\d{4}", " ", s)
    s = re.sub(r"ngày \d{1,2} tháng \d{1,2} năm \d{4}", " ", s)
    s = re.sub(r"tháng \d{1,2}/\d{4}", " ", s)
    s = re.sub(r"\b\d+/\d{4}/[\w-]+", " ", s)
    s = re.sub(r"\b\d+/[A-ZĐ][\w&-]*", " ", s)
    s = re.sub(r"(Quyết định|Kế hoạch|Đề án|Thông tư|Nghị định|Công văn)( số)? \d+", " ", s, flags=re.IGNORECASE)
    s = re.sub(r"\b(19|20)\d{2}\s*[-–]\s*(19|20)\d{2}\b", " ", s)
    s = re.sub(r"\b(19|20)\d{2}\b", " ", s)
    return s


def seed_figures(path: Path = SEED) -> list[tuple[Decimal, str]]:
    text = path.read_text(encoding="utf-8")
    body = text[text.index("I. CÔNG TÁC CHỈ ĐẠO"):text.index("V. KIẾN NGHỊ, ĐỀ XUẤT")]
    found: list[tuple[Decimal, str]] = []
    for line in body.split("\n"):
        cleaned = _clean(line)
        for m in _NUMBER.finditer(cleaned):
            token = m.group(1) + ("," + m.group(2) if m.group(2) else "") + ("." + m.group(3) if m.group(3) else "")
            value = to_decimal(token)
            if value is not None:
                found.append((value, cleaned[max(0, m.start() - 40):m.end() + 15]))
    return found


def figures_in(text: str) -> set[Decimal]:
    out: set[Decimal] = set()
    for m in re.finditer(r"(?<![\w,.])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?", text):
        value = to_decimal(m.group(1) + ("," + m.group(2) if m.group(2) else ""))
        if value is not None:
            out.add(value.normalize())
    return out


def coverage(text: str) -> tuple[int, list[tuple[Decimal, str]]]:
    """(figures found, the figures missing with their context)."""
    have = figures_in(text)
    missing = []
    figures = seed_figures()
    for value, context in figures:
        wanted = {value.normalize()}
        if value in SLIPS:
            wanted.add(SLIPS[value].normalize())
        if not wanted & have:
            missing.append((value, context))
    return len(figures) - len(missing), missing
