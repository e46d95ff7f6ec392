"""Reading the unit tree, as of a date.

The tree is at most four levels deep, so walking it one level per query is cheap even for
the whole country (about 11,000 communes before 2025) and needs no materialised paths.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection, models
from django.db.models import Q
from django.utils import timezone

from xhht.core.bulk import in_many
from xhht.core.text import vietnamese_sort_key
from xhht.units.models import LEVEL, Unit, UnitChange, UnitKind, UnitVersion


def _today() -> date:
    return timezone.localdate()


def sort_units(units: Iterable[Unit]) -> list[Unit]:
    """By level, then in Vietnamese alphabetical order of the name (what a reader expects in a list)."""
    return sorted(units, key=lambda u: (LEVEL[UnitKind(u.kind)], vietnamese_sort_key(u.name)))


def unit_get(*, code: str) -> Unit | None:
    return Unit.objects.filter(code=code).first()


def unit_version_on(*, unit: Unit, on: date | None = None) -> UnitVersion | None:
    return unit.versions.filter(UnitVersion.valid_on(on or _today())).order_by("-valid_from").first()


def unit_parent_on(*, unit: Unit, on: date | None = None) -> Unit | None:
    version = unit_version_on(unit=unit, on=on)
    return version.parent if version else None


def unit_children(*, unit: Unit, on: date | None = None) -> list[Unit]:
    """The units whose parent was ``unit`` on the date, by name."""
    codes = UnitVersion.objects.filter(UnitVersion.valid_on(on or _today()), parent=unit).values("unit_id")
    return sort_units(Unit.objects.filter(code__in=codes))


def unit_ancestors(*, unit: Unit, on: date | None = None) -> list[Unit]:
    """From the root down to the parent of ``unit``, as of the date."""
    chain: list[Unit] = []
    seen = {unit.code}
    current = unit_parent_on(unit=unit, on=on)
    while current is not None and current.code not in seen:
        chain.insert(0, current)
        seen.add(current.code)
        current = unit_parent_on(unit=current, on=on)
    return chain


def unit_descendant_codes(*, unit: Unit, on: date | None = None, include_self: bool = False) -> list[str]:
    """Codes of every unit below ``unit`` as of the date, level by level."""
    when = on or _today()
    found: list[str] = [unit.code] if include_self else []
    frontier = [unit.code]
    seen = {unit.code}
    while frontier:
        rows = UnitVersion.objects.filter(UnitVersion.valid_on(when), parent_id__in=frontier).values_list("unit_id", flat=True)
        frontier = [c for c in dict.fromkeys(rows) if c not in seen]
        seen.update(frontier)
        found.extend(frontier)
    return found


def unit_descendants(*, unit: Unit, on: date | None = None, kinds: list[str] | None = None) -> list[Unit]:
    qs = Unit.objects.filter(code__in=in_many(unit_descendant_codes(unit=unit, on=on)))
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return list(qs.order_by("code"))


def _reach_ever(start: str, *, down: bool) -> set[str]:
    """Every code reached from ``start`` by following version edges of any time (down to children, or up to
    parents): one recursive query (SQLite and PostgreSQL), not one query per level with the level's codes as
    parameters (10 000 of them below a nation)."""
    table = UnitVersion._meta.db_table
    step = (f"SELECT v.unit_id FROM {table} v JOIN reach r ON v.parent_id = r.code" if down
            else f"SELECT v.parent_id FROM {table} v JOIN reach r ON v.unit_id = r.code WHERE v.parent_id IS NOT NULL")
    with connection.cursor() as cursor:
        cursor.execute(f"WITH RECURSIVE reach(code) AS (SELECT CAST(%s AS varchar(20)) UNION {step}) SELECT code FROM reach", [start])
        return {row[0] for row in cursor.fetchall()}


def unit_subtree_codes_ever(*, unit: Unit) -> set[str]:
    """Every code that has been below ``unit`` at any time: the reach of an officer of ``unit``.

    An officer keeps seeing the history of their area after a reform moves a commune away.
    """
    return _reach_ever(unit.code, down=True) | {unit.code}


def unit_ancestor_codes_ever(*, unit: Unit) -> set[str]:
    """Every code that has been above ``unit`` at any time."""
    return _reach_ever(unit.code, down=False) - {unit.code}


def unit_roots(*, on: date | None = None) -> list[Unit]:
    """Units with no parent on the date (the provinces)."""
    codes = UnitVersion.objects.filter(UnitVersion.valid_on(on or _today()), parent__isnull=True).values("unit_id")
    return sort_units(Unit.objects.filter(code__in=codes))


# --- Lineage: reading the figures of a year on the tree of another date (format 4) -------------------------

@dataclass(frozen=True)
class Part:
    """What a unit of date D holds of a unit that existed at the end of year Y.

    ``villages`` None means the part is not drawn by village (all of ``source``'s persons, or ``share`` of
    them); otherwise the persons of exactly those villages pass. ``share`` is the part of counts kept
    without villages, multiplied along the chain of changes. ``bases`` names the resolutions on the way.
    """

    target: str
    source: str
    villages: frozenset[str] | None
    share: Decimal
    bases: tuple[str, ...] = ()


@dataclass
class TreeMapping:
    """Units of year ``year`` (the tree at its end) mapped onto the tree of date ``on``."""

    year: int
    on: date
    by_source: dict[str, list[Part]]  # only the sources that changed; any other unit holds itself whole
    by_target: dict[str, list[Part]]

    @property
    def year_end(self) -> date:
        return date(self.year, 12, 31)

    def parts_of(self, target: str) -> list[Part]:
        """Every part ``target`` holds (itself whole when no change touched it)."""
        if target in self.by_target:
            return self.by_target[target]
        if target in self.by_source:
            return []  # it gave itself away entirely and received nothing
        return [Part(target, target, None, Decimal(1))]

    def is_identity(self) -> bool:
        return not self.by_source


_MAPPINGS: dict[tuple[date, date, tuple[object, ...]], TreeMapping] = {}


def tree_mapping(*, year: int, on: date, since: date | None = None) -> TreeMapping:
    """:func:`tree_mapping_build`, kept in memory until the changes table changes (a nation has ~10,000 rows)."""
    year_end = since or date(year, 12, 31)
    stamp = tuple(UnitChange.objects.aggregate(n=models.Count("id"), last=models.Max("id")).values())
    key = (year_end, on, stamp)
    if key not in _MAPPINGS:
        if len(_MAPPINGS) > 64:
            _MAPPINGS.clear()
        _MAPPINGS[key] = tree_mapping_build(year=year, on=on, since=since)
    return _MAPPINGS[key]


def tree_mapping_build(*, year: int, on: date, since: date | None = None) -> TreeMapping:
    """Follow the unit changes between the end of ``year`` (or ``since``, the last day of a period) and ``on``
    (inclusive), forward in time.

    Reading backwards (figures of a year on an older tree) is refused: a merged commune's figures
    cannot be split back without its villages.
    """
    year_end = since or date(year, 12, 31)
    if on < year_end:
        raise ValueError(f"không đọc được số liệu năm {year} trên địa giới ngày {on:%d/%m/%Y} (trước ngày {year_end:%d/%m/%Y}): "
                         "chỉ đọc được trên địa giới từ cuối kỳ đó trở về sau.")
    pieces: dict[str, list[Part]] = {}  # holder -> pieces it holds (only for holders touched by a change)
    touched: set[str] = set()
    changes = UnitChange.objects.filter(effective_date__gt=year_end, effective_date__lte=on, source__isnull=False).order_by("effective_date", "row", "id")
    by_date: dict[date, list[UnitChange]] = {}
    for c in changes:
        by_date.setdefault(c.effective_date, []).append(c)
    targets = {c.unit_id for rows in by_date.values() for c in rows}
    born_later = set(Unit.objects.filter(code__in=targets, valid_from__gt=year_end).values_list("code", flat=True))
    for when in sorted(by_date):
        rows = by_date[when]
        sources = {c.source_id for c in rows}
        rows_of: dict[str, list[UnitChange]] = {}
        for c in rows:
            if c.source_id:
                rows_of.setdefault(c.source_id, []).append(c)
        moved: dict[str, list[Part]] = {}
        for source in sorted(rows_of):
            held = pieces.pop(source, None)
            if held is None:
                held = [Part(source, source, None, Decimal(1))]
                touched.add(source)
            for c in rows_of[source]:
                passed = frozenset(c.villages) if c.villages else None
                for p in held:
                    villages = passed if p.villages is None else (p.villages & passed if passed is not None else p.villages)
                    bases = p.bases if c.basis in p.bases else (*p.bases, c.basis)
                    moved.setdefault(c.unit_id, []).append(Part(c.unit_id, p.source, villages, p.share * c.passed_share, bases))
        for target, got in moved.items():
            if target not in pieces:
                fresh = target in sources or target in touched or target in born_later
                pieces[target] = [] if fresh else [Part(target, target, None, Decimal(1))]
                touched.add(target)
            pieces[target].extend(got)
    by_target = {t: ps for t, ps in pieces.items()}
    by_source: dict[str, list[Part]] = {}
    for ps in by_target.values():
        for p in ps:
            by_source.setdefault(p.source, []).append(p)
    # A unit that held itself whole all along is not a "changed source".
    by_source = {s: ps for s, ps in by_source.items() if not (len(ps) == 1 and ps[0].target == s and ps[0].villages is None and ps[0].share == 1)}
    for s in touched:
        if s not in by_source and s not in by_target:
            by_source[s] = []
    return TreeMapping(year=year, on=on, by_source=by_source, by_target=by_target)


def apportion(value: int, shares: list[Decimal]) -> list[int]:
    """Split the integer ``value`` by ``shares`` (summing to 1) so that the parts add up to it exactly.

    Largest remainder (Hamilton): floors first, then one more to the largest fractional parts, ties to the earlier.
    """
    exact = [Decimal(value) * s for s in shares]
    floors = [int(x) if x >= 0 else -int(-x) for x in exact]
    left = value - sum(floors)
    order = sorted(range(len(shares)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:max(left, 0)]:
        floors[i] += 1
    return floors


def apportion_decimal(value: Decimal, shares: list[Decimal]) -> list[Decimal]:
    """:func:`apportion` for a decimal value, in units of its last decimal place (40.552.000 đồng, 12,5 points)."""
    raw = value.normalize().as_tuple().exponent  # 1001.0000 is stored as a count: apportion whole persons
    exponent = min(raw, 0) if isinstance(raw, int) else 0
    scale = Decimal(10) ** exponent
    units = int(value / scale)
    return [Decimal(n) * scale for n in apportion(units, shares)]


def unit_lineage(*, unit: Unit) -> dict[str, list[UnitChange]]:
    """The changes that made ``unit`` (its predecessors) and that it passed on (its successors)."""
    made = list(UnitChange.objects.filter(unit=unit, source__isnull=False).exclude(source=unit).select_related("source").order_by("effective_date", "row"))
    gave = list(UnitChange.objects.filter(source=unit).exclude(unit=unit).select_related("unit").order_by("effective_date", "row"))
    own = list(UnitChange.objects.filter(unit=unit, source__isnull=True).order_by("effective_date", "row"))
    return {"predecessors": made, "successors": gave, "own": own}


def unit_existed_during(*, unit: Unit, start: date, end: date) -> bool:
    """Whether ``unit`` existed on some day of [start, end]."""
    return unit.versions.filter((Q(valid_from__isnull=True) | Q(valid_from__lte=end)) & (Q(valid_to__isnull=True) | Q(valid_to__gte=start))).exists()


def unit_predecessor_names(*, unit: Unit) -> list[str]:
    """Full names of the units whose territory passed to ``unit``, earliest first, transitively."""
    names: list[str] = []
    seen = {unit.code}
    frontier = [unit.code]
    while frontier:
        rows = (UnitChange.objects.filter(unit_id__in=frontier, source__isnull=False).exclude(source_id__in=seen)
                .select_related("source").order_by("effective_date", "row"))
        frontier = []
        for c in rows:
            if c.source_id is None or c.source_id in seen or c.source is None:
                continue
            seen.add(c.source_id)
            frontier.append(c.source_id)
            names.append(c.source.full_name + (" (minh họa)" if "minh họa" in c.note else ""))
    return names


def unit_predecessor_codes(*, codes: set[str]) -> set[str]:
    """Every unit whose territory passed, at some time and by any chain of changes, to one of ``codes``."""
    found: set[str] = set()
    frontier = set(codes)
    if len(frontier) > 500:
        # A province's or a nation's subtree (every request of its officers): thousands of codes as query parameters
        # cost seconds of query building in psycopg, so the change edges (one per source of a change: ≈ 10 000 for
        # the 2025 national reform) are read once and walked here.
        sources: dict[str, set[str]] = {}
        for unit_id, source_id in UnitChange.objects.filter(source__isnull=False).values_list("unit_id", "source_id"):
            sources.setdefault(unit_id, set()).add(source_id)
        while frontier:
            frontier = {s for u in frontier for s in sources.get(u, ())} - found - codes
            found |= frontier
        return found
    while frontier:
        rows = set(UnitChange.objects.filter(unit_id__in=frontier, source__isnull=False).values_list("source_id", flat=True))
        frontier = rows - found - set(codes)
        found |= frontier
    return found
