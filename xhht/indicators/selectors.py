"""Reading indicators: aggregation up the unit tree, targets, projections and the appendix table.

Everything is computed on read from :class:`~xhht.indicators.models.DataValue` — there is no
batch rebuild, so a value saved or approved shows at every level above it at once.

Aggregation rule (one rule, for every element with ``aggregation: sum``)
------------------------------------------------------------------------
The value of an element at unit U for a period is

* U's own stored value when there is one (a figure entered, imported or approved for U itself
  is U's figure, e.g. a district total typed from a paper report), otherwise
* the sum of the values of U's children (each by this same rule, recursively), the children being
  those under U in the unit tree **as of the last day of the period**;
* empty (``None``) when neither U nor anything below it has a value — an empty cell, not a zero.

So nothing is counted twice: a district's own figure stands for its whole subtree, and a province
sums its districts, each district taking its own figure or, failing it, its communes' sum.
Elements with ``aggregation: none`` (reported rates, levels) are never summed or averaged: only
the unit's own stored value is read. A computed element (``sum_of``) is the sum of its parts.

Rates are recomputed from the aggregated numerator and denominator (exact Fractions), never
averaged. Where the numerator or the denominator is missing at that level, the indicator's
``rate_element`` — the rate as the unit itself reported it — is shown instead, and marked as such.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from xhht.indicators.catalogue import Catalogue, Indicator, Programme, Target, catalogue
from xhht.indicators.models import DataRollup, DataValue, Source
from xhht.indicators.periods import parse_period
from xhht.indicators.services import disaggregation_key
from xhht.indicators.sources import source_link
from xhht.units.models import Unit, UnitClosure, UnitVersion
from xhht.units.selectors import TreeMapping, apportion_decimal, tree_mapping, unit_ancestors, unit_predecessor_names

Number = Decimal | Fraction

MET, EXCEEDED, NOT_MET = "met", "exceeded", "not_met"
STATUS_LABELS = {MET: "đạt", EXCEEDED: "vượt", NOT_MET: "chưa đạt"}

TREND_METHOD = (
    "Đề xuất theo xu hướng tuyến tính: đường thẳng bình phương tối thiểu qua giá trị các năm đã chọn "
    "(ít nhất 3 năm có số liệu), kéo dài đến năm cuối của giai đoạn dự kiến; tỷ lệ giới hạn trong 0–100%. "
    "Chỉ là đề xuất, không phải số liệu của đơn vị."
)


class IndicatorQueryError(ValueError):
    """A request the engine cannot answer (unknown unit, programme or years); message in Vietnamese."""


# ---------------------------------------------------------------------------------------------
# The store, read for one subtree
# ---------------------------------------------------------------------------------------------


def _tree_on(root: str, on: date) -> dict[str, list[str]]:
    """parent code → child codes under ``root`` as of ``on``, from the closure table (one query)."""
    rows = (UnitClosure.objects.filter(UnitClosure.valid_on(on), ancestor_id=root, depth__gte=1)
            .values_list("descendant_id", flat=True))
    below = set(rows)
    parents = UnitVersion.objects.filter(UnitVersion.valid_on(on), unit_id__in=below).values_list("parent_id", "unit_id")
    children: dict[str, list[str]] = defaultdict(list)
    for parent, child in parents:
        if parent is not None and (parent == root or parent in below):
            children[parent].append(child)
    return children


def _subtrees(children: dict[str, list[str]], root: str) -> dict[str, frozenset[str]]:
    """Every unit under ``root`` (and ``root``) → the set of units below it, from a parent → children map."""
    out: dict[str, frozenset[str]] = {}

    def below(unit: str) -> frozenset[str]:
        found: set[str] = set()
        for child in children.get(unit, []):
            found.add(child)
            found |= below(child)
        out[unit] = frozenset(found)
        return out[unit]

    below(root)
    return out


class StoreReader:
    """Aggregated values of data elements at a unit and its children, read with a handful of queries.

    ``periods`` are period codes; each period's tree is the tree as of its last day. Read so, summed elements
    come from the roll-ups (:class:`~xhht.indicators.models.DataRollup`, kept current on every write): the cost
    is the unit's rows and its children's, not its subtree's.

    Read on a later tree (``on``, or ``not_before`` for a unit born in a reform: format 4), the periods whose tree
    differs are summed from the stored values of the subtree on that tree, each source passing to its successors
    by share (largest remainder); rates and levels as reported are not inherited.
    """

    def __init__(self, *, unit: Unit, elements: Iterable[str], periods: Iterable[str], cat: Catalogue | None = None,
                 own_values_below: bool = False, on: date | None = None, not_before: date | None = None):
        self.cat = cat or catalogue()
        self.root = unit.code
        self.periods = list(dict.fromkeys(periods))
        wanted = set(elements)
        for code in list(wanted):
            wanted |= self._parts(code)
        self.elements = wanted
        ends = {p: parse_period(p).end for p in self.periods}
        tree_dates = {p: on or (max(end, not_before) if not_before else end) for p, end in ends.items()}
        self.actual: dict[tuple[str, str, str, str], Decimal] = {}
        self.projected: dict[tuple[str, str, str, str], Decimal] = {}
        self.rolled: dict[tuple[str, str, str, str], Decimal | None] = {}
        self.mappings: dict[str, TreeMapping] = {}
        self._memo: dict[tuple[str, str, str, str], Decimal | None] = {}
        # Periods read on another tree than their own are walked; the others come from the roll-ups.
        self._walked = {p for p in self.periods if tree_dates[p] != ends[p]}
        rolled_periods = [p for p in self.periods if p not in self._walked]
        self.children: dict[str, dict[str, list[str]]] = {}
        kids = list(UnitClosure.objects.filter(ancestor_id=self.root, depth=1).order_by("descendant_id")
                    .values_list("descendant_id", "valid_from", "valid_to"))
        for p in rolled_periods:
            end = ends[p]
            self.children[p] = {self.root: [c for c, vf, vt in kids if (vf is None or vf <= end) and (vt is None or end <= vt)]}
        codes = {self.root} | {c for c, _, _ in kids}
        self._rolled_units = codes
        summed = {c for c in wanted if (el := self.cat.elements.get(c)) is None or (el.aggregation == "sum" and not el.sum_of)}
        if rolled_periods:
            # Own values at the unit (and at each child when the caller shows each on its own: the figure's trace);
            # summed figures from the roll-ups of the unit and its children.
            rows = DataValue.objects.filter(element__in=wanted, period__in=rolled_periods,
                                            unit_id__in=codes if own_values_below else [self.root])
            self._keep(rows)
            rolled = DataRollup.objects.filter(element__in=summed, period__in=rolled_periods, unit_id__in=codes)
            for element, unit_code, period, key, figure in rolled.values_list("element", "unit_id", "period", "disaggregation", "value"):
                self.rolled[(element, unit_code, period, key)] = figure
        self._stable: dict[str, set[str]] = {}
        if self._walked:
            self._walk_init(wanted, summed, ends, tree_dates, own_values_below)

    def _walk_init(self, wanted: set[str], summed: set[str], ends: dict[str, date], tree_dates: dict[str, date],
                   own_values_below: bool) -> None:
        """The periods read on a later tree, from the roll-ups through the mapping: a unit whose subtree is the same
        on both trees and that no change touched takes its roll-up as it is; a unit that received territory takes its
        sources' roll-ups by share; only the units in between (the root, a unit whose subtree changed) are summed
        from their children. A fixed number of queries, and rows in proportion to what changed, not to the subtree."""
        trees = {d: _tree_on(self.root, d) for d in {tree_dates[p] for p in self._walked}}
        before = {e: _tree_on(self.root, e) for e in {ends[p] for p in self._walked}}
        for p in self._walked:
            self.children[p] = trees[tree_dates[p]]
            if tree_dates[p] > ends[p]:
                mapping = tree_mapping(year=ends[p].year, since=ends[p], on=tree_dates[p])
                if not mapping.is_identity():
                    self.mappings[p] = mapping
        need_rolled: set[str] = set()  # units whose roll-ups are read (the stable and the sources)
        need_own: set[str] = {self.root}  # units whose own values are read (those summed from their children)
        for p in self._walked:
            changed = self.mappings.get(p)
            touched = set(changed.by_target) | set(changed.by_source) if changed else set()
            now, then = _subtrees(self.children[p], self.root), _subtrees(before[ends[p]], self.root)
            stable = {u for u, below in now.items() if u not in touched and then.get(u) == below}
            self._stable[p] = stable
            frontier = [self.root]
            while frontier:  # top-down, stopping at the first stable unit of each branch
                unit = frontier.pop()
                if unit in stable:
                    need_rolled.add(unit)
                    continue
                need_own.add(unit)
                if changed is not None and unit in changed.by_target:
                    need_rolled.update(part.source for part in changed.parts_of(unit))
                frontier.extend(self.children[p].get(unit, []))
            if own_values_below:
                need_own.update(self.children[p].get(self.root, []))
        walked = sorted(self._walked)
        rolled_elements = {c for c in summed}
        if need_rolled and rolled_elements:
            rows = DataRollup.objects.filter(element__in=rolled_elements, period__in=walked, unit_id__in=sorted(need_rolled))
            for element, unit_code, period, key, figure in rows.values_list("element", "unit_id", "period", "disaggregation", "value"):
                self.rolled[(element, unit_code, period, key)] = figure
        self._keep(DataValue.objects.filter(element__in=wanted, period__in=walked, unit_id__in=sorted(need_own)))

    def _keep(self, rows: Any) -> None:
        for element, unit_code, period, key, value, source in rows.values_list(
                "element", "unit_id", "period", "disaggregation", "value", "source").iterator(chunk_size=5000):
            target = self.projected if source == Source.PROJECTED else self.actual
            target[(element, unit_code, period, key)] = value

    def _parts(self, code: str) -> set[str]:
        el = self.cat.elements.get(code)
        out: set[str] = set()
        for part in el.sum_of if el else ():
            out |= {part} | self._parts(part)
        return out

    def own(self, element: str, unit_code: str, period: str, key: str = "") -> Decimal | None:
        mapping = self.mappings.get(period)
        if mapping is None or (unit_code not in mapping.by_target and unit_code not in mapping.by_source):
            return self.actual.get((element, unit_code, period, key))
        el = self.cat.elements.get(element)
        if el is not None and el.aggregation != "sum":
            return None  # a rate or level as reported is not inherited: recomputed from what is summed
        total: Decimal | None = None
        for part in mapping.parts_of(unit_code):
            # A source's figure on its own tree: its roll-up (its own value, or its children's sum).
            value = self.rolled.get((element, part.source, period, key))
            if value is None:
                continue
            siblings = mapping.by_source.get(part.source) or [part]
            split = apportion_decimal(value, [s.share for s in siblings])
            got = sum((x for s, x in zip(siblings, split, strict=True) if s is part), Decimal(0))
            total = got if total is None else total + got
        return total

    def own_projection(self, element: str, unit_code: str, period: str, key: str = "") -> Decimal | None:
        return self.projected.get((element, unit_code, period, key))

    def value(self, element: str, period: str, key: str = "", unit_code: str | None = None) -> Decimal | None:
        unit_code = unit_code or self.root
        memo_key = (element, unit_code, period, key)
        if memo_key in self._memo:
            return self._memo[memo_key]
        el = self.cat.elements.get(element)
        summed = el is None or el.aggregation == "sum"
        result: Decimal | None
        if el is not None and el.sum_of:
            parts = [self.value(p, period, key, unit_code) for p in el.sum_of]
            present = [p for p in parts if p is not None]
            result = sum(present, Decimal(0)) if present else None
        elif summed and period not in self._walked:
            result = self.rolled.get(memo_key) if unit_code in self._rolled_units else None
        elif summed and unit_code in self._stable.get(period, ()):
            result = self.rolled.get(memo_key)  # the same subtree on both trees, untouched: its roll-up
        else:
            result = self.own(element, unit_code, period, key)
            if result is None and summed:
                kids = [self.value(element, period, key, child) for child in self.children.get(period, {}).get(unit_code, [])]
                present = [k for k in kids if k is not None]
                result = sum(present, Decimal(0)) if present else None
        self._memo[memo_key] = result
        return result


def element_value(*, unit: Unit, element: str, period: str, disaggregation: dict[str, str] | None = None) -> Decimal | None:
    """One element's aggregated value at ``unit`` (see the module docstring for the rule)."""
    reader = StoreReader(unit=unit, elements=[element], periods=[period])
    return reader.value(element, period, disaggregation_key(disaggregation))


