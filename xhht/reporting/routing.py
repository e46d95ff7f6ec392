"""Where a periodic report goes: the approval route of a period is the unit tree in force at the period's end.

A commune's report for 2024 went up to its district (the tree of 31/12/2024 had districts); from
1 July 2025 there are no districts, so its report for 2025 or 2026 goes straight to the province.
An organisation's report is approved at its own unit (the district's offices by the district).

If the unit of the route has ended since (a district abolished on 30/06/2025 while a 2024 report was
still waiting), the unit above it on its last day (the province) may also approve it. The route is read
from the unit versions (three small queries at most: the tree is four levels deep), never by walking
a subtree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from xhht.indicators.periods import Period
from xhht.units.models import Unit, UnitVersion


@dataclass(frozen=True)
class Route:
    """The unit the tree named at the period's end, and the unit that takes over its approvals when it has
    ended since (they differ only then). Officers of either may approve: the route itself does not change."""

    approver: Unit | None
    named: Unit | None
    on: date

    @property
    def carried_over(self) -> bool:
        return self.approver is not None and self.named is not None and self.approver.code != self.named.code

    @property
    def approving_codes(self) -> set[str]:
        return {u.code for u in (self.named, self.approver) if u is not None}


def _parent_on(unit_code: str, on: date) -> Unit | None:
    version = (UnitVersion.objects.filter(UnitVersion.valid_on(on), unit_id=unit_code).select_related("parent")
               .order_by("-valid_from").first())
    return version.parent if version else None


def approval_route(*, unit: Unit, period: Period, organisation: bool = False, today: date | None = None) -> Route:
    """The unit whose approving officers decide the report of ``unit`` for ``period``.

    The tree read is the one of the period's end, or of the unit's last day if it ended inside the
    period (a district's 2025 report for the first half-year).
    """
    today = today or timezone.localdate()
    on = period.end if unit.valid_to is None or unit.valid_to >= period.end else unit.valid_to
    if organisation:
        named: Unit | None = unit
    else:
        named = _parent_on(unit.code, on)
    approver = named
    hops = 0
    while approver is not None and approver.valid_to is not None and approver.valid_to < today and hops < 4:
        approver = _parent_on(approver.code, approver.valid_to)
        hops += 1
    return Route(approver=approver, named=named, on=on)


def route_label(route: Route) -> str:
    """One line for the entry page: who approves, and why."""
    if route.approver is None:
        return "Không có cấp duyệt (đơn vị cấp cao nhất)."
    text = f"Cấp duyệt: {route.approver.title_name} (theo địa giới ngày {route.on:%d/%m/%Y})"
    if route.carried_over and route.named is not None:
        ended = route.named.valid_to + timedelta(days=1) if route.named.valid_to else None
        text += f"; {route.named.full_name} đã kết thúc" + (f" từ {ended:%d/%m/%Y}" if ended else "") + f", {route.approver.full_name} cũng duyệt được"
    return text + "."
