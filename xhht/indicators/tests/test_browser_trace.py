"""In a real browser, on a phone-sized screen: a figure of the appendix opens its trace, and the trace
leads on to the commune figures it is cross-checked against."""

from __future__ import annotations

from typing import Any

import pytest

from xhht.core.tests.browser import chromium, log_in, phone_page


@pytest.mark.browser
def test_district_officer_follows_a_figure_to_its_sources(live_server: Any, transactional_db: Any) -> None:
    from xhht.demo.foundation import load as load_foundation
    from xhht.indicators.demo import load as load_indicators

    load_foundation()
    load_indicators()
    with chromium() as browser:
        page = phone_page(browser)
        log_in(page, live_server.url, "pgd.hoaan", next_url="/chi-tieu/051/")
        page.wait_for_url("**/chi-tieu/051/")
        # I.1's rate for 2020, as the seed prints it, is a link to where it comes from.
        page.locator("table.appendix a.trace", has_text="98,75").first.click()
        page.wait_for_url("**/chi-tieu/051/nguon/I.1/2020/**")
        content = page.content()
        assert "7.817" in content and "7.916" in content and "nhập từ tệp" in content
        assert "Các đơn vị cấp dưới" in content
        # On to one commune's own trace, and back to the appendix through the breadcrumb.
        page.click("text=Nam Tuấn")
        page.wait_for_url("**/chi-tieu/05115/nguon/I.1/2020/**")
        assert "Xã Nam Tuấn" in page.content()
        page.click(".crumbs >> text=Chỉ tiêu")
        page.wait_for_url("**/chi-tieu/05115/**")
        assert page.locator("table.appendix").count() == 1