# ---------------------------------------------------------------------------------------------
# Indicator values
# ---------------------------------------------------------------------------------------------


@dataclass
class Cell:
    """An indicator at a unit for a year (or a phase): the count, and the rate with where it came from."""

    count: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    rate: Number | None = None
    rate_source: str | None = None  # "computed" (numerator/denominator) | "reported" (rate as reported)
    target: Target | None = None
    status: str | None = None
    year: int | None = None  # the appendix column it is shown in (for the link to its trace)

    @property
    def measure(self) -> Number | None:
        """What is compared with the target: the rate, or the count for a count indicator."""
        return self.rate if self.rate is not None or self.numerator is not None or self.denominator is not None else self.count

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status or "", "")

    @property
    def is_empty(self) -> bool:
        return self.count is None and self.rate is None


def year_period(indicator: Indicator, year: int) -> str:
    """The store period shown in the column of ``year``: the year (shifted by the indicator's
    ``period_offset``), or the school year ending in it."""
    year += indicator.period_offset
    return f"{year - 1}-{year}" if indicator.period_type == "school_year" else str(year)


def indicator_cell(reader: StoreReader, indicator: Indicator, period: str, unit_code: str | None = None) -> Cell:
    """The indicator at the reader's unit (or at ``unit_code`` below it) for one store period."""
    key = disaggregation_key(indicator.filter_dict)
    unit_code = unit_code or reader.root
    if indicator.kind == "count":
        return Cell(count=reader.value(indicator.count_element, period, key, unit_code))
    num = reader.value(indicator.numerator or "", period, key, unit_code)
    den = reader.value(indicator.denominator or "", period, key, unit_code)
    cell = Cell(count=num, numerator=num, denominator=den)
    if num is not None and den:
        cell.rate, cell.rate_source = Fraction(num * 100) / Fraction(den), "computed"
    elif indicator.rate_element:
        reported = reader.own(indicator.rate_element, unit_code, period, key)
        if reported is not None:
            cell.rate, cell.rate_source = Fraction(reported), "reported"
    return cell


