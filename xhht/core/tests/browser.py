"""What every headless-Chromium test shares: Debian's chromium launched the same way, a phone-sized page
in Vietnamese, and the login form filled in."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

CHROMIUM = "/usr/bin/chromium"  # Debian's package (scripts/system-packages.sh), not a Playwright download
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run"]
PHONE = {"width": 390, "height": 844}  # commune officers work on phones as often as on PCs
DEMO_PASSWORD = "xhht-demo-2020"


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def phone_page(browser: Any, **options: Any) -> Any:
    """A new page in its own context (its own cookies: one user per page).

    Playwright's ``wait_for_function`` evaluates its predicate with ``eval``, which our Content-Security-Policy
    forbids, so test pages bypass the CSP by default; xhht/core/tests/test_browser_csp.py drives pages with
    the CSP enforced (``bypass_csp=False``) and checks that none is violated."""
    options.setdefault("bypass_csp", True)
    return browser.new_context(locale="vi-VN", viewport=PHONE, **options).new_page()


def log_in(page: Any, base_url: str, username: str, *, next_url: str = "", password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base_url}/dang-nhap/" + (f"?next={next_url}" if next_url else ""))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
