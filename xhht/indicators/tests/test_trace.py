"""Tracing a figure of the appendix: the unit's own stored values (who, when, from what), each child's
figure, the children's total as a cross-check, the history of changes; scoped like every indicator page."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from xhht.indicators.selectors import IndicatorQueryError, indicator_trace
from xhht.indicators.services import Value, data_values_write
from xhht.units.models import Unit

NAM_TUAN, HONG_VIET, DISTRICT = "05115", "05113", "051"


def write(unit: str, element: str, period: str, value: int, actor: Any = None, rule: str = "test") -> None:
    data_values_write(actor=actor, values=[Value(element=element, unit_code=unit, period=period, value=value)],
                      source="entered", rule=rule)


def test_a_summed_figure_lists_the_children_that_make_it(demo: None) -> None:
    write(NAM_TUAN, "workers_life_skills", "2019", 90)
    write(NAM_TUAN, "workers_total", "2019", 100)
    write(HONG_VIET, "workers_life_skills", "2019", 10)
    write(HONG_VIET, "workers_total", "2019", 1000)
    trace = indicator_trace(unit=Unit.objects.get(code=DISTRICT), programme="qd89-2012-2020", indicator="II.5", year=2019)
    assert (trace.cell.numerator, trace.cell.denominator) == (100, 1100)
    assert trace.cell.rate == Fraction(100 * 100, 1100)
    assert [e.role for e in trace.elements][:2] == ["tử số", "mẫu số"]
    assert all(e.stored is None and e.how == "cộng từ các đơn vị cấp dưới" for e in trace.elements[:2])
    by_code = {c.unit.code: c for c in trace.children}
    assert len(trace.children) == 21  # every commune of Hòa An, with or without data
    assert by_code[NAM_TUAN].cell.rate == 90 and by_code[NAM_TUAN].own
    assert by_code[HONG_VIET].cell.rate == 1 and by_code[HONG_VIET].own
    assert sum(1 for c in trace.children if c.cell.count is None) == 19
    assert trace.children_total is not None
    assert (trace.children_total.count, trace.children_total.denominator, trace.children_total.rate) == (100, 1100, trace.cell.rate)
    assert not trace.own_figure and not trace.differs_from_children


def test_a_units_own_figure_shows_who_entered_it_and_is_checked_against_its_children(demo: None, district_officer: Any) -> None:
    write(NAM_TUAN, "workers_life_skills", "2019", 90)
    write(NAM_TUAN, "workers_total", "2019", 100)
    write(DISTRICT, "workers_life_skills", "2019", 80, actor=district_officer, rule="BC 12/PGD")
    write(DISTRICT, "workers_total", "2019", 100, actor=district_officer, rule="BC 12/PGD")
    write(DISTRICT, "workers_life_skills", "2019", 85, actor=district_officer, rule="BC 12/PGD sửa")
    trace = indicator_trace(unit=Unit.objects.get(code=DISTRICT), programme="qd89-2012-2020", indicator="II.5", year=2019)
    assert trace.cell.rate == 85
    numerator = trace.elements[0]
    assert numerator.stored is not None and numerator.how == "số của chính đơn vị"
    assert numerator.stored.updated_by == district_officer and numerator.stored.rule == "BC 12/PGD sửa"
    assert trace.own_figure and trace.differs_from_children  # 85/100 typed vs 90/100 from Nam Tuấn
    assert [(h.old_value, h.new_value) for h in trace.history if h.element == "workers_life_skills"][0] == (Decimal(80), Decimal(85))
    assert trace.history[0].changed_by == str(district_officer)
    # With nothing reported below, the district's own figure stands alone: missing data, not a disagreement.
    write(DISTRICT, "workers_life_skills", "2018", 80)
    write(DISTRICT, "workers_total", "2018", 100)
    alone = indicator_trace(unit=Unit.objects.get(code=DISTRICT), programme="qd89-2012-2020", indicator="II.5", year=2018)
    assert alone.own_figure and alone.children_total is not None and alone.children_total.count is None
    assert not alone.differs_from_children


def test_unknown_indicator_or_year_is_refused(demo: None) -> None:
    unit = Unit.objects.get(code=DISTRICT)
    with pytest.raises(IndicatorQueryError):
        indicator_trace(unit=unit, programme="qd89-2012-2020", indicator="Z.9", year=2019)
    with pytest.raises(IndicatorQueryError):
        indicator_trace(unit=unit, programme="khong-co", indicator="II.5", year=2019)
    with pytest.raises(IndicatorQueryError):
        indicator_trace(unit=unit, programme="qd89-2012-2020", indicator="II.5", year=3000)


def test_the_page_traces_the_seed_figure_to_the_imported_report(client_for: Any, district_officer: Any, indicators_demo: None) -> None:
    """I.1 2020 at Hòa An: 7.817/7.916 (98,75%), typed from the district's report, with its children."""
    client = client_for(district_officer)
    appendix = client.get("/chi-tieu/051/?chuong_trinh=qd89-2012-2020&tu_nam=2016&den_nam=2020").content.decode()
    assert "/chi-tieu/051/nguon/I.1/2020/?" in appendix  # the figure links to its trace
    response = client.get("/chi-tieu/051/nguon/I.1/2020/?chuong_trinh=qd89-2012-2020")
    assert response.status_code == 200
    html = response.content.decode()
    assert "7.817" in html and "7.916" in html and "98,75%" in html
    assert "nhập từ tệp" in html  # the source of the district's own figure
    assert "Các đơn vị cấp dưới" in html and "Nam Tuấn" in html
    assert "/chi-tieu/05115/nguon/I.1/2020/" in html  # each child links to its own trace


