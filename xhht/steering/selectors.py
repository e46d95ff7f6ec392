from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from xhht.accounts.access import scope_codes
from xhht.core.text import fold
from xhht.steering.models import LegalDocument


def document_search(*, user: Any, query: str = "", unit_codes: list[str] | None = None, kind: str = "") -> QuerySet[LegalDocument]:
    """Documents the user may read (central ones and those of units in reach), matching every word of ``query``."""
    qs = LegalDocument.objects.select_related("unit")
    scope = scope_codes(user)
    if scope is not None:
        qs = qs.filter(Q(unit__isnull=True) | Q(unit_id__in=scope))
    if unit_codes is not None:
        qs = qs.filter(Q(unit__isnull=True) | Q(unit_id__in=unit_codes))
    if kind:
        qs = qs.filter(kind=kind)
    for word in fold(query).split():
        qs = qs.filter(search_text__contains=word)
    return qs
