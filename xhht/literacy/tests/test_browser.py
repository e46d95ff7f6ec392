"""In a real browser: log in, read the results with their chart, search persons without diacritics (htmx)."""

from __future__ import annotations

from typing import Any

import pytest

from xhht.core.tests.browser import chromium, log_in, phone_page


@pytest.mark.browser
def test_commune_officer_reads_results_and_searches(live_server: Any, transactional_db: Any) -> None:
    from xhht.demo.foundation import load as load_foundation
    from xhht.literacy.demo import load as load_literacy

    load_foundation()
    load_literacy()
    with chromium() as browser:
        page = phone_page(browser)
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        log_in(page, live_server.url, "xa.namtuan", next_url="/xoa-mu-chu/")
        page.wait_for_url("**/xoa-mu-chu/05115/2019/")
        assert page.locator("svg").count() >= 1
        assert "mức độ 2" in page.content()
        page.click("text=Danh sách người")
        page.fill("#q", "nguyen van")
        page.wait_for_function("document.querySelector('#rows').innerText.includes('Nguyễn Văn')")
        rows = page.locator("#rows tbody tr").all_inner_texts()
        assert rows and all("Nguyễn Văn" in r for r in rows)
        assert all(u.startswith(live_server.url) for u in requests), [u for u in requests if not u.startswith(live_server.url)]