def phase_cell(indicator: Indicator, cells: Sequence[Cell]) -> Cell | None:
    """The phase value by the catalogue's rule: the last year's, the sum over the years, or none."""
    if indicator.phase_rule == "none" or not cells:
        return None
    if indicator.phase_rule == "last_year":
        last = cells[-1]
        return Cell(count=last.count, numerator=last.numerator, denominator=last.denominator, rate=last.rate, rate_source=last.rate_source)
    counts = [c.count for c in cells if c.count is not None]
    out = Cell(count=sum(counts, Decimal(0)) if counts else None)
    if indicator.kind == "rate":
        pairs = [(c.numerator, c.denominator) for c in cells if c.numerator is not None and c.denominator]
        if pairs:
            num = sum((p[0] for p in pairs), Decimal(0))
            den = sum((p[1] for p in pairs), Decimal(0))  # type: ignore[misc]
            out.numerator, out.denominator = num, den
            out.rate, out.rate_source = Fraction(num * 100) / Fraction(den), "computed"
    return out


def compare(value: Number | None, target: Target | None, comparison: str) -> str | None:
    """đạt / vượt / chưa đạt, with the comparison the catalogue states (≥, or ≤ where lower is better)."""
    if value is None or target is None or target.value is None:
        return None
    v, t = Fraction(value), Fraction(target.value)
    if v == t:
        return MET
    better = v > t if comparison == ">=" else v < t
    return EXCEEDED if better else NOT_MET


