"""End to end in headless Chromium (issue 14): the district officer opens the checklist of the 2020 annual
report, sees the missing and unapproved inputs with links to their forms, issues with a gap and a reason,
then publishes the version after ticking its own confirmation."""

from __future__ import annotations

from typing import Any

import pytest

from xhht.core.tests.browser import chromium, log_in, phone_page
from xhht.demo.foundation import DISTRICT


@pytest.mark.browser
def test_checklist_issue_with_a_gap_and_a_reason_then_publish(live_server: Any, transactional_db: Any, settings: Any) -> None:
    settings.XHHT_JOBS_INLINE = True  # the live server's in-memory test database is not shared with a worker process
    from xhht.audit.models import AuditEntry
    from xhht.demo.foundation import load as load_foundation
    from xhht.official_reports.models import Report
    from xhht.official_reports.services import report_create
    from xhht.reporting.demo import load as load_reporting
    from xhht.units.models import Unit

    load_foundation()
    load_reporting()  # 2020: the labour office and the women's union not yet approved, several offices missing
    report = report_create(actor=None, unit=Unit.objects.get(code=DISTRICT), period="2020", kind="annual")
    reason = "Báo cáo gửi Sở đúng hạn; số liệu Hội Khuyến học bổ sung ở phiên bản sau."
    with chromium() as browser:
        page = phone_page(browser)
        log_in(page, live_server.url, "pgd.hoaan", next_url=f"/bao-cao/{report.pk}/")
        page.wait_for_url(f"**/bao-cao/{report.pk}/")
        page.click("text=Kiểm tra trước khi phát hành")
        page.wait_for_url(f"**/bao-cao/{report.pk}/kiem-tra/")
        table = page.inner_text("#checklist")
        assert "Hội Khuyến học huyện Hòa An" in table and "chưa nộp" in table
        assert "Hội Liên hiệp Phụ nữ huyện Hòa An" in table and "đã nộp, chưa được duyệt" in table
        assert page.locator("#checklist a[href*='/bao-cao-dinh-ky/bieu/']").count() >= 2
        # Issue with the gaps: the confirmation and the reason are required.
        page.check("input[name=confirm_gaps]")
        page.fill("#gap_reason", reason)
        page.click("text=Phát hành (tạo .docx, .xlsx, .pdf)")
        page.wait_for_selector("text=Đã tạo phiên bản 1", timeout=180_000)
        issued = Report.objects.get(pk=report.pk).versions.get()
        assert issued.gap_reason == reason and any(g["reporter"] == "Hội Khuyến học huyện Hòa An" for g in issued.gaps)
        assert AuditEntry.objects.filter(action="report_issue", note__contains=reason).exists()
        # Publish: its own confirmation box.
        page.goto(f"{live_server.url}/bao-cao/{report.pk}/phien-ban/1/")
        assert reason in page.content()
        page.check("input[name=confirm_publish]")
        page.click("button:text-is('Công khai phiên bản này')")
        page.wait_for_selector("span.badge:text-is('Đang công khai')")
        issued.refresh_from_db()
        assert issued.is_public
