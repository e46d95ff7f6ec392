"""Structured logs: one JSON line per event (time, level, logger, message, request id, user, unit, action, duration).

``RequestLogMiddleware`` gives every request an id (kept from a sane ``X-Request-ID`` sent by nginx, or made
here), returns it in the ``X-Request-ID`` header, puts it with the user and unit on every line logged while
the request runs, and logs the request itself with its status and duration. Settings: ``LOGGING`` in
xhht/settings.py (stdout and ``<data dir>/logs/xhht.log``, rotated).
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from typing import Any, Callable

from django.http import HttpRequest, HttpResponse
from pythonjsonlogger.json import JsonFormatter

_context: contextvars.ContextVar[dict[str, Any]] = contextvars.ContextVar("xhht_log_context", default={})
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
log = logging.getLogger("xhht.request")


class ContextFilter(logging.Filter):
    """Adds the current request's id, user and unit to each record (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _context.get()
        for key in ("request_id", "user", "unit"):
            if not hasattr(record, key):
                setattr(record, key, context.get(key, ""))
        return True


class Formatter(JsonFormatter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s", *args, **kwargs)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802 - logging's name
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z"


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        sent = request.headers.get("X-Request-ID", "")
        request_id = sent if _SANE_ID.match(sent) else uuid.uuid4().hex[:16]
        request.request_id = request_id  # type: ignore[attr-defined]
        context = {"request_id": request_id}
        token = _context.set(context)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                context["user"] = user.get_username()
                context["unit"] = getattr(user, "unit_id", None) or ""
            response["X-Request-ID"] = request_id
            level = logging.ERROR if response.status_code >= 500 else logging.INFO
            log.log(level, "%s %s %s", request.method, request.path, response.status_code,
                    extra={**context, "action": "request", "method": request.method, "path": request.path,
                           "status": response.status_code, "duration": round(time.monotonic() - started, 4)})
            return response
        finally:
            _context.reset(token)
