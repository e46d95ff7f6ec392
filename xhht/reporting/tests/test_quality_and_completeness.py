from __future__ import annotations

from datetime import date

import pytest

from xhht.indicators.periods import parse_period
from xhht.reporting.selectors import completeness
from xhht.reporting.validation import outlier_findings
from xhht.units.models import Unit

pytestmark = pytest.mark.django_db


def test_outlier_check_flags_the_three_jumps_of_the_seed_appendix(reporting_demo: None) -> None:
    district = Unit.objects.get(code="051")
    flagged = {}
    for year in ["2016", "2017", "2018", "2019"]:
        found = [f for f in outlier_findings(unit=district, period=year) if f.keys == ["rpt_appendix_literate_36_60"]]
        flagged[year] = found
    assert flagged["2016"] == []  # no history before it
    assert len(flagged["2017"]) == 1 and "14.704" in flagged["2017"][0].detail and "7.809" in flagged["2017"][0].detail
    assert len(flagged["2018"]) == 1 and "7.723" in flagged["2018"][0].detail and "2016: 14.704" in flagged["2018"][0].detail
    assert len(flagged["2019"]) == 1 and "18.113" in flagged["2019"][0].detail and "2018: 7.723" in flagged["2019"][0].detail


def test_completeness_of_the_2020_reports(reporting_demo: None) -> None:
    result = completeness(unit=Unit.objects.get(code="051"), period=parse_period("2020"), today=date(2021, 2, 1), form_codes=["commune"])
    by_code = {r.reporter.unit.code: r for r in result.rows}
    assert result.expected == 21
    assert by_code["05101"].timeliness == "on_time" and by_code["05101"].submission.status == "approved"
    assert by_code["05106"].timeliness == "late" and by_code["05106"].days_late == 5
    assert by_code["05115"].timeliness == "missing" and by_code["05115"].submission is None
    assert by_code["05113"].timeliness == "missing" and by_code["05113"].submission.status == "draft"
    assert result.on_time == 8 and result.late == 2 and result.not_submitted == 11
    reminders = {r.reporter.unit.code: r for r in result.reminders}
    assert "05115" in reminders and "05112" in reminders and "05101" not in reminders
    assert [c.name for c in reminders["05115"].contacts] == ["Cán bộ xã Nam Tuấn"]


def test_completeness_lists_district_offices(reporting_demo: None) -> None:
    result = completeness(unit=Unit.objects.get(code="051"), period=parse_period("2020"), today=date(2021, 2, 1))
    offices = {r.form.code: r for r in result.rows if r.reporter.organisation is not None}
    assert offices["education_office"].timeliness == "on_time"
    assert offices["labour_office"].timeliness == "late"
    assert offices["youth_union"].timeliness == "missing"


def test_peer_check_flags_a_commune_far_from_its_neighbours(reporting_demo: None, district_officer: object) -> None:
    from xhht.reporting.catalogue import get_catalogue
    from xhht.reporting.demo import commune_values
    from xhht.reporting.selectors import Reporter
    from xhht.reporting.services import submission_save

    unit = Unit.objects.get(code="05109")
    submission_save(actor=district_officer, form=get_catalogue().forms["commune"], reporter=Reporter(unit), period="2020",
                    values=commune_values(9, 2020) | {"rpt_clc_topics": 200, "rpt_clc_classes": 150}, base_version=0)
    found = [f for f in outlier_findings(unit=unit, period="2020") if f.kind == "peers"]
    assert {f.keys[0] for f in found} == {"rpt_clc_topics", "rpt_clc_classes"}
    assert "200" in next(f.detail for f in found if f.keys == ["rpt_clc_topics"]) and "trung vị" in found[0].detail
    # A commune in line with its peers is not flagged.
    assert [f for f in outlier_findings(unit=Unit.objects.get(code="05101"), period="2020") if f.kind == "peers"] == []
