"""A nation read at once (``units_results`` of its provinces) gives exactly each province read on its own, on the
year's own tree and on a later tree with lineage (splits by village and by share); and the sums' SQL, written
once per rule set, gives exactly the sums Django's expressions give."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xhht.literacy.catalogue import rules
from xhht.literacy.models import CommuneAggregate, VillageAggregate
from xhht.literacy.selectors import _layout, commune_figures, unit_results, units_results, village_figures
from xhht.literacy.services import persons_import
from xhht.literacy.tests.test_on_tree import CHANGES, UNITS, VILLAGES, YEAR, _persons
from xhht.units.changes import unit_changes_import
from xhht.units.models import Unit
from xhht.units.services import unit_import

ON = date(2025, 7, 1)
B = "Nghị quyết 1/NQ-THU"
# A second province: one commune split by villages and shares, one by shares only, both into two new communes.
MORE_UNITS = """96,Thử Tỉnh Hai,province,,,,0
961,Huyện Sáu Một,district,96,,,0
96101,Sáu Một Một,commune,961,,,0
96102,Sáu Một Hai,commune,961,,,1
"""
MORE_VILLAGES = {"96101": ["Thôn A", "Thôn B", "Thôn C"], "96102": ["Bản M"]}
MORE_CHANGES = f"""2025-07-01,{B},96301,Sáu Ba Một,commune,96,96101,Thôn A,0.3,
2025-07-01,{B},96302,Sáu Ba Hai,commune,96,96101,Thôn B;Thôn C,0.7,
2025-07-01,{B},96301,,,,96102,,0.25,
2025-07-01,{B},96302,,,,96102,,0.75,
2025-07-01,{B},961,,,,,,,1
"""


@pytest.fixture
def nation(db: None, tmp_path: Path) -> list[Unit]:
    units = tmp_path / "units.csv"
    units.write_text(UNITS + MORE_UNITS, encoding="utf-8")
    unit_import(actor=None, path=units)
    rng = random.Random(96)
    rows = _persons(random.Random(18))
    n = len(rows)
    for commune, villages in MORE_VILLAGES.items():
        for _, row in _persons(rng)[:200]:
            n += 1
            rows.append((n, {**row, "commune_code": commune, "village": rng.choice(villages), "person_id": f"Q{n:06d}",
                             "household_id": f"K{n // 4:05d}"}))
    persons_import(actor=None, year=YEAR, rows=rows, display_name="test", publish=False)
    changes = tmp_path / "changes.csv"
    changes.write_text(CHANGES + MORE_CHANGES, encoding="utf-8")
    unit_changes_import(actor=None, path=changes)
    return [Unit.objects.get(code="97"), Unit.objects.get(code="96")]


@pytest.mark.parametrize("on", [None, ON])
@pytest.mark.parametrize("child_parts", [False, True])
def test_nation_at_once_equals_each_province_on_its_own(nation: list[Unit], on: date | None, child_parts: bool) -> None:
    alone = [unit_results(unit=u, year=YEAR, on=on, child_parts=child_parts) for u in nation]
    together = units_results(units=nation, year=YEAR, on=on, child_parts=child_parts)
    assert together == alone
    assert [c.code for c in together[1].children] == (["96301", "96302"] if on else ["961"])
    ours = CommuneAggregate.objects.filter(year=YEAR, unable_to_learn=False, commune_id__in=[*VILLAGES, *MORE_VILLAGES])
    assert sum(r.persons for r in together) == sum(ours.values_list("population", flat=True)) > 0

def test_nation_at_once_is_a_fixed_number_of_queries(nation: list[Unit]) -> None:
    """One province or two: the same queries (but each root's predecessor names, read per root)."""
    units_results(units=nation, year=YEAR, on=ON)  # the mapping built and the per-village counts made once
    counts = []
    for units in (nation[:1], nation):
        for on in (None, ON):
            with CaptureQueriesContext(connection) as queries:
                units_results(units=units, year=YEAR, on=on)
            counts.append(sum(1 for q in queries if not ("units_unitchange" in q["sql"] and "source_id" in q["sql"])))
    assert counts[:2] == counts[2:], counts

def test_sums_sql_equals_djangos_expressions(nation: list[Unit]) -> None:
    r = rules()
    village_figures(year=YEAR, communes=["97203", "96101"], rule_set=r)  # builds the per-village counts
    for parts in (False, True):
        layout = _layout(r, parts)
        qs = CommuneAggregate.objects.filter(year=YEAR, unable_to_learn=False)
        django = {str(row[0]): list(row[1:]) for row in qs.values("commune_id").annotate(**layout.exprs)
                  .values_list("commune_id", *layout.exprs).order_by()}
        assert commune_figures(year=YEAR, rule_set=r, parts=parts) == django  # every commune (other tests' too)
        assert commune_figures(year=YEAR, communes=["97104", "96102", "00000"], rule_set=r, parts=parts) == {
            c: django[c] for c in ("97104", "96102")}
        vqs = VillageAggregate.objects.filter(year=YEAR, unable_to_learn=False, commune_id__in=["97203", "96101"])
        by_village = {(str(row[0]), str(row[1])): list(row[2:]) for row in vqs.values("commune_id", "village").annotate(**layout.exprs)
                      .values_list("commune_id", "village", *layout.exprs).order_by()}
        assert by_village and village_figures(year=YEAR, communes=["97203", "96101"], rule_set=r, parts=parts) == by_village
    assert set(VILLAGES) | set(MORE_VILLAGES) <= set(commune_figures(year=YEAR, rule_set=r))
