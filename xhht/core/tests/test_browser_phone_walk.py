"""A new commune officer's first walk on a 390 × 844 phone (the Hòa An demo, xa.namtuan): what they tripped on, fixed.

* The periodic report's form: in three columns the box to type in sat past the screen's right edge, reached only by
  scrolling the table sideways; on a phone each figure is now a block (label, last period's figure, the box).
* The literacy chart scrolled sideways to reach the rates past 90%: a phone gets a chart drawn for its width.
* Dates: ``<input type=date>`` showed 12/02/2026 for 2 December (the phone's mm/dd order): a dd/mm/yyyy text box.
* Tap targets: a row of years, the account links in the folded menu were 16-24 px tall, the header's "XHHT" link and
  "☰ Danh mục" button 26 and 33 px: now at least 40.
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
    # The header's "XHHT" link and "☰ Danh mục" button, folded and unfolded, boxes a finger hits (were 26 and 33 px).
    header = "() => [...document.querySelectorAll('header.top > a.brand, header summary')].map(el => [el.innerText.trim(), el.getBoundingClientRect().height])"
    folded = page.evaluate(header)
    assert len(folded) == 2
    problems += [f"header: «{label}» {h:.0f} px tall" for label, h in folded if h < 40]
    # The folded menu: every link, the account links and the logout button too, a box a finger hits.
    page.click("header summary")
    problems += [f"header, menu open: «{label}» {h:.0f} px tall" for label, h in page.evaluate(header) if h < 40]
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


JOB_STATES_IN_ENGLISH = re.compile(r"\b(queued|running|done|rejected|failed|xhht\.\w+|clc_topic|vocational_class)\b")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_import_job_pages_on_a_phone(live_server: Any, browser: Any, tmp_path: Any, settings: Any) -> None:
    """The officer sends a register's file (its own template, filled in) and a class's learner list, good then with a
    wrong value, and follows each job's page at 390 px: the wait while no worker runs (said so, in Vietnamese), the end
    (the polling stops), every problem named by file, sheet, row and column; nothing wider than the screen, the next
    step a box a finger hits, no job state nor internal name in English."""
    import openpyxl

    from xhht.activities.demo import load as activities_load
    from xhht.activities.models import VocationalClass
    from xhht.demo.foundation import load
    from xhht.jobs.runner import job_run
    from xhht.jobs.services import job_claim

    settings.DATA_DIR = tmp_path  # the job uploads
    load()  # a live-server test may start from a flushed database
    activities_load()
    klass = VocationalClass.objects.filter(unit_id=NAM_TUAN).order_by("pk").first()
    assert klass is not None
    page = phone_page(browser, accept_downloads=True)
    polls: list[str] = []
    page.on("request", lambda r: polls.append(r.url) if r.url.endswith("/trang-thai/") else None)
    log_in(page, live_server.url, "xa.namtuan")
    page.wait_for_load_state()
    problems: list[str] = []

    def check(name: str) -> str:
        problems.extend(_fits(page, name))
        text = page.inner_text("main")
        if found := JOB_STATES_IN_ENGLISH.findall(text):
            problems.append(f"{name}: {found} shown")
        heights = page.evaluate("() => [...document.querySelectorAll('main .crumbs a, #status a')]"
                                ".map(a => [a.innerText.trim(), a.getBoundingClientRect().height])")
        problems.extend(f"{name}: «{label}» {h:.0f} px tall" for label, h in heights if h < 40)
        return text

    def follow(name: str, path: Any) -> str:
        """Send the file; the job's page waits (the worker silent), then the worker runs it; the page shows the end and stops polling."""
        page.set_input_files("input[name=tep]", str(path))
        page.click("main form button[type=submit]")
        page.wait_for_url("**/nhap/*/")
        page.wait_for_timeout(1500)  # a poll or so while queued
        waiting = check(f"{name}, waiting")
        if "Đang chờ đến lượt xử lý" not in waiting or "Bộ phận xử lý nền của hệ thống đang tạm dừng hoặc bận" not in waiting:
            problems.append(f"{name}: the wait for a silent worker not said: {waiting!r}")
        job = job_claim(worker="test")
        assert job is not None
        job_run(job=job, worker="test")
        page.wait_for_selector("#status #imported, #status #problems")
        page.screenshot(path=f"/tmp/jobpages-shots/test-{name}.png", full_page=True)
        text = check(f"{name}, ended")
        seen = len(polls)
        page.wait_for_timeout(2500)
        if len(polls) != seen or page.locator("[hx-get]").count():
            problems.append(f"{name}: the page still polls after the job ended")
        return text

    # A register: its template ("Tải tệp mẫu"), filled in; then the same with a subject area not in the list.
    page.goto(live_server.url + "/hoat-dong/chuyen-de/nhap/")
    check("register import")
    with page.expect_download() as download:
        page.click("#template")
    template = tmp_path / "mau.xlsx"
    download.value.save_as(template)
    book = openpyxl.load_workbook(template)
    book.active.append([NAM_TUAN, "2021-2022", "Phòng chống ma túy", "Pháp luật, chính sách", "Công an xã", 2, 80, None])
    good = tmp_path / "chuyen-de-nam-hoc-2021-2022-xa-nam-tuan-ban-chinh-thuc-da-duyet-lan-cuoi.xlsx"  # a long name, on one word
    book.save(good)
    text = follow("register, good file", good)
    assert "Đã nhập 1 dòng" in text, text
    book.active.cell(row=2, column=4).value = "Luật pháp"
    bad = tmp_path / "sai.xlsx"
    book.save(bad)
    page.click("text=Nhập tệp khác")
    text = follow("register, bad file", bad)
    assert "Tệp bị từ chối, không ghi dữ liệu nào" in text and "sai.xlsx, trang tính «Dữ liệu», dòng 2, cột Lĩnh vực: lĩnh vực «Luật pháp»" in text, text
    # A vocational class's learner list: two learners; then a sex the list does not know.
    page.goto(live_server.url + f"/hoat-dong/day-nghe/{klass.pk}/hoc-vien/")
    check("learner list")
    learners = openpyxl.Workbook()
    learners.active.title = "Học viên"
    learners.active.append(["Họ và tên", "Năm sinh", "Giới tính", "Dân tộc"])
    learners.active.append(["Lò Văn Sáng", 1990, "Nam", "Thái"])
    learners.active.append(["Đinh Thị Hoa", 1995, "Nữ", "Kinh"])
    good = tmp_path / "hoc-vien.xlsx"
    learners.save(good)
    text = follow("learners, good file", good)
    assert "Đã nhập danh sách 2 học viên" in text, text
    learners.active.cell(row=3, column=3).value = "Khác"
    learners.save(bad)
    page.click("text=Xem danh sách học viên")
    text = follow("learners, bad file", bad)
    assert "sai.xlsx, trang tính «Học viên», dòng 3, cột Giới tính: giới tính «Khác» không hợp lệ" in text, text
    page.context.close()
    assert not problems, "\n".join(problems)
