"""End to end in headless Chromium: the district officer opens the Hòa An report, follows a figure to
its data, and generates the files with the progress indicator; the version appears with its downloads."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from xhht.core.tests.browser import chromium, log_in, phone_page


@pytest.fixture
def page() -> Iterator[Any]:
    with chromium() as browser:
        yield phone_page(browser, accept_downloads=True)


@pytest.mark.browser
def test_district_officer_traces_a_figure_and_generates_the_files(live_server: Any, page: Any, settings: Any) -> None:
    from xhht.demo.foundation import load as load_foundation
    from xhht.official_reports.demo import load as load_report
    from xhht.official_reports.models import Report
    from xhht.activities.demo import load as load_activities
    from xhht.learning_models.demo import load as load_learning_models
    from xhht.literacy.demo import load as load_literacy
    from xhht.reporting.demo import load as load_reporting

    settings.XHHT_JOBS_INLINE = True  # the live server's in-memory test database is not shared with a worker process
    load_foundation()  # transactional tests start from whatever the previous one left
    load_activities()  # the vocational table's figures, from the activity registers
    load_reporting()  # the offices' approved phase reports: no input missing, so "Tạo tệp" issues at once (issue 14)
    load_literacy()  # the communes' household surveys and ...
    load_learning_models()  # ... reviewed learning-community evaluations: sources the checklist also asks for
    load_report()
    report = Report.objects.get(unit_id="051", number="298/BC-UBND")
    log_in(page, live_server.url, "pgd.hoaan")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page.content()
    # A figure of the vocational table links to the data values behind it.
    page.click("a.fig:text-is('3.358')")
    page.wait_for_url("**/nguon/**")
    assert "Tổng các kỳ" in page.content() and "[[" not in page.inner_text("main")
    assert "vocational_learners" not in page.inner_text("main")  # the element by its name (issue 15)
    page.go_back()
    # Generate: the spinner shows while the server works, then the new version with its files.
    page.click("text=Tạo tệp .docx, .xlsx, .pdf")
    page.wait_for_selector("#issuing", state="visible", timeout=5_000)  # LibreOffice alone takes over a second
    page.wait_for_selector("text=Đã tạo phiên bản 1", timeout=120_000)
    assert not page.is_visible("#issuing")
    with page.expect_download() as download:
        page.click("#versions a:text-is('.pdf')")
    assert download.value.suggested_filename.endswith(".pdf")
    assert report.versions.count() == 1
