"""The main pages on a 390 × 844 phone (issue 15): no sideways overflow outside scrolling tables, the header under
80 px with the menu folded, chart text at least 10 px as drawn, and the bytes each page transfers (recorded in
docs/performance.md; under 150 KB for a page without uploads)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from xhht.core.tests.browser import chromium, log_in, phone_page
from xhht.demo.foundation import DISTRICT, NAM_TUAN

MAX_BYTES = 150_000
MAX_HEADER = 80
MIN_CHART_TEXT = 10


def main_pages() -> list[tuple[str, str]]:
    """(user, path) of the pages an officer opens most."""
    return [
        ("xa.namtuan", "/bao-cao-dinh-ky/"),
        ("xa.namtuan", f"/don-vi/{NAM_TUAN}/"),
        ("xa.namtuan", f"/bao-cao-dinh-ky/bieu/commune/{NAM_TUAN}/2020/"),
        ("xa.namtuan", f"/xoa-mu-chu/{NAM_TUAN}/2019/"),
        ("xa.namtuan", "/mo-hinh-hoc-tap/"),
        ("xa.namtuan", "/hoat-dong/"),
        ("xa.namtuan", "/nhat-ky/"),
        ("pgd.hoaan", f"/chi-tieu/{DISTRICT}/"),
        ("pgd.hoaan", f"/xoa-mu-chu/{DISTRICT}/2019/"),
        ("pgd.hoaan", f"/mo-hinh-hoc-tap/don-vi/{DISTRICT}/xep-loai/"),
        ("pgd.hoaan", f"/bao-cao-dinh-ky/tong-hop/{DISTRICT}/2020/"),
        ("pgd.hoaan", "/bao-cao/"),
    ]


MEASURE = """() => {
  const doc = document.documentElement;
  // Overflow that is not inside a box that scrolls sideways on purpose (.table-wrap, .chart-wrap, a scrolling <pre>).
  const inScroller = el => { for (let p = el; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p); if (s.overflowX === 'auto' || s.overflowX === 'scroll' || s.overflowX === 'hidden') return true; } return false; };
  const wide = [...document.body.querySelectorAll('*')].filter(el => {
      const r = el.getBoundingClientRect(); return r.width > 0 && r.right > doc.clientWidth + 1 && !inScroller(el); })
    .slice(0, 5).map(el => el.tagName + (el.id ? '#' + el.id : '') + (el.className && el.className.baseVal === undefined ? '.' + el.className : ''));
  const header = document.querySelector('header.top').getBoundingClientRect().height;
  // Chart text as drawn: an SVG's font-size times its scale on screen.
  let smallest = null;
  document.querySelectorAll('svg text').forEach(t => {
    const box = t.getBoundingClientRect(); if (!box.height) return;
    const px = parseFloat(getComputedStyle(t).fontSize) * (t.getScreenCTM() ? t.getScreenCTM().a : 1);
    smallest = smallest === null ? px : Math.min(smallest, px); });
  return {scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, wide, header, smallestChartText: smallest};
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.mark.browser
def test_main_pages_fit_a_phone(live_server: Any, browser: Any) -> None:
    from xhht.demo.loader import demo_load

    demo_load()
    figures = []
    problems = []
    pages: dict[str, Any] = {}
    for user, path in main_pages():
        if user not in pages:
            pages[user] = phone_page(browser)
            log_in(pages[user], live_server.url, user)
            pages[user].wait_for_load_state()
        page = pages[user]
        sizes: list[int] = []

        def count(response: Any, sizes: list[int] = sizes) -> None:
            try:
                sizes.append(len(response.body()))
            except Exception:  # a redirect has no body
                pass

        page.on("response", count)
        response = page.goto(live_server.url + path, wait_until="load")
        page.remove_listener("response", count)
        assert response is not None and response.status == 200, (user, path, response and response.status)
        m = page.evaluate(MEASURE)
        total = sum(sizes)
        figures.append({"user": user, "path": path, "bytes": total, "header_px": round(m["header"]), "smallest_chart_text_px":
                        None if m["smallestChartText"] is None else round(m["smallestChartText"], 1), "requests": len(sizes)})
        if m["scrollWidth"] > m["clientWidth"] + 1:
            problems.append(f"{path} ({user}): page {m['scrollWidth']} px wide on a {m['clientWidth']} px screen: {m['wide']}")
        if m["header"] >= MAX_HEADER:
            problems.append(f"{path} ({user}): header {m['header']:.0f} px")
        if m["smallestChartText"] is not None and m["smallestChartText"] < MIN_CHART_TEXT:
            problems.append(f"{path} ({user}): chart text {m['smallestChartText']:.1f} px")
        if total >= MAX_BYTES:
            problems.append(f"{path} ({user}): {total} bytes")
    # The menu folds and unfolds: every section is one tap away.
    page = pages["xa.namtuan"]
    assert not page.is_visible("header nav a[href='/don-vi/']")
    page.click("header summary")
    assert page.is_visible("header nav a[href='/don-vi/']")
    out = os.environ.get("XHHT_PHONE_FIGURES")
    if out:
        Path(out).write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    for p in pages.values():
        p.context.close()
    assert not problems, "\n".join(problems) + "\n" + json.dumps(figures, ensure_ascii=False)
