"""In a real browser: log in, read the results with their chart, search persons without diacritics (htmx)."""

from __future__ import annotations

from typing import Any

import pytest

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--no-first-run"]


@pytest.mark.browser
def test_commune_officer_reads_results_and_searches(live_server: Any, transactional_db: Any) -> None:
    from playwright.sync_api import sync_playwright

    from xhht.demo.foundation import load as load_foundation
    from xhht.literacy.demo import load as load_literacy

    load_foundation()
    load_literacy()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(f"{live_server.url}/dang-nhap/?next=/xoa-mu-chu/")
        page.fill("input[name=username]", "xa.namtuan")
        page.fill("input[name=password]", "xhht-demo-2020")
        page.click("button[type=submit]")
        page.wait_for_url("**/xoa-mu-chu/05115/2019/")
        assert page.locator("svg").count() >= 1
        assert "mức độ 2" in page.content()
        page.click("text=Danh sách người")
        page.fill("#q", "nguyen van")
        page.wait_for_function("document.querySelector('#rows').innerText.includes('Nguyễn Văn')")
        rows = page.locator("#rows tbody tr").all_inner_texts()
        assert rows and all("Nguyễn Văn" in r for r in rows)
        assert all(u.startswith(live_server.url) for u in requests), [u for u in requests if not u.startswith(live_server.url)]
        browser.close()
