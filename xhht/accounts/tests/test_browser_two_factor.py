"""Issue 12, hole 5, in Chromium: a district officer signs in with a password, enrols an authenticator from
the QR page's secret, and reaches the dashboard only after the code."""

from __future__ import annotations

from base64 import b32decode
from typing import Any

import pytest

from xhht.core.tests.browser import chromium, log_in, phone_page


@pytest.mark.browser
def test_district_officer_enrols_and_signs_in_with_a_code(live_server: Any, transactional_db: Any, settings: Any) -> None:
    from django_otp.oath import totp

    from xhht.demo.foundation import load as load_foundation

    load_foundation()
    settings.XHHT_TWO_FACTOR = "required"
    with chromium() as browser:
        page = phone_page(browser, bypass_csp=False)
        log_in(page, live_server.url, "pgd.hoaan")
        page.wait_for_url("**/tai-khoan/xac-thuc/**")
        assert page.locator("#totp-qr svg").count() == 1
        secret = page.inner_text("#totp-secret").replace(" ", "")
        code = f"{totp(b32decode(secret)):06d}"
        page.fill("#id_token", code)
        page.click("button[type=submit] >> text=Xác nhận")
        page.wait_for_url("**/bao-cao-dinh-ky/**")
        page.goto(f"{live_server.url}/tai-khoan/")
        assert "Đang bật" in page.inner_text("#two-factor")
