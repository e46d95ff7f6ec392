"""The main resources answer a commune officer's token with their own unit's data."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.django_db
def test_commune_reads_its_unit_indicators_and_report(api_demos: None, nam_tuan_officer: Any, token_for: Any, api: Any) -> None:
    token = token_for(nam_tuan_officer)
    r = api("get", "units/05115", token)
    assert r.status_code == 200, r.content
    assert r.json()["unit"] == "05115" and r.json()["versions"]
    r = api("get", "indicators/05115/values?period_from=2016&period_to=2020&limit=5", token)
    assert r.status_code == 200, r.content
    assert r.json()["count"] > 0 and all(v["source"] for v in r.json()["items"])
    r = api("get", "indicators/05115/appendix?year_from=2016&year_to=2020", token)
    assert r.status_code == 200, r.content
    r = api("get", "reports/commune/05115/2020", token)
    assert r.status_code == 200, r.content
    r = api("get", "literacy/results/05115/2019", token)
    assert r.status_code == 200, r.content
    assert r.json()["unit"] == "05115" and "bands" in r.json()
    r = api("get", "units/", token)
    assert r.status_code == 200 and {u["unit"] for u in r.json()["items"]} <= {"05115"} | set()
