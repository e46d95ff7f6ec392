"""Every screen speaks to its reader (issue 15), checked as a new user would meet it: each demo account logs in on
a phone-sized Chromium and follows every same-origin link to depth 3 (GET only; logout, downloads and the API
skipped; at most PAGES_PER_ROLE pages), failing on a 404 reached by a link, any server error, or visible text
that betrays the machinery (snake_case, a catalogue file name, ``[[``, an English workflow state)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from xhht.core.tests.browser import chromium
from xhht.core.tests.crawl import crawl_as, internal_text, report
from xhht.demo.foundation import DEMO_ACCOUNTS

PAGES_PER_ROLE = 40  # × 5 roles, after loading the demo: a few minutes on this shared 2-core machine


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def test_the_walker_catches_what_it_should() -> None:
    """The patterns themselves: codes caught, Vietnamese text and addresses left alone."""
    found = {rule for rule, _ in internal_text("Kết quả: trung_binh · tt44-2014-commune.yaml · [[value:x]] · draft")}
    assert found == {"snake_case", "catalogue file", "template marker", "workflow state"}
    assert internal_text("Cán bộ xã Nam Tuấn · pgd.hoaan@example.gov.vn · 98,75% · https://example.gov.vn/?ma_thu_tuc=1") == []


@pytest.mark.browser
def test_each_role_meets_no_dead_end_no_error_no_code(live_server: Any, browser: Any) -> None:
    from xhht.demo.loader import demo_load

    demo_load()  # the whole demo once (transactional tests start from whatever the previous one left)
    problems = []
    for account in DEMO_ACCOUNTS:
        walk = crawl_as(browser, live_server.url, account.username, depth=3, limit=PAGES_PER_ROLE)
        assert walk.pages >= 10, f"{account.username} reached only {walk.pages} pages"
        if walk.findings:
            problems.append(f"== {account.username}, {walk.pages} pages:\n{report(walk)}")
    assert not problems, "\n".join(problems)
