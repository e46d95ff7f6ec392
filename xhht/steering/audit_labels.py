"""How the change log tells this app's changes (see xhht/audit/sentences.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

ACTIONS = {
    "document_create": "thêm văn bản chỉ đạo",
    "document_update": "sửa văn bản chỉ đạo",
    "committee_create": "lập Ban Chỉ đạo",
    "committee_update": "sửa thành phần Ban Chỉ đạo",
}


def object_url(entry: Any) -> str | None:
    if entry.object_type == "steering.legaldocument" and entry.object_id.isdigit():
        return reverse("steering:document", args=[int(entry.object_id)])
    return None
