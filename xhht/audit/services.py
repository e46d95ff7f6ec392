"""Writing the audit log. Call these inside the transaction of the change they record."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models

from xhht.audit.models import AuditEntry

# How the change came in, when not through a web page: set by the API for its request (the token used),
# added to the note of every audit row written meanwhile, so the log names the token as well as its owner.
_CHANNEL: ContextVar[str] = ContextVar("xhht_audit_channel", default="")


@contextmanager
def audit_channel(label: str) -> Iterator[None]:
    """Within this block every audit row's note ends with ``label`` (e.g. "qua API, khóa #12")."""
    reset = _CHANNEL.set(label)
    try:
        yield
    finally:
        _CHANNEL.reset(reset)


def audit_channel_mark(label: str) -> None:
    """Set the channel for the rest of the current context (the API's request, wrapped by ``audit_channel("")``)."""
    _CHANNEL.set(label)


def audit_channel_current() -> str:
    """The channel of the current context ("" on a web page): a job queued here keeps it for the rows it writes."""
    return _CHANNEL.get()


def _with_channel(note: str) -> str:
    channel = _CHANNEL.get()
    if not channel:
        return note
    return f"{note} [{channel}]" if note else f"[{channel}]"


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The values of ``instance``'s concrete fields, as plain JSON-able values."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    return {name: _plain(getattr(instance, name)) for name in names}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value changed."""
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def audit_record(
    *,
    actor: Any,
    action: str,
    instance: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    object_repr: str | None = None,
    unit_code: str = "",
    changes: Mapping[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    """Record one change. ``actor`` may be None for changes the system makes itself (the demo loader)."""
    if instance is not None:
        object_type = object_type or instance._meta.label_lower
        object_id = object_id or str(instance.pk)
        object_repr = object_repr or str(instance)[:300]
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        action=action,
        object_type=object_type or "",
        object_id=object_id or "",
        object_repr=(object_repr or "")[:300],
        unit_code=unit_code,
        changes=dict(changes or {}),
        note=_with_channel(note),
    )


# Reads and exports of personal records (names, birth dates, ethnicity, disability): issue 12, hole 7.
PERSON_RECORDS_READ = "person_records_read"
PERSON_RECORDS_EXPORT = "person_records_export"


def person_records_access_record(*, actor: Any, action: str, unit_code: str, what: str, count: int, note: str = "") -> AuditEntry:
    """Log that ``actor`` read or exported ``count`` personal records of ``unit_code`` (``what``: which list).

    Filed under the unit whose people were read, so the education office above sees it in its change log.
    """
    if action not in {PERSON_RECORDS_READ, PERSON_RECORDS_EXPORT}:
        raise ValueError(f"Thao tác không hợp lệ: {action}")
    verb = "Xem" if action == PERSON_RECORDS_READ else "Xuất"
    return audit_record(actor=actor, action=action, object_type="personal_records", object_id=unit_code, object_repr=what,
                        unit_code=unit_code, changes={"count": [None, count]},
                        note=f"{verb} {count} bản ghi cá nhân" + (f"; {note}" if note else ""))


def audit_records(*, actor: Any, entries: Iterable[Mapping[str, Any]]) -> int:
    """Record many changes in one insert (a bulk write): each entry holds audit_record's keyword arguments but
    ``instance`` (action, object_type, object_id, object_repr, unit_code, changes, note)."""
    from django.utils import timezone

    from xhht.core.bulk import bulk_insert

    user = actor if getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    rows = [{"at": now, "actor_id": user.pk if user is not None else None, "action": e["action"], "object_type": e.get("object_type") or "",
             "object_id": e.get("object_id") or "", "object_repr": (e.get("object_repr") or "")[:300], "unit_code": e.get("unit_code", ""),
             "changes": dict(e.get("changes") or {}), "note": _with_channel(e.get("note", ""))} for e in entries]
    return bulk_insert(AuditEntry, rows, fields=list(rows[0]) if rows else [])
