"""In a real browser, on a phone-sized screen: a figure of the appendix opens its trace, and the trace
leads on to the commune figures it is cross-checked against."""

from __future__ import annotations

from typing import Any

import pytest

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--no-first-run"]


@pytest.mark.browser
def test_district_officer_follows_a_figure_to_its_sources(live_server: Any, transactional_db: Any) -> None:
    from playwright.sync_api import sync_playwright

    from xhht.demo.foundation import load as load_foundation
    from xhht.indicators.demo import load as load_indicators

    load_foundation()
    load_indicators()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(f"{live_server.url}/dang-nhap/?next=/chi-tieu/051/")
        page.fill("input[name=username]", "pgd.hoaan")
        page.fill("input[name=password]", "xhht-demo-2020")
        page.click("button[type=submit]")
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
        browser.close()
