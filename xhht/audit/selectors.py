"""Reading the change log: the entries a user may see, filtered as they ask."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from xhht.audit.models import AuditEntry
from xhht.core.dates import date_from_text


@dataclass(frozen=True)
class LogFilter:
    unit: str = ""
    person: str = ""  # the actor's id, or "0" for changes the system made itself
    object_type: str = ""
    since: date | None = None
    until: date | None = None


def _day(text: str) -> date | None:
    try:
        return date_from_text(text)
    except ValueError:
        return None


def log_filter_from(params: Any) -> tuple[LogFilter, list[str]]:
    """The filter typed in the page's form, and a Vietnamese message per field that could not be read."""
    problems = []
    since = _day(params.get("tu", "")) if params.get("tu") else None
    until = _day(params.get("den", "")) if params.get("den") else None
    if params.get("tu") and since is None:
        problems.append(f"«Từ ngày» không đọc được: «{params.get('tu')}». Hãy nhập ngày dạng dd/mm/yyyy.")
    if params.get("den") and until is None:
        problems.append(f"«Đến ngày» không đọc được: «{params.get('den')}». Hãy nhập ngày dạng dd/mm/yyyy.")
    return LogFilter(unit=params.get("don_vi", "").strip(), person=params.get("nguoi", "").strip(),
                     object_type=params.get("doi_tuong", "").strip(), since=since, until=until), problems


def audit_entries_for(*, scope: set[str] | None, log_filter: LogFilter) -> QuerySet[AuditEntry]:
    """The entries filed under the units of ``scope`` (None: all; the access policy gives it, for the user's
    own unit subtree), narrowed by ``log_filter``."""
    entries = AuditEntry.objects.select_related("actor")
    if scope is not None:
        entries = entries.filter(unit_code__in=scope)
    f = log_filter
    if f.unit:
        entries = entries.filter(unit_code=f.unit)
    if f.person == "0":
        entries = entries.filter(actor__isnull=True)
    elif f.person.isdigit():
        entries = entries.filter(actor_id=int(f.person))
    if f.object_type:
        entries = entries.filter(object_type=f.object_type)
    zone = timezone.get_current_timezone()
    if f.since:
        entries = entries.filter(at__gte=datetime.combine(f.since, time.min, tzinfo=zone))
    if f.until:
        entries = entries.filter(at__lte=datetime.combine(f.until, time.max, tzinfo=zone))
    return entries


def audit_filter_choices(*, scope: set[str] | None) -> dict[str, list[tuple[str, str]]]:
    """The units, people and kinds of object that occur in the ``scope``'s part of the log, for the filter's lists."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    from xhht.audit.sentences import object_noun, person_name

    # The audit log sits below the apps it records (units write audit rows): their models are looked up by name.
    User = get_user_model()
    Unit = apps.get_model("units", "Unit")
    base = audit_entries_for(scope=scope, log_filter=LogFilter())
    unit_codes = set(base.exclude(unit_code="").values_list("unit_code", flat=True).distinct())
    units = [(u.code, u.full_name) for u in Unit.objects.filter(code__in=unit_codes).order_by("code")]
    actor_ids = set(base.exclude(actor__isnull=True).values_list("actor_id", flat=True).distinct())
    people = [("0", "Hệ thống")] + sorted(((str(u.pk), person_name(u)) for u in User.objects.filter(pk__in=actor_ids)), key=lambda p: p[1])
    kinds = sorted(((t, object_noun(t)) for t in set(base.values_list("object_type", flat=True).distinct())), key=lambda p: p[1])
    return {"units": units, "people": people, "kinds": kinds}


# ---------------------------------------------------------------------------------------------
# The data version: what a page cache keys on, so that no cached page outlives a change of the data
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataVersion:
    """The state of all the data as one reader saw it: the newest audit entry. Every change writes one, in its own
    transaction (:class:`AuditEntry`), so a change committed since gives a newer one.

    ``exact`` tells whether every entry up to ``last_entry`` was committed (or rolled back) when it was read, so that no
    older entry can still appear. On PostgreSQL an entry takes its id when written, not when committed: a transaction
    that wrote entry 101 may commit after one that wrote 102, the newest id staying 102. So the newest id is read while
    holding a SHARE lock on the table (no writer may hold one), taken only if no transaction is writing entries at that
    moment; when one is, the version is not exact: a page may still be read from a cache under it (an entry kept under
    an exact version 102 is current while the newest id is 102: whatever writes now takes a higher one), but a page
    rendered now must not be kept under it. SQLite runs one write transaction at a time: ids come in commit order."""

    last_entry: int
    exact: bool


def data_version() -> DataVersion:
    """The data version now (one or two short statements; never waits for a writer)."""
    from django.db import DatabaseError, connection, transaction

    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    newest = f"SELECT COALESCE(MAX(id), 0) FROM {table}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            try:
                with transaction.atomic():  # the lock ends with it (a savepoint only, inside a caller's transaction)
                    cursor.execute(f"LOCK TABLE {table} IN SHARE MODE NOWAIT")
                    cursor.execute(newest)
                    return DataVersion(int(cursor.fetchone()[0]), exact=True)
            except DatabaseError:  # a transaction is writing entries now
                cursor.execute(newest)
                return DataVersion(int(cursor.fetchone()[0]), exact=False)
        cursor.execute(newest)
        return DataVersion(int(cursor.fetchone()[0]), exact=True)
