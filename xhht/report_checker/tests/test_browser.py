"""A district officer uploads a Word report in a real browser (phone-sized) and sees the findings in place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from xhht.core.tests.browser import chromium, log_in, phone_page
from xhht.report_checker.tests.documents import docx_from_text, seed_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_a_report_and_see_its_findings_in_place(live_server: Any, tmp_path: Path) -> None:
    from xhht.demo.foundation import load as load_foundation

    load_foundation()
    report = docx_from_text(seed_text(), tmp_path / "298-BC-UBND-Hoa-An.docx")
    with chromium() as browser:
        page = phone_page(browser)
        log_in(page, live_server.url, "pgd.hoaan")
        page.wait_for_load_state()
        page.click("header summary")  # the phone's menu is folded (issue 15)
        page.click("text=Kiểm tra số liệu")
        page.wait_for_load_state()
        page.set_input_files("#file", str(report))
        page.click("#check-form button[type=submit]")
        page.wait_for_selector("#findings")
        assert page.inner_text("#finding-count") == "2"
        # In the report's text, where they are: the paragraph's statement and the table's cell.
        slip = page.locator("mark#phat-hien-2")
        assert slip.inner_text().startswith("7.544/8.045 đạt 90%") and slip.get_attribute("title") == "7.544/8.045 = 93,77%, không phải 90%"
        cell = page.locator("td#phat-hien-1")
        assert cell.inner_text().startswith("52,5") and "52,38%" in (cell.get_attribute("title") or "")
        # The list links to the place and back.
        page.click("#findings a[href='#phat-hien-2']")
        assert page.evaluate("location.hash") == "#phat-hien-2"
        assert slip.is_visible()
        rows = page.locator("#findings tbody tr")
        assert rows.count() == 2 and "93,77%" in rows.nth(1).inner_text()
