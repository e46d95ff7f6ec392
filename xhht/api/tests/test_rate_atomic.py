"""The API's rate count is one atomic statement on the database's cache table (limits.rate_count): requests arriving
together are each counted, so none slips past the limit; past it the answer is 429 with Retry-After."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection

from xhht.api import limits

pytestmark = pytest.mark.django_db
WINDOW_START = time.time() // 60 * 60  # the limiter's clock below: 30 s into the current minute


def test_the_count_is_a_row_of_the_cache_table_counted_in_sql() -> None:
    from django.core.cache import caches

    key = f"test-{uuid.uuid4().hex}"
    assert [limits.rate_count(key, now=time.time(), seconds=60) for _ in range(4)] == [1, 2, 3, 4]
    stored = caches["shared"].make_and_validate_key(key)
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM xhht_cache WHERE cache_key = %s", [stored])
        assert cursor.fetchone()[0] == "4"
    caches["shared"].clear()  # the cache's own clear empties the counts too
    assert limits.rate_count(key, now=time.time(), seconds=60) == 1


def test_a_past_window_count_goes_when_a_new_window_starts() -> None:
    old, new = f"test-{uuid.uuid4().hex}", f"test-{uuid.uuid4().hex}"
    limits.rate_count(old, now=time.time() - 70, seconds=61)  # a window that ended
    limits.rate_count(new, now=time.time(), seconds=61)  # someone's first request in a new one
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM xhht_cache WHERE cache_key LIKE %s", [f"%{old}"])
        assert cursor.fetchone()[0] == 0


def _in_threads(threads: int, calls: int, call: Callable[[], Any]) -> list[Any]:
    """``call`` made ``calls`` times in each of ``threads`` threads released together; each thread its own connection."""
    from django.db import connections

    start, results, lock = threading.Barrier(threads), [], threading.Lock()

    def run() -> None:
        try:
            start.wait()
            mine = [call() for _ in range(calls)]
            with lock:
                results.extend(mine)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    return results


def _forget(pattern: str) -> None:
    # The threads' rows were committed (autocommit), outside the test's transaction: removed the same way.
    def forget() -> None:
        from django.db import connection as own

        with own.cursor() as cursor:
            cursor.execute("DELETE FROM xhht_cache WHERE cache_key LIKE %s", [pattern])

    _in_threads(1, 1, forget)


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_concurrent_requests_never_pass_the_limit(settings: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(limits, "time", SimpleNamespace(time=lambda: WINDOW_START + 30))
    settings.XHHT_API_RATE_LIMIT = "100/60"
    caller = f"test-{uuid.uuid4().hex}"
    try:
        waits = _in_threads(8, 30, lambda: limits.rate_check(caller))
    finally:
        _forget(f"%{caller}%")
    assert len(waits) == 240
    assert waits.count(0) == 100  # exactly the limit let through, whatever the interleaving
    assert set(waits) - {0} == {30}  # the others told to wait out the window's 30 s


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_concurrent_requests_through_the_middleware_get_429_with_retry_after(settings: Any, monkeypatch: Any) -> None:
    from django.test import Client

    monkeypatch.setattr(limits, "time", SimpleNamespace(time=lambda: WINDOW_START + 30))
    settings.XHHT_API_RATE_LIMIT = "10/60"
    address = "10.9.8." + str(uuid.uuid4().int % 250 + 1)

    def request() -> tuple[int, str | None, str]:
        r = Client(REMOTE_ADDR=address, HTTP_HOST="127.0.0.1").get("/api/v1/units/05115", secure=True)
        return r.status_code, r.get("Retry-After"), r.json().get("detail", "")

    try:
        answers = _in_threads(6, 5, request)
    finally:
        _forget(f"%a:{address}:%")
    refused = [a for a in answers if a[0] == 429]
    assert len(answers) == 30 and len(refused) == 20, [a[0] for a in answers]  # 10 counted (401: no token), 20 refused
    assert {(a[1], a[2]) for a in refused} == {("30", "Quá nhiều yêu cầu: hãy chờ 30 giây rồi gửi tiếp.")}
