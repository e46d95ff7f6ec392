"""Reading the unit tree, as of a date.

The tree is at most four levels deep, so walking it one level per query is cheap even for
the whole country (about 11,000 communes before 2025) and needs no materialised paths.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import connection
from django.utils import timezone

from xhht.core.text import vietnamese_sort_key
from xhht.units.models import LEVEL, Unit, UnitKind, UnitVersion


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
    qs = Unit.objects.filter(code__in=unit_descendant_codes(unit=unit, on=on))
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
