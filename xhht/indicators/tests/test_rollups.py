"""Roll-ups in the database equal the Python computation they replace, on randomised versioned trees.

The reference below is the rule of :mod:`xhht.indicators.selectors` computed the old way: walk the tree as of the
period's last day from :class:`UnitVersion`, a unit's own value standing for its subtree. Trees are random, with
communes re-parented mid-year, dissolved and created; values are written, changed and removed in batches, and the
tree is changed again after the values exist (the roll-ups follow the closure table).
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xhht.indicators.catalogue import catalogue
from xhht.indicators.models import DataRollup, DataValue, Source
from xhht.indicators.periods import parse_period
from xhht.indicators.selectors import StoreReader, element_value, indicator_cell
from xhht.indicators.services import UnknownValue, Value, data_values_write
from xhht.units.models import Unit, UnitClosure, UnitVersion
from xhht.units.services import unit_closure_rebuild, unit_tree_batch

ELEMENTS = {"workers_total": ["2018", "2019", "2020"], "workers_life_skills": ["2018", "2019", "2020"], "clc_topics": ["2018-2019", "2019-2020"]}
MOVE = date(2019, 7, 1)


def reference(unit: str, element: str, period: str, key: str = "") -> Decimal | None:
    end = parse_period(period).end
    own = DataValue.objects.filter(element=element, unit_id=unit, period=period, disaggregation=key).exclude(source=Source.PROJECTED).first()
    if own is not None:
        return own.value
    kids = set(UnitVersion.objects.filter(UnitVersion.valid_on(end), parent_id=unit).values_list("unit_id", flat=True))
    found = [v for v in (reference(k, element, period, key) for k in sorted(kids)) if v is not None]
    return sum(found, Decimal(0)) if found else None


def random_tree(rnd: random.Random) -> list[str]:
    """R → districts → communes → villages; some communes move between districts on MOVE, some end, some begin."""
    with unit_tree_batch():
        Unit.objects.create(code="R", name="Tỉnh", kind="province")
        UnitVersion.objects.create(unit_id="R", name="Tỉnh", kind="province")
        districts = [f"R{d}" for d in range(rnd.randint(2, 4))]
        for d in districts:
            Unit.objects.create(code=d, name=d, kind="district", parent_id="R")
            UnitVersion.objects.create(unit_id=d, name=d, kind="district", parent_id="R")
        codes = ["R", *districts]
        for d in districts:
            for c in range(rnd.randint(2, 5)):
                code = f"{d}{c}"
                codes.append(code)
                Unit.objects.create(code=code, name=code, kind="commune", parent_id=d)
                fate = rnd.random()
                if fate < 0.25:  # re-parented on MOVE
                    other = rnd.choice([x for x in districts if x != d])
                    UnitVersion.objects.create(unit_id=code, name=code, kind="commune", parent_id=d, valid_to=date(2019, 6, 30))
                    UnitVersion.objects.create(unit_id=code, name=code, kind="commune", parent_id=other, valid_from=MOVE)
                elif fate < 0.35:  # dissolved at the end of 2019
                    UnitVersion.objects.create(unit_id=code, name=code, kind="commune", parent_id=d, valid_to=date(2019, 12, 31))
                elif fate < 0.45:  # created in 2019
                    UnitVersion.objects.create(unit_id=code, name=code, kind="commune", parent_id=d, valid_from=date(2019, 3, 1))
                else:
                    UnitVersion.objects.create(unit_id=code, name=code, kind="commune", parent_id=d)
                if rnd.random() < 0.3:
                    village = f"{code}v"
                    codes.append(village)
                    Unit.objects.create(code=village, name=village, kind="village", parent_id=code)
                    UnitVersion.objects.create(unit_id=village, name=village, kind="village", parent_id=code)
    return codes


def random_writes(rnd: random.Random, codes: list[str], n: int) -> None:
    batch = []
    for _ in range(n):
        element = rnd.choice(list(ELEMENTS))
        unit = rnd.choice(codes[1:]) if rnd.random() < 0.95 else "R"
        value = None if rnd.random() < 0.1 else rnd.randint(0, 5000)
        batch.append(Value(element=element, unit_code=unit, period=rnd.choice(ELEMENTS[element]), value=value))
        if len(batch) >= rnd.randint(1, 15):
            data_values_write(actor=None, values=batch, source="entered", rule="test")
            batch = []
    data_values_write(actor=None, values=batch, source="entered", rule="test")


def assert_equal_everywhere(codes: list[str]) -> None:
    for element, periods in ELEMENTS.items():
        for period in periods:
            for code in codes:
                assert element_value(unit=Unit.objects.get(code=code), element=element, period=period) == reference(code, element, period), (code, element, period)
    # Rates at every unit above a commune are recomputed from the summed numerator and denominator.
    ind = catalogue().programmes["qd89-2012-2020"].indicator("II.5")
    assert ind is not None and (ind.numerator, ind.denominator) == ("workers_life_skills", "workers_total")
    for code in codes:
        for year in ("2018", "2019", "2020"):
            reader = StoreReader(unit=Unit.objects.get(code=code), elements=["workers_life_skills", "workers_total"], periods=[year])
            cell = indicator_cell(reader, ind, year)
            num, den = reference(code, "workers_life_skills", year), reference(code, "workers_total", year)
            assert (cell.numerator, cell.denominator) == (num, den)
            assert cell.rate == (Fraction(num * 100) / Fraction(den) if num is not None and den else None)
            for child in reader.children[year][code]:  # each child's figure, as the trace shows it
                assert reader.value("workers_total", year, "", child) == reference(child, "workers_total", year)


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_rollups_equal_the_python_computation_on_random_versioned_trees(seed: int) -> None:
    rnd = random.Random(seed)
    codes = random_tree(rnd)
    random_writes(rnd, codes, 120)
    assert_equal_everywhere(codes)
    # The tree changes after the values exist: a commune moves on its own (a version saved outside a batch).
    mover = rnd.choice([c for c in codes if len(c) == 3])
    target = rnd.choice([c for c in codes if len(c) == 2 and c != mover[:2]])
    UnitVersion.objects.filter(unit_id=mover).delete()
    UnitVersion.objects.create(unit_id=mover, name=mover, kind="commune", parent_id=mover[:2], valid_to=date(2018, 12, 31))
    UnitVersion.objects.create(unit_id=mover, name=mover, kind="commune", parent_id=target, valid_from=date(2019, 1, 1))
    assert_equal_everywhere(codes)
    random_writes(rnd, codes, 60)
    assert_equal_everywhere(codes)


@pytest.mark.django_db
def test_the_closure_table_holds_each_ancestor_over_the_dates_it_is_one() -> None:
    random_tree(random.Random(7))
    moved = UnitVersion.objects.filter(valid_from=MOVE).values_list("unit_id", "parent_id").first()
    if moved is None:
        pytest.skip("no commune moved with this seed")
    code, new_parent = moved
    old_parent = UnitVersion.objects.get(unit_id=code, valid_to=date(2019, 6, 30)).parent_id
    rows = set(UnitClosure.objects.filter(descendant_id=code).values_list("ancestor_id", "depth", "valid_from", "valid_to"))
    assert (old_parent, 1, None, date(2019, 6, 30)) in rows
    assert (new_parent, 1, MOVE, None) in rows
    assert ("R", 2, None, None) in rows  # the province stays its grandparent throughout: one row, merged over the spans
    assert unit_closure_rebuild() == UnitClosure.objects.count()


@pytest.mark.django_db
def test_a_saved_value_is_visible_at_every_level_at_once_and_costs_the_children_not_the_subtree() -> None:
    rnd = random.Random(11)
    codes = random_tree(rnd)
    commune = next(c for c in codes if len(c) == 3 and UnitVersion.objects.filter(unit_id=c, valid_to__isnull=True, valid_from__isnull=True).exists())
    data_values_write(actor=None, values=[Value(element="workers_total", unit_code=commune, period="2020", value=42)], source="entered")
    for code in ("R", commune[:2], commune):
        assert element_value(unit=Unit.objects.get(code=code), element="workers_total", period="2020") == 42
    assert DataRollup.objects.filter(element="workers_total", period="2020", unit__code__startswith="R").count() == 3
    # One more value: the refresh is a fixed number of queries per level, whatever the number of units.
    with CaptureQueriesContext(connection) as ctx:
        data_values_write(actor=None, values=[Value(element="workers_total", unit_code=commune, period="2020", value=43)], source="entered")
    assert len(ctx.captured_queries) <= 20
    assert element_value(unit=Unit.objects.get(code="R"), element="workers_total", period="2020") == 43


@pytest.mark.django_db
def test_the_store_refuses_an_element_period_or_disaggregation_the_catalogue_does_not_declare() -> None:
    random_tree(random.Random(3))
    cases = [
        (Value(element="workers_totl", unit_code="R0", period="2020", value=1), "workers_totl"),
        (Value(element="workers_total", unit_code="R0", period="2020-2021", value=1), "năm học"),
        (Value(element="workers_total", unit_code="R0", period="20x0", value=1), "20x0"),
        (Value(element="workers_total", unit_code="R0", period="2020", value=1, disaggregation={"sex": "F"}), "sex"),
        # No foreign key in the database (a million-value import would pay for it at the commit): the write refuses it.
        (Value(element="workers_total", unit_code="R0X", period="2020", value=1), "R0X"),
    ]
    for value, named in cases:
        with pytest.raises(UnknownValue) as exc:
            data_values_write(actor=None, values=[Value(element="workers_total", unit_code="R0", period="2019", value=5), value], source="entered")
        assert named in str(exc.value) and "không ghi gì" in str(exc.value)
    assert not DataValue.objects.filter(unit_id="R0").exists()  # all or nothing: the good value of each batch was not written either


@pytest.mark.django_db
def test_a_large_write_goes_through_copy_and_equals_the_sum() -> None:
    from xhht.audit.models import AuditEntry
    from xhht.core.bulk import COPY_FROM
    from xhht.indicators.models import DataValueHistory

    with unit_tree_batch():
        Unit.objects.create(code="R", name="Tỉnh", kind="province")
        UnitVersion.objects.create(unit_id="R", name="Tỉnh", kind="province")
        Unit.objects.create(code="R0", name="H", kind="district", parent_id="R")
        UnitVersion.objects.create(unit_id="R0", name="H", kind="district", parent_id="R")
        for i in range(COPY_FROM):
            Unit.objects.create(code=f"R0{i:03d}", name=str(i), kind="commune", parent_id="R0")
            UnitVersion.objects.create(unit_id=f"R0{i:03d}", name=str(i), kind="commune", parent_id="R0")
    values = [Value(element="workers_total", unit_code=f"R0{i:03d}", period="2020", value=i) for i in range(COPY_FROM)]
    assert data_values_write(actor=None, values=values, source="imported", rule="lớn") == COPY_FROM
    assert element_value(unit=Unit.objects.get(code="R"), element="workers_total", period="2020") == sum(range(COPY_FROM))
    assert DataValueHistory.objects.filter(period="2020", unit_code__startswith="R0").count() == COPY_FROM
    assert AuditEntry.objects.filter(action="data_values_write", unit_code__startswith="R0").count() == COPY_FROM
    # Written again with other values: updated in place (ON CONFLICT), the roll-up follows.
    data_values_write(actor=None, values=[Value(v.element, v.unit_code, v.period, 2 * int(v.value or 0)) for v in values], source="imported")
    assert DataValue.objects.filter(period="2020", unit__code__startswith="R0").count() == COPY_FROM
    assert element_value(unit=Unit.objects.get(code="R"), element="workers_total", period="2020") == 2 * sum(range(COPY_FROM))


LINEAGE_UNITS = """code,name,kind,parent_code,valid_from,valid_to,special_difficulty
98,Thử Nghiệm,province,,,,0
981,Huyện Một,district,98,,,0
982,Huyện Hai,district,98,,,0
98104,Một Bốn,commune,981,,,0
98105,Một Năm,commune,981,,,0
98203,Hai Ba,commune,982,,,0
98204,Hai Bốn,commune,982,,,0
98205,Hai Năm,commune,982,,,0
9820301,Thôn 1,village,98203,,,0
9820302,Thôn 2,village,98203,,,0
9820303,Thôn 3,village,98203,,,0
"""
# A reform of 2025-07-01 (format 4): districts end, communes merge into a new one, one is split between two by share.
LINEAGE_CHANGES = """effective_date,basis,code,name,kind,parent_code,from_code,from_villages,from_share,end
2025-07-01,NQ 1/THU,98302,Sông Cầu,commune,98,98104,,,
2025-07-01,NQ 1/THU,98302,,,,98105,,,
2025-07-01,NQ 1/THU,98302,,,,98203,Thôn 1;Thôn 2,0.4,
2025-07-01,NQ 1/THU,98204,Đồi Thông,commune,98,98205,,,
2025-07-01,NQ 1/THU,98204,,,,98203,Thôn 3,0.6,
2025-07-01,NQ 1/THU,981,,,,,,,1
2025-07-01,NQ 1/THU,982,,,,,,,1
"""


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [5, 6, 7])
def test_rollups_equal_the_python_computation_across_a_reform_imported_with_its_lineage(seed: int, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Values written before a reform imported through format 4 (merges, a split by share, districts ended), then
    the reform, then more values: at every unit and year, before and after, the roll-ups equal the tree walk."""
    from xhht.units.changes import unit_changes_import
    from xhht.units.services import unit_import

    rnd = random.Random(seed)
    (tmp_path / "units.csv").write_text(LINEAGE_UNITS, encoding="utf-8")
    unit_import(actor=None, path=tmp_path / "units.csv")
    years = ["2024", "2025", "2026"]
    before = ["98", "981", "982", "98104", "98105", "98203", "98204", "98205", "9820301", "9820303"]

    def writes(codes: list[str], n: int) -> None:
        data_values_write(actor=None, source="entered", rule="test", values=[
            Value(element=rnd.choice(["workers_total", "workers_life_skills"]), unit_code=rnd.choice(codes), period=rnd.choice(years),
                  value=None if rnd.random() < 0.1 else rnd.randint(0, 5000)) for _ in range(n)])

    def check(codes: list[str]) -> None:
        for element in ("workers_total", "workers_life_skills"):
            for year in years:
                for code in codes:
                    got = element_value(unit=Unit.objects.get(code=code), element=element, period=year)
                    assert got == reference(code, element, year), (code, element, year)

    for _ in range(3):
        writes(before, rnd.randint(5, 40))
    check(before)
    (tmp_path / "changes.csv").write_text(LINEAGE_CHANGES, encoding="utf-8")
    unit_changes_import(actor=None, path=tmp_path / "changes.csv")
    after = [*before, "98302"]
    check(after)  # the tree changed under the stored values: 2025 and 2026 now sum on the new tree
    writes(["98", "98302", "98204", "9820301"], rnd.randint(5, 30))
    check(after)
