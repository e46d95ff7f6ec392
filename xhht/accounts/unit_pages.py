"""Routes of the unit pages (/don-vi/, /api/units/): the access policy decides, ``xhht.units.views`` renders.

units sits below accounts in the layering contract and does not import the policy; these views check the user
(404 for a unit outside the user's scope, 403 for a non-administrator's unit-changes import) and pass their
decisions to the unit app's views, as ``change_log`` does for the audit log.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse

from xhht.accounts.access import can_edit_unit, is_administrator, scope_codes, unit_for_user_or_404
from xhht.units import views


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    user = request.user
    return views.tree(request, everything=is_administrator(user), own_code=getattr(user, "unit_id", None))


@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_for_user_or_404(request.user, code)
    return views.detail(request, unit=unit, scope=scope_codes(request.user), can_edit=can_edit_unit(request.user, unit))


@login_required
def api_detail(request: HttpRequest, code: str) -> JsonResponse:
    unit = unit_for_user_or_404(request.user, code)
    return views.api_detail(request, unit=unit, scope=scope_codes(request.user))


@login_required
def export_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    return views.export_xlsx(request, unit=unit_for_user_or_404(request.user, code))


@login_required
def changes_import(request: HttpRequest) -> HttpResponse:
    _administrator_or_403(request)
    return views.changes_import(request)


def _administrator_or_403(request: HttpRequest) -> None:
    if not is_administrator(request.user):
        raise PermissionDenied("Chỉ quản trị hệ thống được nhập thay đổi địa giới.")


@login_required
def changes_job(request: HttpRequest, job: str) -> HttpResponse:
    _administrator_or_403(request)
    return views.changes_job(request, job)


@login_required
def changes_job_status(request: HttpRequest, job: str) -> HttpResponse:
    _administrator_or_403(request)
    return views.changes_job_status(request, job)
