"""Reads: what a checked report says that XHHT recognises, and where it could go."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from xhht.core.text import fold
from xhht.core.yamlfile import read_yaml
from xhht.indicators.services import disaggregation_key
from xhht.report_checker.engine import Context, Result
from xhht.reporting.catalogue import Form, cell_key, get_catalogue
from xhht.reporting.selectors import Reporter, form_reports_for
from xhht.units.models import COMMUNE_LEVEL_KINDS, Unit
from xhht.units.selectors import unit_descendants

FIGURES = Path(__file__).parent / "catalogue" / "figures.yaml"


@dataclass(frozen=True)
class Recogniser:
    pattern: re.Pattern[str]
    label: str
    numerator: dict[str, Any]
    denominator: dict[str, Any]


@lru_cache(maxsize=1)
def recognisers() -> tuple[Recogniser, ...]:
    data, _ = read_yaml(FIGURES)
    return tuple(Recogniser(re.compile(item["pattern"]), item["label"], item["numerator"], item["denominator"]) for item in data["figures"])


@dataclass(frozen=True)
class Recognised:
    key: str  # the form cell key
    element: str
    disaggregation: str
    label: str
    value: Decimal
    where: str
    statement: str


def _fill(spec: dict[str, Any], groups: dict[str, str]) -> tuple[str, str]:
    parts = {k: str(v).format(**groups) for k, v in (spec.get("disaggregation") or {}).items()}
    return spec["element"], disaggregation_key(parts)


def unit_context(unit: Unit | None) -> Context:
    """What the checker may compare a report with: the unit's number of communes (current)."""
    if unit is None:
        return Context()
    communes = [u for u in unit_descendants(unit=unit, kinds=list(COMMUNE_LEVEL_KINDS))] if unit.kind not in COMMUNE_LEVEL_KINDS else []
    return Context(commune_count=len(communes) or None, unit_name=unit.title_name)


def form_for_unit(unit: Unit) -> Form | None:
    """The periodic-report form the unit itself fills (the district or the commune form)."""
    reporter = Reporter(unit)
    return next((f for f in get_catalogue().forms.values() if form_reports_for(f, reporter)), None)


def recognised_figures(*, result: Result, form: Form) -> tuple[list[Recognised], list[str]]:
    """The figures of the report that are cells of ``form``, and the cells it gives two different values (left out)."""
    cells = {c.key for c in form.input_cells}
    found: dict[str, Recognised] = {}
    conflicts: dict[str, str] = {}
    flagged = [(f.block, f.span) for f in result.findings if f.span]
    for figure in result.figures:
        if any(block == figure.block and span[0] < figure.span[1] and figure.span[0] < span[1] for block, span in flagged):
            continue  # a figure with a finding on it is not offered: the officer corrects the report first
        folded = fold(figure.sentence)
        for recogniser in recognisers():
            match = recogniser.pattern.search(folded)
            if match is None:
                continue
            groups = match.groupdict()
            pairs = [(recogniser.numerator, figure.numerator, ""), (recogniser.denominator, figure.denominator, "tổng số, ")]
            for spec, value, prefix in pairs:
                if value is None:
                    continue
                element, disaggregation = _fill(spec, groups)
                key = cell_key(element, disaggregation)
                if key not in cells:
                    continue
                label = prefix + recogniser.label.format(**groups) if prefix else recogniser.label.format(**groups)
                if prefix:
                    label = f"Dân số trong độ tuổi {groups.get('a')}–{groups.get('b')}"
                item = Recognised(key, element, disaggregation, label, value, figure.where, figure.sentence)
                if key in found and found[key].value != value:
                    conflicts[key] = label
                found.setdefault(key, item)
            break
    return [r for k, r in found.items() if k not in conflicts], sorted(conflicts.values())
