"""Resolving placeholders against the shared store and the foundation, for one unit and period.

Counts are summed up the hierarchy (a unit with no value of its own gets the sum of its children),
rates are recomputed from the summed numerator and denominator, never averaged; every figure keeps
the list of data values it read (its trace).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from xhht.core.bulk import in_many
from xhht.core.formatting import format_money, format_number, rate
from xhht.indicators.models import DataValue, Source
from xhht.indicators.periods import Period, parse_period
from xhht.official_reports.placeholders import Figure, Placeholder, Trace
from xhht.organisations.models import Organisation
from xhht.steering.models import SteeringCommittee
from xhht.units.models import COMMUNE_LEVEL_KINDS, PREFIX, Unit, UnitKind, UnitVersion

log = logging.getLogger(__name__)

MISSING = "…"
RULE_STORED = "Giá trị lưu trong kho số liệu của đơn vị"
RULE_SUMMED = "Tổng của các đơn vị trực thuộc (cộng dồn theo cấp hành chính)"
RULE_YEARS = "Tổng các năm trong kỳ báo cáo"
RULE_PERIODS = "Tổng các kỳ"
RULE_RATE = "Tỷ lệ = tử số × 100 / mẫu số, tính từ các số nguyên đã cộng dồn, làm tròn nửa lên khi hiển thị (hai chữ số thập phân)"
RULE_RATIO = "Tử số / mẫu số, mỗi số cộng dồn theo cấp hành chính"
RULE_MISSING = "Không có giá trị trong kho số liệu cho đơn vị, kỳ và phân tổ này"

LEVEL_NAMES = {1: "province", 2: "district", 3: "commune", 4: "village"}
CHILDREN_WORDS = {1: "các huyện, thành phố", 2: "các xã, thị trấn", 3: "các thôn, xóm", 4: ""}
PROVINCE_OF_COMMUNES_WORDS = "các xã, phường"  # a province's children from 01/07/2025 (two-level government)


def level_name(unit: Unit) -> str:
    return LEVEL_NAMES[unit.level]


def next_period(period: Period) -> Period:
    if period.kind == "year":
        return parse_period(str(period.start.year + 1))
    if period.kind == "half_year":
        y = period.start.year
        return parse_period(f"{y}-H2" if period.code.endswith("H1") else f"{y + 1}-H1")
    if period.kind == "school_year":
        return parse_period(f"{period.start.year + 1}-{period.start.year + 2}")
    span = period.end.year - period.start.year
    return parse_period(f"{period.end.year + 1}-{period.end.year + 1 + span}")


def money_text(value: Decimal, scale: str = "") -> str:
    """An amount in đồng ("40.552.000 đ"), or in triệu đồng with ``scale=million`` ("104,3 triệu đồng")."""
    if scale == "million":
        millions = Decimal(value) / Decimal(1_000_000)
        places = 0 if millions == millions.to_integral_value() else (1 if millions * 10 == (millions * 10).to_integral_value() else 2)
        return f"{format_number(millions, places)} triệu đồng"
    return format_money(value)


def value_text(value: Decimal | int | None) -> str:
    if value is None:
        return MISSING
    places = 0 if Decimal(value) == Decimal(value).to_integral_value() else 2
    return format_number(value, places)


@dataclass(frozen=True, slots=True)
class StoredValue:
    """A stored value as a report's trace shows it: the columns of :class:`DataValue` read as one tuple (a province's
    figures read tens of thousands of them; model instances cost more than the rest of the rendering), with the
    name of whoever updated it."""

    pk: int
    element: str
    unit_id: str
    period: str
    disaggregation: str
    value: Decimal
    source: str
    rule: str
    updated_at: datetime | None
    updated_by_id: int | None

    COLUMNS = ("pk", "element", "unit_id", "period", "disaggregation", "value", "source", "rule", "updated_at", "updated_by_id")


@dataclass
class Folded:
    value: Decimal | None
    rows: list[StoredValue]
    summed: bool


_SOURCE_LABELS = dict(Source.choices)


def _stored(qs: QuerySet[DataValue]) -> list[StoredValue]:
    return [StoredValue(*row) for row in qs.values_list(*StoredValue.COLUMNS)]


class Resolver:
    """Placeholder → Figure for the report's unit and period. One instance per rendering (it caches)."""

    def __init__(self, *, unit: Unit, period: Period, on: date | None = None) -> None:
        self.unit = unit
        self.period = period
        self.on = on  # read the period's figures on the tree of this date (format 4); None: the period's own
        self._children: dict[str, list[str]] = {}
        self._codes: list[str] = [unit.code]
        self._build_tree()
        self._names, self._kinds = {}, {}
        for code, name, kind in Unit.objects.filter(code__in=in_many(self._codes)).values_list("code", "name", "kind"):
            self._names[code], self._kinds[code] = name, kind
        self._cache: dict[tuple[str, str, str], dict[str, StoredValue]] = {}
        self.used: dict[int, dict[str, Any]] = {}
        self._people: dict[int, str] = {}

    # --- the unit tree over the period -------------------------------------------------------
    def _build_tree(self) -> None:
        """Parent → children edges of every unit version that overlaps the period (communes merged
        during a phase still count for the years they existed)."""
        start, end = self.period.start, self.period.end
        overlap = (Q(valid_from__isnull=True) | Q(valid_from__lte=end)) & (Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        frontier, seen = [self.unit.code], {self.unit.code}
        while frontier:
            rows = UnitVersion.objects.filter(overlap, parent_id__in=in_many(frontier)).values_list("parent_id", "unit_id").order_by("unit_id")
            nxt: list[str] = []
            for parent, child in rows:
                if child in seen:
                    continue
                seen.add(child)
                self._children.setdefault(parent, []).append(child)
                nxt.append(child)
            self._codes.extend(nxt)
            frontier = nxt

    @property
    def subtree_codes(self) -> list[str]:
        return list(self._codes)

    def children_of(self, code: str) -> list[str]:
        return list(self._children.get(code, []))

    def unit_name(self, code: str) -> str:
        kind = self._kinds.get(code)
        name = self._names.get(code, code)
        return f"{PREFIX[UnitKind(kind)]} {name}" if kind else name

    def in_subtree(self, code: str) -> bool:
        return code in self._names

    # --- the store ----------------------------------------------------------------------------
    def _values(self, element: str, period: str, disaggregation: str) -> dict[str, StoredValue]:
        key = (element, period, disaggregation)
        if key not in self._cache:
            qs = DataValue.objects.filter(element=element, period=period, disaggregation=disaggregation, unit_id__in=in_many(self._codes))
            self._cache[key] = {dv.unit_id: dv for dv in _stored(qs)}
        return self._cache[key]

    @property
    def keys_read(self) -> list[tuple[str, str, str]]:
        """The (element, period, disaggregation) keys read so far: what ``prefetch`` may load at once next time."""
        return list(self._cache)

    def prefetch(self, keys: list[tuple[str, str, str]]) -> None:
        """Load the values of ``keys`` over the subtree in one query instead of one query each (the same rows
        ``_values`` would read: a key is filled from every row of the subtree with its element, period and
        disaggregation). Keys not given are still read one by one when asked, so this is only a hint."""
        wanted = {tuple(k) for k in keys if tuple(k) not in self._cache}
        if not wanted:
            return
        filled: dict[tuple[str, str, str], dict[str, StoredValue]] = {k: {} for k in wanted}  # type: ignore[misc]
        qs = DataValue.objects.filter(element__in={k[0] for k in wanted}, period__in={k[1] for k in wanted},
                                      disaggregation__in={k[2] for k in wanted}, unit_id__in=in_many(self._codes))
        for dv in _stored(qs):
            # Every row of the cross product is read, so any key met here is complete, asked for or not.
            filled.setdefault((dv.element, dv.period, dv.disaggregation), {})[dv.unit_id] = dv
        for key, values in filled.items():
            self._cache.setdefault(key, values)

    def fold(self, element: str, unit_code: str, period: str, disaggregation: str = "") -> Folded:
        values = self._values(element, period, disaggregation)

        summed = element_aggregation(element) != "none"  # levels and reported rates are never added up

        def walk(code: str) -> Folded:
            if code in values:
                return Folded(values[code].value, [values[code]], False)
            if not summed:
                return Folded(None, [], False)
            parts = [walk(c) for c in self._children.get(code, [])]
            parts = [p for p in parts if p.value is not None]
            if not parts:
                return Folded(None, [], False)
            return Folded(sum((p.value for p in parts if p.value is not None), Decimal(0)), [r for p in parts for r in p.rows], True)

        return walk(unit_code)

    def periods_with_data(self, elements: list[str]) -> list[str]:
        return sorted(set(DataValue.objects.filter(element__in=elements, unit_id__in=in_many(self._codes)).values_list("period", flat=True)))

    def has_data(self, elements: list[str]) -> bool:
        return DataValue.objects.filter(element__in=elements, unit_id__in=in_many(self._codes)).exists()

    def _record(self, rows: list[StoredValue]) -> list[dict[str, Any]]:
        out = []
        missing = {dv.updated_by_id for dv in rows if dv.updated_by_id is not None and dv.updated_by_id not in self._people}
        if missing:  # the names of who updated the values, each read once
            self._people.update((u.pk, str(u)) for u in get_user_model().objects.filter(pk__in=missing))
        for dv in rows:
            known = self.used.get(dv.pk)
            if known is not None:  # a province's figures share their communes' values: each record is built once
                out.append(known)
                continue
            entry = {
                "id": dv.pk,
                "element": dv.element,
                "unit_code": dv.unit_id,
                "unit_name": self.unit_name(dv.unit_id),
                "period": dv.period,
                "disaggregation": dv.disaggregation,
                "value": format(dv.value.normalize(), "f"),
                "source": dv.source,
                "source_label": _SOURCE_LABELS.get(dv.source, dv.source),
                "rule": dv.rule,
                "updated_at": dv.updated_at.isoformat() if dv.updated_at else "",
                "updated_by": self._people.get(dv.updated_by_id, "") if dv.updated_by_id else "",
            }
            self.used[dv.pk] = entry
            out.append(entry)
        return out

    # --- resolving ----------------------------------------------------------------------------
    def _scope(self, ph: Placeholder) -> tuple[str, list[str], str] | str:
        """(unit code, period codes, rule) or an error message."""
        unit_code = ph.option("unit", self.unit.code)
        if not self.in_subtree(unit_code):
            return f"đơn vị «{unit_code}» không thuộc phạm vi của báo cáo"
        code = ph.option("period", self.period.code)
        periods = [c.strip() for c in code.split("+") if c.strip()]
        try:
            for c in periods:
                parse_period(c)
        except ValueError as exc:
            return str(exc)
        if len(periods) > 1:
            return unit_code, periods, RULE_PERIODS
        return unit_code, periods, ""

    def number(self, ph: Placeholder, element: str) -> tuple[Decimal | None, list[StoredValue], list[str]]:
        scope = self._scope(ph)
        if isinstance(scope, str):
            raise ValueError(scope)
        unit_code, periods, rule = scope
        dis = ph.disaggregation
        rules: list[str] = [rule] if rule else []
        total: Decimal | None = None
        rows: list[StoredValue] = []
        for code in periods:
            folded = self.fold(element, unit_code, code, dis)
            if folded.value is None and ph.option("over") == "years":
                per = parse_period(code)
                if per.kind != "year":
                    parts = [self.fold(element, unit_code, str(y), dis) for y in per.years]
                    parts = [p for p in parts if p.value is not None]
                    if parts:
                        folded = Folded(sum((p.value for p in parts if p.value is not None), Decimal(0)), [r for p in parts for r in p.rows], True)
                        rules.append(RULE_YEARS)
            if folded.value is not None:
                total = folded.value if total is None else total + folded.value
                rows.extend(folded.rows)
                if folded.summed and RULE_SUMMED not in rules:
                    rules.append(RULE_SUMMED)
        if total is not None and not rules:
            rules.append(RULE_STORED)
        return total, rows, rules

    def resolve(self, ph: Placeholder) -> Figure:
        try:
            return self._resolve(ph)
        except ValueError as exc:
            return Figure(text=f"[[lỗi: {exc}]]", error=str(exc), source=ph.source)

    def _resolve(self, ph: Placeholder) -> Figure:
        if ph.kind == "unit":
            return Figure(text=self._unit_words(ph.arg), source=ph.source)
        if ph.kind == "period":
            return Figure(text=self._period_words(ph.arg), source=ph.source)
        if ph.kind == "count":
            return self._count(ph)
        if ph.kind == "names":
            counted = self._count(ph)
            items = counted.trace.items if counted.trace else []
            return Figure(text=", ".join(items), value=len(items), trace=counted.trace, source=ph.source)
        if ph.kind in {"value", "money"}:
            value, rows, rules = self.number(ph, ph.arg)
            trace = Trace(rule="; ".join(rules) if value is not None else RULE_MISSING, values=self._record(rows))
            text = (money_text(value, ph.option("scale")) if ph.kind == "money" else value_text(value)) if value is not None else MISSING
            return Figure(text=text, value=value, trace=trace, source=ph.source)
        num_el, den_el = ph.arg.split("/")
        num, num_rows, num_rules = self.number(ph, num_el)
        den, den_rows, den_rules = self.number(ph, den_el)
        rules = list(dict.fromkeys([RULE_RATE if ph.kind == "rate" else RULE_RATIO, *num_rules, *den_rules]))
        trace = Trace(rule="; ".join(rules), values=self._record(num_rows + den_rows))
        if num is None or den is None:
            trace.rule = RULE_MISSING
            return Figure(text=MISSING, value=None, trace=trace, source=ph.source)
        if ph.kind == "ratio":
            return Figure(text=f"{value_text(num)}/{value_text(den)}", value=Fraction(num) / Fraction(den) if den else None, trace=trace, source=ph.source)
        places = int(ph.option("places", "2"))
        share = rate(int(num), int(den)) if num == num.to_integral_value() and den == den.to_integral_value() else (Fraction(num) * 100 / Fraction(den) if den else None)
        if share is None:
            return Figure(text=MISSING, value=None, trace=trace, source=ph.source)
        return Figure(text=f"{format_number(share, places)}%", value=share, trace=trace, source=ph.source)

    def _count(self, ph: Placeholder) -> Figure:
        unit_code = ph.option("unit", self.unit.code)
        if not self.in_subtree(unit_code):
            raise ValueError(f"đơn vị «{unit_code}» không thuộc phạm vi của báo cáo")
        below = self._below(unit_code)
        if ph.arg == "organisations":
            qs = Organisation.objects.filter(unit_id__in=in_many([unit_code, *below])).filter(
                Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=self.period.start))
            if ph.option("kind"):
                qs = qs.filter(kind=ph.option("kind"))
            items = [o.name for o in qs.order_by("unit_id", "name")]
            rule = "Số cơ quan, tổ chức trong danh mục tổ chức của đơn vị và các đơn vị trực thuộc" + (f" (loại {ph.option('kind')})" if ph.option("kind") else "")
        elif ph.arg == "communes":
            items = [self.unit_name(c) for c in below if self._kinds.get(c) in COMMUNE_LEVEL_KINDS]
            rule = "Số đơn vị hành chính cấp xã trực thuộc trong kỳ báo cáo (danh mục đơn vị hành chính)"
        elif ph.arg == "children":
            items = [self.unit_name(c) for c in self._children.get(unit_code, [])]
            rule = "Số đơn vị trực thuộc trực tiếp trong kỳ báo cáo"
        elif ph.arg == "communes_meeting":
            element, least = ph.option("element"), Decimal(ph.option("min", "1"))
            if not element:
                raise ValueError("count:communes_meeting cần element=…")
            period = ph.option("period", self.period.code)
            try:
                parse_period(period)
            except ValueError as exc:
                raise ValueError(str(exc)) from exc
            communes = [c for c in below if self._kinds.get(c) in COMMUNE_LEVEL_KINDS]
            values = self._values(element, period, "")
            meeting = [c for c in communes if c in values and values[c].value >= least]
            self._record([values[c] for c in meeting])
            items = [self.unit_name(c) for c in meeting]
            rule = f"Số đơn vị cấp xã trực thuộc có {element} ≥ {least} trong kỳ {period} (giá trị lưu của từng xã)"
            return Figure(text=format_number(len(items)), value=len(items),
                          trace=Trace(rule=rule, items=items, values=[self.used[values[c].pk] for c in meeting]), source=ph.source)
        else:  # committees
            committees = SteeringCommittee.objects.filter(unit_id__in=in_many(below), active=True).select_related("unit")
            items = [c.name for c in committees]
            rule = "Số Ban Chỉ đạo của các đơn vị trực thuộc ghi trong sổ Ban Chỉ đạo"
        return Figure(text=format_number(len(items)), value=len(items), trace=Trace(rule=rule, items=items), source=ph.source)

    def _below(self, code: str) -> list[str]:
        out, frontier = [], [code]
        while frontier:
            nxt = [c for f in frontier for c in self._children.get(f, [])]
            out.extend(nxt)
            frontier = nxt
        return out

    def _unit_words(self, arg: str) -> str:
        unit = self.unit
        if arg == "name":
            return unit.full_name
        if arg == "title":
            return unit.title_name
        if arg == "committee":
            return f"Ủy ban nhân dân {unit.full_name}"
        if arg == "short_committee":
            return f"UBND {PREFIX[UnitKind(unit.kind)]}"
        if unit.level == 1 and self._children_are_communes():
            return PROVINCE_OF_COMMUNES_WORDS
        return CHILDREN_WORDS[unit.level]

    def _children_are_communes(self) -> bool:
        """Whether the unit's children at the period's end are communes (a province after the 2025 reform)."""
        end = self.period.end
        kinds = set(Unit.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=end), code__in=self.children_of(self.unit.code))
                    .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end)).values_list("kind", flat=True))
        return bool(kinds) and all(UnitKind(k) in COMMUNE_LEVEL_KINDS for k in kinds)

    def _period_words(self, arg: str) -> str:
        if arg == "code":
            return self.period.code
        if arg == "label":
            return self.period.label
        if arg == "upper":
            return self.period.label.upper()
        nxt = next_period(self.period)
        return nxt.label.upper() if arg == "next_upper" else nxt.label


