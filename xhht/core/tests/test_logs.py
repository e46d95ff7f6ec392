"""Structured logs: one JSON line per event, with the request's id, user and unit, and tracebacks kept."""

from __future__ import annotations

import io
import json
import logging
from typing import Any, Iterator

import pytest

from xhht.core.logs import ContextFilter, Formatter


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """The log lines as the stdout and file handlers write them."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(Formatter())
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield out
    finally:
        root.removeHandler(handler)


def _lines(out: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


def test_each_request_is_one_json_line_with_its_id_user_unit_and_duration(json_lines: io.StringIO, client_for: Any,
                                                                          nam_tuan_officer: Any) -> None:
    from xhht.demo.foundation import NAM_TUAN

    response = client_for(nam_tuan_officer).get("/", HTTP_X_REQUEST_ID="abc-123")
    assert response["X-Request-ID"] == "abc-123"
    [line] = [r for r in _lines(json_lines) if r.get("action") == "request"]
    assert line["request_id"] == "abc-123" and line["user"] == "xa.namtuan" and line["unit"] == NAM_TUAN
    assert line["level"] == "INFO" and line["status"] == response.status_code and line["duration"] >= 0
    assert line["time"].endswith("Z") and line["path"] == "/"


def test_a_request_id_that_is_not_sane_is_replaced(client: Any, db: Any) -> None:
    response = client.get("/dang-nhap/", HTTP_X_REQUEST_ID="x" * 200 + "\n")
    assert response["X-Request-ID"] != "x" * 200 and len(response["X-Request-ID"]) == 16


def test_lines_logged_inside_a_request_carry_its_id_and_a_traceback_is_kept(json_lines: io.StringIO) -> None:
    from xhht.core.logs import _context

    token = _context.set({"request_id": "r1", "user": "u", "unit": "05115"})
    try:
        try:
            raise ValueError("hỏng")
        except ValueError:
            logging.getLogger("xhht.test").exception("went wrong", extra={"action": "test"})
    finally:
        _context.reset(token)
    [line] = _lines(json_lines)
    assert line["request_id"] == "r1" and line["unit"] == "05115" and line["action"] == "test"
    assert "Traceback" in line["exc_info"] and "ValueError: hỏng" in line["exc_info"]
