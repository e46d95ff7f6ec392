"""Limits of the API, applied before any view runs (issue 17): body size (413) and request rate (429).

Both run in :class:`ApiLimitsMiddleware`, placed early in settings.MIDDLEWARE, so a 50 MB body is refused from its
``Content-Length`` before anything reads or parses it, and a caller over its rate costs one cache increment.

The rate is counted per token (the sha256 of the presented ``Bearer`` secret, valid or not), else per web session,
else per client address, in fixed windows kept in the cache settings.XHHT_API_RATE_CACHE names: by default "shared",
the database's own cache table, seen by every worker process (a per-process cache would let each count on its own).
Each request adds one to its caller's count atomically, so that requests arriving together cannot slip past the limit:
in the database's cache by one ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` on its table (PostgreSQL, SQLite ≥ 3.35;
Django's own ``incr`` there is a read then a write, and two requests at the same instant counted once), in another
cache (memcached, redis, the per-process memory) by its ``add`` and ``incr``, which are atomic there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.http import HttpRequest, HttpResponse

from xhht.api.errors import error_response
from xhht.audit.services import audit_channel
from xhht.core.client import client_address

PREFIX = "/api/v1/"


def max_body_bytes() -> int:
    return int(getattr(settings, "XHHT_API_MAX_BODY_BYTES", 25 * 1024 * 1024))


def rate_limit() -> tuple[int, int]:
    """(requests, seconds) allowed per caller: settings.XHHT_API_RATE_LIMIT, e.g. "300/60"."""
    text = str(getattr(settings, "XHHT_API_RATE_LIMIT", "300/60"))
    count, _, seconds = text.partition("/")
    return int(count), int(seconds or 60)


def caller_key(request: HttpRequest) -> str:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header[:7].lower() == "bearer ":
        return "t:" + hashlib.sha256(header[7:].strip().encode("utf-8", "replace")).hexdigest()[:40]
    session = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if session:
        return "s:" + hashlib.sha256(session.encode("utf-8", "replace")).hexdigest()[:40]
    return "a:" + client_address(request)


def rate_check(key: str, *, now: float | None = None) -> int:
    """0 when the caller may go on; else the seconds until its window ends (for ``Retry-After``)."""
    allowed, window = rate_limit()
    if allowed <= 0:
        return 0
    now = time.time() if now is None else now
    slot = int(now // window)
    used = rate_count(f"xhht-api-rate:{key}:{slot}", now=now, seconds=window + 1)
    if used <= allowed:
        return 0
    return max(1, math.ceil((slot + 1) * window - now))


def rate_count(cache_key: str, *, now: float, seconds: int) -> int:
    """Add one to the count under ``cache_key`` (kept ``seconds`` from ``now``, the limiter's clock) and return it,
    atomically: two requests at the same instant are two. In the database's cache the count is a row of its table
    holding the number as text (read it with this function: ``cache.get`` unpickles and cannot)."""
    cache = caches[str(getattr(settings, "XHHT_API_RATE_CACHE", "shared"))]
    if isinstance(cache, DatabaseCache) and connections[router.db_for_write(cache.cache_model_class)].vendor in {"postgresql", "sqlite"}:
        return _database_count(cache, cache_key, now, seconds)
    if cache.add(cache_key, 1, timeout=seconds):
        return 1
    try:
        return int(cache.incr(cache_key))
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=seconds)
        return 1


def _database_count(cache: DatabaseCache, cache_key: str, now: float, seconds: int) -> int:
    connection = connections[router.db_for_write(cache.cache_model_class)]
    table, quote = connection.ops.quote_name(cache.cache_model_class._meta.db_table), connection.ops.quote_name
    key = cache.make_and_validate_key(cache_key)
    zone = dt.timezone.utc if settings.USE_TZ else None

    def moment(at: float) -> Any:
        return connection.ops.adapt_datetimefield_value(dt.datetime.fromtimestamp(at, tz=zone).replace(microsecond=0))

    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({quote('cache_key')}, {quote('value')}, {quote('expires')}) VALUES (%s, '1', %s) "
                       f"ON CONFLICT ({quote('cache_key')}) DO UPDATE SET "
                       f"{quote('value')} = CAST(CAST({table}.{quote('value')} AS INTEGER) + 1 AS TEXT) RETURNING {quote('value')}",
                       [key, moment(now + seconds)])
        used = int(cursor.fetchone()[0])
        if used == 1:  # a caller's first request of a window: the counts of windows past go (as Django's cache culls)
            cursor.execute(f"DELETE FROM {table} WHERE {quote('expires')} < %s", [moment(now)])
    return used


class ApiLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return error_response(400, "Tiêu đề Content-Length không hợp lệ.", "Content-Length")
        limit = max_body_bytes()
        if not request.META.get("CONTENT_TYPE", "").startswith("multipart/"):
            # A JSON body is read into memory whole: Django's own bound for that applies (files are streamed to disk).
            limit = min(limit, int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or limit))
        if length > limit:
            return error_response(413, f"Nội dung gửi lên quá lớn ({length // (1024 * 1024)} MB; tối đa {limit // (1024 * 1024)} MB): "
                                       "chưa đọc, chưa ghi gì.", "body")
        wait = rate_check(caller_key(request))
        if wait:
            return error_response(429, f"Quá nhiều yêu cầu: hãy chờ {wait} giây rồi gửi tiếp.", None, {"Retry-After": str(wait)})
        with audit_channel(""):  # the auth marks the token used; the mark ends with the request
            return self.get_response(request)
