"""One commune through self-evaluation, inspection review and recognition, in a real browser."""

from __future__ import annotations

from typing import Any

import pytest

from xhht.core.tests.browser import chromium, log_in, phone_page
from xhht.learning_models.rubrics import rubric_get


@pytest.mark.browser
def test_commune_self_evaluation_review_recognition(live_server: Any, transactional_db: Any, settings: Any, tmp_path: Any) -> None:
    from playwright.sync_api import expect

    from xhht.demo.foundation import load

    load()  # a transactional test starts from whatever the previous ones left: load what it needs
    settings.MEDIA_ROOT = tmp_path
    base = f"{live_server.url}/mo-hinh-hoc-tap"
    rubric = rubric_get("tt44-2014")
    evidence = tmp_path / "bien-ban-hop.pdf"
    evidence.write_bytes(b"%PDF-1.4 bien ban")

    with chromium() as browser:

        def login(username: str) -> Any:
            page = phone_page(browser)
            log_in(page, live_server.url, username)
            page.wait_for_url(lambda url: "/dang-nhap/" not in url)
            return page

        # 1. The Nam Tuấn officer registers the commune and self-evaluates, indicator by indicator.
        page = login("xa.namtuan")
        page.goto(f"{base}/don-vi/05115/2020/")
        page.click("text=Đăng ký và tự đánh giá")
        expect(page.locator("h1")).to_contain_text("năm 2020")
        for ind in rubric.indicators:
            if ind.judgement == "graded":
                page.fill(f"input[name=v_{ind.code}]", "8")  # 15 × 8 = 120 of 150 → Khá
            else:
                page.select_option(f"select[name=v_{ind.code}]", "1")
        page.click("button[value=save]")
        expect(page.locator("#own-result .outcome")).to_have_text("Khá")
        expect(page.locator("#own-result .reasons")).to_contain_text("còn thiếu 7,50 điểm để đạt loại Tốt")
        page.set_input_files("#file", str(evidence))
        page.select_option("#indicator", "c1")
        page.click("button[value=upload]")
        expect(page.locator("#row-c1")).to_contain_text("bien-ban-hop.pdf")
        page.click("button[value=submit]")
        expect(page.locator("#status")).to_have_text("Đã gửi, chờ thẩm định")
        evaluation_url = page.url

        # 2. The district officer designates the inspection team, then reviews: lowers two indicators, with reasons.
        page = login("pgd.hoaan")
        page.goto(f"{base}/don-vi/051/2020/doan-kiem-tra/")
        page.check("input[name=members] >> nth=0")
        page.fill("#decision_number", "3901/QĐ-UBND")
        page.click("text=Lưu")
        page.goto(evaluation_url)
        page.fill("input[name=r_c7]", "0")
        page.fill("input[name=reason_c7]", "Chưa có danh sách cán bộ được bồi dưỡng")
        page.fill("input[name=r_c8]", "0")
        page.fill("input[name=reason_c8]", "Không có minh chứng học tập của người lao động")
        page.click("button[value=review]")
        expect(page.locator("#status")).to_have_text("Đã thẩm định")
        expect(page.locator("#final-result .outcome")).to_have_text("Trung bình")
        expect(page.locator("#final-result .total")).to_have_text("104,0")
        expect(page.locator("#row-c7")).to_contain_text("Chưa có danh sách cán bộ được bồi dưỡng")

        # 3. The recognition decision lists the commune with its computed class.
        page.goto(f"{base}/don-vi/051/2020/cong-nhan/commune_community/")
        page.fill("#number", "12/QĐ-UBND")
        page.fill("#decided_on", "28/12/2020")  # typed day first, as on the page
        page.fill("#signer", "Nguyễn Văn B")
        page.fill("#signer_title", "Chủ tịch UBND huyện")
        page.click("text=Ghi quyết định")
        expect(page.locator("#recognised")).to_contain_text("Nam Tuấn")
        expect(page.locator("#recognised")).to_contain_text("Trung bình")
        expect(page.locator(".meta")).to_contain_text("12/QĐ-UBND ngày 28/12/2020")
        page.goto(f"{base}/danh-gia/{evaluation_url.rstrip('/').rsplit('/', 1)[-1]}/in/")
        expect(page.locator("#sheet")).to_contain_text("Chưa có danh sách cán bộ được bồi dưỡng")
