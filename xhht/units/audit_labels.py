"""How the change log tells this app's changes (see xhht/audit/sentences.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

ACTIONS = {"unit_import_create": "thêm đơn vị hành chính (nhập danh mục)", "unit_import_update": "sửa đơn vị hành chính (nhập danh mục)"}


def object_url(entry: Any) -> str | None:
    if entry.object_type == "units.unit" and entry.object_id:
        return reverse("units:detail", args=[entry.object_id])
    return None
