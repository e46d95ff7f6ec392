"""Each bad input of issue 17 is refused with its status code, a Vietnamese message and the field, and writes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xhht.api.tests.refusals import audit_count, refused

NT, HV = "05115", "05113"
PERSONS_HEADER = "commune_code,household_id,person_id,full_name,sex,birth_date,highest_grade_completed\n"


@pytest.mark.django_db
def test_token_of_another_commune_reads_and_writes_nothing_there(demo: None, nam_tuan_officer: Any, token_for: Any, api: Any) -> None:
    token = token_for(nam_tuan_officer)
    before = audit_count()
    refused(api("get", f"units/{HV}", token), 404)
    refused(api("get", f"indicators/{HV}/values", token), 404)
    refused(api("put", f"reports/commune/{HV}/2020", token, json={"version": 0, "values": {"rpt_clc_topics": 3}}), 404)
    assert audit_count() == before


@pytest.mark.django_db
def test_expired_revoked_unknown_and_malformed_tokens_are_401(demo: None, nam_tuan_officer: Any, api: Any) -> None:
    from xhht.accounts.models import ApiToken
    from xhht.accounts.tokens import api_token_create, api_token_revoke

    expired = api_token_create(actor=nam_tuan_officer, user=nam_tuan_officer, name="hết hạn")
    ApiToken.objects.filter(pk=expired.token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    revoked = api_token_create(actor=nam_tuan_officer, user=nam_tuan_officer, name="thu hồi")
    assert api("get", f"units/{NT}", revoked.secret).status_code == 200
    api_token_revoke(actor=nam_tuan_officer, token=revoked.token)
    for secret in (expired.secret, revoked.secret, "xhht_khong-co-khoa-nay", "abc"):
        refused(api("get", f"units/{NT}", secret), 401, "Authorization")
    refused(api("get", f"units/{NT}", HTTP_AUTHORIZATION="Basic eGh0OnBhc3M="), 401, "Authorization")
    refused(api("get", f"units/{NT}"), 401, "Authorization")
    # Only the hash is stored; the prefix names the token.
    row = ApiToken.objects.get(pk=revoked.token.pk)
    assert revoked.secret not in (row.key_hash, row.prefix) and revoked.secret.startswith(row.prefix) and len(row.key_hash) == 64


@pytest.mark.django_db
def test_forged_unit_code_in_a_body(demo: None, nam_tuan_officer: Any, viewer: Any, token_for: Any, api: Any) -> None:
    """A reporter the caller cannot see → 404 (as the web); one it sees but may not change → 403; nothing written."""
    before = audit_count()
    body = {"form": "commune", "reporter": HV, "period": "2020", "version": 0, "values": {"rpt_clc_topics": 3}}
    refused(api("post", "reports/drafts", token_for(nam_tuan_officer), json=body), 404)
    refused(api("post", "reports/drafts", token_for(viewer), json={**body, "reporter": NT}), 403)
    assert audit_count() == before - 0 + 2  # only the two tokens' creation


@pytest.mark.django_db
def test_forged_commune_in_an_import_file_rejects_the_whole_file(demo: None, nam_tuan_officer: Any, token_for: Any, api: Any,
                                                                  settings: Any) -> None:
    from xhht.literacy.models import SurveyPerson

    settings.XHHT_JOBS_INLINE = True
    token = token_for(nam_tuan_officer)
    persons = SurveyPerson.objects.count()
    content = (PERSONS_HEADER + f"{NT},H1,P1,Nguyễn Văn A,M,1990-01-01,9\n{HV},H2,P2,Nông Thị B,F,1991-02-03,9\n").encode()
    r = api("post", "literacy/imports", token, data={"year": "2019", "file": SimpleUploadedFile("nguoi.csv", content, "text/csv")})
    assert r.status_code == 202, r.content
    state = api("get", f"literacy/imports/{r.json()['job']}", token).json()
    assert state["state"] == "rejected" and any(HV in p for p in state["problems"]), state
    assert SurveyPerson.objects.count() == persons


@pytest.mark.django_db
def test_unknown_element_and_disaggregation_are_400_naming_them(demo: None, nam_tuan_officer: Any, token_for: Any, api: Any) -> None:
    token = token_for(nam_tuan_officer)
    body = refused(api("get", f"indicators/{NT}/values?element=khong_co", token), 400, "element")
    assert "khong_co" in body["detail"]
    body = refused(api("get", f"indicators/{NT}/values?disaggregation=mau_sac=do", token), 400, "disaggregation")
    assert "mau_sac" in body["detail"]
    before = audit_count()
    body = refused(api("put", f"reports/commune/{NT}/2020", token, json={"version": 0, "values": {"khong_co[sex=F]": 1}}), 400,
                    "values.khong_co[sex=F]")
    assert "khong_co" in body["detail"]
    refused(api("put", f"reports/commune/{NT}/2020", token, json={"version": 0, "values": {"rpt_clc_participants": 5}}), 400,
             "values.rpt_clc_participants")  # a total is computed, not sent
    refused(api("put", f"reports/commune/{NT}/2020", token, json={"version": 0, "values": {"rpt_clc_topics": "ba"}}), 400,
             "values.rpt_clc_topics")
    assert audit_count() == before


@pytest.mark.django_db
def test_period_in_the_wrong_format_is_400(demo: None, nam_tuan_officer: Any, token_for: Any, api: Any) -> None:
    token = token_for(nam_tuan_officer)
    refused(api("get", f"indicators/{NT}/values?period_from=20x0", token), 400, "period_from")
    refused(api("get", f"reports/commune/{NT}/2020-13", token), 400, "period")
    refused(api("get", "reports/?period=nam-nay", token), 400, "period")
    refused(api("get", f"indicators/{NT}/values?element=xmc_pop&on=31-12-2020", token), 400, "on")


@pytest.mark.django_db
def test_stale_version_is_409_and_keeps_the_first_save(demo: None, nam_tuan_officer: Any, token_for: Any, api: Any) -> None:
    from xhht.indicators.models import DataValue

    token = token_for(nam_tuan_officer)
    r = api("put", f"reports/commune/{NT}/2020", token, json={"version": 0, "values": {"rpt_clc_topics": 7}})
    assert r.status_code == 200, r.content
    assert r.json()["version"] == 1 and r.json()["values"]["rpt_clc_topics"] == "7" and r.json()["status"] == "draft"
    before = audit_count()
    body = refused(api("put", f"reports/commune/{NT}/2020", token, json={"version": 0, "values": {"rpt_clc_topics": 9}}), 409, "version")
    assert "phiên bản" in body["detail"]
    assert DataValue.objects.get(unit_id=NT, period="2020", element="rpt_clc_topics").value == 7
    assert audit_count() == before


@pytest.mark.django_db
def test_50_mb_body_is_413_before_parsing(demo: None, nam_tuan_officer: Any, token_for: Any, client: Any) -> None:
    token = token_for(nam_tuan_officer)
    before = audit_count()
    big = b"{" + b" " * (50 * 1024 * 1024) + b"}"
    r = client.generic("PUT", f"/api/v1/reports/commune/{NT}/2020", big, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    refused(r, 413, "body")
    r = client.generic("POST", "/api/v1/literacy/imports", big, content_type="multipart/form-data; boundary=x", HTTP_AUTHORIZATION=f"Bearer {token}")
    refused(r, 413, "body")
    assert audit_count() == before


@pytest.mark.django_db
def test_malformed_json_is_400(demo: None, nam_tuan_officer: Any, token_for: Any, client: Any) -> None:
    token = token_for(nam_tuan_officer)
    for text in ('{"version": 0, "values": {', "không phải json", '{"version": "một"}'):
        r = client.generic("PUT", f"/api/v1/reports/commune/{NT}/2020", text.encode(), content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {token}")
        assert r.status_code == 400, (text, r.content)
        assert r.json()["detail"] and r.json()["field"] in ("body", "version")


@pytest.mark.django_db
def test_rate_limit_per_token_429_with_retry_after(demo: None, nam_tuan_officer: Any, token_for: Any, api: Any, settings: Any,
                                                   monkeypatch: Any) -> None:
    import time
    from types import SimpleNamespace

    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache

    from xhht.api import limits

    # The limiter's clock held 30 s into the current minute: the four requests cannot straddle two windows.
    monkeypatch.setattr(limits, "time", SimpleNamespace(time=lambda: time.time() // 60 * 60 + 30))
    counts = caches[settings.XHHT_API_RATE_CACHE]
    assert isinstance(counts, DatabaseCache)  # by default the database's cache, shared by every worker process
    counts.clear()
    settings.XHHT_API_RATE_LIMIT = "3/60"
    first, second = token_for(nam_tuan_officer), token_for(nam_tuan_officer)
    assert [api("get", f"units/{NT}", first).status_code for _ in range(3)] == [200, 200, 200]
    r = api("get", f"units/{NT}", first)
    refused(r, 429, None)
    assert r["Retry-After"] == "30"  # the seconds left in the window
    assert api("get", f"units/{NT}", second).status_code == 200  # counted per token
    counts.clear()


@pytest.mark.django_db
def test_session_writes_need_csrf(demo: None, nam_tuan_officer: Any) -> None:
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(nam_tuan_officer)
    assert c.get(f"/api/v1/units/{NT}").status_code == 200  # a same-origin script reads with the session
    r = c.put(f"/api/v1/reports/commune/{NT}/2020", '{"version": 0, "values": {"rpt_clc_topics": 2}}', content_type="application/json")
    refused(r, 403, "X-CSRFToken")
    c.get("/tai-khoan/")
    csrf = c.cookies["csrftoken"].value
    r = c.put(f"/api/v1/reports/commune/{NT}/2020", '{"version": 0, "values": {"rpt_clc_topics": 2}}', content_type="application/json",
              HTTP_X_CSRFTOKEN=csrf)
    assert r.status_code == 200, r.content


@pytest.mark.django_db
def test_activity_record_written_as_the_web_form_writes_it(demo: None, nam_tuan_officer: Any, viewer: Any, token_for: Any, api: Any) -> None:
    from xhht.audit.models import AuditEntry

    token = token_for(nam_tuan_officer)
    record = {"unit_code": NT, "year": 2019, "participants": 120, "delegates": 10, "books_collected": 50}
    before = audit_count()
    refused(api("post", "activities/tuan-le-hoc-tap", token, json={**record, "unit_code": HV}), 403)  # forged unit: as the web's form
    refused(api("post", "activities/tuan-le-hoc-tap", token_for(viewer), json=record), 403)
    refused(api("post", "activities/tuan-le-hoc-tap", token, json={**record, "year": "20x9"}), 400, "year")
    refused(api("post", "activities/tuan-le-hoc-tap", token, json={**record, "mau": "x"}), 400, "mau")
    assert audit_count() == before + 1  # the viewer's token
    r = api("post", "activities/tuan-le-hoc-tap", token, json=record)
    assert r.status_code == 201, r.content
    assert r.json()["unit"] == NT and r.json()["participants"] == 120
    assert AuditEntry.objects.filter(action__endswith="_create", actor=nam_tuan_officer, unit_code=NT).exists()
    listed = api("get", f"activities/tuan-le-hoc-tap?unit={NT}", token).json()
    assert any(item["id"] == r.json()["id"] for item in listed["items"])
