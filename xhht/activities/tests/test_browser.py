"""In a real (headless) browser on a phone-sized screen: the Nam Tuấn officer enters a CLC topic, then imports a file (a job)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from xhht.core.tests.browser import chromium, log_in, phone_page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_nam_tuan_officer_enters_a_clc_topic(live_server: Any, tmp_path: Path, settings: Any) -> None:
    from xhht.activities.models import ClcTopic
    from xhht.core.formatting import format_number
    from xhht.demo.foundation import load
    from xhht.indicators.models import DataValue
    from xhht.jobs.runner import job_run
    from xhht.jobs.services import job_claim

    settings.DATA_DIR = tmp_path  # the job uploads
    ran: list[int] = []

    def worker_then_poll(route: Any) -> None:
        """The worker's turn, between two polls of the job's page (the server idle meanwhile): run the queued job."""
        job = job_claim(worker="test")
        if job is not None:
            job_run(job=job, worker="test")
            ran.append(job.pk)
        route.continue_()

    load()  # a live-server test may start from a flushed database
    existing = sum(ClcTopic.objects.filter(unit_id="05115", school_year="2019-2020").values_list("participants", flat=True))
    expected = format_number(existing + 1250)
    with chromium() as browser:
        page = phone_page(browser)
        log_in(page, live_server.url, "xa.namtuan", next_url="/hoat-dong/chuyen-de/")
        page.wait_for_url("**/hoat-dong/chuyen-de/")
        page.click("text=+ Thêm")
        page.wait_for_url("**/hoat-dong/chuyen-de/them/")
        # The only centre offered is the officer's own.
        options = page.locator("#id_unit_code option").all_inner_texts()
        assert options == ["05115 – Xã Nam Tuấn"]
        page.fill("#id_school_year", "2019–2020")
        page.fill("#id_title", "Chăm sóc sức khỏe bà mẹ, trẻ em")
        page.select_option("#id_subject_area", "health")
        page.fill("#id_speaker_organisation", "Trạm Y tế xã Nam Tuấn")
        page.fill("#id_classes", "2")
        page.fill("#id_participants", "-3")
        page.click("#record-form button[type=submit]")
        assert "người tham gia không được âm" in page.content()
        # The one number reader (issue 12): a lone thousands group is ambiguous and refused, saying how to write it.
        page.fill("#id_participants", "1.250")
        page.click("#record-form button[type=submit]")
        assert "không rõ nghĩa" in page.content() and "1250" in page.content()
        page.fill("#id_participants", "1250")
        page.click("#record-form button[type=submit]")
        page.wait_for_url("**/hoat-dong/chuyen-de/?don_vi=05115")
        summary = page.locator("#summary").inner_text()
        assert "2019-2020\t" in summary and f"\t{expected}\n" in summary and "Cộng" in summary
        assert "Chăm sóc sức khỏe bà mẹ, trẻ em" in page.locator("#records").inner_text()
        # The page fits a phone: no horizontal scrolling of the page itself (tables scroll in their box).
        assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
        # Import through the page: the file is queued for the worker; the job's page waits (htmx polling its status),
        # then shows a bad file refused with its problems, a good one taken.
        page.route("**/nhap/*/trang-thai/", worker_then_poll)
        page.click("text=Nhập từ tệp Excel/CSV")
        page.wait_for_url("**/hoat-dong/chuyen-de/nhap/")
        bad = tmp_path / "sai.csv"
        bad.write_text("unit_code,school_year,title,subject_area,classes,participants\n05115,2020-2022,Luật,law,1,40\n", encoding="utf-8")
        page.set_input_files("input[name=tep]", str(bad))
        page.click("button:has-text('Nhập')")
        page.wait_for_url("**/hoat-dong/chuyen-de/nhap/*/")
        assert "Đang chờ đến lượt xử lý" in page.locator("#status").inner_text()
        page.wait_for_selector("#status #problems")
        status = page.locator("#status").inner_text()
        assert "Tệp bị từ chối, không ghi dữ liệu nào" in status and "sai.csv, dòng 2, cột Năm học: " in status
        assert "hai năm phải liền nhau" in status and len(ran) == 1
        page.click("text=Nhập lại")
        page.wait_for_url("**/hoat-dong/chuyen-de/nhap/")
        good = tmp_path / "dung.csv"
        good.write_text("unit_code,school_year,title,subject_area,classes,participants\n05115,2020/2021,Luật Đất đai,law,1,40\n", encoding="utf-8")
        page.set_input_files("input[name=tep]", str(good))
        page.click("button:has-text('Nhập')")
        page.wait_for_selector("#status #imported")
        assert "Đã nhập 1 dòng" in page.locator("#status").inner_text() and len(ran) == 2
        assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    topic = ClcTopic.objects.get(title="Chăm sóc sức khỏe bà mẹ, trẻ em")
    assert (topic.unit_id, topic.school_year, topic.classes, topic.participants) == ("05115", "2019-2020", 2, 1250)
    assert DataValue.objects.get(element="clc_participants", unit_id="05115", period="2019-2020").value == existing + 1250
    assert ClcTopic.objects.filter(unit_id="05115", school_year="2020-2021", title="Luật Đất đai").count() == 1
    assert not ClcTopic.objects.filter(school_year="2020-2022").exists()
