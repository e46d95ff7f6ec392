"""Issue 12, load: the report page read the store one (element, period, disaggregation) at a time — about 260
queries for the Hòa An report. A rendering now loads the keys this report read last time in one query; the
values are always read afresh, so the figures are the same and a change in the store shows at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xhht.official_reports.models import Report

pytestmark = pytest.mark.django_db


def _render(report: Report) -> tuple[list[tuple[str, Any]], dict[int, dict[str, Any]], int]:
    from xhht.official_reports.render import report_render

    with CaptureQueriesContext(connection) as captured:
        rendered = report_render(report)
    return [(f.text, f.value) for f in rendered.figures], rendered.values_used, len(captured.captured_queries)


def test_the_second_rendering_reads_the_store_at_once_with_the_same_figures(official_reports_demo: None, apps_demo: None) -> None:
    from xhht.indicators.services import Value, data_values_write

    report = Report.objects.get(unit_id="051", number="298/BC-UBND")
    cache.clear()
    first, used_first, queries_first = _render(report)
    second, used_second, queries_second = _render(report)
    assert second == first and used_second == used_first
    assert queries_second * 2 < queries_first, (queries_first, queries_second)
    # A value changed after the keys were learned is read, not remembered.
    dv = next(v for v in used_first.values() if v["unit_code"] == "051" and not v["disaggregation"])
    data_values_write(actor=None, source="imported", rule="kiểm thử", values=[
        Value(element=dv["element"], unit_code="051", period=dv["period"], value=int(float(dv["value"])) + 1234567)])
    third, used_third, _ = _render(report)
    assert third != first
    assert any(v["element"] == dv["element"] and v["period"] == dv["period"] and v["unit_code"] == "051"
               and float(v["value"]) == float(dv["value"]) + 1234567 for v in used_third.values())
