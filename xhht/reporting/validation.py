"""Checking report values: the catalogue's rules (``left operator right``) and outlier checks.

Rules run on the values of one form; outlier checks run on the shared store, over any element
the rules file names (patterns), against the unit's own history and against its peers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from bisect import bisect_left

from xhht.core.formatting import format_number
from xhht.indicators.models import DataValue
from xhht.reporting.catalogue import Catalogue, Form, Rule, Term, cell_key, get_catalogue
from xhht.reporting.periods import years_back
from xhht.units.models import LEVEL, Unit, UnitClosure, UnitKind

OPERATORS = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
}
OPERATOR_TEXT = {"<": "<", "<=": "≤", "=": "=", "!=": "≠", ">=": "≥", ">": ">"}


@dataclass
class Finding:
    code: str
    importance: str  # error | warning
    message: str
    keys: list[str] = field(default_factory=list)  # the cells (element[disaggregation]) involved
    detail: str = ""  # the values involved, in words
    unit_code: str = ""
    period: str = ""
    kind: str = "rule"  # rule | history | peers

    @property
    def is_error(self) -> bool:
        return self.importance == "error"


def _fmt(value: Decimal) -> str:
    places = 0 if value == value.to_integral_value() else 2
    return format_number(value, places)


def _side(terms: Sequence[Term], values: Mapping[str, Decimal | None]) -> Decimal | None:
    total = Decimal(0)
    for term in terms:
        if term.element is None:
            total += term.sign * (term.constant or 0)
            continue
        value = values.get(term.key)
        if value is None:
            return None
        total += term.sign * value
    return total


def rule_check(rule: Rule, values: Mapping[str, Decimal | None], labels: Mapping[str, str] | None = None) -> Finding | None:
    """A finding when the rule fails; None when it holds or a value it needs is missing."""
    left, right = _side(rule.left, values), _side(rule.right, values)
    if left is None or right is None or OPERATORS[rule.operator](left, right):
        return None
    names = labels or {}

    def describe(terms: Sequence[Term], total: Decimal) -> str:
        parts = [f"{names.get(t.key, t.key)} = {_fmt(values[t.key] or Decimal(0))}" for t in terms if t.element]
        return (" + ".join(parts) if len(parts) < 2 else f"({'; '.join(parts)}; cộng {_fmt(total)})") if parts else _fmt(total)

    detail = f"{describe(rule.left, left)} — phải {OPERATOR_TEXT[rule.operator]} {describe(rule.right, right)}"
    return Finding(rule.code, rule.importance, rule.message, rule.keys, detail)


def form_findings(form: Form, values: Mapping[str, Decimal | None], catalogue: Catalogue | None = None) -> list[Finding]:
    catalogue = catalogue or get_catalogue()
    labels = {c.key: (f"{c.label} ({c.sub_label})" if c.sub_label else c.label) for c in form.cells}
    found = []
    for rule in catalogue.rules_for(form):
        finding = rule_check(rule, values, labels)
        if finding is not None:
            found.append(finding)
    return found


# ---------------------------------------------------------------- outliers over the store


def _ratio_out(value: Decimal, reference: Decimal, factor: Decimal) -> bool:
    if reference == 0:
        return value != 0
    ratio = value / reference
    return ratio > factor or ratio < 1 / factor


def _median_without(ordered: Sequence[Decimal], value: Decimal) -> Decimal:
    """The median of ``ordered`` (sorted) with one occurrence of ``value`` left out, in constant time."""
    skip = bisect_left(ordered, value)
    n = len(ordered) - 1

    def at(k: int) -> Decimal:
        return ordered[k] if k < skip else ordered[k + 1]

    return at(n // 2) if n % 2 else (at(n // 2 - 1) + at(n // 2)) / 2


def outlier_findings(*, unit: Unit, period: str, catalogue: Catalogue | None = None, elements: set[str] | None = None) -> list[Finding]:
    """Outlier findings for the values of ``unit`` in ``period`` in the shared store."""
    return outlier_findings_many(units=[unit], period=period, catalogue=catalogue, elements=elements).get(unit.code, [])


def outlier_findings_many(*, units: Sequence[Unit], period: str, catalogue: Catalogue | None = None,
                          elements: set[str] | None = None) -> dict[str, list[Finding]]:
    """Outlier findings of many units for a period: unit code → findings.

    Linear in the number of units: the values of the units, their peers (units of the same level under the same
    parent as of the period's end) and their history are read in three queries, and each group of peers is sorted
    once, so a unit's median of its peers (itself left out) costs a constant, not a pass over its siblings.
    """
    from xhht.indicators.periods import parse_period

    catalogue = catalogue or get_catalogue()
    names = {code: e.name for code, e in catalogue.elements.items()}
    end = parse_period(period).end
    mine = {u.code: u for u in units}
    parent_of = dict(UnitClosure.objects.filter(UnitClosure.valid_on(end), depth=1, descendant_id__in=mine).values_list("descendant_id", "ancestor_id"))
    siblings = list(UnitClosure.objects.filter(UnitClosure.valid_on(end), depth=1, ancestor_id__in=set(parent_of.values()))
                    .values_list("ancestor_id", "descendant_id", "descendant__kind"))
    level_of = {code: LEVEL[UnitKind(kind)] for _, code, kind in siblings if kind in UnitKind.values}
    rows = DataValue.objects.filter(unit_id__in=set(mine) | {c for _, c, _ in siblings}, period=period)
    if elements is not None:
        rows = rows.filter(element__in=elements)
    values: dict[str, dict[tuple[str, str], Decimal]] = {}
    for code, element, disagg, value in rows.values_list("unit_id", "element", "disaggregation", "value"):
        values.setdefault(code, {})[(element, disagg)] = value
    groups: dict[tuple[str, int, str, str], list[Decimal]] = {}
    for parent, code, _ in siblings:
        for (element, disagg), value in values.get(code, {}).items():
            groups.setdefault((parent, level_of.get(code, 0), element, disagg), []).append(value)
    for group in groups.values():
        group.sort()
    lookback = max([c.lookback for c in catalogue.outliers if c.kind == "history"] or [0])
    earlier_all = [p for p in (years_back(period, n) for n in range(1, lookback + 1)) if p]
    history: dict[tuple[str, str, str, str], Decimal] = {}
    if earlier_all:
        past = DataValue.objects.filter(unit_id__in=mine, period__in=earlier_all)
        if elements is not None:
            past = past.filter(element__in=elements)
        for code, element, disagg, p, value in past.values_list("unit_id", "element", "disaggregation", "period", "value"):
            history[(code, element, disagg, p)] = value
    out: dict[str, list[Finding]] = {}
    for code, unit in mine.items():
        current = values.get(code, {})
        found: list[Finding] = []
        for check in catalogue.outliers:
            covered = {k: v for k, v in current.items() if check.covers(k[0])}
            if not covered:
                continue
            if check.kind == "history":
                earlier = [p for p in (years_back(period, n) for n in range(1, check.lookback + 1)) if p]
                for (element, disagg), value in sorted(covered.items()):
                    jumps = []
                    for other in earlier:
                        before = history.get((code, element, disagg, other))
                        if before is None or max(before, value) < check.min_value:
                            continue
                        if _ratio_out(value, before, check.factor):
                            jumps.append(f"{other}: {_fmt(before)}")
                    if jumps:
                        found.append(Finding(check.code, check.importance, check.message, [cell_key(element, disagg)],
                                             f"{names.get(element, element)}{' [' + disagg + ']' if disagg else ''}: {period} = {_fmt(value)}; so với " + ", ".join(jumps),
                                             code, period, "history"))
            else:
                up = parent_of.get(code)
                if up is None:
                    continue
                for (element, disagg), value in sorted(covered.items()):
                    group = groups.get((up, unit.level, element, disagg), [])
                    if len(group) - 1 < check.min_peers:
                        continue
                    middle = Decimal(_median_without(group, value))
                    if max(middle, value) < check.min_value or not _ratio_out(value, middle, check.factor):
                        continue
                    found.append(Finding(check.code, check.importance, check.message, [cell_key(element, disagg)],
                                         f"{names.get(element, element)}{' [' + disagg + ']' if disagg else ''}: {_fmt(value)}; trung vị {len(group) - 1} đơn vị cùng cấp: {_fmt(middle)}",
                                         code, period, "peers"))
        out[code] = found
    return out
