"""Aggregation: counts summed up the tree, rates recomputed from sums (never averaged), at once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from xhht.indicators.catalogue import Target, SourceRef, catalogue_load
from xhht.indicators.selectors import EXCEEDED, MET, NOT_MET, StoreReader, appendix_build, compare, element_value, targets_for, trend_projection
from xhht.indicators.services import Value, data_values_write
from xhht.units.models import Unit, UnitVersion

NAM_TUAN, HONG_VIET, DISTRICT, PROVINCE = "05115", "05113", "051", "04"


def write(unit: str, element: str, period: str, value: int, **dis: str) -> None:
    data_values_write(actor=None, values=[Value(element=element, unit_code=unit, period=period, value=value, disaggregation=dis)],
                      source="entered", rule="test")


def ii5(unit_code: str, year: int = 2019):  # type: ignore[no-untyped-def]
    appendix = appendix_build(unit=Unit.objects.get(code=unit_code), programme="qd89-2012-2020", years=[year])
    return appendix.row("II.5").cells[0]


def test_rates_are_recomputed_from_summed_numerators_and_denominators_not_averaged(demo: None) -> None:
    write(NAM_TUAN, "workers_life_skills", "2019", 90)
    write(NAM_TUAN, "workers_total", "2019", 100)
    write(HONG_VIET, "workers_life_skills", "2019", 10)
    write(HONG_VIET, "workers_total", "2019", 1000)
    cell = ii5(DISTRICT)
    assert (cell.count, cell.numerator, cell.denominator) == (100, 100, 1100)
    assert cell.rate == Fraction(100 * 100, 1100)  # 9,09%
    assert cell.rate_source == "computed"
    averaged = (Fraction(90 * 100, 100) + Fraction(10 * 100, 1000)) / 2  # 45,5%
    assert averaged != cell.rate
    assert round(float(cell.rate), 2) == 9.09 and float(averaged) == 45.5
    # The province (Cao Bằng) gets the same figures: its only values are under Hòa An.
    assert ii5(PROVINCE).rate == Fraction(100 * 100, 1100)
    # The commune itself.
    assert ii5(NAM_TUAN).rate == 90


def test_a_value_saved_shows_at_every_level_at_once(demo: None) -> None:
    write(NAM_TUAN, "workers_total", "2018", 100)
    assert element_value(unit=Unit.objects.get(code=PROVINCE), element="workers_total", period="2018") == 100
    write(HONG_VIET, "workers_total", "2018", 50)
    assert element_value(unit=Unit.objects.get(code=DISTRICT), element="workers_total", period="2018") == 150
    assert element_value(unit=Unit.objects.get(code=PROVINCE), element="workers_total", period="2018") == 150


def test_a_units_own_value_is_its_figure_and_nothing_is_counted_twice(demo: None) -> None:
    write(NAM_TUAN, "workers_total", "2019", 100)
    write(HONG_VIET, "workers_total", "2019", 1000)
    write(DISTRICT, "workers_total", "2019", 5000)  # the district's own (approved) total
    district = Unit.objects.get(code=DISTRICT)
    assert element_value(unit=district, element="workers_total", period="2019") == 5000
    assert element_value(unit=Unit.objects.get(code=PROVINCE), element="workers_total", period="2019") == 5000
    assert element_value(unit=Unit.objects.get(code=NAM_TUAN), element="workers_total", period="2019") == 100


def test_no_value_anywhere_is_empty_not_zero(demo: None) -> None:
    cell = ii5(DISTRICT, 2014)
    assert cell.count is None and cell.rate is None and cell.is_empty


def test_only_units_under_the_unit_during_the_period_count(demo: None) -> None:
    district = Unit.objects.get(code=DISTRICT)
    old = Unit.objects.create(code="05199", name="Cũ", kind="commune", parent=None, valid_to=date(2018, 12, 31))
    UnitVersion.objects.create(unit=old, name="Cũ", kind="commune", parent=district, valid_from=None, valid_to=date(2018, 12, 31))
    write("05199", "workers_total", "2018", 7)
    write("05199", "workers_total", "2019", 7)  # recorded after the commune left: not counted
    write(NAM_TUAN, "workers_total", "2018", 1)
    write(NAM_TUAN, "workers_total", "2019", 1)
    assert element_value(unit=district, element="workers_total", period="2018") == 8
    assert element_value(unit=district, element="workers_total", period="2019") == 1


def test_disaggregated_values_are_read_by_their_key(demo: None) -> None:
    write(NAM_TUAN, "literacy_level2", "2013", 40, age_band="15-25")
    write(NAM_TUAN, "literacy_level2", "2013", 70, age_band="26-35")
    district = Unit.objects.get(code=DISTRICT)
    assert element_value(unit=district, element="literacy_level2", period="2013", disaggregation={"age_band": "15-25"}) == 40
    assert element_value(unit=district, element="literacy_level2", period="2013", disaggregation={"age_band": "26-35"}) == 70
    assert element_value(unit=district, element="literacy_level2", period="2013") is None


def test_computed_elements_sum_their_parts(demo: None, tmp_path: Path) -> None:
    path = tmp_path / "elements.yaml"
    path.write_text("""elements:
  - {code: workers_total, name: "A", aggregation: sum}
  - {code: workers_life_skills, name: "B", aggregation: sum}
  - {code: workers_sum, name: "A+B", aggregation: sum, sum_of: [workers_total, workers_life_skills]}
