"""Activity registers (community learning centres, vocational classes, communication…): read, scoped as the web's lists."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import ConfigDict

from xhht.accounts.access import unit_for_user_or_404
from xhht.activities.registers import REGISTERS, RegisterSpec, RowInvalid, parse_row
from xhht.activities.selectors import register_records, register_target_check
from xhht.activities.services import activity_record_create
from xhht.api.common import caller, page_slice
from xhht.api.errors import ApiError

router = Router(tags=["Hoạt động"])


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (date, datetime)) or value is None or isinstance(value, (bool, int, str, float)):
        return value
    return str(value)


@router.get("/", summary="Các sổ hoạt động")
def registers(request: HttpRequest) -> list[dict[str, Any]]:
    return [{"register": s.slug, "title": s.title, "period_kind": s.period_kind, "columns": s.column_names}
            for s in sorted(REGISTERS.values(), key=lambda s: s.slug)]


class RecordIn(Schema):
    """The register's columns (GET /activities/ lists them), by name: ``{"unit_code": "05115", "year": 2019, …}``."""

    model_config = ConfigDict(extra="allow")


def _spec(slug: str) -> RegisterSpec:
    spec = next((s for s in REGISTERS.values() if s.slug == slug), None)
    if spec is None:
        raise ApiError(404, f"Không có sổ «{slug[:60]}».", "slug")
    return spec


def _row(spec: RegisterSpec, record: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"id": record.pk, "unit": record.unit_id}
    for column in spec.columns:
        if column.kind != "unit":
            row[column.name] = _plain(getattr(record, column.name, None))
    return row


@router.post("/{slug}", response={201: dict[str, Any]}, summary="Thêm một bản ghi vào sổ hoạt động (như biểu mẫu trên web)")
def record_create(request: HttpRequest, slug: str, payload: RecordIn) -> Status[dict[str, Any]]:
    """Các cột của sổ (xem GET /activities/), đơn vị ở ``unit_code``; cùng kiểm tra như biểu mẫu trên web.
    Đơn vị (trung tâm, tổ chức) không phải của người gọi → 403; dữ liệu sai → 400 nêu cột."""
    spec = _spec(slug)
    user = caller(request)
    # The columns depend on the register: read them from the JSON body ninja has parsed and checked is an object.
    body = json.loads(request.body or b"{}")
    if not isinstance(body, dict):
        raise ApiError(400, "Nội dung gửi lên phải là một đối tượng JSON {\"cột\": giá trị}.", "body")
    known = {c.name for c in spec.columns}
    unknown = sorted(set(body) - known)
    if unknown:
        raise ApiError(400, f"Sổ «{spec.title}» không có cột «{unknown[0][:60]}».", unknown[0][:60])
    values = {name: "" if body.get(name) is None else str(body.get(name)) for name in known}
    register_target_check(spec=spec, user=user, values=values)
    try:
        record = activity_record_create(actor=user, register=spec.key, data=parse_row(spec, values, user=user))
    except RowInvalid as exc:
        column, message = exc.problems[0] if exc.problems else ("", str(exc))
        raise ApiError(400, "; ".join(m for _, m in exc.problems[:5]), column or None) from None
    return Status(201, _row(spec, record))


@router.get("/{slug}", summary="Bản ghi của một sổ hoạt động")
def records(request: HttpRequest, slug: str, unit: str = "", period: str = "", limit: int = 100, offset: int = 0) -> dict[str, Any]:
    spec = _spec(slug)
    user = caller(request)
    within = unit_for_user_or_404(user, unit) if unit else None
    qs = register_records(spec=spec, user=user, unit=within, period=period).order_by("unit_id", "pk")
    total, page = page_slice(qs, limit=limit, offset=offset)
    return {"count": total, "limit": limit, "offset": offset, "items": [_row(spec, r) for r in page]}
