"""Refusals: a Nam Tuấn officer gets no page, export or API answer about Hồng Việt, and changes nothing outside Nam Tuấn."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from xhht.accounts.access import can_approve_for, can_edit_unit, can_view_unit, require_edit_unit
from xhht.audit.services import audit_record
from xhht.units.models import Unit

NAM_TUAN, HONG_VIET, HOA_AN = "05115", "05113", "051"
PAGES = ["/don-vi/{code}/", "/don-vi/{code}/export.xlsx", "/api/units/{code}/"]


@pytest.mark.parametrize("page", PAGES)
def test_commune_officer_gets_nothing_about_another_commune(client_for: Any, nam_tuan_officer: Any, page: str) -> None:
    client = client_for(nam_tuan_officer)
    refused = client.get(page.format(code=HONG_VIET))
    assert refused.status_code == 404
    assert "Hồng Việt" not in refused.content.decode()
    assert client.get(page.format(code=NAM_TUAN)).status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_commune_officer_cannot_read_the_district_either(client_for: Any, nam_tuan_officer: Any, page: str) -> None:
    assert client_for(nam_tuan_officer).get(page.format(code=HOA_AN)).status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_district_officer_reads_every_commune(client_for: Any, district_officer: Any, page: str) -> None:
    client = client_for(district_officer)
    for code in (HOA_AN, NAM_TUAN, HONG_VIET):
        assert client.get(page.format(code=code)).status_code == 200
    assert client.get(page.format(code="04")).status_code == 404  # the province is above them


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_login(client: Any, demo: None, page: str) -> None:
    response = client.get(page.format(code=NAM_TUAN))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_edit_and_approve_rights(nam_tuan_officer: Any, district_officer: Any, viewer: Any, province_officer: Any) -> None:
    assert can_edit_unit(nam_tuan_officer, NAM_TUAN)
    assert not can_edit_unit(nam_tuan_officer, HONG_VIET)
    with pytest.raises(PermissionDenied):
        require_edit_unit(nam_tuan_officer, HONG_VIET)
    assert can_view_unit(viewer, NAM_TUAN) and not can_edit_unit(viewer, NAM_TUAN)
    assert not can_approve_for(nam_tuan_officer, NAM_TUAN)
    assert can_approve_for(district_officer, NAM_TUAN) and not can_approve_for(district_officer, HOA_AN)
    assert can_approve_for(province_officer, HOA_AN)


def test_commune_officer_cannot_use_the_admin(client_for: Any, nam_tuan_officer: Any) -> None:
    client = client_for(nam_tuan_officer)
    response = client.post(f"/quan-tri/units/unit/{HONG_VIET}/change/", {"name": "Bị sửa"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert Unit.objects.get(code=HONG_VIET).name == "Hồng Việt"


def test_unit_page_lists_children_organisations_committee_documents(client_for: Any, district_officer: Any) -> None:
    page = client_for(district_officer).get(f"/don-vi/{HOA_AN}/").content.decode()
    assert page.count('href="/don-vi/051') >= 21
    assert "Phòng Giáo dục và Đào tạo huyện Hòa An" in page
    assert "Phó Trưởng ban thường trực" in page
    assert "738/QĐ-UBND" in page and "33/KH-UBND" in page
    # One tap from the unit to its figures in each capability.
    assert 'id="capabilities"' in page and 'href="/chi-tieu/051/"' in page and "/mo-hinh-hoc-tap/don-vi/051/xep-loai/" in page


def test_audit_log_is_scoped(client_for: Any, nam_tuan_officer: Any, district_officer: Any) -> None:
    hong_viet = Unit.objects.get(code=HONG_VIET)
    audit_record(actor=district_officer, action="test_change", instance=hong_viet, unit_code=HONG_VIET, changes={"name": ["Hồng Việt", "Hồng Việt 2"]})
    assert "Hồng Việt 2" not in client_for(nam_tuan_officer).get("/nhat-ky/").content.decode()
    assert "Hồng Việt 2" in client_for(district_officer).get("/nhat-ky/").content.decode()


def test_api_answers_json(client_for: Any, district_officer: Any) -> None:
    data = client_for(district_officer).get(f"/api/units/{HOA_AN}/").json()
    assert data["name"] == "Hòa An" and len(data["children"]) == 21
    assert [a["code"] for a in data["ancestors"]] == []  # the province is outside the district officer's reach


def test_organisation_officer_changes_only_their_organisation(demo: None) -> None:
    from xhht.accounts.access import can_edit_organisation
    from xhht.accounts.models import Role
    from xhht.accounts.services import user_create_or_update
    from xhht.organisations.models import Organisation

    womens_union = Organisation.objects.get(name="Hội Liên hiệp Phụ nữ huyện Hòa An")
    youth_union = Organisation.objects.get(name="Huyện đoàn Hòa An")
    officer = user_create_or_update(actor=None, username="hlhpn.hoaan", password="hoi-phu-nu-2020", role=Role.ORGANISATION_OFFICER, organisation=womens_union)
    assert officer.unit_id == "051"
    assert can_view_unit(officer, HOA_AN)
    assert not can_edit_unit(officer, HOA_AN)
    assert can_edit_organisation(officer, womens_union) and not can_edit_organisation(officer, youth_union)
