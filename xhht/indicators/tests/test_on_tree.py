"""Indicator values read on another tree (format 4): counts pass by share (largest remainder, parts add up),
rates recomputed from the passed numerator and denominator; a commune born in 2025 shows its past."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from xhht.demo.foundation import DISTRICT, HONG_VIET, NAM_TUAN, REFORM_2025, XA_HOA_AN, XA_NAM_TUAN, reforms_load
from xhht.indicators.selectors import IndicatorQueryError, StoreReader, appendix_build
from xhht.indicators.services import Value, data_values_write
from xhht.units.changes import unit_changes_import
from xhht.units.models import Unit


def write(unit: str, element: str, period: str, value: int) -> None:
    data_values_write(actor=None, values=[Value(element=element, unit_code=unit, period=period, value=value, disaggregation={})],
                      source="entered", rule="test")


def test_new_commune_reads_its_predecessors_and_rates_are_recomputed(demo: None) -> None:
    for commune, (num, den) in {NAM_TUAN: (90, 100), "05106": (10, 1000), "05108": (7, 9), HONG_VIET: (1, 1)}.items():
        write(commune, "workers_life_skills", "2019", num)
        write(commune, "workers_total", "2019", den)
    reforms_load()
    new = Unit.objects.get(code=XA_NAM_TUAN)
    appendix = appendix_build(unit=new, programme="qd89-2012-2020", years=[2019])  # default: born 2025, reads its past
    cell = appendix.row("II.5").cells[0]
    assert (cell.numerator, cell.denominator) == (107, 1109) and cell.rate == Fraction(107 * 100, 1109)
    assert "xã Nam Tuấn" in appendix.lineage_note and "xã Dân Chủ" in appendix.lineage_note and "01/07/2025" in appendix.lineage_note
    # The district read on the 2025 tree: it no longer exists; refused with a clear message.
    with pytest.raises(IndicatorQueryError, match="không tồn tại vào ngày 01/07/2025"):
        appendix_build(unit=Unit.objects.get(code=DISTRICT), programme="qd89-2012-2020", years=[2019], on=REFORM_2025)
    # The province on the 2025 tree keeps the same totals as on the 2019 tree.
    province = Unit.objects.get(code="04")
    own = appendix_build(unit=province, programme="qd89-2012-2020", years=[2019]).row("II.5").cells[0]
    on = appendix_build(unit=province, programme="qd89-2012-2020", years=[2019], on=REFORM_2025).row("II.5").cells[0]
    assert (own.numerator, own.denominator) == (on.numerator, on.denominator)
    hoa_an = appendix_build(unit=Unit.objects.get(code=XA_HOA_AN), programme="qd89-2012-2020", years=[2019], on=REFORM_2025)
    assert hoa_an.row("II.5").cells[0].numerator == 1


def test_split_by_share_apportions_once_and_adds_up(demo: None, tmp_path: Path) -> None:
    write(NAM_TUAN, "workers_total", "2019", 1001)
    write(NAM_TUAN, "workers_life_skills", "2019", 7)
    path = tmp_path / "split.csv"
    path.write_text("effective_date,basis,code,name,kind,parent_code,from_code,from_villages,from_share,end\n"
                    "2021-01-01,NQ thử,05901,Tách Một,commune,051,05115,,0.333,\n"
                    "2021-01-01,NQ thử,05902,Tách Hai,commune,051,05115,,0.333,\n"
                    "2021-01-01,NQ thử,05903,Tách Ba,commune,051,05115,,0.334,\n", encoding="utf-8")
    unit_changes_import(actor=None, path=path)
    district = Unit.objects.get(code=DISTRICT)
    reader = StoreReader(unit=district, elements=["workers_total", "workers_life_skills"], periods=["2019"], on=date(2021, 1, 1))
    totals = [reader.value("workers_total", "2019", unit_code=c) for c in ("05901", "05902", "05903")]
    assert totals == [Decimal(333), Decimal(333), Decimal(335)] and sum(totals) == 1001  # 333,333 + 333,333 + 334,334
    skills = [reader.value("workers_life_skills", "2019", unit_code=c) for c in ("05901", "05902", "05903")]
    assert sum(skills) == 7 and skills == [Decimal(2), Decimal(2), Decimal(3)]
    assert reader.value("workers_total", "2019") == StoreReader(unit=district, elements=["workers_total"], periods=["2019"]).value("workers_total", "2019")