""", encoding="utf-8")
    cat = catalogue_load(element_files=[path], programme_files=[], plan_files=[])
    write(NAM_TUAN, "workers_total", "2017", 5)
    write(HONG_VIET, "workers_life_skills", "2017", 3)
    reader = StoreReader(unit=Unit.objects.get(code=DISTRICT), elements=["workers_sum"], periods=["2017"], cat=cat)
    assert reader.value("workers_sum", "2017") == 8


# --- targets -------------------------------------------------------------------------------------


def test_the_district_plan_applies_to_the_district_and_its_communes_not_above(demo: None) -> None:
    from xhht.indicators.catalogue import catalogue

    programme = catalogue().programmes["qd89-2012-2020"]
    for code in (DISTRICT, NAM_TUAN):
        t = targets_for(programme=programme, unit=Unit.objects.get(code=code))
        assert t["I.1"][2020].value == 97 and t["I.1"][2020].plan == "hoa-an-kh33-2014"
        assert t["I.4"][2020].value == 0
    province = targets_for(programme=programme, unit=Unit.objects.get(code=PROVINCE))
    assert province["I.1"][2020].value is None and province["I.1"][2020].plan is None
    assert province["I.4"][2020].value == 90  # national (QĐ 692)


def test_met_exceeded_not_met() -> None:
    src = SourceRef("test")
    assert compare(Decimal("98.75"), Target(2020, Decimal(97), src), ">=") == EXCEEDED
    assert compare(Fraction(100), Target(2020, Decimal(100), src), ">=") == MET
    assert compare(Fraction(89), Target(2020, Decimal(90), src), ">=") == NOT_MET
    assert compare(Decimal(5), Target(2020, Decimal(10), src), "<=") == EXCEEDED
    assert compare(Decimal(12), Target(2020, Decimal(10), src), "<=") == NOT_MET
    assert compare(None, Target(2020, Decimal(10), src), ">=") is None
    assert compare(Decimal(12), Target(2020, None, src), ">=") is None


def test_a_commune_below_its_target_is_not_met(demo: None) -> None:
    # The survey of December 2019 (period "2019") is the appendix's column 2020 (period_offset -1).
    write(NAM_TUAN, "literacy_level2", "2019", 90, age_band="15-25")
    write(NAM_TUAN, "literacy_population", "2019", 100, age_band="15-25")
    appendix = appendix_build(unit=Unit.objects.get(code=NAM_TUAN), programme="qd89-2012-2020", years=range(2016, 2021))
    row = appendix.row("I.1")
    assert row.cells[-1].rate == 90 and row.cells[-1].status == NOT_MET
    assert row.phase is not None and row.phase.status == NOT_MET


# --- projections ------------------------------------------------------------------------------


def test_trend_projection_is_exact_least_squares_and_bounded() -> None:
    assert trend_projection([(2016, 50), (2017, 52), (2018, 54)], 2020, is_rate=True) == 58
    assert trend_projection([(2016, 90), (2017, 95), (2018, 100)], 2025, is_rate=True) == 100
    assert trend_projection([(2016, 10), (2017, 5), (2018, 0)], 2025, is_rate=False) == 0
    assert trend_projection([(2016, 50), (2017, 52)], 2020, is_rate=True) is None


def test_projections_entered_or_proposed_and_marked(demo: None, indicators_demo: None) -> None:
    district = Unit.objects.get(code=DISTRICT)
    plain = appendix_build(unit=district, programme="qd89-2012-2020", years=range(2016, 2021))
    assert [(p.value, p.how) for p in plain.row("I.1").projections] == [(Decimal("99"), "entered"), (Decimal("99.5"), "entered")]
    assert [p.how for p in plain.row("II.4").projections] == [None, None]
    proposed = appendix_build(unit=district, programme="qd89-2012-2020", years=range(2016, 2021), propose_projections=True)
    assert [(p.value, p.how) for p in proposed.row("II.4").projections] == [(100, "proposed"), (100, "proposed")]
    assert proposed.row("I.1").projections[0].how == "entered"  # what the unit entered stays
    assert "xu hướng" in proposed.row("II.4").note


@pytest.mark.parametrize("years", [[2021, 2016], [1800], list(range(2000, 2030))])
def test_bad_years_are_refused_with_a_message(demo: None, years: list[int]) -> None:
    from xhht.indicators.selectors import IndicatorQueryError, appendix_years_check

    with pytest.raises(IndicatorQueryError):
        appendix_years_check(year_from=years[0], year_to=years[-1])


def test_phase_rules_last_year_sum_none() -> None:
    from dataclasses import replace

    from xhht.indicators.catalogue import catalogue
    from xhht.indicators.selectors import Cell, phase_cell

    ind = catalogue().programmes["qd89-2012-2020"].indicator("II.4")
    assert ind is not None and ind.phase_rule == "last_year"
    cells = [Cell(count=Decimal(90), numerator=Decimal(90), denominator=Decimal(100), rate=Fraction(90)),
             Cell(count=Decimal(10), numerator=Decimal(10), denominator=Decimal(1000), rate=Fraction(1))]
    last = phase_cell(ind, cells)
    assert last is not None and last.rate == 1 and last.count == 10
    summed = phase_cell(replace(ind, phase_rule="sum"), cells)
    assert summed is not None and summed.count == 100 and summed.rate == Fraction(100 * 100, 1100)  # not (90 + 1) / 2
    assert phase_cell(replace(ind, phase_rule="none"), cells) is None
