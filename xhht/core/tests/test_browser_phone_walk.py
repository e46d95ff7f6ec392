"""A new commune officer's first walk on a 390 × 844 phone (the Hòa An demo, xa.namtuan): what they tripped on, fixed.

* The periodic report's form: in three columns the box to type in sat past the screen's right edge, reached only by
  scrolling the table sideways; on a phone each figure is now a block (label, last period's figure, the box).
* The literacy chart scrolled sideways to reach the rates past 90%: a phone gets a chart drawn for its width.
* Dates: ``<input type=date>`` showed 12/02/2026 for 2 December (the phone's mm/dd order): a dd/mm/yyyy text box.
* Tap targets: a row of years, the account links in the folded menu were 16-24 px tall: now at least 40.
* The change log said "Evaluation object (38)", "Số liệu 05115 kỳ 2020", a year as "2.019", a rubric by its code.

Each page below: no sideways overflow of the page, nor inside the boxes that used to scroll (the form's table, the
chart)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from xhht.core.tests.browser import chromium, log_in, phone_page
from xhht.demo.foundation import NAM_TUAN

FITS = """() => {
  const width = document.documentElement.clientWidth;
  const shown = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  return {
    page: [document.documentElement.scrollWidth, width],
    // boxes that must not need sideways scrolling any more, and what must lie whole on the screen
    wraps: [...document.querySelectorAll('.table-wrap:has(table.report), .chart-wrap')].filter(shown)
      .map(w => [w.scrollWidth, w.clientWidth]),
    past_edge: [...document.querySelectorAll('table.report input, table.report textarea, .chart-wrap svg')].filter(shown)
      .filter(el => el.getBoundingClientRect().right > width + 1).map(el => el.id || el.tagName),
    native_dates: document.querySelectorAll('input[type=date]').length,
  };
}"""

PAGES = [
    ("home", f"/don-vi/{NAM_TUAN}/"),
    ("periodic report form", f"/bao-cao-dinh-ky/bieu/commune/{NAM_TUAN}/2020/"),
    ("activity registers", "/hoat-dong/"),
    ("literacy", f"/xoa-mu-chu/{NAM_TUAN}/2019/"),
    ("learning models", f"/mo-hinh-hoc-tap/don-vi/{NAM_TUAN}/2019/"),
    ("change log", "/nhat-ky/"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def _fits(page: Any, name: str) -> list[str]:
    m = page.evaluate(FITS)
    problems = []
    if m["page"][0] > m["page"][1] + 1:
        problems.append(f"{name}: the page is {m['page'][0]} px wide on a {m['page'][1]} px screen")
    problems += [f"{name}: a box scrolls sideways ({w[0]} px in {w[1]})" for w in m["wraps"] if w[0] > w[1] + 1]
    problems += [f"{name}: {what} runs past the screen's edge" for what in m["past_edge"]]
    if m["native_dates"]:
        problems.append(f"{name}: {m['native_dates']} <input type=date> (mm/dd/yyyy on many phones)")
    return problems


@pytest.mark.browser
def test_a_commune_officer_walks_the_demo_on_a_phone(live_server: Any, browser: Any) -> None:
    from xhht.demo.loader import demo_load

    demo_load()
    page = phone_page(browser)
    log_in(page, live_server.url, "xa.namtuan")
    page.wait_for_load_state()
    problems: list[str] = []
    for name, path in PAGES:
        response = page.goto(live_server.url + path, wait_until="load")
        assert response is not None and response.status == 200, (name, path)
        problems += _fits(page, name)
        text = page.inner_text("body")
        if re.search(r"\b[A-Z][A-Za-z]+ object \(\d+\)", text):
            problems.append(f"{name}: Django's English name of an object")
        checks: list[tuple[bool, str]] = []
        if name == "home":
            checks.append((bool(re.fullmatch(r"\d{2}/\d{2}/\d{4}", page.input_value("#on"))), "the date box is not dd/mm/yyyy"))
        if name == "periodic report form":  # the period by its name, not its code
            checks.append(("Kỳ trước (năm 2019)" in page.inner_html("table.report"), "last period shown by its code"))
        if name == "learning models":
            heights = page.evaluate("() => [...document.querySelectorAll('.choices a')].map(a => a.getBoundingClientRect().height)")
            checks.append((bool(heights) and min(heights) >= 40, f"links of a row {heights} px tall"))
        if name == "change log":
            checks += [(f"Số liệu {NAM_TUAN}" not in text and "Số liệu xã Nam Tuấn, năm 20" in text, "a unit by its code"),
                       ("năm: (trống) → 2019" in text and "2.019" not in text, "a year written 2.019"),
                       ("tt44-2014" not in text, "a rubric by its code")]
        problems += [f"{name}: {what}" for ok, what in checks if not ok]
    # The folded menu: every link, the account links and the logout button too, a box a finger hits.
    page.click("header summary")
    heights = page.evaluate("() => [...document.querySelectorAll('header nav a, header .who a, header .who button')]"
                            ".map(el => [el.innerText.trim(), el.getBoundingClientRect().height])")
    problems += [f"menu: «{label}» {h:.0f} px tall" for label, h in heights if h < 40]
    # The form: type a figure in the box beside its label, save, and the saved figure is shown in that box.
    page.goto(live_server.url + f"/bao-cao-dinh-ky/bieu/commune/{NAM_TUAN}/2020/")
    box = page.locator("table.report td.input input").first
    assert box.bounding_box()["x"] + box.bounding_box()["width"] <= 391
    box.fill("7")
    page.click("#save")
    page.wait_for_load_state()
    assert "Đã lưu bản nháp" in page.inner_text("body") and page.locator("table.report td.input input").first.input_value() == "7"
    problems += _fits(page, "periodic report form, saved")
    # Logged out: the public reports page.
    public = phone_page(browser)
    response = public.goto(live_server.url + "/cong-khai/", wait_until="load")
    assert response is not None and response.status == 200
    problems += _fits(public, "public reports")
    public.context.close()
    page.context.close()
    assert not problems, "\n".join(problems)
