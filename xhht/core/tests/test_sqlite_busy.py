"""Hole 4: on SQLite, web logins answered 500 "database is locked" while an import wrote.

A separate instance is served by ``xhht serve``; another connection holds SQLite's write lock for longer than
the driver's default 5 s wait, as an import's write phase does, while a user logs in through HTTP.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import sqlite3
import threading
import time
import urllib.parse
import urllib.request
from typing import Any

import pytest

from xhht.core.tests.instance import Instance

pytestmark = pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="SQLite's single writer; PostgreSQL locks rows")


def _log_in(url: str, username: str, password: str) -> tuple[int, float]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{url}/dang-nhap/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    body = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token}).encode()
    started = time.monotonic()
    try:
        response = opener.open(urllib.request.Request(f"{url}/dang-nhap/", data=body, headers={"Referer": f"{url}/dang-nhap/"}),
                               timeout=90)
        status = response.status
        final = response.url
    except urllib.error.HTTPError as exc:
        return exc.code, time.monotonic() - started
    assert "/dang-nhap/" not in final, "the login was refused"
    return status, time.monotonic() - started


def test_logins_wait_for_a_long_write_instead_of_failing(tmp_path: Any) -> None:
    from xhht.demo.foundation import DEMO_PASSWORD

    inst = Instance(tmp_path / "busy", "busy")
    inst.xhht("migrate", "-v0")
    inst.python("from xhht.demo.foundation import load\nload()")
    with inst.serving("--no-worker") as (url, _):
        locked = threading.Event()

        def long_write() -> None:
            conn = sqlite3.connect(inst.data_dir / "xhht.sqlite3", isolation_level=None)
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("UPDATE accounts_user SET first_name = first_name")
            locked.set()
            time.sleep(7)  # longer than sqlite3's default 5 s busy wait
            conn.execute("COMMIT")
            conn.close()

        writer = threading.Thread(target=long_write)
        writer.start()
        locked.wait(10)
        status, waited = _log_in(url, "xa.namtuan", DEMO_PASSWORD)
        writer.join()
    assert status == 200 and waited > 3  # it waited for the write, then logged in
