"""dataValueSet imports as jobs (xhht worker): asked for with ``async=true`` as in DHIS2, or a payload above
XHHT_EXCHANGE_INLINE_MAX_BYTES; 202 with the job's reference; the job's result is the synchronous answer's summary;
only its sender follows it; the size bound still refuses before reading."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from xhht.indicators.models import DataValue
from xhht.jobs.models import Job

pytestmark = [pytest.mark.usefixtures("indicators_demo"), pytest.mark.urls("xhht.exchange.tests.urls")]
URL = "/api/v1/dataValueSets"
TASKS = "/api/v1/system/tasks/DATAVALUE_IMPORT/"
SUMMARIES = "/api/v1/system/taskSummaries/DATAVALUE_IMPORT/"
GOOD = {"dataElement": "it_fl_learners", "period": "2021", "orgUnit": "05115", "value": "5"}


@pytest.fixture
def uploads(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path / "job-uploads"


def _post(client: Any, body: bytes | str, content_type: str = "application/json", **query: str) -> Any:
    url = URL + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    return client.post(url, data=body, content_type=content_type)


def _stored(period: str = "2021") -> Any:
    found = DataValue.objects.filter(unit_id="05115", period=period, element="it_fl_learners", disaggregation="").first()
    return None if found is None else found.value


def _accepted(response: Any) -> dict[str, Any]:
    """202 with the job's reference: DHIS2's (``response.relativeNotifierEndpoint``) and the API's (``job``, ``url``)."""
    assert response.status_code == 202, response.content
    body = response.json()
    job = body["job"]
    assert body["url"] == f"{TASKS}{job}" and response["Location"] == body["url"]
    assert (body["status"], body["message"], body["httpStatusCode"]) == ("OK", "Initiated dataValueImport", 202)
    assert {k: body["response"][k] for k in ("name", "id", "jobType", "relativeNotifierEndpoint")} == {
        "name": "dataValueImport", "id": str(job), "jobType": "DATAVALUE_IMPORT", "relativeNotifierEndpoint": body["url"]}
    return dict(body)


def test_async_true_is_a_job_whose_result_is_the_synchronous_summary(client_for: Any, nam_tuan_officer: Any, settings: Any,
                                                                     uploads: Path) -> None:
    settings.XHHT_JOBS_INLINE = True  # the job runs in the request here (the worker's, in production)
    client = client_for(nam_tuan_officer)
    sync = _post(client, json.dumps({"dataValues": [{**GOOD, "period": "2022"}]})).json()  # the small payload: in the request
    body = _accepted(_post(client, json.dumps({"dataValues": [GOOD]}), **{"async": "true"}))
    assert body["state"] == "done" and body["completed"] is True and body["problems"] == []
    assert body["summary"]["importCount"] == {"imported": 1, "updated": 0, "ignored": 0, "deleted": 0}
    assert _stored() == 5
    followed = client.get(body["url"])
    assert followed.status_code == 200 and followed.json() == {k: v for k, v in body.items() if k in followed.json()}
    summary = client.get(f"{SUMMARIES}{body['job']}")
    assert summary.status_code == 200 and set(summary.json()) == set(sync)  # the synchronous answer's shape
    assert summary.json()["status"] == "SUCCESS" and summary.json()["importCount"]["imported"] == 1
    # dryRun rides along: checked and counted, nothing written.
    dry = _accepted(_post(client, json.dumps({"dataValues": [{**GOOD, "value": "9"}]}), dryRun="true", **{"async": "true"}))
    assert dry["summary"]["dryRun"] is True and dry["summary"]["importCount"]["updated"] == 1 and _stored() == 5
    assert list(uploads.iterdir()) == []  # each job removed its payload


