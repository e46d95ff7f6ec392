"""Reading results: every count above a person comes from :class:`CommuneAggregate`, by SQL."""

from __future__ import annotations

import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any, overload

from django.db import connection
from django.db.models import F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from xhht.core.text import fold
from xhht.literacy.catalogue import RECOGNITIONS, Rules, rules
from xhht.literacy.authorities import rule_set_on
from xhht.literacy.engine import Check, commune_levels, share_level
from xhht.literacy.models import Attestation, CommuneAggregate, SurveyPerson, VillageAggregate
from xhht.units.models import Unit, UnitVersion
from xhht.units.selectors import Part, TreeMapping, apportion, tree_mapping, unit_predecessor_names

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
    # Read on another tree than the year's own (``on``): levels are computed from re-aggregated counts.
    remapped: bool = False
    on: date | None = None
    predecessors: list[str] = field(default_factory=list)

    @property
    def is_commune(self) -> bool:
        return self.unit_level == 3

    def as_format3(self, *, year: int | None = None, with_children: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {"unit": self.code}
        if year is not None:
            data["year"] = year
        data["bands"] = {band: dict(counts.total) for band, counts in self.bands.items()}
        data["standards"] = dict(self.standards)
        if self.remapped:
            data["standards_computed"] = True  # not granted recognitions: computed from the re-aggregated counts
        if self.on is not None:
            data["on"] = self.on.isoformat()
        if with_children:
            data["children"] = [c.as_format3(with_children=False) for c in self.children]
        return data


@dataclass(frozen=True)
class _Layout:
    """The sums one query computes per commune, in order, and where each result finds its numbers.

    ``specs`` says what each sum is, as (column, first age, last age, part): the SQL of :func:`_sums_sql` is
    written from them once per rule set (the same sums as ``exprs``, without Django's compiler on every read).
    A layout with parts begins with the sums of the layout without them, in the same order.
    """

    exprs: dict[str, Any]
    figures: list[tuple[tuple[str, int, int], int]]
    totals: dict[str, dict[str, int]]
    parts: dict[str, dict[str, dict[str, int]]]
    specs: tuple[tuple[str, int | None, int | None, str | None], ...] = ()

    @property
    def size(self) -> int:
        return len(self.exprs)


def _sum(column: str, condition: Q) -> Any:
    return Coalesce(Sum(column, filter=condition), Value(0), output_field=IntegerField())


_LAYOUTS: dict[tuple[str, bool], _Layout] = {}


def _layout(r: Rules, parts: bool) -> _Layout:
    key = (r.id, parts)
    if key in _LAYOUTS:
        return _LAYOUTS[key]
    exprs: dict[str, Any] = {"persons": Coalesce(Sum("population"), Value(0), output_field=IntegerField())}
    specs: list[tuple[str, int | None, int | None, str | None]] = [("population", None, None, None)]
    ranges: dict[tuple[str, int, int], str] = {}
    for column, a, b in sorted(r.criterion_ranges() | {(m, a, b) for _, a, b in r.bands for m in MEASURES}):
        name = f"f{len(exprs)}"
        exprs[name] = _sum(column, Q(age_from__gte=a, age_from__lte=b))
        specs.append((column, a, b, None))
        ranges[(column, a, b)] = name
    part_names: dict[str, dict[str, dict[str, str]]] = {}
    if parts:
        for band, a, b in r.bands:
            for part, q in PARTS.items():
                for measure in MEASURES:
                    name = f"p{len(exprs)}"
                    exprs[name] = _sum(measure, Q(age_from__gte=a, age_from__lte=b) & q)
                    specs.append((measure, a, b, part))
                    part_names.setdefault(band, {}).setdefault(part, {})[measure] = name
    index = {name: i for i, name in enumerate(exprs)}
    layout = _Layout(
        exprs=exprs,
        figures=[(k, index[name]) for k, name in ranges.items()],
        totals={band: {m: index[ranges[(m, a, b)]] for m in MEASURES} for band, a, b in r.bands},
        parts={band: {p: {m: index[n] for m, n in ms.items()} for p, ms in ps.items()} for band, ps in part_names.items()},
        specs=tuple(specs),
    )
    _LAYOUTS[key] = layout
    return layout


_SQL: dict[tuple[Any, ...], str] = {}
_PART_COLUMNS = {"M": "{c}_m", "F": "({c} - {c}_m)", "minority": "{c}_dt", "kinh": "({c} - {c}_dt)"}
# Chunks of codes SQLite takes as parameters of one IN (PostgreSQL takes them all as one array).
_SQLITE_CHUNK = 900


def _sums_sql(r: Rules, parts: bool, table: str, keys: tuple[str, ...]) -> str:
    """The SQL of the layout's sums per ``keys`` (``commune_id``, maybe ``village``), written once per rule set.

    Two steps: the rows are first summed per key and age segment (the measures, and the Nam / dân tộc thiểu số
    parts of the three band measures), then each sum of the layout adds the segments of its age range; Nữ and
    Kinh are the whole less those parts. Exact integers all the way. ``{where}`` is left for the commune filter.
    """
    key = (r.id, parts, table, keys, r.exclude_unable_to_learn)
    if key in _SQL:
        return _SQL[key]
    layout = _layout(r, parts)
    columns = sorted({c for c, _, _, _ in layout.specs})
    # A segment of one commune fits an integer; kept so, the outer sums stay integer arithmetic (not numeric).
    inner = [f"CAST(SUM({c}) AS INTEGER) AS {c}" for c in columns]
    if parts:
        for c in MEASURES:
            inner.append(f"CAST(SUM(CASE WHEN sex = 'M' THEN {c} ELSE 0 END) AS INTEGER) AS {c}_m")
            inner.append(f"CAST(SUM(CASE WHEN minority THEN {c} ELSE 0 END) AS INTEGER) AS {c}_dt")
    outer = []
    for column, a, b, part in layout.specs:
        value = _PART_COLUMNS[part].format(c=column) if part else column
        if a is None or b is None:
            outer.append(f"SUM({value})")
        else:
            outer.append(f"SUM(CASE WHEN age_from BETWEEN {int(a)} AND {int(b)} THEN {value} ELSE 0 END)")
    group = ", ".join(keys)
    unable = " AND NOT unable_to_learn" if r.exclude_unable_to_learn else ""
    sql = (f"SELECT {group}, {', '.join(outer)} FROM (SELECT {group}, age_from, {', '.join(inner)} FROM {table} "
           f"WHERE year = %s{unable}{{where}} GROUP BY {group}, age_from) segments GROUP BY {group}")
    _SQL[key] = sql
    return sql


def _sums(r: Rules, parts: bool, table: str, keys: tuple[str, ...], year: int, communes: Iterable[str] | None) -> list[tuple[Any, ...]]:
    """Rows (keys…, sums…) of :func:`_sums_sql` for ``communes`` (all when None): one query (SQLite: one per 900)."""
    sql = _sums_sql(r, parts, table, keys)
    rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        if communes is None:
            cursor.execute(sql.format(where=""), [year])
            return list(cursor.fetchall())
        codes = list(dict.fromkeys(communes))
        if not codes:
            return rows
        if connection.vendor == "postgresql":
            cursor.execute(sql.format(where=" AND commune_id = ANY(%s)"), [year, codes])
            return list(cursor.fetchall())
        for i in range(0, len(codes), _SQLITE_CHUNK):
            chunk = codes[i:i + _SQLITE_CHUNK]
            cursor.execute(sql.format(where=f" AND commune_id IN ({', '.join(['%s'] * len(chunk))})"), [year, *chunk])
            rows.extend(cursor.fetchall())
    return rows


def commune_figures(*, year: int, communes: Iterable[str] | None = None, rule_set: Rules | None = None,
                    parts: bool = True) -> dict[str, list[int]]:
    """Per commune: the sums the rules and the bands need, as a vector in the layout's order (one GROUP BY)."""
    r = rule_set or rules()
    rows = _sums(r, parts, CommuneAggregate._meta.db_table, ("commune_id",), year, communes)
    return {str(row[0]): list(row[1:]) for row in rows}  # integers on both databases (see _sums_sql)


def total_figures(*, year: int, communes: Iterable[str], rule_set: Rules | None = None) -> list[int]:
    """The same sums over all ``communes`` at once (with the sex and ethnic parts)."""
    r = rule_set or rules()
    total = [0] * _layout(r, True).size
    for vector in commune_figures(year=year, communes=communes, rule_set=r, parts=True).values():
        _add(total, vector)
    return total


def _add(into: list[int], other: list[int] | None) -> None:
    if other:
        into[:] = map(operator.add, into, other)


def _shape(layout: _Layout, sums: list[int]) -> tuple[dict[str, BandCounts], dict[tuple[str, int, int], int]]:
    bands = {}
    for band, idx in layout.totals.items():
        total = {m: sums[i] for m, i in idx.items()}
        parts = {p: {m: sums[i] for m, i in ms.items()} for p, ms in layout.parts.get(band, {}).items()}
        bands[band] = BandCounts(total=total, parts=parts)
    keys, pick = _figure_pickers(layout)
    return bands, dict(zip(keys, pick(sums)))


_PICKERS: dict[int, tuple[list[tuple[str, int, int]], Any]] = {}


def _figure_pickers(layout: _Layout) -> tuple[list[tuple[str, int, int]], Any]:
    """The figures' keys and one itemgetter of their places in a vector (a nation shapes 14,000 vectors)."""
    found = _PICKERS.get(id(layout))
    if found is None:
        keys = [key for key, _ in layout.figures]
        getter = operator.itemgetter(*[i for _, i in layout.figures])
        found = (keys, (lambda v: getter(v)) if len(keys) > 1 else (lambda v: (getter(v),)))
        _PICKERS[id(layout)] = found
    return found


@dataclass
class _Node:
    unit: Unit
    level: int
    special: bool
    children: list[_Node]
    name: str = ""  # full name as of the tree's date ("xã Trung Vương" in 2019, though renamed in 2020)

    @property
    def full_name(self) -> str:
        return self.name or self.unit.full_name


def _node(code: str, name: str, kind: str, special: bool) -> _Node:
    shown = Unit(code=code, name=name, kind=kind)
    return _Node(shown, shown.level, special, [], shown.full_name)


def _forest(units: Sequence[Unit], on: date) -> list[_Node]:
    """Each of ``units`` and its descendants down to communes, as of ``on``: one query per level for all of them
    (a nation's 34 provinces, 700 districts and 10,000 communes in four), names as they were on that date."""
    versions: dict[str, tuple[str, str, bool]] = {}
    for unit_id, name, kind, special in (UnitVersion.objects.filter(UnitVersion.valid_on(on), unit_id__in=[u.code for u in units])
                                         .order_by("unit_id", F("valid_from").asc(nulls_first=True))
                                         .values_list("unit_id", "name", "kind", "special_difficulty")):
        versions[unit_id] = (name, kind, special)  # the latest start wins
    roots = []
    for unit in units:
        if unit.code in versions:
            name, kind, special = versions[unit.code]
            roots.append(_Node(unit, unit.level, special, [], Unit(kind=kind, name=name).full_name))
        else:
            roots.append(_Node(unit, unit.level, unit.special_difficulty, []))
    frontier: dict[str, list[_Node]] = {}
    for root in roots:
        if root.level < 3:
            frontier.setdefault(root.unit.code, []).append(root)
    while frontier:
        rows = (UnitVersion.objects.filter(UnitVersion.valid_on(on), parent_id__in=list(frontier)).order_by("unit_id")
                .values_list("unit_id", "parent_id", "name", "kind", "special_difficulty"))
        nxt: dict[str, list[_Node]] = {}
        seen: set[str] = set()
        for unit_id, parent_id, name, kind, special in rows:
            if unit_id in seen or parent_id is None:
                continue
            seen.add(unit_id)
            node = _node(unit_id, name, kind, special)
            if node.level > 3:
                continue
            for parent in frontier[parent_id]:
                parent.children.append(node)
            if node.level < 3:  # communes are leaves; go on below districts and provinces only
                nxt.setdefault(unit_id, []).append(node)
        frontier = nxt
    return roots


def _communes_of(node: _Node) -> list[_Node]:
    if node.level >= 3:
        return [node]
    return [c for child in node.children for c in _communes_of(child)]


def unit_results(*, unit: Unit, year: int, rule_set: Rules | None = None, child_parts: bool = False,
                 on: date | None = None) -> UnitResult:
    """Bands, PCGD figures and recognition levels of ``unit`` for survey ``year``, with its direct children.

    The children's bands carry the sex/ethnic parts only with ``child_parts`` (publishing needs them, pages do not).
    By default the tree is the one in force at the end of ``year``; with ``on`` the year's figures are read on the
    tree of that date (format 4): each unit gets what passed to it along the chain of changes, and its levels are
    computed from those counts (``remapped`` is set: they are not recognitions that were granted).
    Raises :class:`UnitNotInPeriod` for a unit that did not exist on that date.
    """
    return units_results(units=[unit], year=year, rule_set=rule_set, child_parts=child_parts, on=on)[0]


def units_results(*, units: Sequence[Unit], year: int, rule_set: Rules | None = None, child_parts: bool = False,
                  on: date | None = None) -> list[UnitResult]:
    """:func:`unit_results` of each of ``units`` (a nation: its provinces) in one set of queries for all of them.

    The tree level by level, one GROUP BY of every commune below (the sums' SQL written once per rule set), the
    per-village sums when a split is read, the attestations: then each unit's counts are the sums of its
    children's, bottom-up, and rates are recomputed from those sums by the engine.
    """
    r = rule_set or rules()
    when = on or date(year, 12, 31)
    _refuse_absent(units, when)
    roots = _forest(units, when)
    codes = list(dict.fromkeys(c.unit.code for root in roots for c in _communes_of(root)))
    mapping = None
    if on is not None and on != date(year, 12, 31):
        mapping = tree_mapping(year=year, on=on)
        if mapping.is_identity():
            mapping = None
    remapped = mapping is not None
    if remapped:
        child_parts = True
    full = _layout(r, True)
    layout = full if child_parts else _layout(r, False)  # its sums are the first of the full layout's
    if mapping is not None:
        sums = remapped_commune_figures(year=year, mapping=mapping, targets=codes, rule_set=r, parts=True)
    else:
        sums = commune_figures(year=year, communes=codes, rule_set=r, parts=True)
    attested: dict[str, dict[str, int]] = {}
    if not remapped:  # on another tree, recognitions are not inherited: levels follow from the counts alone
        nodes = {n.unit.code for root in roots for n in [root, *_all_nodes(root)]}
        for unit_id, recognition, level in Attestation.objects.filter(year=year).values_list("unit_id", "recognition", "level"):
            if unit_id in nodes:
                attested.setdefault(unit_id, {})[recognition] = level
    level_rules = replace(r, attestation_required=False) if remapped else r
    province_rules: list[Any] = []  # the rule set in force that year, read once when a province of communes needs it

    def build(node: _Node, top: bool) -> tuple[UnitResult, list[int]]:
        shaped = full if top else layout
        if node.level >= 3:
            vector = sums.get(node.unit.code) or [0] * full.size
            bands, figures = _shape(shaped, vector)
            standards, checks = commune_levels(level_rules, figures, special_difficulty=node.special, attested=attested.get(node.unit.code),
                                               has_records=vector[0] > 0, with_checks=top)
            return UnitResult(node.unit.code, node.full_name, 3, node.special, vector[0], bands, figures,
                              standards, attested.get(node.unit.code, {}), checks, remapped=remapped), vector
        built = [build(child, False) for child in node.children]
        children = [c for c, _ in built]
        total = [0] * full.size
        for _, vector in built:
            _add(total, vector)
        bands, figures = _shape(shaped, total)
        levels: dict[str, int] = {}
        shares: dict[str, dict[int, tuple[int, int]]] = {}
        of = "communes" if node.level == 2 else "districts"
        # After the 2025 reform a province has communes for children: judged by the rule set in force that year.
        over_communes = node.level == 1 and bool(node.children) and all(c.level >= 3 for c in node.children)
        if over_communes and not province_rules:
            province_rules.append(rule_set_on(date(year, 12, 31)))
        for name in RECOGNITIONS:
            override = (province_rules[0].share_of_communes(name)
                        if over_communes and province_rules[0].province_over == "communes" else None)
            levels[name], shares[name] = share_level(
                r.recognitions[name], [c.standards[name] for c in children], of=of,
                attested=attested.get(node.unit.code, {}).get(name), attestation_required=level_rules.attestation_required,
                shares=override)
        return UnitResult(node.unit.code, node.full_name, node.level, node.special, total[0], bands, figures,
                          levels, attested.get(node.unit.code, {}), [], shares, children, remapped=remapped), total

    results = []
    for unit, root in zip(units, roots):
        result = build(root, True)[0]
        if mapping is not None:
            result.on = on
            result.predecessors = unit_predecessor_names(unit=unit)
        results.append(result)
    return results


def _refuse_absent(units: Sequence[Unit], when: date) -> None:
    """:class:`UnitNotInPeriod` for the first of ``units`` that has versions but none in force on ``when``."""
    spans: dict[str, list[tuple[date | None, date | None]]] = {}
    for unit_id, start, end in UnitVersion.objects.filter(unit_id__in=[u.code for u in units]).values_list("unit_id", "valid_from", "valid_to"):
        spans.setdefault(unit_id, []).append((start, end))
    for unit in units:
        known = spans.get(unit.code)
        if known and not any((start is None or start <= when) and (end is None or when <= end) for start, end in known):
            raise UnitNotInPeriod(f"{unit.title_name} không tồn tại vào ngày {when:%d/%m/%Y}; "
                                  f"hãy chọn địa giới ngày khác hoặc đơn vị đã tiếp nhận địa bàn của nó.")


class UnitNotInPeriod(Exception):
    """A unit asked for on a date it did not exist (the message says so, in Vietnamese)."""


def remapped_commune_figures(*, year: int, mapping: TreeMapping, targets: list[str], rule_set: Rules | None = None,
                             parts: bool = True) -> dict[str, list[int]]:
    """Per unit of the mapping's date: the sums of the layout over what it holds of the year's communes.

    Persons follow their village exactly (per-village counts of the split sources); what a source passes without
    villages is apportioned once by the composite share, by largest remainder, so the parts add up to the source.
    """
    r = rule_set or rules()
    layout = _layout(r, parts)
    held = {t: mapping.parts_of(t) for t in targets}
    sources = sorted({p.source for ps in held.values() for p in ps})
    whole = commune_figures(year=year, communes=sources, rule_set=r, parts=parts)
    by_village_sources = sorted({p.source for ps in held.values() for p in ps if p.villages is not None})
    by_village = village_figures(year=year, communes=by_village_sources, rule_set=r, parts=parts)
    result = {t: [0] * layout.size for t in targets}
    for source in sources:
        vector = whole.get(source)
        if not vector:
            continue
        everything = mapping.by_source.get(source) or [Part(source, source, None, Decimal(1))]
        rest = list(vector)
        for p in everything:
            if p.villages is None:
                continue
            got = [0] * layout.size
            for name in p.villages:
                _add(got, by_village.get((source, name)))
            if p.target in result:
                _add(result[p.target], got)
            rest = list(map(operator.sub, rest, got))
        shared = [p for p in everything if p.villages is None]
        if not shared:
            continue
        if len(shared) == 1:
            if shared[0].target in result:
                _add(result[shared[0].target], rest)
            continue
        total = sum((p.share for p in shared), Decimal(0))
        shares = [p.share / total for p in shared]
        for i, value in enumerate(rest):
            if value:
                for p, x in zip(shared, apportion(value, shares)):
                    if p.target in result:
                        result[p.target][i] += x
    return result


def village_figures(*, year: int, communes: list[str], rule_set: Rules | None = None, parts: bool = True) -> dict[tuple[str, str], list[int]]:
    """Per (commune, village): the layout's sums, from the per-village counts (built on first use)."""
    if not communes:
        return {}
    r = rule_set or rules()
    built = set(VillageAggregate.objects.filter(year=year, commune_id__in=communes).values_list("commune_id", flat=True).distinct())
    missing = [c for c in communes if c not in built]
    if missing:
        from xhht.literacy.services import village_aggregates_rebuild

        village_aggregates_rebuild(year=year, communes=missing, rule_set=r)
    rows = _sums(r, parts, VillageAggregate._meta.db_table, ("commune_id", "village"), year, communes)
    return {(str(row[0]), str(row[1])): list(row[2:]) for row in rows}


def _all_nodes(node: _Node) -> list[_Node]:
    return [n for child in node.children for n in [child, *_all_nodes(child)]]


class PersonMatches(Sequence[SurveyPerson]):
    """The persons of one commune-year a search found, in the list's order: only their ids are held, and a page's
    rows are read when the page is (:class:`django.core.paginator.Paginator` takes its length and slices it)."""

    def __init__(self, *, commune_id: str, year: int, person_ids: list[str]) -> None:
        self.commune_id, self.year, self.person_ids = commune_id, year, person_ids

    def __len__(self) -> int:
        return len(self.person_ids)

    @overload
    def __getitem__(self, index: int) -> SurveyPerson: ...

    @overload
    def __getitem__(self, index: slice) -> list[SurveyPerson]: ...

    def __getitem__(self, index: int | slice) -> SurveyPerson | list[SurveyPerson]:
        if not isinstance(index, slice):
            return SurveyPerson.objects.get(commune_id=self.commune_id, year=self.year, person_id=self.person_ids[index])
        ids = self.person_ids[index]
        found = {p.person_id: p for p in SurveyPerson.objects.filter(commune_id=self.commune_id, year=self.year, person_id__in=ids)}
        return [found[i] for i in ids if i in found]  # one re-imported meanwhile is left out


# A name as the search compares it: fold() (the one definition), cut to the 120 characters the folded name column
# had, so that the search finds exactly whom it found when the folded name was stored.
_name_folded = lru_cache(maxsize=1 << 15)(lambda name: fold(name)[:120])


def person_search(*, commune: Unit, year: int, query: str = "") -> QuerySet[SurveyPerson] | PersonMatches:
    """A commune's persons for a year, by name without diacritics ("nguyen van" finds "Nguyễn Văn") or by id.

    The names are folded here, in Python, by :func:`xhht.core.text.fold`: a commune-year's (id, household, name)
    are read in the list's order and only the matching ids kept (no folded copy of each name on disk, no second
    fold written in SQL that could drift from this one)."""
    qs = SurveyPerson.objects.filter(commune=commune, year=year).order_by("household_code", "person_id")
    folded = fold(query or "")
    if not folded:
        return qs
    text = query.strip()
    return PersonMatches(commune_id=commune.code, year=year, person_ids=[
        person for person, household, name in qs.values_list("person_id", "household_code", "full_name").iterator(chunk_size=5000)
        if folded in _name_folded(name) or person == text or household == text])


def survey_years(*, unit_codes: Iterable[str] | None = None) -> list[int]:
    qs = CommuneAggregate.objects.all()
    if unit_codes is not None:
        qs = qs.filter(commune_id__in=list(unit_codes))
    return sorted(qs.values_list("year", flat=True).distinct(), reverse=True)


def commune_person_count(*, commune: Unit, year: int) -> int:
    return SurveyPerson.objects.filter(commune=commune, year=year).count()


PCGD_FIGURES = [
    ("Trẻ 6 tuổi vào lớp 1", "entered_grade1", (6, 6)),
    ("Trẻ 11 tuổi hoàn thành chương trình tiểu học", "completed_primary", (11, 11)),
    ("Trẻ 11 tuổi còn lại đang học tiểu học", "in_primary", (11, 11)),
    ("Trẻ 14 tuổi hoàn thành chương trình tiểu học", "completed_primary", (14, 14)),
    ("Thanh, thiếu niên 15–18 tuổi tốt nghiệp THCS", "lower_secondary_diploma", (15, 18)),
    ("Thanh, thiếu niên 15–18 tuổi đang học THPT", "studying_upper", (15, 18)),
]


def pcgd_rows(result: UnitResult) -> list[tuple[str, int, int]]:
    """The universal-education figures the thresholds use, as (label, count, of how many) for display."""
    return [(label, result.figures.get((column, a, b), 0), result.figures.get(("population", a, b), 0))
            for label, column, (a, b) in PCGD_FIGURES]
