from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from xhht.accounts.access import is_administrator


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each user starts at their own unit; an administrator at the tree."""
    user = request.user
    if user.unit_id and not is_administrator(user):  # type: ignore[union-attr]
        return redirect("units:detail", code=user.unit_id)  # type: ignore[union-attr]
    return redirect("units:tree")
