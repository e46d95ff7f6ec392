"""Forged or absurd form values sent by the rightful user: refused with a message, never a 500."""

from __future__ import annotations

from typing import Any

import pytest

from xhht.core.tests.test_access_audit import all_demos  # noqa: F401  (session fixture)

BIG = "9" * 25


@pytest.mark.django_db
def test_huge_household_count_is_refused(all_demos: None, nam_tuan_officer: Any, client_for: Any) -> None:  # noqa: F811
    from xhht.learning_models.models import VillageHouseholds

    c = client_for(nam_tuan_officer)
    for value in (BIG, "1000001"):
        r = c.post("/mo-hinh-hoc-tap/don-vi/05115/2020/so-ho/", {"households": value, "village": "Bản Kiểm Thử"})
        assert r.status_code == 302
    assert not VillageHouseholds.objects.filter(village="Bản Kiểm Thử").exists()


@pytest.mark.django_db
def test_forged_inspection_team_members_are_ignored(all_demos: None, district_officer: Any, client_for: Any) -> None:  # noqa: F811
    r = client_for(district_officer).post("/mo-hinh-hoc-tap/don-vi/051/2020/doan-kiem-tra/",
                                          {"members": ["abc", BIG, "-1"], "decision_number": "12/QĐ"})
    assert r.status_code == 302


@pytest.mark.django_db
def test_huge_activity_counts_and_money_are_refused(all_demos: None, nam_tuan_officer: Any, client_for: Any) -> None:  # noqa: F811
    from xhht.activities.models import ClcTopic

    c = client_for(nam_tuan_officer)
    before = ClcTopic.objects.count()
    r = c.post("/hoat-dong/chuyen-de/them/", {"unit_code": "05115", "school_year": "2019-2020", "title": "Chuyên đề thử", "subject_area": "law",
                                              "classes": BIG, "participants": "2147483648"})
    assert r.status_code == 400
    assert "quá lớn" in r.content.decode()
    assert ClcTopic.objects.count() == before


def test_parsing_limits() -> None:
    from xhht.activities.parsing import parse_count, parse_money

    assert parse_count("2.147.483.647") == 2_147_483_647
    with pytest.raises(ValueError, match="quá lớn"):
        parse_count("2.147.483.648")
    assert parse_money("999.999.999.999.999.999 đ") == 10**18 - 1
    with pytest.raises(ValueError, match="quá lớn"):
        parse_money("1" + "0" * 18)


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_projection_not_a_number_is_refused(all_demos: None, nam_tuan_officer: Any, client_for: Any, value: str) -> None:  # noqa: F811
    from xhht.indicators.catalogue import catalogue

    programme = catalogue().programmes["qd89-2012-2020"]
    ind = next(i for i in programme.indicators() if not (i.rate_element is None and i.kind == "rate"))
    r = client_for(nam_tuan_officer).post("/chi-tieu/05115/du-kien/", {f"{ind.code}|{programme.projection_phases[0]}": value})
    assert r.status_code == 400
    assert "không phải là số" in r.content.decode()
