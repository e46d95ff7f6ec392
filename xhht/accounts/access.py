"""Who may see and change what: every permission is scoped to the user's unit subtree.

Views fetch through :func:`unit_for_user_or_404` so a unit outside the user's reach answers
404, exactly as a unit that does not exist: a commune officer cannot even learn whether a
neighbour's page exists. Changes are checked with :func:`require_edit_unit` (403).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from xhht.accounts.models import APPROVING_ROLES, EDITING_ROLES, Role
from xhht.organisations.models import Organisation
from xhht.units.models import Unit
from xhht.units.selectors import unit_predecessor_codes, unit_subtree_codes_ever


def is_administrator(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or getattr(user, "role", None) == Role.ADMINISTRATOR))


def scope_codes(user: Any) -> set[str] | None:
    """Codes of the units the user may read; None means all of them (administrators)."""
    if not user.is_authenticated:
        return set()
    if is_administrator(user):
        return None
    cached = getattr(user, "_xhht_scope", None)
    if cached is None:
        own = _own_codes(user)
        # A commune born in a reform reads the history of the units it was made of (read only: see can_edit_unit).
        cached = own | unit_predecessor_codes(codes=own)
        user._xhht_scope = cached
    return cached


def _own_codes(user: Any) -> set[str]:
    cached = getattr(user, "_xhht_own", None)
    if cached is None:
        cached = unit_subtree_codes_ever(unit=user.unit) if user.unit_id else set()
        user._xhht_own = cached
    return cached


def can_view_unit(user: Any, unit: Unit | str) -> bool:
    code = unit if isinstance(unit, str) else unit.code
    scope = scope_codes(user)
    return scope is None or code in scope


def can_edit_unit(user: Any, unit: Unit | str) -> bool:
    """May change the data of ``unit`` itself (organisation officers change their organisation's only)."""
    if not can_view_unit(user, unit):
        return False
    if is_administrator(user):
        return True
    code = unit if isinstance(unit, str) else unit.code
    return user.role in EDITING_ROLES and user.role != Role.ORGANISATION_OFFICER and code in _own_codes(user)


def can_edit_organisation(user: Any, organisation: Organisation) -> bool:
    if user.is_authenticated and getattr(user, "role", None) == Role.ORGANISATION_OFFICER:
        return organisation.pk == user.organisation_id
    return can_edit_unit(user, organisation.unit_id)


def can_approve_for(user: Any, unit: Unit | str) -> bool:
    """May approve reports of ``unit``: an approving role at a unit strictly above it."""
    if is_administrator(user):
        return True
    code = unit if isinstance(unit, str) else unit.code
    return bool(user.is_authenticated and user.role in APPROVING_ROLES and code != user.unit_id and can_view_unit(user, code))


def unit_for_user_or_404(user: Any, code: str) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None or not can_view_unit(user, unit):
        raise Http404("Không tìm thấy đơn vị.")
    return unit


def require_edit_unit(user: Any, unit: Unit | str) -> None:
    if not can_edit_unit(user, unit):
        raise PermissionDenied("Bạn không có quyền thay đổi dữ liệu của đơn vị này.")
