"""Checking report values: the catalogue's rules (``left operator right``) and outlier checks.

Rules run on the values of one form; outlier checks run on the shared store, over any element
the rules file names (patterns), against the unit's own history and against its peers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import median

from xhht.core.formatting import format_number
from xhht.indicators.models import DataValue
from xhht.reporting.catalogue import Catalogue, Form, Rule, Term, cell_key, get_catalogue
from xhht.reporting.periods import years_back
from xhht.units.models import Unit, UnitVersion

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


def _peer_codes(unit: Unit, on_period_end: object) -> list[str]:
    version = unit.versions.filter(UnitVersion.valid_on(on_period_end)).order_by("-valid_from").first()  # type: ignore[arg-type]
    if version is None or version.parent_id is None:
        return []
    siblings = UnitVersion.objects.filter(UnitVersion.valid_on(on_period_end), parent_id=version.parent_id)  # type: ignore[arg-type]
    same_level = [v.unit_id for v in siblings.select_related("unit") if v.unit.level == unit.level and v.unit_id != unit.code]
    return same_level


def outlier_findings(*, unit: Unit, period: str, catalogue: Catalogue | None = None, elements: set[str] | None = None) -> list[Finding]:
    """Outlier findings for the values of ``unit`` in ``period`` in the shared store."""
    from xhht.indicators.periods import parse_period

    catalogue = catalogue or get_catalogue()
    rows = DataValue.objects.filter(unit=unit, period=period)
    if elements is not None:
        rows = rows.filter(element__in=elements)
    current = {(r.element, r.disaggregation): r.value for r in rows}
    names = {code: e.name for code, e in catalogue.elements.items()}
    found: list[Finding] = []
    end = parse_period(period).end
    for check in catalogue.outliers:
        covered = {k: v for k, v in current.items() if check.covers(k[0])}
        if not covered:
            continue
        if check.kind == "history":
            earlier = [p for p in (years_back(period, n) for n in range(1, check.lookback + 1)) if p]
            history: dict[tuple[str, str, str], Decimal] = {
                (r.element, r.disaggregation, r.period): r.value
                for r in DataValue.objects.filter(unit=unit, period__in=earlier, element__in={k[0] for k in covered})
            }
            for (element, disagg), value in sorted(covered.items()):
                jumps = []
                for other in earlier:
                    before = history.get((element, disagg, other))
                    if before is None or max(before, value) < check.min_value:
                        continue
                    if _ratio_out(value, before, check.factor):
                        jumps.append(f"{other}: {_fmt(before)}")
                if jumps:
                    key = cell_key(element, disagg)
                    found.append(Finding(check.code, check.importance, check.message, [key],
                                         f"{names.get(element, element)}{' [' + disagg + ']' if disagg else ''}: {period} = {_fmt(value)}; so với " + ", ".join(jumps),
                                         unit.code, period, "history"))
        else:
            peers = _peer_codes(unit, end)
            if not peers:
                continue
            peer_values: dict[tuple[str, str], list[Decimal]] = {}
            for r in DataValue.objects.filter(unit_id__in=peers, period=period, element__in={k[0] for k in covered}):
                peer_values.setdefault((r.element, r.disaggregation), []).append(r.value)
            for (element, disagg), value in sorted(covered.items()):
                others = peer_values.get((element, disagg), [])
                if len(others) < check.min_peers:
                    continue
                middle = Decimal(median(others))
                if max(middle, value) < check.min_value or not _ratio_out(value, middle, check.factor):
                    continue
                found.append(Finding(check.code, check.importance, check.message, [cell_key(element, disagg)],
                                     f"{names.get(element, element)}{' [' + disagg + ']' if disagg else ''}: {_fmt(value)}; trung vị {len(others)} đơn vị cùng cấp: {_fmt(middle)}",
                                     unit.code, period, "peers"))
    return found
