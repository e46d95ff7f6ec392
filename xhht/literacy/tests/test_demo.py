"""Every count of format 3's Hòa An example, derived from the demo's person records."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from xhht.audit.models import AuditEntry
from xhht.literacy.catalogue import rules
from xhht.literacy.models import CommuneAggregate, SurveyPerson
from xhht.literacy.selectors import unit_results
from xhht.units.models import Unit

FORMAT3 = {
    "unit": "051", "year": 2019,
    "bands": {
        "15-25": {"population": 7916, "level1": 7844, "level2": 7817},
        "15-35": {"population": 20126, "level1": 19925, "level2": 19776},
        "15-60": {"population": 39564, "level1": 39127, "level2": 38091},
        "26-35": {"population": 12210, "level1": 12081, "level2": 11959},
        "36-60": {"population": 19438, "level1": 19202, "level2": 18315},
    },
    "standards": {"literacy": 2, "primary": 3, "lower_secondary": 2},
}


def _cli_json(unit: str, year: int = 2019) -> dict[str, Any]:
    out = StringIO()
    call_command("literacy", unit=unit, year=year, format="json", stdout=out)
    return json.loads(out.getvalue())


def test_cli_json_reproduces_the_seed_exactly(survey: None) -> None:
    data = _cli_json("051")
    children = data.pop("children")
    assert data == FORMAT3
    assert len(children) == 21
    assert all(c["standards"]["literacy"] == 2 for c in children)
    assert set(children[0]) == {"unit", "bands", "standards"}
    # The district's counts are the sums of its communes' counts.
    for band, counts in FORMAT3["bands"].items():
        for measure, value in counts.items():
            assert sum(c["bands"][band][measure] for c in children) == value


def test_counts_recomputed_from_the_person_rows(survey: None) -> None:
    """Independently of the aggregate: scan the persons in Python with Điều 19 and the denominator setting."""
    r = rules()
    counts = {band: {"population": 0, "level1": 0, "level2": 0} for band, _, _ in r.bands}
    rows = SurveyPerson.objects.filter(year=2019, commune__parent_id="051").values_list(
        "birth_year", "disability", "highest_grade", "literacy_phase")
    for birth_year, disability, grade, phase in rows.iterator(chunk_size=5000):
        if disability == 2 and r.exclude_unable_to_learn:
            continue
        age = 2019 - birth_year
        for band, first, last in r.bands:
            if first <= age <= last:
                c = counts[band]
                c["population"] += 1
                c["level1"] += phase >= 1 or grade >= 3
                c["level2"] += phase >= 2 or grade >= 5
    assert counts == FORMAT3["bands"]


def test_disabled_unable_to_learn_are_out_of_the_denominator(survey: None) -> None:
    excluded = SurveyPerson.objects.filter(year=2019, disability=2, birth_year__gte=2019 - 60, birth_year__lte=2019 - 15).count()
    assert excluded > 0
    in_band = SurveyPerson.objects.filter(year=2019, birth_year__gte=2019 - 60, birth_year__lte=2019 - 15).count()
    assert in_band - excluded == 39564


def test_every_commune_and_the_district_at_xmc_level_2(survey: None) -> None:
    result = unit_results(unit=Unit.objects.get(code="051"), year=2019)
    assert result.standards == FORMAT3["standards"]
    assert len(result.children) == 21
    assert all(c.standards == {"literacy": 2, "primary": 3, "lower_secondary": 2} for c in result.children)
    assert result.shares["literacy"][2] == (21, 21)
    # PCGD figures are sensible: every commune's 6-year-olds in grade 1, ≥ 90% of 11-year-olds through primary.
    for c in result.children:
        assert c.figures[("entered_grade1", 6, 6)] == c.figures[("population", 6, 6)] > 0
        assert c.figures[("completed_primary", 11, 11)] * 10 >= c.figures[("population", 11, 11)] * 9
        assert c.figures[("completed_primary", 11, 11)] + c.figures[("in_primary", 11, 11)] == c.figures[("population", 11, 11)]
        diploma, teens = c.figures[("lower_secondary_diploma", 15, 18)], c.figures[("population", 15, 18)]
        assert 90 * teens <= 100 * diploma < 95 * teens


def test_breakdowns_add_up(survey: None) -> None:
    result = unit_results(unit=Unit.objects.get(code="051"), year=2019)
    for counts in result.bands.values():
        for measure in ("population", "level1", "level2"):
            assert counts.parts["M"][measure] + counts.parts["F"][measure] == counts.total[measure]
            assert counts.parts["kinh"][measure] + counts.parts["minority"][measure] == counts.total[measure]
    assert result.bands["15-60"].parts["minority"]["population"] > result.bands["15-60"].parts["kinh"]["population"] > 0


def test_demo_is_idempotent(survey: None) -> None:
    from xhht.literacy.demo import load

    persons = SurveyPerson.objects.count()
    aggregates = CommuneAggregate.objects.count()
    audits = AuditEntry.objects.count()
    load()
    assert SurveyPerson.objects.count() == persons
    assert CommuneAggregate.objects.count() == aggregates
    assert AuditEntry.objects.count() == audits


def test_values_in_the_indicator_store(survey: None) -> None:
    from xhht.indicators.models import DataValue

    def value(element: str, unit: str, key: str) -> int:
        return int(DataValue.objects.get(element=element, unit_id=unit, period="2019", disaggregation=key).value)

    assert value("literacy_level2", "051", "age_band=15-25") == 7817
    assert value("literacy_population", "051", "age_band=26-35") == 12210
    assert value("literacy_level2", "051", "age_band=26-35") == 11959
    assert value("literacy_level2", "051", "age_band=36-60") == 18315
    assert value("literacy_level1", "051", "age_band=15-60") == 39127
    assert value("literacy_standard_level", "051", "") == 2
    row = DataValue.objects.get(element="literacy_level2", unit_id="051", period="2019", disaggregation="age_band=15-25")
    assert row.source == "computed" and row.rule == "literacy:nd20-2014"
    communes = DataValue.objects.filter(element="literacy_level2", period="2019", disaggregation="age_band=15-25", unit__parent_id="051")
    assert communes.count() == 21 and sum(int(v.value) for v in communes) == 7817
    f = value("literacy_population", "051", "age_band=15-25;sex=F")
    m = value("literacy_population", "051", "age_band=15-25;sex=M")
    assert f + m == 7916


@pytest.mark.parametrize("fmt", ["table", "xlsx"])
def test_cli_table_and_xlsx(survey: None, fmt: str, tmp_path: Any) -> None:
    out = StringIO()
    target = tmp_path / "kq.xlsx"
    call_command("literacy", unit="051", year=2019, format=fmt, output=str(target), stdout=out)
    if fmt == "table":
        assert "7844" in out.getvalue() and "99,09%" in out.getvalue() and "96,28%" in out.getvalue()
    else:
        from openpyxl import load_workbook

        book = load_workbook(target)
        rows = list(book["Kết quả"].iter_rows(values_only=True))
        assert ("15-25", "Tổng", 7916, 7844, "99,09%", 7817, "98,75%") in rows
        assert ("36-60", "Tổng", 19438, 19202, "98,79%", 18315, "94,22%") in rows
        assert len(list(book["Đơn vị trực thuộc"].iter_rows())) == 1 + 21 * 5


def test_rebuild_command_gives_the_same_aggregate(survey: None) -> None:
    before = sorted(CommuneAggregate.objects.filter(year=2019).values_list("commune_id", "age_from", "sex", "minority", "unable_to_learn",
                                                                           "population", "level1", "level2", "completed_primary"))
    out = StringIO()
    call_command("literacy_rebuild", year=2019, stdout=out)
    after = sorted(CommuneAggregate.objects.filter(year=2019).values_list("commune_id", "age_from", "sex", "minority", "unable_to_learn",
                                                                          "population", "level1", "level2", "completed_primary"))
    assert before == after and len(after) < 21 * 100


def test_denominator_setting_counts_the_disabled_when_false(survey: None) -> None:
    import copy

    from xhht.literacy.catalogue import parse

    raw = copy.deepcopy(rules().raw)
    raw["settings"]["exclude_unable_to_learn"] = False
    counted = unit_results(unit=Unit.objects.get(code="051"), year=2019, rule_set=parse(raw))
    disabled = SurveyPerson.objects.filter(year=2019, disability=2, birth_year__gte=2019 - 60, birth_year__lte=2019 - 15).count()
    assert counted.bands["15-60"].total["population"] == 39564 + disabled
    assert counted.bands["15-60"].total["level1"] == 39127  # they are not literate
