"""Reading results: every count above a person comes from :class:`CommuneAggregate`, by SQL."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from xhht.core.text import fold
from xhht.literacy.catalogue import RECOGNITIONS, Rules, rules
from xhht.literacy.engine import Check, commune_levels, share_level
from xhht.literacy.models import Attestation, CommuneAggregate, SurveyPerson
from xhht.units.models import COMMUNE_LEVEL_KINDS, Unit, UnitVersion

MEASURES = ("population", "level1", "level2")
PARTS = {"M": Q(sex="M"), "F": Q(sex="F"), "kinh": Q(minority=False), "minority": Q(minority=True)}
PART_LABELS = {"M": "Nam", "F": "Nữ", "kinh": "Kinh", "minority": "Dân tộc thiểu số"}


@dataclass
class BandCounts:
    total: dict[str, int]
    parts: dict[str, dict[str, int]]


@dataclass
class UnitResult:
    code: str
    name: str
    unit_level: int
    special_difficulty: bool
    persons: int
    bands: dict[str, BandCounts]
    figures: dict[tuple[str, int, int], int]
    standards: dict[str, int]
    attested: dict[str, int]
    checks: list[Check] = field(default_factory=list)
    shares: dict[str, dict[int, tuple[int, int]]] = field(default_factory=dict)
    children: list[UnitResult] = field(default_factory=list)

    @property
    def is_commune(self) -> bool:
        return self.unit_level == 3

    def as_format3(self, *, year: int | None = None, with_children: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {"unit": self.code}
        if year is not None:
            data["year"] = year
        data["bands"] = {band: dict(counts.total) for band, counts in self.bands.items()}
        data["standards"] = dict(self.standards)
        if with_children:
            data["children"] = [c.as_format3(with_children=False) for c in self.children]
        return data


def _figure_key(column: str, a: int, b: int) -> str:
    return f"f__{column}__{a}__{b}"


def _band_key(band: str, measure: str, part: str) -> str:
    return f"b__{band.replace('-', '_')}__{measure}__{part}"


def _expressions(r: Rules) -> dict[str, Any]:
    exprs: dict[str, Any] = {"persons": Coalesce(Sum("population"), Value(0), output_field=IntegerField())}
    for column, a, b in sorted(r.criterion_ranges()):
        exprs[_figure_key(column, a, b)] = Coalesce(Sum(column, filter=Q(age_from__gte=a, age_from__lte=b)), Value(0), output_field=IntegerField())
    for band, a, b in r.bands:
        for measure in MEASURES:
            exprs[_figure_key(measure, a, b)] = Coalesce(Sum(measure, filter=Q(age_from__gte=a, age_from__lte=b)), Value(0), output_field=IntegerField())
            for part, q in PARTS.items():
                exprs[_band_key(band, measure, part)] = Coalesce(Sum(measure, filter=Q(age_from__gte=a, age_from__lte=b) & q), Value(0), output_field=IntegerField())
    return exprs


def commune_figures(*, year: int, communes: Iterable[str] | None = None, rule_set: Rules | None = None) -> dict[str, dict[str, int]]:
    """Per commune: the named sums the rules and the bands need (one GROUP BY over the aggregate)."""
    r = rule_set or rules()
    qs = CommuneAggregate.objects.filter(year=year)
    if communes is not None:
        qs = qs.filter(commune_id__in=list(communes))
    if r.exclude_unable_to_learn:
        qs = qs.filter(unable_to_learn=False)
    out: dict[str, dict[str, int]] = {}
    for row in qs.values("commune_id").annotate(**_expressions(r)).order_by():
        values: dict[str, Any] = dict(row)
        code = values.pop("commune_id")
        out[str(code)] = values
    return out


def _empty(r: Rules) -> dict[str, int]:
    return {k: 0 for k in _expressions(r)}


def _add(into: dict[str, int], other: dict[str, int]) -> None:
    for k, v in other.items():
        into[k] = into.get(k, 0) + v


def _shape(r: Rules, sums: dict[str, int]) -> tuple[dict[str, BandCounts], dict[tuple[str, int, int], int]]:
    bands = {}
    for band, a, b in r.bands:
        total = {m: sums[_figure_key(m, a, b)] for m in MEASURES}
        parts = {p: {m: sums[_band_key(band, m, p)] for m in MEASURES} for p in PARTS}
        bands[band] = BandCounts(total=total, parts=parts)
    figures = {}
    for key, value in sums.items():
        if key.startswith("f__"):
            _, column, first, last = key.split("__")
            figures[(column, int(first), int(last))] = value
    return bands, figures


@dataclass
class _Node:
    unit: Unit
    level: int
    special: bool
    children: list[_Node]


def _tree(unit: Unit, on: date) -> _Node:
    """``unit`` and its descendants down to communes, as of ``on`` (level by level, one query each)."""
    version = unit.versions.filter(UnitVersion.valid_on(on)).order_by("-valid_from").first()
    root = _Node(unit, unit.level, bool(version.special_difficulty if version else unit.special_difficulty), [])
    frontier = {unit.code: root}
    while frontier:
        versions = (UnitVersion.objects.filter(UnitVersion.valid_on(on), parent_id__in=list(frontier))
                    .select_related("unit").order_by("unit__code"))
        nxt: dict[str, _Node] = {}
        for v in versions:
            if v.unit_id in nxt:
                continue
            level = Unit(kind=v.kind).level
            if level > 3:
                continue
            node = _Node(v.unit, level, v.special_difficulty, [])
            if v.parent_id is None:
                continue
            frontier[v.parent_id].children.append(node)
            if level < 3:
                nxt[v.unit_id] = node
            elif v.kind not in COMMUNE_LEVEL_KINDS:
                continue
        # Communes are leaves; only go on below districts and provinces.
        frontier = nxt
    return root


def _communes_of(node: _Node) -> list[_Node]:
    if node.level >= 3:
        return [node]
    return [c for child in node.children for c in _communes_of(child)]


def unit_results(*, unit: Unit, year: int, rule_set: Rules | None = None) -> UnitResult:
    """Bands, PCGD figures and recognition levels of ``unit`` for survey ``year``, with its direct children."""
    r = rule_set or rules()
    root = _tree(unit, date(year, 12, 31))
    communes = _communes_of(root)
    sums = commune_figures(year=year, communes=[c.unit.code for c in communes], rule_set=r)
    codes = [unit.code] + [n.unit.code for n in _all_nodes(root)]
    attested: dict[str, dict[str, int]] = {}
    for a in Attestation.objects.filter(year=year, unit_id__in=codes):
        attested.setdefault(a.unit_id, {})[a.recognition] = a.level

    def build(node: _Node, depth: int) -> UnitResult:
        if node.level >= 3:
            own = sums.get(node.unit.code) or _empty(r)
            bands, figures = _shape(r, own)
            standards, checks = commune_levels(r, figures, special_difficulty=node.special, attested=attested.get(node.unit.code),
                                               has_records=own.get("persons", 0) > 0)
            return UnitResult(node.unit.code, node.unit.full_name, 3, node.special, own.get("persons", 0), bands, figures,
                              standards, attested.get(node.unit.code, {}), checks)
        children = [build(child, depth + 1) for child in node.children]
        total = _empty(r)
        for commune in _communes_of(node):
            _add(total, sums.get(commune.unit.code) or {})
        bands, figures = _shape(r, total)
        levels: dict[str, int] = {}
        shares: dict[str, dict[int, tuple[int, int]]] = {}
        of = "communes" if node.level == 2 else "districts"
        for name in RECOGNITIONS:
            levels[name], shares[name] = share_level(
                r.recognitions[name], [c.standards[name] for c in children], of=of,
                attested=attested.get(node.unit.code, {}).get(name), attestation_required=r.attestation_required)
        result = UnitResult(node.unit.code, node.unit.full_name, node.level, node.special, total.get("persons", 0), bands, figures,
                            levels, attested.get(node.unit.code, {}), [], shares, children)
        return result

    return build(root, 0)


def _all_nodes(node: _Node) -> list[_Node]:
    return [n for child in node.children for n in [child, *_all_nodes(child)]]


def person_search(*, commune: Unit, year: int, query: str = "") -> QuerySet[SurveyPerson]:
    """A commune's persons for a year, by name without diacritics ("nguyen van" finds "Nguyễn Văn") or by id."""
    qs = SurveyPerson.objects.filter(commune=commune, year=year)
    folded = fold(query or "")
    if folded:
        qs = qs.filter(Q(name_folded__contains=folded) | Q(person_id=query.strip()) | Q(household_code=query.strip()))
    return qs.order_by("household_code", "person_id")


def survey_years(*, unit_codes: Iterable[str] | None = None) -> list[int]:
    qs = CommuneAggregate.objects.all()
    if unit_codes is not None:
        qs = qs.filter(commune_id__in=list(unit_codes))
    return sorted(qs.values_list("year", flat=True).distinct(), reverse=True)


def commune_person_count(*, commune: Unit, year: int) -> int:
    return SurveyPerson.objects.filter(commune=commune, year=year).aggregate(n=Count("id"))["n"]