def test_a_payload_above_the_inline_bound_waits_for_the_worker(client_for: Any, nam_tuan_officer: Any, settings: Any, uploads: Path) -> None:
    from xhht.jobs.runner import job_run
    from xhht.jobs.services import job_claim

    settings.XHHT_EXCHANGE_INLINE_MAX_BYTES = 60
    client = client_for(nam_tuan_officer)
    small = json.dumps({"dataValues": [GOOD]})
    assert len(small) > 60
    body = _accepted(_post(client, small))  # not asked for: the size decides
    assert body["state"] == "running" and body["queued"] is True and body["summary"] is None and _stored() is None
    assert len(list(uploads.iterdir())) == 1
    pending = client.get(f"{SUMMARIES}{body['job']}")
    assert pending.status_code == 202 and pending.json()["state"] == "running"
    job = job_claim(worker="test")
    assert job is not None and job.pk == body["job"]
    assert job_run(job=job, worker="test") == "done"
    assert _stored() == 5 and list(uploads.iterdir()) == []
    assert client.get(f"{SUMMARIES}{body['job']}").json()["importCount"]["imported"] == 1
    # A sender whose account is disabled before the worker runs the job: nothing written.
    body = _accepted(_post(client, json.dumps({"dataValues": [{**GOOD, "value": "6"}]})))
    type(nam_tuan_officer).objects.filter(pk=nam_tuan_officer.pk).update(is_active=False)
    job = job_claim(worker="test")
    assert job is not None and job_run(job=job, worker="test") == "rejected" and _stored() == 5
    type(nam_tuan_officer).objects.filter(pk=nam_tuan_officer.pk).update(is_active=True)
    client = client_for(nam_tuan_officer)
    assert client.get(f"{TASKS}{body['job']}").json()["problems"] == ["Tài khoản đã gửi dữ liệu này không còn hoạt động: chưa ghi gì."]
    # ADX too, told by its content type, saved and read as ADX.
    adx = ('<adx xmlns="urn:ihe:qrph:adx:2015"><group orgUnit="05115" period="2021-01-01/P1Y">'
           '<dataValue dataElement="it_fl_learners" value="7"/></group></adx>')
    body = _accepted(_post(client, adx, "application/adx+xml"))
    job = job_claim(worker="test")
    assert job is not None and job.params["format"] == "adx" and job_run(job=job, worker="test") == "done"
    assert _stored() == 7


@pytest.mark.parametrize(("body", "status", "field"), [
    (json.dumps({"dataValues": [GOOD, {**GOOD, "orgUnit": "05113"}]}), 404, "orgUnit"),  # another commune: as absent
    (json.dumps({"dataValues": [GOOD, {**GOOD, "dataElement": "nope"}]}), 400, "dataElement"),
    ('{"dataValues": [', 400, None),
])
def test_a_refused_payload_ends_the_job_rejected_with_its_summary_and_writes_nothing(
        client_for: Any, nam_tuan_officer: Any, settings: Any, uploads: Path, body: str, status: int, field: str | None) -> None:
    from xhht.audit.models import AuditEntry

    settings.XHHT_JOBS_INLINE = True
    client = client_for(nam_tuan_officer)
    count, written = DataValue.objects.count(), AuditEntry.objects.filter(action="datavalues_import").count()
    answer = _accepted(_post(client, body, **{"async": "true"}))
    assert answer["state"] == "rejected" and answer["problems"] and answer["summary"]["status"] == "ERROR"
    summary = client.get(f"{SUMMARIES}{answer['job']}")
    assert summary.status_code == status and summary.json()["message"]  # the status the synchronous answer has
    if field:
        assert summary.json()["conflicts"][-1]["property"] == field and any("05113" in p or "nope" in p for p in answer["problems"])
    assert DataValue.objects.count() == count and AuditEntry.objects.filter(action="datavalues_import").count() == written


