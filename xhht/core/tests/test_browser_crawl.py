"""Every screen speaks to its reader (issue 15), checked as a new user would meet it: each demo account logs in on
a phone-sized Chromium and follows every same-origin link to depth 3 (GET only; logout, downloads and the API
skipped), failing on a 404 reached by a link, any server error, or visible text that betrays the machinery
(snake_case, a catalogue file name, ``[[``, an English workflow state).

No cap by count: one instance of each URL pattern (the Django route) and query-parameter set is read per role,
the first reached, so the walk is finite whatever the data and reaches every screen a link leads to within
depth 3. The same screen for another unit, period or page number is not read again."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from xhht.core.tests.browser import chromium
from xhht.core.tests.crawl import crawl_as, internal_text, report, url_pattern
from xhht.demo.foundation import DEMO_ACCOUNTS


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def test_the_walker_catches_what_it_should() -> None:
    """The patterns themselves: codes caught, Vietnamese text and addresses left alone."""
    found = {rule for rule, _ in internal_text("Kết quả: trung_binh · tt44-2014-commune.yaml · [[value:x]] · draft")}
    assert found == {"snake_case", "catalogue file", "template marker", "workflow state"}
    assert internal_text("Cán bộ xã Nam Tuấn · pgd.hoaan@example.gov.vn · 98,75% · https://example.gov.vn/?ma_thu_tuc=1") == []


def test_one_instance_per_url_pattern_and_parameter_set() -> None:
    """Addresses of the same screen for another object or page share a pattern; another screen, or another set
    of query parameters, does not."""
    assert url_pattern("http://x/bao-cao/3/") == url_pattern("http://x/bao-cao/71/")
    assert url_pattern("http://x/bao-cao/3/") != url_pattern("http://x/bao-cao/3/kiem-tra/")
    assert url_pattern("http://x/nhat-ky/?page=2") == url_pattern("http://x/nhat-ky/?page=9")
    assert url_pattern("http://x/nhat-ky/?page=2") != url_pattern("http://x/nhat-ky/?page=2&unit=051")
    assert url_pattern("http://x/nhat-ky/") != url_pattern("http://x/nhat-ky/?page=2")


@pytest.mark.browser
def test_each_role_meets_no_dead_end_no_error_no_code(live_server: Any, browser: Any) -> None:
    from xhht.demo.loader import demo_load

    demo_load()  # the whole demo once (transactional tests start from whatever the previous one left)
    problems = []
    for account in DEMO_ACCOUNTS:
        started = time.monotonic()
        walk = crawl_as(browser, live_server.url, account.username, depth=3)
        print(f"{account.username}: {walk.pages} pages, {len(walk.patterns)} URL patterns, {walk.links} distinct links,"
              f" {time.monotonic() - started:.1f} s")
        assert walk.pages >= 10, f"{account.username} reached only {walk.pages} pages"
        if walk.findings:
            problems.append(f"== {account.username}, {walk.pages} pages:\n{report(walk)}")
    assert not problems, "\n".join(problems)