# ---------------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------------


def targets_for(*, programme: Programme, unit: Unit, on: date | None = None, cat: Catalogue | None = None) -> dict[str, dict[int, Target]]:
    """indicator code → milestone → the target applying to ``unit``: the nearest plan of the unit or an
    ancestor (a unit's own plan overrides its province's, which overrides the national target)."""
    cat = cat or catalogue()
    chain = [unit.code] + [u.code for u in reversed(unit_ancestors(unit=unit, on=on))]
    plans = cat.plans_for(programme.id, chain)
    plans.sort(key=lambda p: chain.index(p.unit), reverse=True)  # farthest first; nearest applied last wins
    out: dict[str, dict[int, Target]] = {}
    for ind in programme.indicators():
        out[ind.code] = {t.milestone: t for t in ind.targets}
    for plan in plans:
        for code, target in plan.targets:
            out.setdefault(code, {})[target.milestone] = target
    return out


def target_for_year(targets: dict[int, Target], year: int) -> Target | None:
    """The target of the first milestone at or after ``year`` (the last milestone after the programme)."""
    if not targets:
        return None
    later = [m for m in targets if m >= year]
    return targets[min(later)] if later else targets[max(targets)]


# ---------------------------------------------------------------------------------------------
# Projections
# ---------------------------------------------------------------------------------------------


@dataclass
class Projection:
    phase: str
    value: Number | None = None
    how: str | None = None  # "entered" (by the unit, source=projected) | "proposed" (trend) | None

    @property
    def is_proposed(self) -> bool:
        return self.how == "proposed"


