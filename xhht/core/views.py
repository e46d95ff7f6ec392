from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from xhht.accounts.access import is_administrator
from xhht.accounts.models import Role


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """District and province officers start from who has reported and who is late; others at their unit."""
    user = request.user
    if getattr(user, "role", None) in {Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER}:
        return redirect("reporting:dashboard")
    if user.unit_id and not is_administrator(user):  # type: ignore[union-attr]
        return redirect("units:detail", code=user.unit_id)  # type: ignore[union-attr]
    return redirect("units:tree")
