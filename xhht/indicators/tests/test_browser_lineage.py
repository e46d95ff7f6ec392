"""In a real browser: the officer of xã Hòa An (born 1 July 2025) follows its trend back through the reform
to a commune of 2019, whose own figures are there."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from xhht.core.tests.browser import chromium, log_in, phone_page


@pytest.mark.browser
def test_new_commune_trend_back_through_the_reform(live_server: Any, transactional_db: Any) -> None:
    from xhht.demo.foundation import HONG_VIET, XA_HOA_AN, load as load_foundation, reforms_load
    from xhht.indicators.services import Value, data_values_write

    load_foundation()
    values = []
    for code, (num, den) in {"05100": (40, 50), "05107": (30, 40), HONG_VIET: (20, 25), "05104": (5, 10)}.items():
        values += [Value(element="workers_life_skills", unit_code=code, period="2019", value=num, disaggregation={}),
                   Value(element="workers_total", unit_code=code, period="2019", value=den, disaggregation={})]
    data_values_write(actor=None, values=values, source="entered", rule="test")
    reforms_load()
    with chromium() as browser:
        page = phone_page(browser)
        log_in(page, live_server.url, "xa.hoaan", next_url=quote(f"/chi-tieu/{XA_HOA_AN}/?tu_nam=2019&den_nam=2026"))
        page.wait_for_url(f"**/chi-tieu/{XA_HOA_AN}/**")
        note = page.locator("#lineage-note")
        assert "được thành lập ngày 01/07/2025" in note.inner_text() and "xã Hồng Việt" in note.inner_text()
        assert "minh họa" in note.inner_text()  # the 2020 absorbers could not be read
        row = page.locator("table.appendix tr", has_text="Số người lao động tham gia")
        assert "95" in row.first.inner_text()  # 40 + 30 + 20 + 5 workers in 2019, on the 2025 territory
        assert page.locator("svg.chart").count() > 0
        # Back through the reform: Hồng Việt, a commune of 2019, with its own figures.
        page.click(f"#lineage-note a[href*='/chi-tieu/{HONG_VIET}/']")
        page.wait_for_url(f"**/chi-tieu/{HONG_VIET}/**")
        assert "Hồng Việt" in page.locator("h1").inner_text()
        own = page.locator("table.appendix tr", has_text="Số người lao động tham gia").first.inner_text()
        assert "\t20\t80,00" in own  # its own 2019: 20 of 25 (Bình Long joined it only in 2020)
        # Its page shows where it went, with date and basis.
        page.goto(f"{live_server.url}/don-vi/{HONG_VIET}/")
        lineage = page.locator("#lineage").inner_text()
        assert "Nghị quyết 1657/NQ-UBTVQH15" in lineage and "01/07/2025" in lineage and "xã Hòa An" in lineage