def trend_projection(points: Sequence[tuple[int, Number]], year: int, *, is_rate: bool) -> Fraction | None:
    """Least-squares straight line through (year, value) points, evaluated at ``year``; exact."""
    if len(points) < 3:
        return None
    n = len(points)
    xs = [Fraction(x) for x, _ in points]
    ys = [Fraction(y) for _, y in points]
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return None
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    value = Fraction(my) + Fraction(slope) * (Fraction(year) - Fraction(mx))
    if value < 0:
        value = Fraction(0)
    if is_rate and value > 100:
        value = Fraction(100)
    return value


# ---------------------------------------------------------------------------------------------
# The appendix
# ---------------------------------------------------------------------------------------------


@dataclass
class AppendixRow:
    kind: str  # "group" | "indicator"
    tt: str
    name: str
    indicator: Indicator | None = None
    target: Target | None = None
    cells: list[Cell] = field(default_factory=list)  # one per year; empty for a group row without a headline
    phase: Cell | None = None
    projections: list[Projection] = field(default_factory=list)
    note: str = ""
    display: list[str] = field(default_factory=list)  # the row's cells as shown (Vietnamese format), one per column

    @property
    def has_values(self) -> bool:
        return self.indicator is not None

    def __iter__(self) -> Any:
        """Iterating a row gives its display strings, so that a row is also a plain table row."""
        return iter(self.display)


@dataclass
class Appendix:
    unit: Unit
    programme: Programme
    years: list[int]
    rows: list[AppendixRow]
    propose_projections: bool = False
    on: date | None = None  # read on the tree of this date (format 4)
    lineage_note: str = ""  # for a unit born in a reform: from which units its earlier figures come

    @property
    def year_columns(self) -> int:
        return 2 * len(self.years)

    @property
    def phase_code(self) -> str:
        return f"{self.years[0]}-{self.years[-1]}"

    @property
    def phase_label(self) -> str:
        return f"THỰC HIỆN GIAI ĐOẠN {self.phase_code} (tỷ lệ %)"

    @property
    def projection_labels(self) -> list[str]:
        return [f"DỰ KIẾN GIAI ĐOẠN {p} (tỷ lệ %)" for p in self.programme.projection_phases]

    @property
    def target_label(self) -> str:
        return self.programme.target_label

    @property
    def header_rows(self) -> list[list[str]]:
        """The two header rows as in the seed (merged spans left empty)."""
        first = ["TT", "CHỈ TIÊU", self.target_label, "THỰC HIỆN TỪNG NĂM (số lượng và tỷ lệ %)"] + [""] * (2 * len(self.years) - 1)
        first += [self.phase_label, *self.projection_labels, "Ghi chú"]
        second = ["", "", ""] + [x for y in self.years for x in (str(y), "")] + [""] * (2 + len(self.projection_labels))
        return [first, second]

    @property
    def notes(self) -> list[tuple[str, str]]:
        """(indicator code, catalogue note) of the rows that have one: how to read them."""
        return [(r.indicator.code, r.indicator.note) for r in self.rows if r.indicator is not None and r.indicator.note]

    def indicator_rows(self) -> list[AppendixRow]:
        return [r for r in self.rows if r.indicator is not None]

    def row(self, code: str) -> AppendixRow:
        return next(r for r in self.rows if r.indicator is not None and r.indicator.code == code)


def appendix_years_check(*, year_from: int, year_to: int) -> list[int]:
    if year_from > year_to:
        raise IndicatorQueryError(f"Năm bắt đầu ({year_from}) sau năm kết thúc ({year_to}).")
    if year_from < 1975 or year_to > 2100:
        raise IndicatorQueryError(f"Năm {year_from}–{year_to} không hợp lệ.")
    if year_to - year_from > 14:
        raise IndicatorQueryError("Chọn tối đa 15 năm cho một bảng phụ lục.")
    return list(range(year_from, year_to + 1))


def _programme_for_year(cat: Catalogue, year: int) -> Programme:
    """The programme whose years contain ``year``; else the latest one begun before it; else the first."""
    ordered = sorted(cat.programmes.values(), key=lambda p: p.year_from)
    if not ordered:
        raise IndicatorQueryError("Danh mục chưa có chương trình nào.")
    for p in ordered:
        if p.year_from <= year <= p.year_to:
            return p
    begun = [p for p in ordered if p.year_from <= year]
    return begun[-1] if begun else ordered[0]


def _years_of_period(period: Any) -> list[int]:
    """Years shown for a report period: a phase or school year → its years; a single year Y → the
    five years ending at Y (as the seed's appendix for 2020 shows 2016–2020)."""
    code = getattr(period, "code", period)
    try:
        parsed = parse_period(str(code))
    except ValueError as exc:
        raise IndicatorQueryError(str(exc)) from None
    if parsed.kind in ("year", "half_year"):
        y = parsed.start.year
        return list(range(y - 4, y + 1))
    return parsed.years