def element_aggregation(code: str) -> str:
    """"sum" or "none" from the element catalogue (every app's elements.yaml); "sum" when unknown."""
    try:
        from xhht.indicators.catalogue import catalogue

        element = catalogue().elements.get(code)
    except Exception:  # noqa: BLE001 - the report must render even if the catalogue cannot be read here
        log.exception("element catalogue unreadable; %s summed", code, extra={"action": "report_render"})
        return "sum"
    return element.aggregation if element is not None else "sum"


def period_contains(outer: Period, inner: Period) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def period_overlaps(outer: Period, inner: Period) -> bool:
    return inner.start <= outer.end and outer.start <= inner.end


def safe_period(code: str) -> Period | None:
    try:
        return parse_period(code)
    except ValueError:
        return None


def latest_year_with(resolver: Resolver, element: str, *, until: date) -> str | None:
    years = [p for p in resolver.periods_with_data([element]) if (q := safe_period(p)) and q.kind == "year" and q.end <= until]
    return max(years) if years else None


def latest_period_with(resolver: Resolver, element: str, *, within: Period) -> str | None:
    """The period inside ``within`` (or ``within`` itself) holding data of ``element`` that ends last."""
    found = [(q.end, q.start, p) for p in resolver.periods_with_data([element]) if (q := safe_period(p)) and period_contains(within, q)]
    return max(found)[2] if found else None
