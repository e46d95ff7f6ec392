"""Checks the API's tests share: a refusal's status, message and field, and the audit log's size (nothing written)."""

from __future__ import annotations

from typing import Any


def audit_count() -> int:
    from xhht.audit.models import AuditEntry

    return AuditEntry.objects.count()


def refused(r: Any, status: int, field: str | None = "") -> dict[str, Any]:
    """The answer is ``status`` with a Vietnamese ``detail`` and (unless ``field`` is "") that ``field``; returns its body."""
    assert r.status_code == status, r.content
    body = r.json()
    assert isinstance(body["detail"], str) and body["detail"]
    if field != "":
        assert body["field"] == field, body
    return dict(body)