def appendix_build(*, unit: Unit, programme: Programme | str | None = None, years: Sequence[int] | None = None,
                   period: Any = None, propose_projections: bool = False, cat: Catalogue | None = None,
                   on: date | None = None) -> Appendix:
    """The appendix table (PHỤ LỤC) of ``programme`` for ``unit`` over ``years`` — computed on read.

    Either ``years`` or a report ``period`` (code such as "2016-2020" or "2020", or a Period): a
    phase shows its years, a single year the five years ending at it (within the programme). Without
    ``programme``, the programme whose years contain the last year. ``propose_projections``: where
    the unit entered no projection, propose one from the trend (:data:`TREND_METHOD`), marked
    ``how="proposed"``.
    """
    cat = cat or catalogue()
    if years is None and period is not None:
        years = _years_of_period(period)
    if isinstance(programme, str):
        if programme not in cat.programmes:
            raise IndicatorQueryError(f"Không có chương trình «{programme}». Có: {', '.join(sorted(cat.programmes))}.")
        programme = cat.programmes[programme]
    if programme is None:
        programme = _programme_for_year(cat, max(years) if years else date.today().year)
    if years is None:
        years = range(programme.default_years[0], programme.default_years[1] + 1)
    elif period is not None and getattr(parse_period(str(getattr(period, "code", period))), "kind", "") in ("year", "half_year"):
        years = [y for y in years if y >= programme.year_from] or list(years)
    years = sorted(set(int(y) for y in years))
    if not years:
        raise IndicatorQueryError("Chưa chọn năm nào.")
    appendix_years_check(year_from=years[0], year_to=years[-1])
    indicators = programme.indicators()
    elements: set[str] = set()
    periods: set[str] = set(programme.projection_phases)
    for ind in indicators:
        elements |= {e for e in (ind.numerator, ind.denominator, ind.count, ind.rate_element) if e}
        periods |= {year_period(ind, y) for y in years}
    not_before, lineage_note = None, ""
    if on is not None:
        if not unit.versions.filter(UnitVersion.valid_on(on)).exists():
            raise IndicatorQueryError(f"{unit.title_name} không tồn tại vào ngày {on:%d/%m/%Y}.")
        predecessors = unit_predecessor_names(unit=unit)
        lineage_note = f"Số liệu tính theo địa giới ngày {on:%d/%m/%Y}" + (f"; gồm địa bàn của {', '.join(predecessors)}." if predecessors else ".")
    elif unit.valid_from is not None and unit.valid_from > date(years[0], 1, 1) and unit.changes_in.exists():
        # Born in a reform: its earlier years are its predecessors' figures, on its first day's tree.
        not_before = unit.valid_from
        lineage_note = (f"{unit.title_name} được thành lập ngày {unit.valid_from:%d/%m/%Y}; số liệu các năm trước là của "
                        f"{', '.join(unit_predecessor_names(unit=unit))}, tính theo địa giới ngày {unit.valid_from:%d/%m/%Y}.")
    reader = StoreReader(unit=unit, elements=elements, periods=periods, cat=cat, on=on, not_before=not_before)
    targets = targets_for(programme=programme, unit=unit, on=date(years[-1], 12, 31), cat=cat)

    def build(ind: Indicator, kind: str, tt: str, name: str) -> AppendixRow:
        cells = []
        for y in years:
            cell = indicator_cell(reader, ind, year_period(ind, y))
            cell.year = y
            cell.target = target_for_year(targets.get(ind.code, {}), y)
            cell.status = compare(cell.measure, cell.target, ind.comparison)
            cells.append(cell)
        phase = phase_cell(ind, cells)
        row_target = target_for_year(targets.get(ind.code, {}), years[-1])
        if phase is not None:
            phase.target = row_target
            phase.status = compare(phase.measure, row_target, ind.comparison)
        projections = []
        key = disaggregation_key(ind.filter_dict)
        notes = []
        for p in programme.projection_phases:
            entered = reader.own_projection(ind.projection_element, unit.code, p, key)
            if entered is not None:
                projections.append(Projection(p, entered, "entered"))
                continue
            proposal = None
            if propose_projections:
                is_rate = ind.kind == "rate"
                points = [(y, c.rate if is_rate else c.count) for y, c in zip(years, cells, strict=True)]
                proposal = trend_projection([(y, v) for y, v in points if v is not None], parse_period(p).end.year, is_rate=is_rate)
            if proposal is not None:
                projections.append(Projection(p, proposal, "proposed"))
                notes.append(f"Dự kiến {p}: đề xuất theo xu hướng")
            else:
                projections.append(Projection(p))
        return AppendixRow(kind=kind, tt=tt, name=name, indicator=ind, target=row_target, cells=cells, phase=phase,
                           projections=projections, note="; ".join(notes))

    rows: list[AppendixRow] = []
    for group in programme.groups:
        if group.headline is not None:
            rows.append(build(group.headline, "group", group.code, group.name))
        else:
            rows.append(AppendixRow(kind="group", tt=group.code, name=group.name))
        for ind in group.indicators:
            rows.append(build(ind, "indicator", ind.tt, ind.name))
    appendix = Appendix(unit=unit, programme=programme, years=years, rows=rows, propose_projections=propose_projections,
                        on=on, lineage_note=lineage_note)
    from xhht.indicators.exports import flat_rows

    for row, texts in zip(appendix.rows, flat_rows(appendix), strict=True):
        row.display = texts
    return appendix


