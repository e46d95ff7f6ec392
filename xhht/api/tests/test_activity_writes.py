"""Changing and deleting an activity record through the API (issue 17), as the web's edit page and Delete button do:
the same parser, checks and services; another commune's record is 404, a record one sees but may not change 403."""

from __future__ import annotations

from typing import Any

import pytest

from xhht.api.tests.refusals import audit_count, refused

NT, HV = "05115", "05113"
WEEK = "tuan-le-hoc-tap"


@pytest.fixture
def week(demo: None, nam_tuan_officer: Any, token_for: Any, api: Any) -> dict[str, Any]:
    r = api("post", f"activities/{WEEK}", token_for(nam_tuan_officer),
            json={"unit_code": NT, "year": 2019, "theme": "Học tập suốt đời", "participants": 120, "delegates": 10})
    assert r.status_code == 201, r.content
    return dict(r.json())


@pytest.mark.django_db
def test_record_updated_as_the_web_edit_page_does(week: dict[str, Any], nam_tuan_officer: Any, hong_viet_officer: Any, viewer: Any,
                                                  token_for: Any, api: Any) -> None:
    from xhht.activities.models import LifelongWeek
    from xhht.audit.models import AuditEntry

    commune, neighbour, look = token_for(nam_tuan_officer), token_for(hong_viet_officer), token_for(viewer)
    url = f"activities/{WEEK}/{week['id']}"
    assert api("get", url, commune).json() == week
    assert api("get", url, look).status_code == 200  # the district's viewer sees it
    before = audit_count()
    refused(api("get", url, neighbour), 404, "record")
    refused(api("put", url, neighbour, json={"participants": 1}), 404, "record")  # another commune's token
    refused(api("put", url, look, json={"participants": 1}), 403)  # a viewer's token
    refused(api("put", url, None, json={"participants": 1}), 401, "Authorization")
    refused(api("put", url, commune, json={"unit_code": HV}), 403)  # moved to a unit not one's own: as the web's form
    refused(api("put", url, commune, json={"participants": "nhiều"}), 400, "participants")
    refused(api("put", url, commune, json={"year": 1990}), 400, "year")
    refused(api("put", url, commune, json={"mau": "x"}), 400, "mau")
    refused(api("put", url, commune, json=["participants"]), 400)
    refused(api("put", f"activities/khong-co/{week['id']}", commune, json={"participants": 1}), 404, "slug")
    refused(api("put", f"activities/{WEEK}/99999999", commune, json={"participants": 1}), 404, "record")
    assert audit_count() == before
    other = api("post", f"activities/{WEEK}", commune, json={"unit_code": NT, "year": 2018, "participants": 80})
    assert other.status_code == 201
    before = audit_count()
    refused(api("put", url, commune, json={"year": 2018}), 400)  # one week per unit and year, as on the web
    assert audit_count() == before
    stored = LifelongWeek.objects.get(pk=week["id"])
    assert (stored.unit_id, stored.year, stored.participants, stored.theme) == (NT, 2019, 120, "Học tập suốt đời")

    r = api("put", url, commune, json={"participants": 150, "banners": 4})  # the columns not sent keep their values
    assert r.status_code == 200, r.content
    assert (r.json()["participants"], r.json()["banners"], r.json()["delegates"], r.json()["theme"]) == (150, 4, 10, "Học tập suốt đời")
    entry = AuditEntry.objects.filter(action="lifelong_week_update").order_by("-pk").first()
    assert entry is not None and entry.actor == nam_tuan_officer and entry.unit_code == NT and "qua API" in entry.note
    assert entry.changes["participants"] == [120, 150]
    r = api("put", url, commune, json={"delegates": None})  # null empties an optional column
    assert r.status_code == 200 and r.json()["delegates"] is None


@pytest.mark.django_db
def test_record_deleted_as_the_web_delete_button_does(week: dict[str, Any], nam_tuan_officer: Any, hong_viet_officer: Any,
                                                      district_officer: Any, viewer: Any, token_for: Any, api: Any) -> None:
    from xhht.activities.models import LifelongWeek
    from xhht.audit.models import AuditEntry

    url = f"activities/{WEEK}/{week['id']}"
    look, neighbour, district = token_for(viewer), token_for(hong_viet_officer), token_for(district_officer)
    before = audit_count()
    refused(api("delete", url, neighbour), 404, "record")
    refused(api("delete", url, look), 403)
    refused(api("delete", url), 401, "Authorization")
    assert audit_count() == before and LifelongWeek.objects.filter(pk=week["id"]).exists()
    r = api("delete", url, district)  # the district's officer may change its communes' registers, as on the web
    assert r.status_code == 204 and not r.content
    assert not LifelongWeek.objects.filter(pk=week["id"]).exists()
    assert AuditEntry.objects.filter(action="lifelong_week_delete", actor=district_officer, unit_code=NT).exists()
    refused(api("get", url, token_for(nam_tuan_officer)), 404, "record")


@pytest.mark.django_db
def test_centre_record_changed_only_by_its_centre_editors(demo: None, nam_tuan_officer: Any, hong_viet_officer: Any, token_for: Any,
                                                          api: Any) -> None:
    commune, neighbour = token_for(nam_tuan_officer), token_for(hong_viet_officer)
    r = api("post", "activities/can-bo-tthtcd", commune, json={"unit_code": NT, "school_year": "2012-2013", "managers": 3,
                                                               "accountants_treasurers": 1})
    assert r.status_code == 201, r.content
    url = f"activities/can-bo-tthtcd/{r.json()['id']}"
    refused(api("put", url, neighbour, json={"managers": 5}), 404, "record")
    refused(api("put", url, commune, json={"unit_code": HV}), 403)  # Hồng Việt's centre is not Nam Tuấn's to fill
    refused(api("put", url, commune, json={"school_year": "2012"}), 400, "school_year")
    r = api("put", url, commune, json={"managers": 5})
    assert r.status_code == 200 and r.json()["managers"] == 5 and r.json()["unit"] == NT, r.content
