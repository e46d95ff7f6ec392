"""Units with their versions and lineage, as of a date (the web's unit pages and /api/units/)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from xhht.accounts.access import can_view_unit, scope_codes, unit_for_user_or_404
from xhht.api.common import caller, date_param, page_slice
from xhht.units.models import Unit, UnitChange
from xhht.units.selectors import unit_ancestors, unit_children, unit_lineage, unit_version_on

router = Router(tags=["Đơn vị hành chính"])


def _brief(u: Unit) -> dict[str, Any]:
    return {"unit": u.code, "name": u.name, "kind": u.kind, "valid_from": u.valid_from, "valid_to": u.valid_to}


def _change(c: UnitChange, other: Unit | None) -> dict[str, Any]:
    return {"effective_date": c.effective_date, "basis": c.basis, "other_unit": other.code if other else None,
            "other_name": other.name if other else None, "share": str(c.passed_share) if other else None, "end": c.end}


@router.get("/", summary="Danh sách đơn vị được xem")
def unit_list(request: HttpRequest, kind: str = "", limit: int = 100, offset: int = 0) -> dict[str, Any]:
    """Các đơn vị trong phạm vi của người gọi, sắp theo mã (phân trang bằng ``limit``/``offset``)."""
    scope = scope_codes(caller(request))
    qs = Unit.objects.order_by("code")
    if scope is not None:
        qs = qs.filter(code__in=scope)
    if kind:
        qs = qs.filter(kind=kind)
    total, items = page_slice(qs, limit=limit, offset=offset)
    return {"count": total, "limit": limit, "offset": offset, "items": [_brief(u) for u in items]}


@router.get("/{code}", summary="Một đơn vị: phiên bản, cấp trên, cấp dưới và lịch sử sáp nhập")
def unit_detail(request: HttpRequest, code: str, on: str | None = None) -> dict[str, Any]:
    """Đơn vị theo địa giới ngày ``on`` (YYYY-MM-DD; mặc định hôm nay), các phiên bản của nó, và các đơn vị
    tiền thân / kế tục (chỉ những đơn vị người gọi được xem)."""
    user = caller(request)
    unit = unit_for_user_or_404(user, code)
    when = date_param(on)
    version = unit_version_on(unit=unit, on=when)
    lineage = unit_lineage(unit=unit)
    return {
        **_brief(unit),
        "on": when,
        "version_on": {"name": version.name, "kind": version.kind, "parent_unit": version.parent_id if version.parent_id and can_view_unit(user, version.parent_id) else None,
                       "valid_from": version.valid_from, "valid_to": version.valid_to} if version else None,
        "versions": [{"name": v.name, "kind": v.kind, "parent_unit": v.parent_id if v.parent_id and can_view_unit(user, v.parent_id) else None,
                      "valid_from": v.valid_from, "valid_to": v.valid_to} for v in unit.versions.order_by("valid_from", "pk")],
        "ancestors": [_brief(a) for a in unit_ancestors(unit=unit, on=when) if can_view_unit(user, a)],
        "children": [_brief(c) for c in unit_children(unit=unit, on=when) if can_view_unit(user, c)],
        "predecessors": [_change(c, c.source) for c in lineage["predecessors"] if c.source_id and can_view_unit(user, c.source_id)],
        "successors": [_change(c, c.unit) for c in lineage["successors"] if can_view_unit(user, c.unit_id)],
    }
