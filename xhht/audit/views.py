from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xhht.audit.models import AuditEntry


def log(request: HttpRequest, *, scope: set[str] | None) -> HttpResponse:
    """The changes in the user's area: ``scope`` is the unit codes the user may read (None: all), given by
    the access policy's view (accounts.views.change_log; audit sits below accounts and does not import it)."""
    entries = AuditEntry.objects.select_related("actor")
    if scope is not None:
        entries = entries.filter(unit_code__in=scope)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page})
