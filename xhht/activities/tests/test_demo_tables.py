"""The seed report's activity tables come out of the demo's registers exactly."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Sum

from xhht.activities import selectors
from xhht.audit.models import AuditEntry
from xhht.core.formatting import format_money, format_number
from xhht.indicators.models import DataValue

pytestmark = pytest.mark.django_db
SCHOOL_YEARS = ["2016-2017", "2017-2018", "2018-2019", "2019-2020"]


def test_clc_yearly_table(activities_demo: None, district: Any) -> None:
    table = selectors.clc_yearly_table(unit=district, school_years=SCHOOL_YEARS)
    assert [(r.school_year, r.topics, r.classes, r.participants) for r in table.rows] == [
        ("2016-2017", 187, 167, 8247),
        ("2017-2018", 190, 170, 10940),
        ("2018-2019", 179, 152, 10420),
        ("2019-2020", 108, 97, 7965),
    ]
    assert (table.total.school_year, table.total.topics, table.total.classes, table.total.participants) == ("Cộng", 664, 586, 37572)


def test_clc_staff_and_coverage(activities_demo: None, district: Any) -> None:
    summary = selectors.clc_staff_summary(unit=district, school_year="2019–2020")
    assert (summary.centres, summary.managers, summary.accountants_treasurers) == (21, 63, 42)
    assert (summary.communes_with_centre, summary.communes) == (21, 21)


def test_vocational_table_with_total_row_and_empty_cells(activities_demo: None, district: Any) -> None:
    table = selectors.vocational_yearly_table(unit=district, years=range(2010, 2020))
    expected = {
        "2010": (8, 228, 215, 26, 13, 0), "2011": (38, 814, 794, 68, 17, 0), "2012": (12, 331, 320, 45, 29, 0),
        "2013": (15, 461, 449, 42, 2, 0), "2014": (17, 526, 447, 30, 0, 0), "2015": (10, 276, 262, 28, 3, 0),
        "2016": (10, 262, 260, 17, 1, 0), "2017": (6, 168, 168, 168, 0, 0), "2018": (4, 122, 122, 122, 0, 0),
        "2019": (5, 170, 167, None, None, None),
    }
    got = {r.year: (r.classes, r.learners, r.ethnic_minority, r.poor_household, r.policy_beneficiary, r.disabled) for r in table.rows}
    assert got == expected
    total = table.total
    assert (total.year, total.classes, total.learners, total.ethnic_minority, total.poor_household, total.policy_beneficiary, total.disabled) == (
        "Cộng", 125, 3358, 3204, 546, 65, 0)
    assert [format_number(v) for v in (total.learners, total.ethnic_minority)] == ["3.358", "3.204"]
    # The seed's sub-totals: 100 classes / 2.636 learners with 4 non-farm in 2010–2015; 25 / 722 with 2 non-farm after.
    first = selectors.vocational_yearly_table(unit=district, years=range(2010, 2016)).total
    second = selectors.vocational_yearly_table(unit=district, years=range(2016, 2021)).total
    assert (first.classes, first.learners, first.non_farm_classes) == (100, 2636, 4)
    assert (second.classes, second.learners, second.non_farm_classes) == (25, 722, 2)


def test_every_demo_class_keeps_breakdowns_within_learners(activities_demo: None) -> None:
    from xhht.activities.models import VocationalClass

    for c in VocationalClass.objects.all():
        for part in (c.ethnic_minority, c.poor_household, c.policy_beneficiary, c.disabled):
            assert part is None or part <= c.learners


def test_lifelong_week_summary(activities_demo: None, district: Any) -> None:
    summary = selectors.lifelong_week_summary(unit=district, years=range(2016, 2021))
    assert summary.themes == {
        2016: "Phát triển văn hóa đọc trong kỷ nguyên số",
        2017: "Học tập để phát triển quê hương đất nước",
        2018: "Học ở trường, học ở sách vở, học lẫn nhau và học ở dân",
        2019: "Đọc và học tập suốt đời theo gương Bác Hồ vĩ đại",
    }
    assert summary.participants is not None and summary.participants > 24000
    assert summary.books_collected is not None and summary.books_collected > 23000
    assert (summary.delegates, summary.banners) == (248, 315)


def test_communication_summary(activities_demo: None, district: Any) -> None:
    summary = selectors.communication_summary(unit=district)
    assert summary.by_organisation == {
        "Phòng Văn hóa và Thông tin huyện Hòa An": {"news_item": 350, "article": 46},
        "Trung tâm Văn hóa và Truyền thông huyện Hòa An": {"news_item": 123, "feature": 6},
    }
    assert all(r.estimated for r in summary.rows if r.organisation.startswith("Phòng Văn hóa"))


def test_commendations(activities_demo: None, district: Any) -> None:
    summary = selectors.commendation_summary(unit=district, years=[2020])
    assert summary.counts == {("district", "commune"): 2, ("district", "person"): 1}


def test_budget(activities_demo: None, district: Any) -> None:
    summary = selectors.budget_summary(unit=district, years=[2020])
    assert summary.total == Decimal("40552000") and isinstance(summary.total, Decimal)
    assert summary.by_purpose == {"regular_operation": Decimal("25000000"), "allowances": Decimal("15552000")}
    assert format_money(summary.total) == "40.552.000 đ"


def test_registers_feed_the_indicator_store(activities_demo: None) -> None:
    def total(element: str, period: str, key: str = "") -> Decimal:
        return DataValue.objects.filter(element=element, period=period, disaggregation=key, unit__parent_id="051").aggregate(s=Sum("value"))["s"]

    assert total("clc_participants", "2016-2017") == 8247
    assert total("clc_topics", "2019-2020") == 108
    assert total("clc_communes_with_centre", "2019-2020") == 21
    assert total("clc_managers", "2019-2020") == 63
    assert total("vocational_learners", "2011") == 814
    assert total("vocational_classes", "2011", "sector=non_farm") == 1
    # The 2019 poor-household cells are empty: no value is stored, not a zero.
    assert not DataValue.objects.filter(element="vocational_learners_poor_household", period="2019").exists()
    district_values = DataValue.objects.filter(unit_id="051")
    assert district_values.get(element="budget_amount", period="2020", disaggregation="").value == Decimal("40552000")
    assert district_values.get(element="budget_amount", period="2020", disaggregation="purpose=allowances").value == Decimal("15552000")
    assert district_values.get(element="lifelong_week_delegates", period="2018").value == 50
    assert district_values.get(element="communication_outputs", period="2012-2020", disaggregation="kind=news_item").value == 473
    assert district_values.get(element="commendations", period="2020", disaggregation="recipient_kind=commune").value == 2
    value = DataValue.objects.filter(element="clc_participants").first()
    assert value is not None and value.source == "computed" and value.rule == "activities.clc_participants"


def test_demo_is_idempotent(activities_demo: None) -> None:
    from xhht.activities.demo import load

    before = (AuditEntry.objects.count(), DataValue.objects.count())
    load()
    assert (AuditEntry.objects.count(), DataValue.objects.count()) == before
