"""The API's rate counts are shared by the processes of one instance (issue 17), as gunicorn's workers are separate
processes: by default they live in the database's cache table (settings.CACHES["shared"]), which ``migrate`` makes,
on SQLite and on PostgreSQL (a fresh database of its own when DATABASE_URL is set).

Each request below runs through the whole middleware in a Python process of its own (Django's test client, no
server), from one client address, so the count is per address: over ``3/60`` the fourth is 429 with Retry-After,
whichever process answers it. With the per-process memory cache instead each process counts alone.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from xhht.core.tests.instance import Instance

REQUESTS = """
from types import SimpleNamespace

from django.test import Client

from xhht.api import limits

limits.time = SimpleNamespace(time=lambda: {now!r})  # every process in the same window, whenever it runs
client = Client(REMOTE_ADDR={address!r}, HTTP_HOST="127.0.0.1")
out = []
for _ in range({times}):
    r = client.get("/api/v1/units/05115", secure=True)
    out.append([r.status_code, r.get("Retry-After"), r.json().get("detail")])
"""


@pytest.fixture(scope="module")
def instance(tmp_path_factory: Any) -> Iterator[Instance]:
    inst = Instance(tmp_path_factory.mktemp("rate-instance"), "rate")
    inst.env.update(XHHT_API_RATE_LIMIT="3/60")
    inst.xhht("migrate", "-v0")  # makes the cache table (xhht/core/migrations/0001_cache_table.py)
    try:
        yield inst
    finally:
        inst.drop()


# The limiter's clock in every process: 30 s into the minute the test module started in.
NOW = time.time() // 60 * 60 + 30


def _requests(inst: Instance, address: str, times: int) -> list[list[Any]]:
    return list(inst.python(REQUESTS.format(address=address, times=times, now=NOW)))


def test_two_processes_count_one_caller_together_and_the_fourth_gets_429(instance: Instance) -> None:
    first = _requests(instance, "10.0.0.1", 2)
    second = _requests(instance, "10.0.0.1", 2)  # another process, the same caller, the same minute
    assert [r[0] for r in first] == [401, 401] and second[0][0] == 401  # counted, then refused as anonymous
    status, retry_after, detail = second[1]
    assert (status, retry_after) == (429, "30")  # the seconds left in the window
    assert detail == "Quá nhiều yêu cầu: hãy chờ 30 giây rồi gửi tiếp."
    assert _requests(instance, "10.0.0.2", 1)[0][0] == 401  # another caller has a count of its own
    assert instance.query("SELECT COUNT(*) FROM xhht_cache")[0][0] >= 2  # the counts are rows of the database


def test_a_per_process_cache_would_let_each_process_count_alone(instance: Instance) -> None:
    # Why the default is the database: the same four requests over the memory cache never reach the limit.
    instance.env["XHHT_API_RATE_CACHE"] = "default"
    try:
        assert [r[0] for r in _requests(instance, "10.0.0.3", 3) + _requests(instance, "10.0.0.3", 3)] == [401] * 6
    finally:
        del instance.env["XHHT_API_RATE_CACHE"]


def test_the_migration_makes_the_table_the_settings_name() -> None:
    from django.conf import settings

    from xhht.core.migrations import __name__ as package

    table = __import__(f"{package}.0001_cache_table", fromlist=["TABLE"]).TABLE
    assert settings.CACHES["shared"]["LOCATION"] == table and settings.XHHT_API_RATE_CACHE == "shared"
