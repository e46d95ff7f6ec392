"""The commune officer fills and submits the commune form in a real browser; the district sees it.

Also checks the two things only a browser can: totals computed as one types, and that values
typed while the connection is down come back after a reload (kept in localStorage).
"""

from __future__ import annotations

from typing import Any

import pytest

from xhht.core.formatting import format_number
from xhht.core.tests.browser import chromium, log_in, phone_page
from xhht.reporting.demo import commune_values

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(browser: Any, base: str, username: str) -> Any:
    page = phone_page(browser)
    log_in(page, base, username)
    page.wait_for_load_state()
    return page.context, page


def test_commune_fills_and_submits_and_district_sees_it(live_server: Any) -> None:
    from xhht.demo.foundation import load as load_foundation
    from xhht.reporting.demo import load as load_reporting

    load_foundation()
    load_reporting()
    base = live_server.url
    url = f"{base}/bao-cao-dinh-ky/bieu/commune/05115/2020/"
    values = commune_values(15, 2020)
    with chromium() as browser:
        context, page = _login(browser, base, "xa.namtuan")
        page.goto(url)
        assert "Báo cáo tình hình xây dựng xã hội học tập cấp xã" in page.content()
        for key, value in values.items():
            page.fill(f'[name="{key}"]', str(value))
        # Totals as one types, and a message beside a bad entry.
        total = (170 + 7 * 15) + (150 + 5 * 15)
        assert page.inner_text("[id='total-rpt_clc_participants']") == format_number(total)
        page.fill('[name="rpt_clc_participants[sex=F]"]', "1200")
        assert page.inner_text("[id='total-rpt_clc_participants']") == format_number(1200 + 150 + 5 * 15)
        page.fill('[name="rpt_clc_participants[sex=F]"]', str(values["rpt_clc_participants[sex=F]"]))
        page.fill('[name="rpt_clc_topics"]', "-4")
        assert "âm" in page.inner_text(".client-msg[data-for='rpt_clc_topics']")
        page.fill('[name="rpt_clc_topics"]', str(values["rpt_clc_topics"]))
        # A rule of the catalogue, checked as one types, beside the fields it concerns.
        page.fill('[name="rpt_literacy_level1[age_band=15-25]"]', "99999")
        assert "không thể lớn hơn dân số" in page.inner_text(".rule-msg[data-for='rpt_literacy_level1[age_band=15-25]']")
        page.fill('[name="rpt_literacy_level1[age_band=15-25]"]', str(values["rpt_literacy_level1[age_band=15-25]"]))
        assert page.inner_text(".rule-msg[data-for='rpt_literacy_level1[age_band=15-25]']") == ""
        page.fill("#t-difficulties", "Mất điện <b>thường xuyên</b>")
        # The network drops while saving: nothing typed is lost.
        context.set_offline(True)
        try:
            page.click("#save", timeout=5000)
            page.wait_for_timeout(500)
        except Exception:  # the navigation fails: that is the point
            pass
        context.set_offline(False)
        page.goto(url)
        assert page.is_visible("#draft-notice")
        assert page.input_value('[name="rpt_households"]') == str(values["rpt_households"])
        assert page.input_value("#t-difficulties") == "Mất điện <b>thường xuyên</b>"
        # Now save for real, then submit.
        page.click("#save")
        page.wait_for_load_state()
        assert "Đã lưu bản nháp" in page.content()
        assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('xhht-report:')).length") == 0
        page.once("dialog", lambda d: d.dismiss())  # the officer changes their mind: nothing is submitted
        page.click("#submit")
        page.wait_for_timeout(300)
        assert page.inner_text("#status") != "Đã nộp, chờ duyệt"
        asked: list[str] = []
        page.once("dialog", lambda d: (asked.append(d.message), d.accept()))
        page.click("#submit")
        page.wait_for_load_state()
        assert asked and "không sửa được nữa" in asked[0]
        assert "Đã nộp báo cáo" in page.content()
        assert page.inner_text("#status") == "Đã nộp, chờ duyệt"
        context.close()

        context, page = _login(browser, base, "pgd.hoaan")
        page.goto(f"{base}/bao-cao-dinh-ky/?ky=2020")
        row = page.locator("table[data-form='commune'] tr[data-reporter='05115']")
        assert "Đã nộp, chờ duyệt" in row.inner_text()
        assert "Nam Tuấn" not in page.inner_text("#reminders")
        row.locator("a").click()
        page.wait_for_load_state()
        page.fill("#comment", "Đạt yêu cầu")
        page.click("#approve")
        page.wait_for_load_state()
        assert page.inner_text("#status") == "Đã duyệt"
        assert "Mất điện &lt;b&gt;thường xuyên&lt;/b&gt;" in page.content()
        context.close()
