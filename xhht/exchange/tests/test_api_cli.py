"""The router (mounted in a NinjaAPI of the tests' own) and the ``xhht exchange`` command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from xhht.indicators.models import DataValue

DATA = Path(__file__).parent / "data"
MAPPING = Path(__file__).parent.parent / "examples" / "mapping.yaml"
pytestmark = [pytest.mark.usefixtures("indicators_demo"), pytest.mark.urls("xhht.exchange.tests.urls")]
URL = "/api/v1/dataValueSets"
GOOD = {"dataElement": "it_fl_learners", "period": "2021", "orgUnit": "05115", "value": "5"}


def _post(client: Any, body: bytes | str, content_type: str = "application/json", **query: str) -> Any:
    url = URL + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    return client.post(url, data=body, content_type=content_type)


def test_import_json_then_export_both_formats(client_for: Any, nam_tuan_officer: Any) -> None:
    client = client_for(nam_tuan_officer)
    response = _post(client, json.dumps({"dataValues": [GOOD]}))
    assert response.status_code == 200, response.content
    assert response.json()["importCount"] == {"imported": 1, "updated": 0, "ignored": 0, "deleted": 0}
    got = client.get(URL, {"orgUnit": "05115", "periodFrom": "2021", "periodTo": "2021"})
    assert got.status_code == 200 and got["Content-Type"].startswith("application/json")
    assert GOOD in got.json()["dataValues"]
    adx = client.get(URL, {"orgUnit": "05115", "periodFrom": "2021", "periodTo": "2021"}, HTTP_ACCEPT="application/adx+xml")
    assert adx["Content-Type"].startswith("application/adx+xml") and b'period="2021-01-01/P1Y"' in adx.content
    assert client.get(URL, {"orgUnit": "05115", "periodFrom": "2021", "periodTo": "2021", "format": "adx"}).content.startswith(b"<?xml")


def test_import_adx_by_content_type(client_for: Any, nam_tuan_officer: Any) -> None:
    body = ('<adx xmlns="urn:ihe:qrph:adx:2015"><group orgUnit="05115" period="2021-01-01/P1Y">'
            '<dataValue dataElement="it_fl_learners" value="7"/></group></adx>')
    response = _post(client_for(nam_tuan_officer), body, "application/adx+xml")
    assert response.status_code == 200, response.content
    assert DataValue.objects.get(unit_id="05115", period="2021", element="it_fl_learners").value == 7


def test_dry_run(client_for: Any, nam_tuan_officer: Any) -> None:
    response = _post(client_for(nam_tuan_officer), json.dumps({"dataValues": [GOOD]}), dryRun="true")
    assert response.status_code == 200 and response.json()["dryRun"] is True
    assert not DataValue.objects.filter(unit_id="05115", period="2021", element="it_fl_learners").exists()


@pytest.mark.parametrize(("body", "content_type", "status", "field"), [
    (json.dumps({"dataValues": [GOOD, {**GOOD, "orgUnit": "05113"}]}), "application/json", 404, "orgUnit"),
    (json.dumps({"dataValues": [{**GOOD, "dataElement": "nope"}]}), "application/json", 400, "dataElement"),
    (json.dumps({"dataValues": [{**GOOD, "period": "2021-W01"}]}), "application/json", 400, "period"),
    ('{"dataValues": [', "application/json", 400, None),
    ('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><adx xmlns="urn:ihe:qrph:adx:2015">&x;</adx>',
     "application/adx+xml", 400, None),
])
def test_refusals_answer_status_and_write_nothing(client_for: Any, nam_tuan_officer: Any, body: str, content_type: str, status: int,
                                                  field: str | None) -> None:
    count = DataValue.objects.count()
    response = _post(client_for(nam_tuan_officer), body, content_type)
    assert response.status_code == status
    data = response.json()
    assert data["status"] == "ERROR" and data["message"]
    if field:
        assert data["conflicts"][-1]["property"] == field and data["conflicts"][-1]["message"]
    assert DataValue.objects.count() == count


def test_body_too_large_refused_before_reading(client_for: Any, nam_tuan_officer: Any, settings: Any) -> None:
    settings.XHHT_EXCHANGE_MAX_BYTES = 100
    response = _post(client_for(nam_tuan_officer), json.dumps({"dataValues": [GOOD] * 10}))
    assert response.status_code == 413 and "quá lớn" in response.json()["message"]


def test_anonymous_and_out_of_scope(client: Any, client_for: Any, nam_tuan_officer: Any) -> None:
    assert _post(client, json.dumps({"dataValues": [GOOD]})).status_code == 401
    assert client.get(URL, {"orgUnit": "05115", "periodFrom": "2016", "periodTo": "2020"}).status_code == 401
    assert client_for(nam_tuan_officer).get(URL, {"orgUnit": "05113", "periodFrom": "2016", "periodTo": "2020"}).status_code == 404


def test_cli_export_then_import(tmp_path: Path, district_officer: Any, capsys: Any) -> None:
    out = tmp_path / "hoa-an.json"
    call_command("exchange", "export", "--unit", "DiszpKrYNg8", "--from", "2016", "--to", "2020", "--format", "dhis2",
                 "--mapping", str(MAPPING), "--user", district_officer.username, "--out", str(out))
    assert b"DiszpKrYNg8" in out.read_bytes()
    call_command("exchange", "import", str(out), "--format", "dhis2", "--mapping", str(MAPPING), "--user", district_officer.username)
    assert "0 mới, 0 thay đổi" in capsys.readouterr().out


def test_cli_import_names_each_refused_value(tmp_path: Path, nam_tuan_officer: Any) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"dataValues": [GOOD, {**GOOD, "orgUnit": "05113"}, {**GOOD, "dataElement": "x", "period": "2022"}]}))
    with pytest.raises(CommandError) as refused:
        call_command("exchange", "import", str(bad), "--user", nam_tuan_officer.username)
    text = str(refused.value)
    assert "bad.json: không ghi gì, 2 giá trị bị từ chối" in text
    assert "dataValues[1], orgUnit «05113»" in text and "dataValues[2], dataElement «x»" in text
    with pytest.raises(CommandError, match="Không có tài khoản"):
        call_command("exchange", "import", str(bad), "--user", "nobody")
