"""Activity registers (community learning centres, vocational classes, communication…): read, scoped as the web's lists;
add, change and delete a record where the web's form allows, through the same parser, checks and services."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import ConfigDict

from xhht.accounts.access import unit_for_user_or_404
from xhht.activities.registers import REGISTERS, RegisterSpec, RowInvalid, parse_row, record_form_values
from xhht.activities.selectors import record_for_user_or_none, register_record_editable, register_records, register_target_check
from xhht.activities.services import activity_record_create, activity_record_delete, activity_record_update
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


def _body_values(request: HttpRequest, spec: RegisterSpec) -> dict[str, str]:
    """The register's columns sent in the JSON body (ninja has parsed it and checked it is an object), as the form's text."""
    body = json.loads(request.body or b"{}")
    if not isinstance(body, dict):
        raise ApiError(400, "Nội dung gửi lên phải là một đối tượng JSON {\"cột\": giá trị}.", "body")
    known = {c.name for c in spec.columns}
    unknown = sorted(set(body) - known)
    if unknown:
        raise ApiError(400, f"Sổ «{spec.title}» không có cột «{unknown[0][:60]}».", unknown[0][:60])
    return {name: "" if value is None else str(value) for name, value in body.items()}


def _parsed(spec: RegisterSpec, user: Any, values: dict[str, Any]) -> dict[str, Any]:
    """The web form's checks in the web form's order: the unit (centre, organisation) named → 403, then every column → 400."""
    register_target_check(spec=spec, user=user, values=values)
    try:
        return parse_row(spec, values, user=user)
    except RowInvalid as exc:
        raise _invalid(exc) from None


def _invalid(exc: RowInvalid) -> ApiError:
    column = exc.problems[0][0] if exc.problems else ""
    return ApiError(400, "; ".join(m for _, m in exc.problems[:5]) or str(exc), column or None)


def _record(spec: RegisterSpec, user: Any, record: int) -> Any:
    """The record if the caller may see it, else 404 (as the web: outside one's area is as absent)."""
    found = record_for_user_or_none(spec=spec, user=user, pk=record)
    if found is None:
        raise ApiError(404, "Không tìm thấy bản ghi.", "record")
    return found


def _editable(spec: RegisterSpec, user: Any, record: Any, what: str) -> None:
    if not register_record_editable(spec=spec, user=user, record=record):
        raise PermissionDenied(f"Bạn không có quyền {what} bản ghi này.")


@router.post("/{slug}", response={201: dict[str, Any]}, summary="Thêm một bản ghi vào sổ hoạt động (như biểu mẫu trên web)")
def record_create(request: HttpRequest, slug: str, payload: RecordIn) -> Status[dict[str, Any]]:
    """Các cột của sổ (xem GET /activities/), đơn vị ở ``unit_code``; cùng kiểm tra như biểu mẫu trên web.
    Đơn vị (trung tâm, tổ chức) không phải của người gọi → 403; dữ liệu sai → 400 nêu cột."""
    spec = _spec(slug)
    user = caller(request)
    values = {c.name: "" for c in spec.columns} | _body_values(request, spec)
    data = _parsed(spec, user, values)
    try:
        record = activity_record_create(actor=user, register=spec.key, data=data)
    except RowInvalid as exc:
        raise _invalid(exc) from None
    return Status(201, _row(spec, record))


@router.get("/{slug}/{record}", summary="Một bản ghi của sổ hoạt động")
def record_read(request: HttpRequest, slug: str, record: int) -> dict[str, Any]:
    spec = _spec(slug)
    return _row(spec, _record(spec, caller(request), record))


@router.put("/{slug}/{record}", summary="Sửa một bản ghi (như trang sửa trên web; cột không gửi giữ giá trị đã lưu)")
def record_update(request: HttpRequest, slug: str, record: int, payload: RecordIn) -> dict[str, Any]:
    """Gửi các cột cần đổi. Bản ghi ngoài phạm vi → 404; được xem mà không được sửa (hoặc chuyển sang đơn vị không
    phải của mình) → 403; dữ liệu sai → 400 nêu cột. Không ghi gì khi bị từ chối."""
    spec = _spec(slug)
    user = caller(request)
    found = _record(spec, user, record)
    _editable(spec, user, found, "sửa")
    values = {k: "" if v is None else str(v) for k, v in record_form_values(spec, found).items()} | _body_values(request, spec)
    data = _parsed(spec, user, values)
    try:
        activity_record_update(actor=user, register=spec.key, record=found, data=data)
    except RowInvalid as exc:
        raise _invalid(exc) from None
    return _row(spec, found)


@router.delete("/{slug}/{record}", response={204: None}, summary="Xóa một bản ghi (như nút Xóa trên web)")
def record_delete(request: HttpRequest, slug: str, record: int) -> Status[None]:
    """Bản ghi ngoài phạm vi → 404; được xem mà không được xóa → 403. Các chỉ số tính từ sổ được tính lại."""
    spec = _spec(slug)
    user = caller(request)
    found = _record(spec, user, record)
    _editable(spec, user, found, "xóa")
    activity_record_delete(actor=user, register=spec.key, record=found)
    return Status(204, None)


@router.get("/{slug}", summary="Bản ghi của một sổ hoạt động")
def records(request: HttpRequest, slug: str, unit: str = "", period: str = "", limit: int = 100, offset: int = 0) -> dict[str, Any]:
    spec = _spec(slug)
    user = caller(request)
    within = unit_for_user_or_404(user, unit) if unit else None
    qs = register_records(spec=spec, user=user, unit=within, period=period).order_by("unit_id", "pk")
    total, page = page_slice(qs, limit=limit, offset=offset)
    return {"count": total, "limit": limit, "offset": offset, "items": [_row(spec, r) for r in page]}
