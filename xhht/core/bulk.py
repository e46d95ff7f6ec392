"""Writing many rows at once: COPY on PostgreSQL (then one INSERT … ON CONFLICT from a staging table), Django's
bulk_create elsewhere. The one way every bulk write path (the indicator store, its roll-ups, the audit log) loads rows.

Rows are given as field-name → value dicts of concrete fields; defaults (auto_now…) are the caller's to fill.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.db.models import JSONField

# Below this many rows a COPY's set-up (a staging table) costs more than it saves: one multi-row INSERT instead.
COPY_FROM = 500


def _columns(model: type[models.Model], fields: Sequence[str]) -> list[str]:
    return [str(getattr(model._meta.get_field(f), "column")) for f in fields]


def _copy_rows(cursor: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """COPY ``rows`` into ``table``, each value as ``str`` gives it (``None`` → NULL): psycopg's ``write_row`` (its
    C implementation, psycopg-binary: ≈ 1 µs a row of six values, against 1,6 µs for building one text buffer in Python)."""
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        write = copy.write_row
        for row in rows:
            write(row)


def _values(model: type[models.Model], fields: Sequence[str], rows: Sequence[dict[str, Any]]) -> list[tuple[Any, ...]]:
    json_fields = {f for f in fields if isinstance(model._meta.get_field(f), JSONField)}
    return [tuple(json.dumps(r[f], ensure_ascii=False) if f in json_fields else r[f] for f in fields) for r in rows]


def bulk_insert(model: type[models.Model], rows: Sequence[dict[str, Any]], *, fields: Sequence[str]) -> int:
    """Insert ``rows`` (no conflict expected): COPY straight into the table on PostgreSQL."""
    if not rows:
        return 0
    if connection.vendor == "postgresql" and len(rows) >= COPY_FROM:
        with connection.cursor() as cursor:
            _copy_rows(cursor, model._meta.db_table, _columns(model, fields), _values(model, fields, rows))
    else:
        model._default_manager.bulk_create([model(**r) for r in rows], batch_size=2000)
    return len(rows)


def bulk_upsert(model: type[models.Model], rows: Sequence[dict[str, Any]], *, fields: Sequence[str], unique: Sequence[str],
                update: Sequence[str]) -> int:
    """Insert ``rows``, or update ``update`` where a row with the same ``unique`` fields exists.

    PostgreSQL, from :data:`COPY_FROM` rows: COPY into a temporary table, then one ``INSERT … SELECT … ON CONFLICT
    DO UPDATE``; else ``bulk_create(update_conflicts=True)`` (``INSERT … ON CONFLICT`` too on PostgreSQL and SQLite). ``rows`` must not repeat a unique key.
    """
    if not rows:
        return 0
    if connection.vendor != "postgresql" or len(rows) < COPY_FROM:
        model._default_manager.bulk_create([model(**r) for r in rows], batch_size=2000, update_conflicts=True,
                                           unique_fields=list(unique), update_fields=list(update))
        return len(rows)
    table, cols = model._meta.db_table, _columns(model, fields)
    staging = f"_bulk_{table}"
    keys, sets = _columns(model, unique), _columns(model, update)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {staging}")
        cursor.execute(f"CREATE TEMPORARY TABLE {staging} AS SELECT {', '.join(cols)} FROM {table} WITH NO DATA")
        _copy_rows(cursor, staging, cols, _values(model, fields, rows))
        cursor.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM {staging} "
                       f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {', '.join(f'{c} = EXCLUDED.{c}' for c in sets)}")
        cursor.execute(f"DROP TABLE {staging}")
    return len(rows)


def staging_load(cursor: Any, name: str, columns: Sequence[tuple[str, str]], rows: Iterable[Sequence[Any]], *, analyze: bool = False) -> None:
    """PostgreSQL only: empty the temporary table ``name`` of ``columns`` ((name, SQL type) pairs; created on the
    connection's first use), load ``rows`` into it by one COPY (:func:`_copy_rows`);
    ``analyze`` gives the planner its statistics (it already sizes an unanalysed table by its pages). The table is kept for the
    session and emptied, not dropped: a transaction that creates and drops a table per call holds a lock per table until it ends, and thousands of writes in one
    transaction (a demo, an import) exhaust the lock table."""
    temporary_tables(cursor, {name: columns})
    _copy_rows(cursor, name, [c for c, _ in columns], rows)
    if analyze:
        cursor.execute(f"ANALYZE {name}")


ANALYZE_FROM = 10_000  # rows written at once from which a table's planner statistics may be stale


def analyze_if_grown(cursor: Any, table: str, rows: int, *, columns: Sequence[str] = (), share: float = 0.1) -> bool:
    """PostgreSQL: ANALYZE ``table`` (only ``columns`` if given) when the ``rows`` just written are at least
    :data:`ANALYZE_FROM` and ``share`` or more of what the planner believes the table holds (a tenth by default,
    autovacuum's own threshold; a write path that runs often passes 1: only a write that doubles the table, such as
    a first load into an empty one, pays for an ANALYZE).

    Inside one transaction autovacuum cannot help: a first big load into an empty table otherwise leaves the planner
    with the empty table's statistics, and a join it sizes at one row becomes a nested loop over every row
    (minutes instead of seconds). ANALYZE within the transaction counts the transaction's own new rows."""
    if rows < ANALYZE_FROM:
        return False
    cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
    believed = cursor.fetchone()[0]
    if believed > 0 and rows < share * believed:
        return False
    cursor.execute(f"ANALYZE {table}" + (f" ({', '.join(columns)})" if columns else ""))
    return True


def temporary_tables(cursor: Any, tables: dict[str, Sequence[tuple[str, str]]]) -> None:
    """PostgreSQL only: the temporary tables ``tables`` (name → (column, SQL type) pairs), created if the session has
    none yet, and emptied: one statement."""
    create = "; ".join(f"CREATE TEMPORARY TABLE IF NOT EXISTS {name} ({', '.join(f'{c} {t}' for c, t in cols)})" for name, cols in tables.items())
    cursor.execute(f"SET LOCAL client_min_messages = warning; {create}; TRUNCATE {', '.join(tables)}")


def in_many(values: Sequence[Any], *, sql_type: str = "varchar") -> Any:
    """The right-hand side of an ``__in`` lookup over many values (a province's thousands of unit codes).

    On PostgreSQL, from 100 values, one array parameter (``IN (SELECT unnest(%s::varchar[]))``): a list of thousands
    of placeholders costs seconds of query building in psycopg, an array a few milliseconds. Elsewhere the list.
    """
    if connection.vendor == "postgresql" and len(values) >= 100:
        from django.db.models.expressions import RawSQL

        return RawSQL(f"SELECT unnest(%s::{sql_type}[])", [list(values)])
    return list(values)
