"""A chart beside the activity registers' yearly totals (issue 15, item 8)."""

from __future__ import annotations

from typing import Any


def test_activity_register_summary_has_its_chart(activities_demo: None, district_officer: Any, client_for: Any) -> None:
    html = client_for(district_officer).get("/hoat-dong/day-nghe/").content.decode()
    chart = html.split('id="summary-chart"')[1].split("</figure>")[0]
    assert "<svg" in chart and "<rect" in chart
