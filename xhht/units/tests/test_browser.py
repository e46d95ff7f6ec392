"""End to end in headless Chromium: the district officer logs in, opens Hòa An, sees its 21 communes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from xhht.core.tests.browser import chromium, log_in, phone_page


@pytest.fixture
def page() -> Iterator[Any]:
    with chromium() as browser:
        yield phone_page(browser)


@pytest.mark.browser
def test_district_officer_finds_the_21_communes_of_hoa_an(live_server: Any, page: Any) -> None:
    from xhht.demo.foundation import load

    load()  # transactional tests start from whatever the previous one left
    log_in(page, live_server.url, "pgd.hoaan")
    # The district officer starts on the reporting dashboard; the unit tree is one tap away.
    page.wait_for_url(f"{live_server.url}/bao-cao-dinh-ky/")
    page.click("header summary")  # the phone's menu is folded (issue 15)
    page.click("header nav a[href='/don-vi/']")
    page.click("main a:has-text('Huyện Hòa An')")
    page.wait_for_url(f"{live_server.url}/don-vi/051/")
    assert page.locator("h1").inner_text().startswith("Huyện Hòa An")
    rows = page.locator("#children tbody tr")
    assert rows.count() == 21
    names = rows.locator("td:nth-child(2)").all_inner_texts()
    assert "Nước Hai" in names and "Nam Tuấn" in names and "Hồng Việt" in names
    page.click("text=Nam Tuấn")
    page.wait_for_url(f"{live_server.url}/don-vi/05115/")
    assert "Trung tâm học tập cộng đồng xã Nam Tuấn" in page.content()


@pytest.mark.browser
def test_commune_officer_cannot_open_another_commune(live_server: Any, page: Any) -> None:
    from xhht.demo.foundation import load

    load()
    log_in(page, live_server.url, "xa.namtuan")
    page.wait_for_url(f"{live_server.url}/don-vi/05115/")
    response = page.goto(f"{live_server.url}/don-vi/05113/")
    assert response.status == 404
