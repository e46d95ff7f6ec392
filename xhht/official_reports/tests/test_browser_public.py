"""End to end in headless Chromium: the district officer makes a version public; a reader without an
account finds it on the public pages from a phone and downloads it."""

from __future__ import annotations

from typing import Any

import pytest

from xhht.core.tests.browser import chromium, log_in, phone_page


@pytest.mark.browser
def test_a_published_report_is_read_without_an_account(live_server: Any, transactional_db: Any) -> None:
    from xhht.demo.foundation import load as load_foundation
    from xhht.official_reports.demo import load as load_report
    from xhht.official_reports.models import Report
    from xhht.official_reports.services import report_issue

    load_foundation()
    load_report()
    report = Report.objects.get(unit_id="051", number="298/BC-UBND")
    issued = report_issue(actor=None, report=report, pdf=False, gap_reason="Bản thử: chỉ có nền tảng, chưa có báo cáo thành phần.")
    with chromium() as browser:
        officer = phone_page(browser)
        log_in(officer, live_server.url, "pgd.hoaan", next_url=f"/bao-cao/{report.pk}/phien-ban/{issued.version}/")
        officer.wait_for_url(f"**/bao-cao/{report.pk}/phien-ban/{issued.version}/")
        assert "chưa công khai" in officer.content()
        officer.check("input[name=confirm_publish]")  # publishing has its own confirmation (issue 14)
        officer.click("button:text-is('Công khai phiên bản này')")
        officer.wait_for_selector("span.badge:text-is('Đang công khai')")

        reader = phone_page(browser, accept_downloads=True)
        reader.goto(f"{live_server.url}/")  # not logged in: the login page, with the way to the public reports
        reader.click("header >> text=Báo cáo công khai")
        reader.wait_for_url("**/cong-khai/")
        reader.click("text=298/BC-UBND")
        reader.wait_for_url(f"**/cong-khai/{report.pk}/")
        assert "Đàm Thế Trang" in reader.content()
        with reader.expect_download() as download:
            reader.click("text=Báo cáo (.docx)")
        assert download.value.suggested_filename.endswith(".docx")
        # The report's private page is still closed to this reader.
        reader.goto(f"{live_server.url}/bao-cao/{report.pk}/")
        assert "/dang-nhap/" in reader.url
