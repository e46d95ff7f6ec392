"""Helpers shared by the routers: the caller, pagination with a stable order, periods and dates in queries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Schema

from xhht.api.errors import ApiError
from xhht.indicators.periods import Period, parse_period

T = TypeVar("T")
MAX_LIMIT = 500


class Page(Schema):
    count: int
    limit: int
    offset: int
    items: list[Any]


def caller(request: HttpRequest) -> Any:
    return request.user


def page_slice(items: QuerySet[Any] | Sequence[T], *, limit: int, offset: int) -> tuple[int, list[Any]]:
    """(total, the page's items). The caller orders ``items`` by a unique key, so pages neither skip nor repeat."""
    if limit < 1 or limit > MAX_LIMIT:
        raise ApiError(400, f"«limit» phải từ 1 đến {MAX_LIMIT}.", "limit")
    if offset < 0:
        raise ApiError(400, "«offset» không được âm.", "offset")
    total = items.count() if isinstance(items, QuerySet) else len(items)
    return total, list(items[offset: offset + limit])


def job_answer(*, job: int, state: dict[str, Any] | None, route: str) -> dict[str, Any]:
    """The API's answer about a job (an import running in ``xhht worker``): its id, the URL to follow it (``route`` under
    /api/v1/) and its state as the web's job page reads it (``state``: running, done or rejected; ``problems``…).
    404 when ``state`` is None: no such job, or one the caller did not start."""
    if state is None:
        raise ApiError(404, "Không có lượt nhập này (hoặc không phải do bạn gửi).", "job")
    from django.urls import reverse

    return {"job": job, "url": reverse("api:api-root") + route.lstrip("/"), **state}


def period_param(text: str, field: str) -> Period:
    try:
        return parse_period(text)
    except ValueError as exc:
        raise ApiError(400, f"Kỳ «{text[:30]}» không đúng dạng: {exc}", field) from None


def date_param(text: str | None, field: str = "on") -> date | None:
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ApiError(400, f"Ngày «{text[:20]}» không hợp lệ; viết theo dạng YYYY-MM-DD (ví dụ 2025-07-01).", field) from None
