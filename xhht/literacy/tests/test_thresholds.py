"""Each threshold at its boundary, on hand-made fixtures (pure engine and through the database)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from xhht.literacy.catalogue import rules
from xhht.literacy.engine import commune_levels, meets, share_level
from xhht.literacy.selectors import unit_results
from xhht.units.models import Unit

from .helpers import attest_all, literate_commune, load, make_district

ATTESTED = {"literacy": 3, "primary": 3, "lower_secondary": 3}


def test_meets_is_exact() -> None:
    assert not meets(8999, 10000, Decimal("0.90"))  # 89,99%
    assert meets(9000, 10000, Decimal("0.90"))  # 90,00%
    assert not meets(2, 3, Decimal("0.67"))
    assert meets(1, 1, Decimal("1"))


def _figures(**values: int) -> dict[tuple[str, int, int], int]:
    out: dict[tuple[str, int, int], int] = {}
    for key, value in values.items():
        column, a, b = key.rsplit("_", 2)
        out[(column, int(a), int(b))] = value
    return out


@pytest.mark.parametrize(("level2", "expected"), [(8999, 1), (9000, 2)])
def test_xmc_level2_boundary_pure(level2: int, expected: int) -> None:
    figures = _figures(population_15_60=10000, level2_15_60=level2, population_15_35=5000, level1_15_35=5000)
    levels, _ = commune_levels(rules(), figures, special_difficulty=False, attested=ATTESTED)
    assert levels["literacy"] == expected


def test_special_difficulty_commune_uses_its_own_bands_pure() -> None:
    # 15–60 at level 2: 80% (fails the normal rule); 15–35 at level 2: 90% (meets the special rule).
    figures = _figures(population_15_60=1000, level2_15_60=800, population_15_35=500, level2_15_35=450, level1_15_35=420,
                       population_15_25=200, level1_15_25=180)
    normal, _ = commune_levels(rules(), figures, special_difficulty=False, attested=ATTESTED)
    special, _ = commune_levels(rules(), figures, special_difficulty=True, attested=ATTESTED)
    assert normal["literacy"] == 0  # 15–35 at level 1: 84% < 90%
    assert special["literacy"] == 2  # 15–25 at level 1: 90%; 15–35 at level 2: 90%


def test_primary_special_difficulty_boundary_pure() -> None:
    base = dict(population_6_6=100, entered_grade1_6_6=100, population_14_14=100, population_11_11=100)
    # 14-year-olds through primary: 70% meets the special-difficulty rule of Điều 9, not the normal 80%.
    f = _figures(**base, completed_primary_14_14=70, completed_primary_11_11=60, in_primary_11_11=40)
    assert commune_levels(rules(), f, special_difficulty=True, attested=ATTESTED)[0]["primary"] == 1
    assert commune_levels(rules(), f, special_difficulty=False, attested=ATTESTED)[0]["primary"] == 0
    f = _figures(**base, completed_primary_14_14=69, completed_primary_11_11=60, in_primary_11_11=40)
    assert commune_levels(rules(), f, special_difficulty=True, attested=ATTESTED)[0]["primary"] == 0


def test_attestation_caps_the_level_pure() -> None:
    figures = _figures(population_15_60=100, level2_15_60=100, population_15_35=50, level1_15_35=50)
    assert commune_levels(rules(), figures, special_difficulty=False, attested={"literacy": 1})[0]["literacy"] == 1
    assert commune_levels(rules(), figures, special_difficulty=False, attested={})[0]["literacy"] == 0


@pytest.mark.parametrize(("at_level2", "expected"), [(18, 2), (17, 1)])
def test_district_share_of_communes_pure(at_level2: int, expected: int) -> None:
    levels = rules().recognitions["literacy"]
    children = [2] * at_level2 + [1] * (20 - at_level2)
    level, counts = share_level(levels, children, of="communes", attested=2, attestation_required=True)
    assert level == expected
    assert counts[2] == (at_level2, 20)


def test_province_needs_every_district_at_level2_pure() -> None:
    levels = rules().recognitions["literacy"]
    assert share_level(levels, [2] * 10, of="districts", attested=2, attestation_required=True)[0] == 2
    assert share_level(levels, [2] * 9 + [1], of="districts", attested=2, attestation_required=True)[0] == 1


# Through the database: imported persons, the aggregate, the selectors.

@pytest.mark.django_db
def test_boundary_8999_vs_9000_from_records(tmp_path: Path) -> None:
    codes = make_district(tmp_path, communes=2)
    attest_all(codes)
    load(codes[0], literate_commune(codes[0], level2=8999, total=10000))
    load(codes[1], literate_commune(codes[1], level2=9000, total=10000))
    result = unit_results(unit=Unit.objects.get(code="099"), year=2019)
    by_code = {c.code: c for c in result.children}
    assert by_code[codes[0]].bands["15-60"].total == {"population": 10000, "level1": 8999, "level2": 8999}
    assert by_code[codes[0]].standards["literacy"] == 1  # 15–35 is empty (nobody to count); 15–60 at level 2 is 89,99%
    assert by_code[codes[1]].standards["literacy"] == 2


@pytest.mark.django_db
def test_special_difficulty_commune_from_records(tmp_path: Path) -> None:
    codes = make_district(tmp_path, communes=2, special={1})
    attest_all(codes)
    # 15–35: 90/100 at level 2; 36–60: 50/100 at level 2 → 15–60 at 70%.
    groups = [(30, 90, 9, 0), (30, 10, 0, 0), (50, 50, 5, 0), (50, 50, 0, 0)]
    for code in codes:
        load(code, groups)
    result = unit_results(unit=Unit.objects.get(code="099"), year=2019)
    by_code = {c.code: c for c in result.children}
    assert by_code[codes[0]].special_difficulty is True
    assert by_code[codes[0]].standards["literacy"] == 2
    assert by_code[codes[1]].standards["literacy"] == 1  # 15–35 at level 1: 90%; 15–60 at level 2: 70%


@pytest.mark.django_db
def test_district_with_18_of_20_communes_at_level2(tmp_path: Path) -> None:
    codes = make_district(tmp_path, communes=20)
    attest_all([*codes, "099"])
    for i, code in enumerate(codes):
        level2 = 90 if i < 18 else 89  # two communes at 89%: level 1 only (15–35 empty)
        load(code, [(40, level2, 5, 0), (40, 100 - level2, 3, 0)])
    result = unit_results(unit=Unit.objects.get(code="099"), year=2019)
    assert [c.standards["literacy"] for c in result.children].count(2) == 18
    assert result.shares["literacy"][2] == (18, 20)
    assert result.standards["literacy"] == 2  # 18/20 = 90% ≥ 90%
    # One commune fewer: 17/20 = 85% → the district falls to level 1.
    load(codes[0], [(40, 89, 5, 0), (40, 11, 3, 0)])
    result = unit_results(unit=Unit.objects.get(code="099"), year=2019)
    assert result.shares["literacy"][2] == (17, 20)
    assert result.standards["literacy"] == 1
