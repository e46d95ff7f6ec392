"""A new user's walk through XHHT: log in, follow every same-origin link to a given depth (GET only),
and note what a reader should never meet — a 404 reached by a link, a server error, or visible text that
betrays the machinery (a snake_case identifier, a catalogue file name, ``[[``, an English workflow state).

Used by test_browser_crawl.py; also runnable by hand against a running server:

    python -m xhht.core.tests.crawl http://127.0.0.1:8000 xa.namtuan
"""

from __future__ import annotations

import re
import sys
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

from xhht.core.tests.browser import chromium, log_in, phone_page

# What a Vietnamese reader must not see. Each pattern is named so a failure says which rule it broke.
INTERNAL = [
    ("snake_case", re.compile(r"(?<![\w@./-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@.-])")),
    ("catalogue file", re.compile(r"\b[\w-]+\.(?:ya?ml|json)\b")),
    ("template marker", re.compile(r"\[\[")),
    ("workflow state", re.compile(r"\b(?:draft|submitted|approved|returned|published|rejected)\b", re.IGNORECASE)),
]

# Links a walker must not follow: leaving, downloads (files, not pages), and the browsable API.
SKIP = re.compile(r"/dang-xuat/|/api/|\.(?:xlsx|docx|pdf|csv|zip)(?:$|\?)|/tai-ve|/tai-xuong|/xuat|[?&](?:format|download)=|/mau/|/jsi18n/")


@dataclass
class Finding:
    url: str
    problem: str
    detail: str = ""
    came_from: str = ""


@dataclass
class Walk:
    pages: int = 0
    findings: list[Finding] = field(default_factory=list)
    links: int = 0  # distinct same-site addresses met in links (every one of them is an instance of a visited pattern)
    patterns: set[tuple[str, tuple[str, ...]]] = field(default_factory=set)


_NUMBERS = re.compile(r"\d+")


def url_pattern(url: str) -> tuple[str, tuple[str, ...]]:
    """The address's pattern: the Django route it resolves to (``bao-cao/<int:pk>/kiem-tra/``), else the path with
    its numbers masked, and the set of its query parameters' names (values dropped). Two addresses with the
    same pattern are the same screen for another unit, period or page, so one instance per pattern is read."""
    parts = urlsplit(url)
    route = ""
    try:
        from django.urls import Resolver404, resolve

        try:
            match = resolve(parts.path)
            route = f"{match.view_name}:{match.route}"
        except Resolver404:
            route = ""
    except Exception:  # outside Django (the tool run by hand against a server): mask the numbers
        route = ""
    if not route:
        route = _NUMBERS.sub("#", parts.path)
    return route, tuple(sorted({name for name, _ in parse_qsl(parts.query, keep_blank_values=True)}))


URL = re.compile(r"https?://\S+")


def internal_text(text: str) -> list[tuple[str, str]]:
    """(rule, match) for every internal identifier in ``text`` (web addresses cited as sources are left alone)."""
    text = URL.sub(" ", text)
    return [(name, m.group(0)) for name, pattern in INTERNAL for m in pattern.finditer(text)]


def crawl(page: Any, base_url: str, *, start: str, depth: int = 3, limit: int | None = None,
          by_pattern: bool = True) -> Walk:
    """Breadth first from ``start`` (a path), same origin, GET only, every link down to ``depth``.

    With ``by_pattern`` (the default) one instance of each URL pattern and query-parameter set is read (the first
    reached, so the shallowest): the walk stays finite whatever the data, and no screen is left out. Without it,
    every distinct address is read. ``limit`` (pages) is only a safety net for the tool run by hand."""
    origin = urlsplit(base_url).netloc
    walk = Walk()
    seen: set[str] = set()
    queued: set[str] = set()
    queue: deque[tuple[str, int, str]] = deque([(urldefrag(urljoin(base_url, start))[0], 0, "")])
    queued.add(queue[0][0])
    if by_pattern:
        walk.patterns.add(url_pattern(queue[0][0]))
    while queue and (limit is None or walk.pages < limit):
        url, level, came_from = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        try:
            response = page.goto(url, wait_until="domcontentloaded")
        except Exception as error:  # a download starts instead of a page: not a page to read
            if "Download is starting" in str(error):
                continue
            walk.findings.append(Finding(url, "lỗi tải trang", str(error)[:200], came_from))
            continue
        walk.pages += 1
        status = response.status if response else 0
        if status >= 500:
            walk.findings.append(Finding(url, f"HTTP {status}", "", came_from))
            continue
        if status == 404:
            walk.findings.append(Finding(url, "HTTP 404", "", came_from))
            continue
        if status >= 400:
            continue  # 403 for a page of another unit is a refusal, 405 a POST-only address: not dead ends
        content_type = (response.headers.get("content-type", "") if response else "")
        if "html" not in content_type:
            continue
        # What the reader sees, less <code>: a file format's column names are what the user types in the file.
        text = page.evaluate("""() => { const hidden = [...document.querySelectorAll('code, kbd')];
            hidden.forEach(e => e.dataset.crawlText = e.textContent, e => 0);
            hidden.forEach(e => { e.textContent = ''; });
            const text = document.body.innerText;
            hidden.forEach(e => { e.textContent = e.dataset.crawlText; delete e.dataset.crawlText; });
            return text; }""")
        for rule, match in internal_text(text):
            walk.findings.append(Finding(url, rule, match, came_from))
        if level >= depth:
            continue
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        for href in hrefs:
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if parts.scheme not in {"http", "https"} or parts.netloc != origin or SKIP.search(href) or href in queued:
                continue
            queued.add(href)
            if by_pattern:
                key = url_pattern(href)
                if key in walk.patterns:
                    continue
                walk.patterns.add(key)
            queue.append((href, level + 1, url))
    walk.links = len(queued)
    return walk


def crawl_as(browser: Any, base_url: str, username: str, *, depth: int = 3, limit: int | None = None,
             by_pattern: bool = True) -> Walk:
    page = phone_page(browser)
    log_in(page, base_url, username)
    page.wait_for_load_state("domcontentloaded")
    start = urlsplit(page.url).path or "/"
    try:
        return crawl(page, base_url, start=start, depth=depth, limit=limit, by_pattern=by_pattern)
    finally:
        page.context.close()


def report(walk: Walk) -> str:
    seen: set[tuple[str, str]] = set()
    lines = []
    for f in walk.findings:
        key = (f.problem, f.detail)
        if key in seen:
            continue
        seen.add(key)
        lines.append(f"{f.problem}: {f.detail!r} at {f.url} (from {f.came_from})")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - a tool for people
    base, *users = sys.argv[1:]
    with chromium() as browser:
        for user in users:
            every = bool(__import__("os").environ.get("EVERY_URL"))
            walk = crawl_as(browser, base, user, by_pattern=not every)
            print(f"== {user}: {walk.pages} pages, {len(walk.patterns)} patterns, {walk.links} links, {len(walk.findings)} findings")
            print(report(walk))