def test_scope_a_commune_officer_traces_only_their_commune(client_for: Any, nam_tuan_officer: Any, indicators_demo: None) -> None:
    client = client_for(nam_tuan_officer)
    assert client.get("/chi-tieu/05115/nguon/II.5/2019/").status_code == 200
    assert client.get("/chi-tieu/05113/nguon/II.5/2019/").status_code == 404  # Hồng Việt
    assert client.get("/chi-tieu/051/nguon/II.5/2019/").status_code == 404  # the district
    assert client.get("/chi-tieu/05115/nguon/Z.9/2019/").status_code == 404
    assert client.get("/chi-tieu/05115/nguon/II.5/3000/").status_code == 404
    assert client.get("/chi-tieu/05115/nguon/II.5/2019/?chuong_trinh=<script>").status_code == 404


def test_anonymous_is_sent_to_login(client: Any, demo: None) -> None:
    response = client.get("/chi-tieu/051/nguon/I.1/2020/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_the_trace_ends_on_the_page_the_value_was_made_on(demo: None, client_for: Any, nam_tuan_officer: Any) -> None:
    from xhht.indicators.models import DataValue
    from xhht.indicators.sources import source_link
    from xhht.reporting.demo import load as load_reporting

    from xhht.indicators.catalogue import catalogue

    i1 = catalogue().programmes["qd89-2012-2020"].indicator("I.1")
    assert i1 is not None
    data_values_write(actor=None, values=[Value(element="literacy_level2", unit_code=NAM_TUAN, period="2019", value=5,
                                                disaggregation=i1.filter_dict)], source="computed", rule="literacy:nd20-2014")
    trace = indicator_trace(unit=Unit.objects.get(code=NAM_TUAN), programme="qd89-2012-2020", indicator="I.1", year=2020)
    assert trace.elements[0].link == ("kết quả tính từ phiếu điều tra", "/xoa-mu-chu/05115/2019/")
    # A value a commune's form wrote links to that form, which its officer can open.
    load_reporting()
    from_form = DataValue.objects.filter(unit_id=NAM_TUAN, rule__startswith="form:").first()
    assert from_form is not None
    link = source_link(from_form)
    assert link is not None and link[1].startswith("/bao-cao-dinh-ky/bieu/") and link[1].endswith(f"/05115/{from_form.period}/")
    assert client_for(nam_tuan_officer).get(link[1]).status_code == 200
    # A rule no app claims has no link, rather than a wrong one.
    assert source_link(DataValue(element="x", unit_id=NAM_TUAN, period="2019", value=1, source="entered", rule="test")) is None
