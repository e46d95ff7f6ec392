"""The client's address behind the reverse proxy: the login lockout and the API's rate limit count the real client,
and a client cannot choose its address by writing X-Forwarded-For itself."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory

from xhht.core.client import client_address

PASSWORD = "xhht-demo-2020"


def _request(remote: str, forwarded: str | None = None) -> Any:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_facing_the_network_the_header_is_ignored(settings: Any) -> None:
    settings.XHHT_TRUSTED_PROXIES = 0
    assert client_address(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


@pytest.mark.parametrize(("forwarded", "expected"), [
    ("203.0.113.7", "203.0.113.7"),                       # nginx appended the client
    ("1.2.3.4, 203.0.113.7", "203.0.113.7"),              # the client wrote 1.2.3.4 itself: not trusted
    ("1.2.3.4,203.0.113.7", "203.0.113.7"),
    ("2001:db8::1", "2001:db8::1"),
    ("", "127.0.0.1"),                                     # no header: the proxy itself
    ("nginx-khong-phai-dia-chi", "127.0.0.1"),             # not an address
])
def test_behind_one_proxy_the_last_forwarded_address_is_the_client(settings: Any, forwarded: str, expected: str) -> None:
    settings.XHHT_TRUSTED_PROXIES = 1
    assert client_address(_request("127.0.0.1", forwarded)) == expected


def test_behind_two_proxies_the_second_from_the_right(settings: Any) -> None:
    settings.XHHT_TRUSTED_PROXIES = 2
    assert client_address(_request("127.0.0.1", "9.9.9.9, 203.0.113.7, 10.0.0.2")) == "203.0.113.7"
    assert client_address(_request("127.0.0.1", "10.0.0.2")) == "127.0.0.1"  # fewer hops than proxies


def test_behind_the_proxy_a_lockout_holds_its_attacker_not_everyone(client: Client, demo: None, settings: Any) -> None:
    """Five wrong passwords from one client lock that client out; the user still signs in from their own address
    (before, behind nginx, every request came from 127.0.0.1 and the user was locked out for everyone)."""
    settings.XHHT_TRUSTED_PROXIES = 1
    attacker = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    for _ in range(5):
        client.post("/dang-nhap/", {"username": "xa.hongviet", "password": "sai"}, **attacker)
    assert client.post("/dang-nhap/", {"username": "xa.hongviet", "password": PASSWORD}, **attacker).status_code == 429
    # The attacker cannot escape the lockout by writing another address in front of nginx's.
    spoofed = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.9, 203.0.113.66"}
    assert client.post("/dang-nhap/", {"username": "xa.hongviet", "password": PASSWORD}, **spoofed).status_code == 429
    officer = Client()
    signed_in = officer.post("/dang-nhap/", {"username": "xa.hongviet", "password": PASSWORD},
                             REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.15")
    assert signed_in.status_code == 302
    assert "_auth_user_id" in officer.session


def test_the_api_counts_each_anonymous_client_apart_behind_the_proxy(settings: Any) -> None:
    from xhht.api.limits import caller_key

    settings.XHHT_TRUSTED_PROXIES = 1
    one, two = _request("127.0.0.1", "203.0.113.7"), _request("127.0.0.1", "203.0.113.8")
    assert caller_key(one) != caller_key(two)
    assert caller_key(one) == caller_key(_request("127.0.0.1", "6.6.6.6, 203.0.113.7"))
