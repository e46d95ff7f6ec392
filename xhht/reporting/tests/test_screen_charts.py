"""A chart beside the completeness table (issue 15, item 8), server-rendered SVG, counts in Vietnamese."""

from __future__ import annotations

import re
from typing import Any

from xhht.demo.foundation import DISTRICT
from xhht.indicators.charts import stacked_bars_svg


def test_stacked_bars_write_vietnamese_counts_and_stay_legible() -> None:
    svg = str(stacked_bars_svg(title="Thử", rows=[("2019", [1200, 3]), ("2020", [0, 0])], series=["Đúng hạn", "Muộn"]))
    assert svg.startswith("<svg") and "1.200" in svg and "1.203" in svg and "Đúng hạn: 1.200" in svg
    assert min(int(s) for s in re.findall(r'font-size="(\d+)"', svg)) >= 13  # ≥ 10 px even at 80 % scale on a phone
    assert "chưa có số liệu" in str(stacked_bars_svg(title="x", rows=[], series=["a"]))


def test_completeness_page_has_its_chart(reporting_demo: None, district_officer: Any, client_for: Any) -> None:
    html = client_for(district_officer).get(f"/bao-cao-dinh-ky/tong-hop/{DISTRICT}/2020/").content.decode()
    chart = html.split('id="completeness-chart"')[1].split("</figure>")[0]
    assert "<svg" in chart and "Đúng hạn" in chart and "Quá hạn, chưa nộp" in chart

