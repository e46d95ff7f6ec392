"""Activity registers (community learning centres, vocational classes, communication…): read, scoped as the web's lists."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.http import HttpRequest
from ninja import Router

from xhht.accounts.access import unit_for_user_or_404
from xhht.activities.registers import REGISTERS
from xhht.activities.selectors import register_records
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


@router.get("/{slug}", summary="Bản ghi của một sổ hoạt động")
def records(request: HttpRequest, slug: str, unit: str = "", period: str = "", limit: int = 100, offset: int = 0) -> dict[str, Any]:
    spec = next((s for s in REGISTERS.values() if s.slug == slug), None)
    if spec is None:
        raise ApiError(404, f"Không có sổ «{slug[:60]}».", "slug")
    user = caller(request)
    within = unit_for_user_or_404(user, unit) if unit else None
    qs = register_records(spec=spec, user=user, unit=within, period=period).order_by("unit_id", "pk")
    total, page = page_slice(qs, limit=limit, offset=offset)
    items = []
    for record in page:
        row: dict[str, Any] = {"id": record.pk, "unit": record.unit_id}
        for column in spec.columns:
            if column.kind in {"unit"}:
                continue
            row[column.name] = _plain(getattr(record, column.name, None))
        items.append(row)
    return {"count": total, "limit": limit, "offset": offset, "items": items}
