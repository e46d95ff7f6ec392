"""Read the figures of a report as people write them and flag the arithmetic that does not hold.

The engine reads a :class:`~xhht.report_checker.documents.Document` (paragraphs and tables) and returns
the findings of format 5 (``shared/domain/formats.md``): ``rate``, ``ratio``, ``sum`` and ``implausible``.

What is *not* a statement is masked first, so it can never be flagged: dates (09/01/2013, 12/2019, the
numbers after "ngày", "tháng", "năm"), document numbers (89/QĐ-TTg, 31/2017/TT-BGDĐT, "Kế hoạch số 33"),
ranges (2016–2020, 15–35 tuổi, "từ 15 đến 25"), section numbers (1.1., III.), quoted titles ("5 không, 3
sạch"). A rate is checked only against the ratio printed with it ("7844/7916 đạt 99,09%", "đạt 98%
(8.898/9.080)"), never against loose numbers nearby, and never when it is a target ("phấn đấu đạt 90%") or a
share of a plan ("đạt 100% kế hoạch"). A rate is right when the quotient, rounded or cut at the precision
printed, gives it (66,7 for 14/21). Approximations ("trên", "gần", "khoảng") are read as bounds.
Arithmetic is exact (``Fraction``); figures are shown the Vietnamese way (xhht/core/formatting.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from xhht.core.formatting import format_number
from xhht.core.text import fold
from xhht.report_checker.catalogue import Catalogue, catalogue
from xhht.report_checker.documents import Document, Paragraph, Table
from xhht.reporting.numbers import NumberError, parse_number

KINDS = ("rate", "ratio", "sum", "implausible")

# ----------------------------------------------------------------------------- reading numbers


def vn_value(text: str) -> tuple[Decimal, int]:
    """The value of a number as printed in a Vietnamese report, and its decimal places.

    The project's reader (xhht/reporting/numbers.py) decides every number it can; it refuses a single
    separator before three digits ("1.234", "1,234") as ambiguous in a form field. In a Vietnamese report
    the convention is fixed: the point groups thousands, the comma starts the decimals.
    """
    try:
        value = parse_number(text, whole=False)
    except NumberError:
        value = None
    if value is None or (text.count(".") == 1 and "," not in text and re.fullmatch(r"\d{1,3}\.\d{3}", text)):
        if "." in text and "," not in text:
            return Decimal(text.replace(".", "")), 0
        whole, _, frac = text.partition(",")
        return Decimal(whole.replace(".", "") + "." + frac), len(frac)
    places = 0
    if "," in text and (text.count(",") == 1 and not re.fullmatch(r"\d{1,3}(,\d{3})+", text)):
        places = len(text.rpartition(",")[2])
    elif "." in text and not re.fullmatch(r"\d{1,3}(\.\d{3})+", text) and "," not in text:
        places = len(text.rpartition(".")[2])
    return value, places


@dataclass
class Num:
    start: int
    end: int
    text: str  # the digits as printed ("7.844"), without the % sign
    value: Decimal
    places: int
    percent: bool
    approx: str | None = None
    unit: str = ""  # the first word after it, lower case ("người", "xã", "hộ")
    unit2: str = ""  # the first two words after it
    in_ratio: bool = False

    @property
    def shown(self) -> str:
        return self.text + ("%" if self.percent else "")


@dataclass
class Ratio:
    num: Num
    den: Num

    @property
    def start(self) -> int:
        return self.num.start

    @property
    def end(self) -> int:
        return self.den.end

    @property
    def shown(self) -> str:
        return f"{self.num.text}/{self.den.text}"


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_APPROX = {"trên": "trên", "hơn": "trên", "gần": "gần", "khoảng": "khoảng", "ước": "khoảng", "xấp": "khoảng", "xỉ": "khoảng",
           "chừng": "khoảng", "dưới": "dưới"}
_WORD_AFTER = re.compile(r"\s*%?\s*([^\W\d_]+)(?:\s+([^\W\d_]+))?")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\W*$")

# Spans that are not statements.
_MASKS = [
    re.compile(r"\b\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}\b"),  # 09/01/2013, 09.01.2013, 1-6-2020
    re.compile(r"\b(?:0?[1-9]|1[0-2])\s*/\s*(?:19|20)\d{2}\b"),  # 12/2019
    re.compile(r"\b\d+(?:\s*/\s*\d+)*\s*/\s*[A-ZĐ][\w&]*(?:\s*-\s*[A-ZĐ][\w&]*)*"),  # 89/QĐ-TTg, 31/2017/TT-BGDĐT
    re.compile(r"\b\d+(?:[.,]\d+)?\s*[-–—]\s*\d+(?:[.,]\d+)?\b"),  # 2016-2020, 15–35 (tuổi), 0-16
    re.compile(r"\btừ\s+(?:năm\s+)?\d+\s+(?:tuổi\s+)?đến\s+(?:năm\s+)?\d+", re.IGNORECASE),  # từ 15 đến 25
    re.compile(r"\b(?:ngày|tháng|năm|quý|khóa|khoá|lần thứ|giai đoạn|kỳ)\s+\d+(?:\s*/\s*\d+)?", re.IGNORECASE),
    re.compile(r"(?<![Tt]ổng )\b(?:[Ss]ố|[Ss]ố hiệu|[Mm]ã)\s*:?\s*\d+"),  # Tiêu chí số 5, Kế hoạch số 33 (not "Tổng số 21")
    re.compile(r"\b24\s*/\s*7\b"),
    re.compile(r"[“\"«][^”\"»]{0,200}[”\"»]"),  # quoted titles: “Xây dựng gia đình 5 không, 3 sạch”
    re.compile(r"\((?:19|20)\d{2}\)"),  # (2016)
    re.compile(r"\b\d+\s*(?:h|giờ)\s*\d*\b"),
]
_SECTION = re.compile(r"^\s*(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)]\s+(?=\D)")


def _masked_spans(text: str) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for pattern in _MASKS for m in pattern.finditer(text)]
    section = _SECTION.match(text)
    if section:
        spans.append((0, section.end()))
    return spans


def read_numbers(text: str) -> list[Num]:
    """The numbers of ``text`` that may be statements, in order, with their unit word and approximation."""
    masks = _masked_spans(text)
    numbers: list[Num] = []
    for match in _NUMBER.finditer(text):
        start, end = match.start(), match.end()
        before = text[start - 1] if start else " "
        if before.isalnum() or before in ".,":
            continue
        if before == "-" and start >= 2 and text[start - 2].isalpha():  # Covid-19
            continue
        after = text[end:end + 2]
        if after[:1].isalpha() and not (after[:1] in "đd" and not after[1:2].isalpha()):
            continue  # 8h30, m2, 5km
        if any(a < end and start < b for a, b in masks):
            continue
        raw = match.group()
        try:
            value, places = vn_value(raw)
        except (ArithmeticError, ValueError):
            continue
        percent_match = re.match(r"\s?%", text[end:])
        percent = bool(percent_match)
        stop = end + (percent_match.end() if percent_match else 0)
        words = _WORD_AFTER.match(text, end)
        unit = unit2 = ""
        if words and not text[end:words.start(1)].strip(" %"):
            unit = words.group(1).lower()
            unit2 = f"{unit} {words.group(2).lower()}" if words.group(2) else unit
        previous = _WORD_BEFORE.search(text[max(0, start - 20):start])
        approx = None
        if previous and text[previous.end() + max(0, start - 20):start].strip() == "":
            approx = _APPROX.get(previous.group(1).lower())
        numbers.append(Num(start, stop, raw, value, places, percent, approx, unit, unit2))
    return numbers


_RATIO_JOIN = re.compile(r"\s*/\s*$|\s+trên\s+(?:tổng\s+số\s+)?$|\s+trong\s+(?:tổng\s+)?số\s+$", re.IGNORECASE)


def read_ratios(text: str, numbers: list[Num]) -> list[Ratio]:
    ratios: list[Ratio] = []
    i = 0
    while i < len(numbers) - 1:
        a, b = numbers[i], numbers[i + 1]
        between = text[a.end:b.start]
        if not a.percent and not b.percent and _RATIO_JOIN.match(between + "") and len(between) < 25 and "%" not in between:
            a.in_ratio = b.in_ratio = True
            if "trên" in between or "số" in between:
                b.approx = None  # "1.234 trên 1.500": a ratio, not an approximation
            ratios.append(Ratio(a, b))
            i += 2
            continue
        i += 1
    return ratios


# ----------------------------------------------------------------------------- findings


@dataclass
class Finding:
    kind: str
    where: str
    text: str
    stated: str
    computed: str
    message: str
    block: int = 0  # index of the paragraph or table in the document's blocks
    span: tuple[int, int] | None = None  # in a paragraph: the characters of the statement
    cell: tuple[int, int] | None = None  # in a table: (row, column), 0-based
    source: str = ""  # the catalogue bound behind an "implausible" finding

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "where": self.where, "text": self.text, "stated": self.stated, "computed": self.computed,
                "message": self.message}


@dataclass
class Context:
    """What XHHT knows about the unit the report is from (None: not known)."""

    commune_count: int | None = None
    unit_name: str = ""


@dataclass
class Result:
    file: str
    statements_checked: int
    findings: list[Finding]
    document: Document
    figures: list[Figure] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "statements_checked": self.statements_checked, "findings": [f.as_dict() for f in self.findings]}


@dataclass
class Figure:
    """A figure read from a statement: kept so that recognised ones can be accepted into a report."""

    block: int
    where: str
    text: str
    numerator: Decimal
    denominator: Decimal | None
    sentence: str
    span: tuple[int, int] = (0, 0)


def _pct(value: Fraction | Decimal, places: int) -> str:
    return f"{format_number(value, max(2, places))}%"


def _quantize(value: Fraction, places: int, rounding: str) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=rounding)


def rate_holds(stated: Decimal, places: int, exact: Fraction, approx: str | None, tolerance: Decimal) -> bool:
    """Is ``stated`` (printed with ``places`` decimals) what ``exact`` gives at that precision?"""
    half = Fraction(5, 10 ** (places + 1))
    value = Fraction(stated)
    if approx == "trên":
        return exact >= value - half
    if approx == "dưới":
        return exact <= value + half
    if approx in {"gần", "khoảng"}:
        return abs(exact - value) <= value * Fraction(tolerance) + half and (approx != "gần" or exact <= value + half)
    return stated in {_quantize(exact, places, ROUND_HALF_UP), _quantize(exact, places, ROUND_DOWN)}


def _quote(text: str, start: int, end: int, width: int = 60) -> str:
    left = max(0, start - width)
    right = min(len(text), end + width)
    if left > 0:
        space = text.find(" ", left)
        left = space + 1 if 0 <= space < start else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space > end else right
    return ("… " if left > 0 else "") + text[left:right].strip() + (" …" if right < len(text) else "")


_CLAUSE_END = re.compile(r"[;!?\n()]|\.(?=\s|$)")
_INTRO = re.compile(r"(?:đạt|chiếm|bằng|=|là|tỷ lệ|tỉ lệ|tương ứng|tương đương|\(|,)\s*(?:tỷ lệ\s*)?(?:là\s*)?$", re.IGNORECASE)
_TARGET = re.compile(r"phấn đấu|mục tiêu|chỉ tiêu|kế hoạch đề ra|dự kiến|tăng|giảm|so với", re.IGNORECASE)
_PLAN_AFTER = re.compile(r"^\s*(?:%\s*)?(?:kế hoạch|chỉ tiêu|so với|mục tiêu|kh\b)", re.IGNORECASE)
_SUM_MARKER = re.compile(r"\b(trong đó|bao gồm|gồm)\b\s*(?:có\s*)?:?", re.IGNORECASE)
_SHARE_INTRO = re.compile(r"(?:chiếm|tỷ lệ|tỉ lệ)\D{0,40}$", re.IGNORECASE)
_CHANGE = re.compile(r"tăng|giảm|vượt|so với|gấp", re.IGNORECASE)
_TOTAL_LABELS = {"cong", "tong", "tong cong", "tong so", "toan huyen", "toan tinh", "toan xa", "cong chung", "tong chung"}
_ROMAN = re.compile(r"^[IVXLC]+\.?$")


class Checker:
    def __init__(self, document: Document, context: Context | None = None, cat: Catalogue | None = None):
        self.document = document
        self.context = context or Context()
        self.cat = cat or catalogue()
        self.findings: list[Finding] = []
        self.figures: list[Figure] = []
        self.checked = 0

    def run(self) -> Result:
        for index, block in enumerate(self.document.blocks):
            if isinstance(block, Paragraph):
                self._paragraph(index, block)
            else:
                self._table(index, block)
        return Result(self.document.name, self.checked, self.findings, self.document, self.figures)

    # ------------------------------------------------------------------ paragraphs

    def _add(self, kind: str, index: int, paragraph: Paragraph, start: int, end: int, stated: str, computed: str, message: str,
             source: str = "") -> None:
        self.findings.append(Finding(kind, f"đoạn {paragraph.number}", _quote(paragraph.text, start, end), stated, computed, message,
                                     index, (start, end), None, source))

    def _paragraph(self, index: int, paragraph: Paragraph) -> None:
        text = paragraph.text
        numbers = read_numbers(text)
        if not numbers:
            return
        ratios = read_ratios(text, numbers)
        paired: set[int] = set()
        for ratio in ratios:
            self.checked += 1
            a, b = ratio.num.value, ratio.den.value
            self.figures.append(Figure(index, f"đoạn {paragraph.number}", ratio.shown, a, b, _quote(text, ratio.start, ratio.end, 80),
                                       (ratio.start, ratio.end)))
            rate = self._paired_rate(text, ratio, numbers)
            # "20/11", "30/4" without a rate are days of the year (Ngày Nhà giáo 20/11), not parts above their whole.
            day_month = b <= 12 and a <= 31 and not ratio.den.unit and rate is None
            if b > 0 and a > b and not day_month:
                self._add("ratio", index, paragraph, ratio.start, ratio.end, ratio.shown, _pct(Fraction(a * 100) / Fraction(b), 0),
                          f"{ratio.shown}: phần ({ratio.num.text}) lớn hơn tổng thể ({ratio.den.text}), tỷ lệ vượt 100%")
            if rate is None or b == 0:
                continue
            paired.add(id(rate))
            exact = Fraction(a * 100) / Fraction(b)
            if not rate_holds(rate.value, rate.places, exact, rate.approx, self.cat.approximation_tolerance):
                start, end = min(ratio.start, rate.start), max(ratio.end, rate.end)
                stated = (f"{rate.approx} " if rate.approx else "") + rate.shown
                computed = _pct(exact, rate.places)
                self._add("rate", index, paragraph, start, end, stated, computed, f"{ratio.shown} = {computed}, không phải {stated}")
        for number in numbers:
            if number.percent and id(number) not in paired:
                self._share_above_whole(index, paragraph, number)
        self._sums(index, paragraph, numbers)
        self._plausible_counts(index, paragraph, numbers, ratios)

    def _paired_rate(self, text: str, ratio: Ratio, numbers: list[Num]) -> Num | None:
        position = numbers.index(ratio.den)
        # After the ratio: "7844/7916 đạt 99,09%", "8.898/9.080 đạt gia đình … bằng 98%".
        for number in numbers[position + 1:]:
            between = text[ratio.end:number.start]
            if len(between) > 120 or _CLAUSE_END.search(between.replace("(", "").replace(")", "")) or number.in_ratio:
                break
            if not number.percent:
                continue
            core = between.rstrip()
            if number.approx:
                core = re.sub(r"\S+$", "", core).rstrip()
            if _INTRO.search(core) is None:
                break
            if _TARGET.search(between) or _PLAN_AFTER.match(text[number.end:]):
                return None
            return number
        # Before it, the ratio in brackets: "đạt 98% (8.898/9.080)".
        first = numbers.index(ratio.num)
        if first > 0:
            number = numbers[first - 1]
            if number.percent and re.fullmatch(r"\s*\(\s*", text[number.end:ratio.start]):
                if _TARGET.search(text[max(0, number.start - 30):number.start]):
                    return None
                return number
        return None

    def _share_above_whole(self, index: int, paragraph: Paragraph, number: Num) -> None:
        text = paragraph.text
        before = text[_sentence_start(text, number.start):number.start]
        intro = _SHARE_INTRO.search(before[-60:])
        if intro is None or _CHANGE.search(intro.group()) or _TARGET.search(before) or _PLAN_AFTER.match(text[number.end:]):
            return
        self.checked += 1
        bound = self.cat.bounds["share_percent"]
        if number.value > bound.value:
            self._add("implausible", index, paragraph, number.start, number.end, number.shown, f"tối đa {format_number(bound.value)}%",
                      f"tỷ lệ {number.shown}: một bộ phận không thể chiếm quá 100% tổng thể", bound.source)

    def _sums(self, index: int, paragraph: Paragraph, numbers: list[Num]) -> None:
        text = paragraph.text
        for marker in _SUM_MARKER.finditer(text):
            word = marker.group(1).lower()
            end = _CLAUSE_END.search(text, marker.end())
            stop = end.start() if end else len(text)
            pieces = re.split(r",|\bvà\b", text[marker.end():stop])
            parts: list[tuple[Num, str]] = []
            offset = marker.end()
            failed = False
            for piece in pieces:
                inside = [n for n in numbers if offset <= n.start < offset + len(piece)]
                offset += len(piece) + 1
                if not inside:
                    continue
                if len(inside) > 1 or inside[0].percent or inside[0].in_ratio or inside[0].approx:
                    failed = True
                    break
                parts.append((inside[0], fold(piece)))
            if failed or not parts:
                continue
            units = {n.unit for n, _ in parts if n.unit and n.unit not in self._partition_words()}
            look_from = _sentence_start(text, marker.start())
            if len(units) > 1:
                if word == "trong đó" or len(parts) < 2:
                    continue
                units = set()  # "42 cán bộ, gồm 21 chủ tịch và 21 kế toán": parts named by their own nouns
            elif not text[look_from:marker.start()].strip():  # "… 100 lớp. Trong đó có 4 lớp …": the total is in the sentence before
                look_from = _sentence_start(text, max(0, look_from - 2))
            unit = next(iter(units), "")
            candidates = [n for n in numbers if look_from <= n.start < marker.start() and not n.percent and not n.in_ratio
                          and (not unit or n.unit == unit)]
            if not candidates:
                continue
            total = candidates[-1]
            if total.approx:
                continue
            self.checked += 1
            exhaustive = (word != "trong đó" and len(parts) >= 2) or self._is_partition([label for _, label in parts])
            summed = sum((n.value for n, _ in parts), Decimal(0))
            if exhaustive:
                if summed != total.value:
                    start, stop_at = total.start, parts[-1][0].end
                    shown = " + ".join(n.text for n, _ in parts)
                    self._add("sum", index, paragraph, start, stop_at, total.text, format_number(summed),
                              f"{shown} = {format_number(summed)}, không phải {total.text}")
            else:
                for part, _ in parts:
                    if part.value > total.value:
                        self._add("ratio", index, paragraph, total.start, part.end, part.text, f"tổng {total.text}",
                                  f"phần «trong đó» {part.text} lớn hơn tổng số {total.text}")

    def _partition_words(self) -> set[str]:
        return {word for pair in self.cat.partitions for option in pair for word in option.split()}

    def _is_partition(self, labels: list[str]) -> bool:
        for pair in self.cat.partitions:
            if len(labels) != len(pair):
                continue
            folded = sorted((fold(o) for o in pair), key=len, reverse=True)
            found: list[str] = []
            for label in labels:
                hit = next((o for o in folded if re.search(rf"\b{re.escape(o)}\b", label)), None)
                if hit is None:
                    break
                found.append(hit)
            if len(found) == len(labels) and len(set(found)) == len(pair):
                return True
        return False

    def _plausible_counts(self, index: int, paragraph: Paragraph, numbers: list[Num], ratios: list[Ratio]) -> None:
        text = paragraph.text
        population = self.cat.bounds["country_population"]
        households = self.cat.bounds["country_households"]
        for sentence in re.finditer(r"[^.;]+(?:[.;](?!\s)[^.;]*)*", text):
            inside = [n for n in numbers if sentence.start() <= n.start < sentence.end() and not n.percent]
            persons = [n for n in inside if self._is_persons(text, n)]
            homes = [n for n in inside if n.unit == "hộ"]
            for n in persons:
                self.checked += 1
                if n.value > population.limit:
                    self._add("implausible", index, paragraph, n.start, n.end, f"{n.text} người", f"dân số cả nước {format_number(population.value)}",
                              f"{n.text} người: lớn hơn dân số cả nước ({format_number(population.value)} người)", population.source)
            for n in homes:
                self.checked += 1
                if n.value > households.limit:
                    self._add("implausible", index, paragraph, n.start, n.end, f"{n.text} hộ", f"cả nước {format_number(households.value)} hộ",
                              f"{n.text} hộ: nhiều hơn số hộ của cả nước ({format_number(households.value)} hộ)", households.source)
            census = [n for n in persons if n.unit2 in {"nhân khẩu"} or n.unit == "khẩu" or "dân số" in text[sentence.start():n.start].lower()]
            if homes and census:
                self.checked += 1
                home, person = homes[0], census[0]
                if home.value > person.value:
                    self._add("implausible", index, paragraph, min(home.start, person.start), max(home.end, person.end),
                              f"{home.text} hộ / {person.text} người", "số hộ ≤ số người",
                              f"{home.text} hộ nhiều hơn {person.text} người: mỗi hộ có ít nhất một người")
        if self.context.commune_count:
            limit = self.context.commune_count
            counted = [r.den for r in ratios if r.den.unit == "xã"] + [n for n in numbers if n.unit == "xã" and not n.in_ratio and not n.percent]
            for n in counted:
                self.checked += 1
                if n.value > limit and not n.approx:
                    who = self.context.unit_name or "đơn vị"
                    self._add("implausible", index, paragraph, n.start, n.end, f"{n.text} xã", f"{limit} xã",
                              f"{n.text} xã: {who} chỉ có {limit} xã, phường, thị trấn (theo danh mục đơn vị của XHHT)")

    @staticmethod
    def _is_persons(text: str, n: Num) -> bool:
        if n.unit2 == "nhân khẩu" or n.unit == "khẩu":
            return True
        if n.unit != "người":
            return False
        before = text[max(0, n.start - 12):n.start].lower()
        return "lượt" not in before

    # ------------------------------------------------------------------ tables

    def _table(self, index: int, table: Table) -> None:
        rows = table.rows
        if not rows:
            return
        width = max(len(r) for r in rows)
        grid = [r + [""] * (width - len(r)) for r in rows]
        parsed = [[_cell_value(c) for c in row] for row in grid]
        header_count = 0
        for row in grid:
            if any(re.search(r"\d", cell) for cell in row[1:]):
                break
            header_count += 1
        if header_count == 0 or header_count == len(grid):
            return
        headers = [fold(" ".join(grid[r][c] for r in range(header_count) if grid[r][c])) for c in range(width)]
        rate_cols = [c for c in range(width) if headers[c] and re.fullmatch(r"(?:ty le|ti le)\s*(?:\(?%\)?)?\s*(?:dat)?|\(?%\)?", headers[c])]
        numerators = {r: r - 1 for r in rate_cols if r - 1 > 0 and r - 1 not in rate_cols and headers[r - 1]}
        denominator_col = None
        if numerators:
            first = min(numerators.values())
            denominator_col = next((c for c in range(1, first) if headers[c].startswith("tong")), None)
        body = list(range(header_count, len(grid)))
        for r in body:
            self._table_rates(index, table, grid, parsed, headers, r, numerators, denominator_col)
        self._table_totals(index, table, grid, parsed, headers, body, set(rate_cols))

    def _table_add(self, kind: str, index: int, table: Table, grid: list[list[str]], r: int, c: int, stated: str, computed: str,
                   message: str, source: str = "") -> None:
        quote = " | ".join(cell for cell in grid[r] if cell)
        self.findings.append(Finding(kind, f"bảng {table.number}, dòng {r + 1}, cột {c + 1}", quote[:240], stated, computed, message,
                                     index, None, (r, c), source))

    def _table_rates(self, index: int, table: Table, grid: list[list[str]], parsed: list[list[Any]], headers: list[str], r: int,
                     numerators: dict[int, int], denominator_col: int | None) -> None:
        row = parsed[r]
        bound = self.cat.bounds["share_percent"]
        pairs = [(rc, nc) for rc, nc in numerators.items() if row[rc] is not None and row[nc] is not None]
        for rc, _ in pairs:
            self.checked += 1
            if row[rc][0] > bound.value:
                self._table_add("implausible", index, table, grid, r, rc, f"{grid[r][rc]}%", f"tối đa {format_number(bound.value)}%",
                                f"tỷ lệ {grid[r][rc]}% vượt 100%: một bộ phận không thể lớn hơn tổng thể", bound.source)
        if not pairs:
            return
        if denominator_col is not None and parsed[r][denominator_col] is not None:
            denominator = parsed[r][denominator_col][0]
            label = f"cột «{grid[0][denominator_col] or denominator_col + 1}»"
            checks = [(rc, nc, denominator) for rc, nc in pairs]
            guard = False
        elif len(pairs) >= 2 and len(pairs) == len(numerators):
            denominator = sum((row[nc][0] for _, nc in pairs), Decimal(0))
            label = "tổng các cột số lượng của dòng"
            checks = [(rc, nc, denominator) for rc, nc in pairs]
            guard = True
        else:
            return
        if denominator <= 0:
            return
        verdicts = []
        for rc, nc, den in checks:
            stated, places = row[rc]
            exact = Fraction(row[nc][0] * 100) / Fraction(den)
            verdicts.append((rc, nc, stated, places, exact, rate_holds(stated, places, exact, None, self.cat.approximation_tolerance)))
        if guard:
            # The row's counts are parts of one whole only if their rates say so: all but one agree, or they add up to 100.
            agree = sum(1 for v in verdicts if v[5])
            total_rate = sum((v[2] for v in verdicts), Decimal(0))
            if not (agree >= 1 and agree >= len(verdicts) - 1) and abs(total_rate - 100) > Decimal("0.5") * len(verdicts):
                return
        for rc, nc, stated, places, exact, holds in verdicts:
            if holds:
                continue
            computed = _pct(exact, places)
            shown_den = format_number(denominator)
            self._table_add("rate", index, table, grid, r, rc, f"{grid[r][rc]}%", computed,
                            f"{grid[r][nc]}/{shown_den} = {computed}, không phải {grid[r][rc]}% ({shown_den}: {label})")

    def _table_totals(self, index: int, table: Table, grid: list[list[str]], parsed: list[list[Any]], headers: list[str], body: list[int],
                      rate_cols: set[int]) -> None:
        width = len(headers)
        years = [grid[0][c].strip().lower().startswith(("năm", "niên")) for c in range(width)]  # "Năm" (year), not "Nam" (male)
        label_cols = [c for c in range(min(2, width)) if headers[c] in {"tt", "stt", "so tt"} or c == 0]
        segment: list[int] = []
        for r in body:
            label = next((fold(grid[r][c]).rstrip(":") for c in range(min(2, width)) if grid[r][c].strip()), "")
            if label in _TOTAL_LABELS:
                parts = segment
                romans = [p for p in parts if any(_ROMAN.match(grid[p][c].strip()) for c in label_cols)]
                if romans:
                    parts = romans
                for c in range(width):
                    if c in rate_cols or c in label_cols or parsed[r][c] is None or years[c]:
                        continue
                    cells = [grid[p][c] for p in parts]
                    values = [parsed[p][c] for p in parts]
                    if any(v is None and cell.strip() for v, cell in zip(values, cells)) or sum(1 for v in values if v) < 2:
                        continue
                    self.checked += 1
                    summed = sum((v[0] for v in values if v), Decimal(0))
                    if summed != parsed[r][c][0]:
                        self._table_add("sum", index, table, grid, r, c, grid[r][c], format_number(summed),
                                        f"cộng cột «{grid[0][c] or c + 1}» các dòng trên được {format_number(summed)}, không phải {grid[r][c]}")
                segment = []
            else:
                segment.append(r)
        total_cols = [c for c in range(1, width) if headers[c] in {"cong", "tong", "tong cong", "tong so"} and c not in rate_cols]
        for t in total_cols:
            parts_cols = [c for c in range(1, t) if c not in rate_cols and c not in label_cols and headers[c]
                          and not headers[c].startswith(("trong do", "ty le", "ghi chu")) and not years[c]]
            if len(parts_cols) < 2:
                continue
            for r in body:
                values = [parsed[r][c] for c in parts_cols]
                if parsed[r][t] is None or any(v is None for v in values):
                    continue
                self.checked += 1
                summed = sum((v[0] for v in values), Decimal(0))
                if summed != parsed[r][t][0]:
                    shown = " + ".join(grid[r][c] for c in parts_cols)
                    self._table_add("sum", index, table, grid, r, t, grid[r][t], format_number(summed),
                                    f"{shown} = {format_number(summed)}, không phải {grid[r][t]}")


def _sentence_start(text: str, position: int) -> int:
    cut = max(text.rfind(". ", 0, position), text.rfind("; ", 0, position))
    return 0 if cut < 0 else cut + 2


_CELL = re.compile(r"\s*(\d+(?:[.,]\d+)*)\s*%?\s*")


def _cell_value(text: str) -> tuple[Decimal, int] | None:
    match = _CELL.fullmatch(text or "")
    if not match:
        return None
    try:
        return vn_value(match.group(1))
    except (ArithmeticError, ValueError):
        return None


def check_document(document: Document, *, context: Context | None = None) -> Result:
    """Every finding of ``document`` (format 5), in reading order."""
    return Checker(document, context).run()