def indicator_series(*, unit: Unit, programme: Programme | str, years: Sequence[int]) -> dict[str, list[Cell]]:
    """indicator code → one cell per year (a thin view of :func:`appendix_build`)."""
    appendix = appendix_build(unit=unit, programme=programme, years=years)
    return {r.indicator.code: r.cells for r in appendix.rows if r.indicator is not None}


def appendix_xlsx(appendix: Appendix | None = None, *, unit: Unit | None = None, period: Any = None,
                  programme: Programme | str | None = None, years: Sequence[int] | None = None) -> bytes:
    """The appendix as an .xlsx file in the seed's layout (see :mod:`xhht.indicators.exports`).

    Pass a built :class:`Appendix`, or ``unit=`` with ``period=`` / ``programme=`` / ``years=`` to build it.
    """
    from xhht.indicators.exports import appendix_xlsx as render

    if appendix is None:
        if unit is None:
            raise IndicatorQueryError("Cần một phụ lục đã lập, hoặc đơn vị và kỳ báo cáo.")
        appendix = appendix_build(unit=unit, programme=programme, years=years, period=period)
    return render(appendix)


def element_names(cat: Catalogue | None = None) -> dict[str, str]:
    """Data element code → Vietnamese name, from every app's catalogue."""
    return {code: el.name for code, el in (cat or catalogue()).elements.items()}


def programmes_available(cat: Catalogue | None = None) -> list[Programme]:
    cat = cat or catalogue()
    return sorted(cat.programmes.values(), key=lambda p: p.year_from)


# ---------------------------------------------------------------------------------------------
# Tracing one figure of the appendix to where it comes from
# ---------------------------------------------------------------------------------------------


REPORTED_RATE = "tỷ lệ đơn vị báo cáo"  # the role of the rate a unit reported itself (never summed)


@dataclass
class ElementTrace:
    """One data element behind a figure at the unit: its value, and whether the unit holds it itself."""

    role: str  # "tử số" | "mẫu số" | "số lượng" | REPORTED_RATE
    code: str
    name: str
    value: Decimal | None
    stored: DataValue | None  # the unit's own stored value (who, when, from which file or rule), if any
    parts: list[tuple[str, str, Decimal | None]] = field(default_factory=list)  # (code, name, value) of a sum_of element
    link: tuple[str, str] | None = None  # (label, URL) of the page the stored value was made on

    @property
    def places(self) -> int:
        return 2 if self.role == REPORTED_RATE else 0

    @property
    def how(self) -> str:
        if self.parts:
            return "cộng từ các thành phần"
        if self.stored is not None:
            return "số của chính đơn vị"
        return "cộng từ các đơn vị cấp dưới" if self.value is not None else "chưa có số liệu"


@dataclass
class ChildTrace:
    unit: Unit
    cell: Cell
    own: bool  # the child holds its own figure (else it is summed from below it)


@dataclass
class HistoryRow:
    changed_at: Any
    element: str
    old_value: Decimal | None
    new_value: Decimal | None
    source: str
    rule: str
    changed_by: str
    places: int


