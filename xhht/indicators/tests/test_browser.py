"""In a real browser, on a phone-sized screen: log in, read the appendix with its charts, enter a projection."""

from __future__ import annotations

from typing import Any

import pytest

from xhht.core.tests.browser import chromium, log_in, phone_page


@pytest.mark.browser
def test_district_officer_reads_the_appendix_and_enters_a_projection(live_server: Any, transactional_db: Any) -> None:
    from xhht.demo.foundation import load as load_foundation
    from xhht.indicators.demo import load as load_indicators

    load_foundation()
    load_indicators()
    with chromium() as browser:
        page = phone_page(browser)
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        log_in(page, live_server.url, "pgd.hoaan", next_url="/chi-tieu/")
        page.wait_for_url("**/chi-tieu/051/")
        table = page.locator("table.appendix")
        assert "8.182" in table.inner_text() and "98,75" in table.inner_text()
        assert page.locator("svg.chart").count() == 7
        assert page.locator("svg.chart").first.bounding_box()["width"] <= 390  # type: ignore[index]
        # The trend proposal, marked, with its method stated.
        page.check("input[name=de_xuat]")
        page.click("button:has-text('Xem')")
        page.wait_for_url("**de_xuat=1**")
        assert page.locator("td.proposed").count() > 0
        # Enter a projection.
        page.click("text=Nhập dự kiến")
        page.fill("input[name='II.4|2021-2025']", "99,5")
        page.click("button:has-text('Lưu')")
        page.wait_for_url("**/chi-tieu/051/**")
        assert "Đã lưu số liệu dự kiến" in page.content()
        row = page.locator("table.appendix tr", has_text="kỹ năng sống tại các cơ sở giáo dục")
        assert "99,50" in row.inner_text()
        assert all(u.startswith(live_server.url) for u in requests), [u for u in requests if not u.startswith(live_server.url)]
