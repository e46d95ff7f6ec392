"""Issue 12, hole 5: password rules everywhere, TOTP for district/province/administrator, idle expiry."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from xhht.accounts.models import Role, User
from xhht.accounts.services import user_create_or_update
from xhht.audit.models import AuditEntry
from xhht.demo.foundation import DISTRICT, NAM_TUAN
from xhht.units.models import Unit

PASSWORD = "xhht-demo-2020"


@pytest.mark.parametrize("weak", ["1", "abc", "12345678", "xa.namtuan9", "password"])
def test_createuser_refuses_weak_passwords(demo: None, weak: str) -> None:
    with pytest.raises(CommandError, match="Mật khẩu không được chấp nhận"):
        call_command("createuser", "xa.namtuan9", "--role", "commune_officer", "--unit", NAM_TUAN, "--password", weak)
    assert not User.objects.filter(username="xa.namtuan9").exists()


def test_user_service_refuses_a_password_like_the_name_and_keeps_the_old_one(demo: None) -> None:
    user = User.objects.get(username="xa.namtuan")
    with pytest.raises(ValueError, match="quá ngắn"):
        user_create_or_update(actor=None, username="xa.namtuan", password="1", role=Role.COMMUNE_OFFICER, unit=Unit.objects.get(code=NAM_TUAN))
    with pytest.raises(ValueError, match="giống"):
        user_create_or_update(actor=None, username="nongvanbinh", password="nongvanbinh", role=Role.COMMUNE_OFFICER,
                              unit=Unit.objects.get(code=NAM_TUAN), full_name="Nông Văn Bình")
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def _code(device: TOTPDevice) -> str:
    """The code the user's phone shows now (RFC 6238, computed from the device's secret)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


@pytest.fixture
def two_factor_on(settings: Any) -> None:
    settings.XHHT_TWO_FACTOR = "required"


def test_district_officer_enrols_at_first_login_then_verifies_at_each_login(client: Client, demo: None, two_factor_on: None) -> None:
    assert client.post("/dang-nhap/", {"username": "pgd.hoaan", "password": PASSWORD}).status_code == 302
    # No page before the second factor: the dashboard redirects to enrolment.
    response = client.get(f"/don-vi/{DISTRICT}/")
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/xac-thuc/")
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page and "Khóa bí mật" in page
    device = TOTPDevice.objects.get(user__username="pgd.hoaan", confirmed=False)
    refused = client.post("/tai-khoan/xac-thuc/", {"token": "000000" if _code(device) != "000000" else "111111", "next": f"/don-vi/{DISTRICT}/"})
    assert refused.status_code == 400 and "không đúng" in refused.content.decode()
    time.sleep(1.1)  # django-otp throttles a device after a wrong code (1 s, doubling with each failure)
    done = client.post("/tai-khoan/xac-thuc/", {"token": _code(device), "next": f"/don-vi/{DISTRICT}/"})
    assert done.status_code == 302 and done["Location"] == f"/don-vi/{DISTRICT}/"
    assert client.get(f"/don-vi/{DISTRICT}/").status_code == 200
    assert AuditEntry.objects.filter(action="two_factor_enrol", object_id=str(device.user_id)).exists()
    # Next login: a code is asked again; no new secret is shown.
    client.post("/dang-xuat/")
    client.post("/dang-nhap/", {"username": "pgd.hoaan", "password": PASSWORD})
    assert client.get("/").status_code == 302
    page = client.get("/tai-khoan/xac-thuc/").content.decode()
    assert "Khóa bí mật" not in page and "<svg" not in page
    device.refresh_from_db()
    device.last_t = -1  # the same 30-second step may be used once only; a new step in a real login
    device.save()
    assert client.post("/tai-khoan/xac-thuc/", {"token": _code(device), "next": "/"}).status_code == 302
    assert client.get(f"/don-vi/{DISTRICT}/").status_code == 200


def test_commune_officer_needs_no_second_factor(client: Client, demo: None, two_factor_on: None) -> None:
    client.post("/dang-nhap/", {"username": "xa.namtuan", "password": PASSWORD})
    assert client.get(f"/don-vi/{NAM_TUAN}/").status_code == 200
    assert client.get("/tai-khoan/xac-thuc/")["Location"] == "/tai-khoan/"
    assert not TOTPDevice.objects.filter(user__username="xa.namtuan").exists()


def test_an_enrolled_users_secret_is_not_shown_to_whoever_has_the_password(client: Client, demo: None, two_factor_on: None) -> None:
    user = User.objects.get(username="so.caobang")
    TOTPDevice.objects.create(user=user, name="x", confirmed=True)
    client.post("/dang-nhap/", {"username": "so.caobang", "password": PASSWORD})
    page = client.get("/tai-khoan/xac-thuc/?doi=1").content.decode()
    assert "Khóa bí mật" not in page
    assert not TOTPDevice.objects.filter(user=user, confirmed=False).exists()
    assert client.get("/quan-tri/").status_code == 302


def test_demo_switch_lets_demo_accounts_in(client: Client, demo: None) -> None:
    client.post("/dang-nhap/", {"username": "pgd.hoaan", "password": PASSWORD})
    assert client.get(f"/don-vi/{DISTRICT}/").status_code == 200


def test_idle_session_expires_after_the_configured_hours(client: Client, demo: None, settings: Any) -> None:
    from django.conf import settings as live

    assert live.SESSION_COOKIE_AGE == 8 * 3600
    client.post("/dang-nhap/", {"username": "xa.namtuan", "password": PASSWORD})
    client.get(f"/don-vi/{NAM_TUAN}/")
    age = client.session.get_expiry_age()
    assert 8 * 3600 - 60 <= age <= 8 * 3600
    # A session used a minute later is renewed: its expiry moves with its use, not with the login.
    session = client.session
    session["_xhht_seen"] = int(time.time()) - 120
    session.save()
    before = client.session.get_expiry_date()
    time.sleep(1)
    client.get(f"/don-vi/{NAM_TUAN}/")
    assert client.session.get_expiry_date() > before
