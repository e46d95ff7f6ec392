from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from xhht.accounts.models import User
from xhht.audit.models import AuditEntry

PASSWORD = "xhht-demo-2020"


def test_login_page_speaks_vietnamese(client: Client, demo: None) -> None:
    page = client.get("/dang-nhap/").content.decode()
    assert "Đăng nhập" in page and "Mật khẩu" in page and 'lang="vi"' in page


def test_login_logout(client: Client, demo: None) -> None:
    response = client.post("/dang-nhap/", {"username": "xa.namtuan", "password": PASSWORD})
    assert response.status_code == 302
    home = client.get("/", follow=True)
    assert home.request["PATH_INFO"] == "/don-vi/05115/"
    assert client.post("/dang-xuat/").status_code == 302
    assert client.get("/don-vi/05115/").status_code == 302


def test_wrong_password_is_refused_in_vietnamese(client: Client, demo: None) -> None:
    page = client.post("/dang-nhap/", {"username": "xa.namtuan", "password": "sai"}).content.decode()
    assert "không đúng" in page


def test_failed_logins_are_throttled(client: Client, demo: None) -> None:
    for _ in range(5):
        client.post("/dang-nhap/", {"username": "xa.hongviet", "password": "sai"}, REMOTE_ADDR="10.0.0.9")
    locked = client.post("/dang-nhap/", {"username": "xa.hongviet", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert locked.status_code == 429
    assert "Tạm khóa" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_change(client: Client, demo: None) -> None:
    client.post("/dang-nhap/", {"username": "xa.namtuan", "password": PASSWORD})
    assert "Đổi mật khẩu" in client.get("/doi-mat-khau/").content.decode()
    response = client.post("/doi-mat-khau/", {"old_password": PASSWORD, "new_password1": "mat-khau-moi-2026", "new_password2": "mat-khau-moi-2026"})
    assert response.status_code == 302
    assert User.objects.get(username="xa.namtuan").check_password("mat-khau-moi-2026")


@pytest.mark.django_db
def test_createuser_command_is_audited(demo: None) -> None:
    from django.core.management import call_command

    call_command("createuser", "xa.namtuan2", "--role", "commune_officer", "--unit", "05115", "--password", "mot-mat-khau-dai", "--name", "Nông Văn A")
    user = User.objects.get(username="xa.namtuan2")
    assert user.unit_id == "05115" and user.last_name == "Nông Văn" and user.first_name == "A"
    entry = AuditEntry.objects.get(action="user_create", object_id=str(user.pk))
    assert entry.changes["role"] == [None, "commune_officer"]


def test_users_fixture_cast(nam_tuan_officer: Any, hong_viet_officer: Any, district_officer: Any) -> None:
    assert {nam_tuan_officer.unit_id, hong_viet_officer.unit_id, district_officer.unit_id} == {"05115", "05113", "051"}
