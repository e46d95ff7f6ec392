"""Defaults and messages of the periodic-reporting screens (issue 15)."""

from __future__ import annotations

from datetime import date
from typing import Any

from xhht.demo.foundation import DISTRICT, HONG_VIET, NAM_TUAN
from xhht.reporting.models import Submission
from xhht.reporting.selectors import default_period_for
from xhht.units.models import Unit


def _submission(code: str, period: str) -> None:
    Submission.objects.create(form_code="commune", unit=Unit.objects.get(code=code), reporter_key=f"u:{code}", period=period)


def test_default_period_is_the_latest_due_or_open_in_the_users_own_area(nam_tuan_officer: Any, hong_viet_officer: Any,
                                                                      district_officer: Any) -> None:
    Submission.objects.all().delete()  # whatever an earlier test or demo left (rolled back after the test)
    _submission(NAM_TUAN, "2019")
    _submission(HONG_VIET, "2020-H1")  # another commune's half-year draft moves nobody else
    today = date(2020, 9, 1)
    assert default_period_for(user=nam_tuan_officer, today=today) == "2019"
    assert default_period_for(user=hong_viet_officer, today=today) == "2020-H1"
    assert default_period_for(user=district_officer, today=today) == "2020-H1"  # the district's area holds both
    _submission(NAM_TUAN, "2020")
    assert default_period_for(user=district_officer, today=today) == "2020"  # open, ends last (text order would say 2020-H1)
    assert default_period_for(user=nam_tuan_officer, today=date(2019, 3, 1)) == "2019"
    _submission(NAM_TUAN, "2031")
    assert default_period_for(user=nam_tuan_officer, today=today) == "2020"  # a period not yet begun is not the default


def test_a_mistyped_period_is_a_message_on_the_page_not_a_404(district_officer: Any, client_for: Any) -> None:
    client = client_for(district_officer)
    for typed in ("abc", "2020-H3"):
        response = client.get("/bao-cao-dinh-ky/", {"ky": typed})
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="period-problem"' in html and f"«{typed}» không hợp lệ" in html
        response = client.get(f"/bao-cao-dinh-ky/tong-hop/{DISTRICT}/{typed}/")
        assert response.status_code == 200 and "không hợp lệ" in response.content.decode()
        response = client.get(f"/bao-cao-dinh-ky/tong-hop/{DISTRICT}/2020/", {"ky": typed})
        assert response.status_code == 200 and "không hợp lệ" in response.content.decode()
        response = client.get(f"/bao-cao-dinh-ky/chat-luong/{DISTRICT}/{typed}/")
        assert response.status_code == 200 and "không hợp lệ" in response.content.decode()
    response = client.get(f"/bao-cao-dinh-ky/tong-hop/{DISTRICT}/2020/", {"ky": "2019"})
    assert response.status_code == 302 and response["Location"].endswith(f"/tong-hop/{DISTRICT}/2019/")


def test_an_approved_report_shows_values_as_text_and_a_rule_breaking_save_is_not_green(
        client_for: Any, nam_tuan_officer: Any, district_officer: Any) -> None:
    from xhht.reporting.demo import commune_values
    from xhht.reporting.tests.test_views import URL, _post

    client = client_for(nam_tuan_officer)
    values = commune_values(15, 2020)
    broken = values | {"rpt_literacy_level1[age_band=15-25]": 999_999}  # level 1 above the population: an error rule
    response = _post(client, broken, 0)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert '<li class="success">' not in page and "lỗi phải sửa trước khi nộp" in page
    response = _post(client, values, 1)
    page = client.get(response["Location"]).content.decode()
    assert '<li class="success">Đã lưu bản nháp (phiên bản 2).</li>' in page
    client.post(URL, {"action": "submit", "version": "2", **{k: str(v) for k, v in values.items()}})
    assert client_for(district_officer).post(URL + "duyet/", {"action": "approve"}).status_code == 302
    page = client_for(nam_tuan_officer).get(URL).content.decode()
    assert 'name="rpt_clc_topics"' not in page and "<textarea" not in page.split('id="decide"')[0]
    assert 'class="value"' in page