@dataclass
class IndicatorTrace:
    """A figure of the appendix (indicator × unit × year) with everything it was computed from."""

    unit: Unit
    programme: Programme
    indicator: Indicator
    year: int
    period: str
    cell: Cell
    elements: list[ElementTrace]
    children: list[ChildTrace]
    children_total: Cell | None  # the children's figures summed, rate recomputed; None without children
    history: list[HistoryRow]  # changes of the unit's own values, newest first

    @property
    def own_figure(self) -> bool:
        """The unit holds its own figure for what is counted, so its children only serve as a cross-check."""
        return any(e.stored is not None for e in self.elements if e.role != REPORTED_RATE)

    @property
    def differs_from_children(self) -> bool:
        """The unit's own figure is not what its children add up to: worth a look before the report goes out."""
        if not self.own_figure or self.children_total is None:
            return False
        mine, theirs = self.cell, self.children_total
        if theirs.count is None and theirs.denominator is None:
            return False  # nothing reported below: missing data there, not a disagreement
        return (mine.count, mine.denominator) != (theirs.count, theirs.denominator)


def indicator_trace(*, unit: Unit, programme: Programme | str, indicator: str, year: int, cat: Catalogue | None = None) -> IndicatorTrace:
    """Where the figure of ``indicator`` at ``unit`` for ``year`` comes from: the stored values the unit holds
    (with who entered them, when, and from which file or rule), each child's figure, the children's total (the
    cross-check when the unit typed its own total) and the changes of the unit's own values."""
    from xhht.indicators.models import DataValueHistory
    from xhht.units.selectors import sort_units

    cat = cat or catalogue()
    if isinstance(programme, str):
        if programme not in cat.programmes:
            raise IndicatorQueryError(f"Không có chương trình «{programme}».")
        programme = cat.programmes[programme]
    ind = programme.indicator(indicator)
    if ind is None:
        raise IndicatorQueryError(f"Chương trình «{programme.id}» không có chỉ tiêu «{indicator}».")
    appendix_years_check(year_from=year, year_to=year)
    period = year_period(ind, year)
    roles = [("số lượng", ind.count)] if ind.kind == "count" else [("tử số", ind.numerator), ("mẫu số", ind.denominator)]
    roles.append((REPORTED_RATE, ind.rate_element))
    codes = [c for _, c in roles if c]
    reader = StoreReader(unit=unit, elements=codes, periods=[period], cat=cat, own_values_below=True)
    key = disaggregation_key(ind.filter_dict)
    cell = indicator_cell(reader, ind, period)

    stored = {dv.element: dv for dv in DataValue.objects.filter(unit=unit, period=period, disaggregation=key, element__in=codes)
              .exclude(source=Source.PROJECTED).select_related("updated_by")}

    def name(code: str) -> str:
        el = cat.elements.get(code)
        return el.name if el else code

    elements = []
    for role, code in roles:
        if not code:
            continue
        el = cat.elements.get(code)
        parts = [(p, name(p), reader.value(p, period, key)) for p in (el.sum_of if el else ())]
        value = reader.own(code, unit.code, period, key) if role == REPORTED_RATE else reader.value(code, period, key)
        mine = stored.get(code)
        elements.append(ElementTrace(role=role, code=code, name=name(code), value=value, stored=mine, parts=parts,
                                     link=source_link(mine) if mine is not None else None))

    kids = reader.children.get(period, {}).get(unit.code, [])
    children = []
    for child in sort_units(Unit.objects.filter(code__in=kids)):
        own = any(reader.own(c, child.code, period, key) is not None for _, c in roles[:-1] if c)
        children.append(ChildTrace(unit=child, cell=indicator_cell(reader, ind, period, child.code), own=own))
    total = None
    if children:
        counts = [c.cell.count for c in children if c.cell.count is not None]
        dens = [c.cell.denominator for c in children if c.cell.denominator is not None]
        total = Cell(count=sum(counts, Decimal(0)) if counts else None)
        if ind.kind == "rate":
            total.numerator = total.count
            total.denominator = sum(dens, Decimal(0)) if dens else None
            if total.numerator is not None and total.denominator:
                total.rate, total.rate_source = Fraction(total.numerator * 100) / Fraction(total.denominator), "computed"
    history = [HistoryRow(changed_at=h.changed_at, element=h.element, old_value=h.old_value, new_value=h.new_value,
                          source=Source(h.source).label if h.source in Source.values else h.source, rule=h.rule,
                          changed_by=str(h.changed_by) if h.changed_by else "hệ thống", places=2 if h.element == ind.rate_element else 0)
               for h in DataValueHistory.objects.filter(unit_code=unit.code, period=period, disaggregation=key, element__in=codes)
               .select_related("changed_by")[:20]]
    return IndicatorTrace(unit=unit, programme=programme, indicator=ind, year=year, period=period, cell=cell, elements=elements,
                          children=children, children_total=total, history=history)
