"""The seed's narrative figures: every number of sections I–IV of the Hòa An report 298/BC-UBND that is
not a date, a year, a document number or a heading number, with its context (issue 14's measure).

A number is compared by value ("7844" = "7.844", "02" = "2", "99,0" = "99,00"). The seed's own slips are
counted as found when the correct value is printed (SLIPS)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

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


# ---------------------------------------------------------------------------------------------------------------
# The strict measure: each seed figure must be printed in a sentence (or table cell) that names it as the seed does.

# Words that name nothing by themselves (function words, and words every figure of the report shares).
STOP = frozenset("""
và các của có là được trong với đạt số cho từ đến theo trên dưới đã này đó những một mỗi hàng năm đơn vị tại
về như khi thì mà để nên hoặc cùng bằng gồm trong đó cụ thể kết quả tổng tổng số huyện hòa an
""".split())

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+|\n+")
LABEL_BEFORE, LABEL_AFTER = 4, 3


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _content(words: list[str]) -> list[str]:
    return [w for w in words if w not in STOP and len(w) > 1]


@dataclass(frozen=True)
class SeedFigure:
    """One number of the seed with what names it: the content words just before and after it in its own
    sentence, or, in a table, its row's first cell and its column's header."""

    value: Decimal
    context: str
    label: frozenset[str]
    row: str = ""      # table cell: the row's first cell ("2016-2017", "2010", "Cộng")
    column: frozenset[str] = frozenset()  # table cell: the column header's words


def _numbers(cleaned: str) -> list[tuple[Decimal, int, int]]:
    out = []
    for m in _NUMBER.finditer(cleaned):
        token = m.group(1) + ("," + m.group(2) if m.group(2) else "") + ("." + m.group(3) if m.group(3) else "")
        value = to_decimal(token)
        if value is not None:
            out.append((value, m.start(), m.end()))
    return out


def _label(sentence: str, start: int, end: int) -> frozenset[str]:
    before = _content(_words(_NUMBER.sub(" ", sentence[:start])))[-LABEL_BEFORE:]
    after = _content(_words(_NUMBER.sub(" ", sentence[end:])))[:LABEL_AFTER]
    return frozenset(before + after)


def seed_figures_labelled(path: Path = SEED) -> list[SeedFigure]:
    """The same figures as ``seed_figures`` (same values, same order), each with its label."""
    text = path.read_text(encoding="utf-8")
    body = text[text.index("I. CÔNG TÁC CHỈ ĐẠO"):text.index("V. KIẾN NGHỊ, ĐỀ XUẤT")]
    out: list[SeedFigure] = []
    header: list[str] = []
    for line in body.split("\n"):
        if "\t" in line:
            cells = line.split("\t")
            if cells[0].strip() == "Năm":
                header = [c.strip() for c in cells]
                for value, _, _ in _numbers(_clean(line)):  # a header holds no figure; kept for the same count
                    out.append(SeedFigure(value, line, frozenset()))
                continue
            row = cells[0].strip()
            for i, cell in enumerate(cells):
                name = header[i] if i < len(header) else ""
                if name.startswith("Tỷ lệ") and i > 0:  # "Tỷ lệ %" after "Khá": the rate of that class
                    name = header[i - 1] + " tỷ lệ"
                for value, _, _ in _numbers(_clean("x " + cell)):  # "x ": a cell "3.358" is no heading number
                    out.append(SeedFigure(value, line.strip()[:60], frozenset(_content(_words(name))), row=row,
                                          column=frozenset(_content(_words(name)))))
            continue
        cleaned = _clean(line)
        for sentence in _SENTENCE_END.split(cleaned):
            for value, start, end in _numbers(sentence):
                out.append(SeedFigure(value, sentence[max(0, start - 40):end + 15], _label(sentence, start, end)))
    return out


@dataclass
class DocxText:
    sentences: list[tuple[set[Decimal], set[str]]]          # (figures, words) of each sentence
    cells: list[tuple[str, set[str], set[Decimal]]]         # (row's first cells, column header words, figures)


def docx_text(doc: Any) -> DocxText:
    """The report's sentences and table cells, read from the python-docx ``Document``."""
    sentences: list[tuple[set[Decimal], set[str]]] = []

    def add(text: str) -> None:
        for sentence in _SENTENCE_END.split(text):
            sentences.append((figures_in(sentence), set(_words(sentence))))

    for paragraph in doc.paragraphs:
        add(paragraph.text)
    cells: list[tuple[str, set[str], set[Decimal]]] = []
    for table in doc.tables:
        rows = [[c.text.strip() for c in r.cells] for r in table.rows]
        header_rows = [r for r in rows if not any(figures_in(c) for c in r[1:]) or r[0].lower() in {"năm", "tt"}][:3]
        for row in rows:
            if row in header_rows:
                continue
            for i, text in enumerate(row):
                heading = set()
                for h in header_rows:
                    if i < len(h):
                        heading |= set(_words(h[i]))
                        if h[i].startswith("Tỷ lệ") and i > 0:
                            heading |= set(_words(h[i - 1]))
                cells.append((" | ".join(row[:2]), heading, figures_in(text)))
            add(" ".join(row))  # a table row read as a sentence too (a two-column table of label and value)
    return DocxText(sentences, cells)


def _wanted(value: Decimal) -> set[Decimal]:
    wanted = {value.normalize()}
    if value in SLIPS:
        wanted.add(SLIPS[value].normalize())
    return wanted


def strict_found(figure: SeedFigure, text: DocxText) -> bool:
    wanted = _wanted(figure.value)
    if figure.row:  # a table cell: same row (by its first cell) and a column whose header shares a word
        row = figure.row.lower()
        return any(wanted & figures and row in first.lower() and (not figure.column or figure.column & heading)
                   for first, heading, figures in text.cells)
    if not figure.label:
        return any(wanted & figures for figures, _ in text.sentences)
    need = max(1, (len(figure.label) + 1) // 2)  # at least half of the words that name it, in the same sentence
    return any(wanted & figures and len(figure.label & words) >= need for figures, words in text.sentences)


def strict_coverage(doc: Any) -> tuple[int, int, list[SeedFigure]]:
    """(found, total, missing): each seed figure in its own sentence or table cell, named as the seed names it."""
    figures = seed_figures_labelled()
    text = docx_text(doc)
    missing = [f for f in figures if not strict_found(f, text)]
    return len(figures) - len(missing), len(figures), missing
