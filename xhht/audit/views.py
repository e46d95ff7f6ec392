from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xhht.accounts.access import scope_codes
from xhht.audit.models import AuditEntry


@login_required
def log(request: HttpRequest) -> HttpResponse:
    """The changes in the user's area (their own unit subtree)."""
    entries = AuditEntry.objects.select_related("actor")
    scope = scope_codes(request.user)
    if scope is not None:
        entries = entries.filter(unit_code__in=scope)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page})
