from __future__ import annotations

from typing import Any

import pytest

from xhht.reporting.demo import commune_values
from xhht.reporting.models import Status, Submission

pytestmark = pytest.mark.django_db
URL = "/bao-cao-dinh-ky/bieu/commune/05115/2020-H1/"


def _post(client: Any, values: dict[str, object], version: int, action: str = "save", **extra: str) -> Any:
    data = {k: str(v) for k, v in values.items()} | {"version": str(version), "action": action,
                                                   "text__difficulties": "<script>alert('x')</script>"} | extra
    return client.post(URL, data)


def test_entry_form_shows_sections_and_refuses_other_communes(client_for: Any, nam_tuan_officer: Any, hong_viet_officer: Any) -> None:
    page = client_for(nam_tuan_officer).get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "I. Hoạt động của Trung tâm học tập cộng đồng" in html and 'name="rpt_clc_participants[sex=F]"' in html
    assert client_for(hong_viet_officer).get(URL).status_code == 404
    assert client_for(hong_viet_officer).get("/bao-cao-dinh-ky/bieu/commune/05115/2020-H1/mau.xlsx").status_code == 404


def test_save_submit_approve_through_the_web(client_for: Any, nam_tuan_officer: Any, district_officer: Any) -> None:
    client = client_for(nam_tuan_officer)
    response = _post(client, commune_values(15, 2020), 0)
    assert response.status_code == 302
    page = client.get(URL).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page and "<script>alert('x')" not in page
    assert 'id="total-rpt_clc_participants">' in page
    # Bad entries: messages beside the fields, nothing saved.
    response = _post(client, commune_values(15, 2020) | {"rpt_clc_topics": "mười", "rpt_clc_classes": "-2"}, 1)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-key="rpt_clc_topics"' in html and "không phải là số" in html and "âm" in html
    assert Submission.objects.get(reporter_key="u:05115", period="2020-H1").version == 1
    # Submit.
    assert _post(client, commune_values(15, 2020), 1, action="submit").status_code == 302
    sub = Submission.objects.get(reporter_key="u:05115", period="2020-H1")
    assert sub.status == Status.SUBMITTED
    # The commune officer cannot approve; the district officer can.
    assert client.post(URL + "duyet/", {"action": "approve"}).status_code == 403
    district = client_for(district_officer)
    assert district.post(URL + "duyet/", {"action": "approve", "comment": "Đạt"}).status_code == 302
    sub.refresh_from_db()
    assert sub.status == Status.APPROVED
    # Approved: a save is refused and nothing changes.
    client = client_for(nam_tuan_officer)
    response = _post(client, commune_values(15, 2020) | {"rpt_clc_topics": 99}, sub.version)
    assert response.status_code == 409
    assert "Đã duyệt" in response.content.decode()
    page = client.get(URL).content.decode()
    assert "Duyệt" in page and 'id="events"' in page


def test_stale_save_is_refused_with_a_clear_message(client_for: Any, nam_tuan_officer: Any, district_officer: Any) -> None:
    _post(client_for(nam_tuan_officer), commune_values(15, 2020) | {"rpt_clc_topics": 11}, 0)
    response = _post(client_for(district_officer), commune_values(15, 2020) | {"rpt_clc_topics": 22}, 0)
    assert response.status_code == 409
    html = response.content.decode()
    assert "CHƯA được lưu" in html and 'id="attempted"' in html
    assert 'value="11"' in html  # the first person's value is what the form shows


def test_dashboard_is_the_completeness_page(client_for: Any, district_officer: Any, reporting_demo: None) -> None:
    page = client_for(district_officer).get("/bao-cao-dinh-ky/?ky=2020")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tình hình nộp báo cáo năm 2020" in html and 'id="reminders"' in html and "Cán bộ xã Nam Tuấn" in html
    assert 'data-reporter="05106" data-timeliness="late"' in html


def test_quality_page_lists_the_appendix_jumps(client_for: Any, district_officer: Any, reporting_demo: None) -> None:
    page = client_for(district_officer).get("/bao-cao-dinh-ky/chat-luong/051/2016-2020/")
    html = page.content.decode()
    for year, value in [("2017", "7.809"), ("2018", "7.723"), ("2019", "18.113")]:
        assert f'data-code="own_history" data-period="{year}"' in html and value in html
    assert 'data-code="own_history" data-period="2016"' not in html


def test_office_and_district_forms_open_for_the_district(client_for: Any, district_officer: Any, nam_tuan_officer: Any) -> None:
    from xhht.organisations.models import Organisation

    org = Organisation.objects.get(unit_id="051", kind="education_office")
    client = client_for(district_officer)
    page = client.get(f"/bao-cao-dinh-ky/bieu/education_office/tc-{org.pk}/2020/")
    assert page.status_code == 200 and "Đánh giá, xếp loại" in page.content.decode()
    assert client.get("/bao-cao-dinh-ky/bieu/district/051/2020/").status_code == 200
    assert client.get("/bao-cao-dinh-ky/bieu/commune/051/2020/").status_code == 404  # a district does not fill the commune form
    assert client.get("/bao-cao-dinh-ky/bieu/education_office/tc-{}/2020-H1/".format(org.pk)).status_code == 404  # yearly form
    assert client_for(nam_tuan_officer).get(f"/bao-cao-dinh-ky/bieu/education_office/tc-{org.pk}/2020/").status_code == 404
