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


# Roles that must prove a second factor (TOTP) at login when settings.XHHT_TWO_FACTOR is "required".
TWO_FACTOR_ROLES = {Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER, Role.ADMINISTRATOR}


def requires_two_factor(user: Any) -> bool:
    """District, province and administrator accounts sign in with a password and a TOTP code."""
    return bool(user.is_authenticated and (user.is_superuser or getattr(user, "role", None) in TWO_FACTOR_ROLES))


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


# Who may check a report's figures (xhht.report_checker): the officers who receive or write reports.
# Checking stores nothing; accepting figures is a change, checked with can_edit_unit for the report's unit.
REPORT_CHECKING_ROLES = {Role.COMMUNE_OFFICER, Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER, Role.ADMINISTRATOR}


def can_check_reports(user: Any) -> bool:
    return bool(user.is_authenticated and (is_administrator(user) or getattr(user, "role", None) in REPORT_CHECKING_ROLES))


# --- Role predicates: every role check of the apps is here (issue 12: they were scattered over five apps) ---

# District and province education offices (Phòng/Sở GD&ĐT) supervise the units below them.
SUPERVISING_ROLES = {Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER}
# Who attests the survey's guarantee conditions (xóa mù chữ, phổ cập): the education offices.
ATTESTING_ROLES = {Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER, Role.ADMINISTRATOR}


def _role(user: Any) -> str | None:
    return getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None


def is_viewer(user: Any) -> bool:
    return _role(user) == Role.VIEWER


def is_organisation_officer(user: Any) -> bool:
    """An officer of one organisation (not an administrator): sees and changes that organisation only."""
    return _role(user) == Role.ORGANISATION_OFFICER and not is_administrator(user)


def is_supervising_officer(user: Any) -> bool:
    """A district or province education officer (not counting administrators)."""
    return _role(user) in SUPERVISING_ROLES


def can_supervise(user: Any) -> bool:
    """Administrators and education offices: designate inspection teams, decide on commune recognitions."""
    return is_administrator(user) or is_supervising_officer(user)


def can_attest(user: Any) -> bool:
    return _role(user) in ATTESTING_ROLES or is_administrator(user)


def is_commune_officer_of(user: Any, commune_code: str) -> bool:
    return _role(user) == Role.COMMUNE_OFFICER and getattr(user, "unit_id", None) == commune_code


def can_approve_organisation_report(user: Any, unit: Unit | str, organisation_id: int) -> bool:
    """An organisation's report is approved by an approving officer of its unit or above, not by itself."""
    if is_administrator(user):
        return True
    return _role(user) in APPROVING_ROLES and can_view_unit(user, unit) and getattr(user, "organisation_id", None) != organisation_id


def responsible_roles(*, commune_level: bool) -> list[str]:
    """The roles that answer for a unit's reports: its commune officers, or the education offices."""
    return [Role.COMMUNE_OFFICER] if commune_level else [Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER]


def answers_for_reports(user: Any, *, commune_level: bool) -> bool:
    """Whether ``user``'s role is one that answers for the reports of a commune (or of a district/province)."""
    return _role(user) in responsible_roles(commune_level=commune_level)
