"""Issue 12, hole 6, in Chromium with the Content-Security-Policy enforced: pages work (htmx search, the year
select, the busy upload button moved to static JavaScript) and the browser reports no CSP violation."""

from __future__ import annotations

from typing import Any

import pytest

from xhht.core.tests.browser import chromium, log_in, phone_page


@pytest.mark.browser
def test_pages_work_under_the_csp_without_violations(live_server: Any, transactional_db: Any) -> None:
    from xhht.demo.foundation import NAM_TUAN
    from xhht.demo.foundation import load as load_foundation
    from xhht.literacy.demo import load as load_literacy

    load_foundation()
    load_literacy()
    with chromium() as browser:
        page = phone_page(browser, bypass_csp=False)
        violations: list[str] = []
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        log_in(page, live_server.url, "xa.namtuan", next_url="/xoa-mu-chu/")
        page.wait_for_url(f"**/xoa-mu-chu/{NAM_TUAN}/2019/")
        # htmx (static file) still searches as one types.
        page.click("text=Danh sách người")
        page.fill("#q", "nguyen van")
        page.locator("#rows tbody tr", has_text="Nguyễn Văn").first.wait_for()
        # The year select navigates through xhht.js (it was an inline onchange).
        page.goto(f"{live_server.url}/xoa-mu-chu/{NAM_TUAN}/2019/")
        years = page.locator("#year option").all_inner_texts()
        if len(years) > 1:
            other = next(y for y in years if y.strip() != "2019").strip()
            page.select_option("#year", other)
            page.wait_for_url(f"**/xoa-mu-chu/{NAM_TUAN}/{other}/")
        for url in ["/bao-cao-dinh-ky/", "/van-ban/", "/tai-khoan/", "/nhat-ky/"]:
            page.goto(f"{live_server.url}{url}")
        assert violations == []
        # An injected inline script would not run: the policy is really enforced.
        page.goto(f"{live_server.url}/van-ban/")
        page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1'; document.body.appendChild(s); }""")
        assert page.evaluate("() => window.__ran") is None
        assert any("Content Security Policy" in v for v in violations)