def test_refused_before_any_job(client: Any, client_for: Any, nam_tuan_officer: Any, settings: Any, uploads: Path) -> None:
    jobs = Job.objects.count()
    anonymous = Client()
    assert _post(anonymous, json.dumps({"dataValues": [GOOD]}), **{"async": "true"}).status_code == 401
    settings.XHHT_EXCHANGE_INLINE_MAX_BYTES = 10
    assert _post(anonymous, json.dumps({"dataValues": [GOOD]})).status_code == 401
    officer = client_for(nam_tuan_officer)
    assert _post(officer, "x", "text/plain", format="csv", **{"async": "true"}).status_code == 415
    # The size bound: refused from Content-Length, before the body is read, whichever way it would have run.
    settings.XHHT_EXCHANGE_MAX_BYTES = 100
    for query in ({"async": "true"}, {}):
        response = _post(officer, json.dumps({"dataValues": [GOOD] * 10}), **query)
        assert response.status_code == 413 and "quá lớn" in response.json()["message"]
    assert Job.objects.count() == jobs and not (uploads.exists() and list(uploads.iterdir()))


def test_a_body_longer_than_it_declared_is_cut_at_the_bound(rf: Any, nam_tuan_officer: Any, settings: Any, uploads: Path) -> None:
    """A body streamed to the job's file stops at XHHT_EXCHANGE_MAX_BYTES, whatever its Content-Length said: 413, nothing kept."""
    from xhht.exchange.api import datavaluesets_import

    settings.XHHT_EXCHANGE_MAX_BYTES = 100
    request = rf.post(URL + "?async=true", data=json.dumps({"dataValues": [GOOD] * 10}), content_type="application/json")
    request.META["CONTENT_LENGTH"] = "50"  # says less than it sends (a chunked body declares nothing)
    request.user = nam_tuan_officer
    response = datavaluesets_import(request, async_=True)
    assert response.status_code == 413 and not list(uploads.iterdir()) and not Job.objects.exists()


def test_only_the_sender_follows_the_job(client_for: Any, nam_tuan_officer: Any, hong_viet_officer: Any, district_officer: Any,
                                        settings: Any, uploads: Path) -> None:
    settings.XHHT_JOBS_INLINE = True
    job = _accepted(_post(client_for(nam_tuan_officer), json.dumps({"dataValues": [GOOD]}), **{"async": "true"}))["job"]
    for other in (hong_viet_officer, district_officer):  # another commune; the district above the commune
        client = client_for(other)
        for url in (f"{TASKS}{job}", f"{SUMMARIES}{job}"):
            response = client.get(url)
            assert response.status_code == 404 and "summary" not in response.json() and "importCount" not in response.json()
    assert Client().get(f"{TASKS}{job}").status_code == 401
    other_job = Job.objects.create(handler="xhht.literacy.jobs.persons_import_job", params={"file": "x.csv"}, user=nam_tuan_officer)
    assert client_for(nam_tuan_officer).get(f"{TASKS}{other_job.pk}").status_code == 404  # not an exchange import


@pytest.mark.urls("xhht.urls")
def test_through_the_api_with_a_token(client: Any, nam_tuan_officer: Any, settings: Any, uploads: Path) -> None:
    """Mounted under /api/v1/trao-doi/: the job's URL is there; the job writes with the token named in the audit log."""
    from xhht.accounts.tokens import api_token_create
    from xhht.audit.models import AuditEntry

    settings.XHHT_JOBS_INLINE = True
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=nam_tuan_officer, user=nam_tuan_officer, name='dhis2').secret}"}
    response = client.post("/api/v1/trao-doi/dataValueSets?async=true", data=json.dumps({"dataValues": [GOOD]}),
                           content_type="application/json", **headers)
    assert response.status_code == 202, response.content
    job = response.json()["job"]
    assert response.json()["response"]["relativeNotifierEndpoint"] == f"/api/v1/trao-doi/system/tasks/DATAVALUE_IMPORT/{job}"
    assert client.get(response.json()["url"], **headers).json()["state"] == "done"
    assert client.get(f"/api/v1/trao-doi/system/taskSummaries/DATAVALUE_IMPORT/{job}", **headers).json()["status"] == "SUCCESS"
    assert client.get(response.json()["url"]).status_code == 401
    entry = AuditEntry.objects.filter(action="datavalues_import").order_by("-pk").first()
    assert entry is not None and entry.actor == nam_tuan_officer and "qua API, khóa #" in entry.note
