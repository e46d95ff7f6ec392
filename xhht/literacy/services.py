"""Writing survey persons, aggregates, attestations and the published indicator values.

Imports are streamed: each row is checked and written at once into a temporary staging table
(COPY on PostgreSQL, batched inserts on SQLite); duplicates are found there by SQL. Only when the
whole file is clean are the communes' old records for the year replaced, inside one transaction,
and their aggregates rebuilt. Any problem: nothing is written, every reason is listed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

from xhht.accounts.access import can_edit_unit
from xhht.audit.services import audit_record, diff, snapshot
from xhht.core.bulk import analyze_if_grown
from xhht.core.tabular import Problem, Rejected, open_table
from xhht.indicators.services import Value, data_values_write
from xhht.literacy.catalogue import Rules, rules
from xhht.literacy.fastload import stage_csv
from xhht.literacy.models import Attestation, CommuneAggregate, Household, Recognition, SurveyPerson, Village, VillageAggregate
from xhht.literacy.rows import ALIASES, COLUMNS, FIELDS, REQUIRED, RowContext, parse_row, problems_keep, problems_raise
from xhht.units.models import Unit

log = logging.getLogger(__name__)

STAGING = "literacy_import_staging"
BATCH = 5000
MAX_PROBLEMS = 500
# Person files may be much bigger than other uploads (a province's survey), but never unbounded.
DEFAULT_MAX_PERSONS_BYTES = 1024 * 1024 * 1024


def max_persons_file_bytes() -> int:
    return int(getattr(settings, "XHHT_MAX_PERSONS_FILE_BYTES", DEFAULT_MAX_PERSONS_BYTES))


@dataclass
class ImportResult:
    persons: int = 0
    communes: list[str] = field(default_factory=list)
    replaced: dict[str, int] = field(default_factory=dict)  # commune -> persons before


Progress = Callable[[int, str], None]


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _create_staging(cursor: Any) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
    cursor.execute(
        f"""CREATE TEMPORARY TABLE {STAGING} (
            row_number integer NOT NULL, commune_id varchar(20) NOT NULL, person_id varchar(40) NOT NULL,
            household_code varchar(40) NOT NULL, village varchar(120) NOT NULL, full_name varchar(120) NOT NULL,
            sex varchar(1) NOT NULL, birth_year smallint NOT NULL, birth_date date NULL,
            ethnicity varchar(40) NOT NULL, minority boolean NOT NULL, disability smallint NOT NULL, highest_grade smallint NOT NULL,
            enrolled_grade smallint NULL, literacy_phase smallint NOT NULL, primary_completion_year smallint NULL,
            lower_secondary_completion_year smallint NULL)"""
    )


def _flush(cursor: Any, batch: list[tuple[Any, ...]]) -> None:
    if not batch:
        return
    columns = ", ".join(("row_number", *FIELDS))
    if _is_postgres():
        with cursor.cursor.copy(f"COPY {STAGING} ({columns}) FROM STDIN") as copy:
            for row in batch:
                copy.write_row(row)
    else:
        marks = ", ".join(["%s"] * (len(FIELDS) + 1))
        cursor.executemany(f"INSERT INTO {STAGING} ({columns}) VALUES ({marks})", batch)
    batch.clear()


def _commune_checker(actor: Any, year: int) -> Callable[[str], str | None]:
    units = {u.code: u for u in Unit.objects.filter(kind__in=["commune", "ward", "township"])}
    cache: dict[str, str | None] = {}

    def check(code: str) -> str | None:
        if code not in cache:
            unit = units.get(code)
            if unit is None:
                reason: str | None = f"mã xã «{code}» không tồn tại (hoặc không phải xã, phường, thị trấn)."
            elif actor is not None and not can_edit_unit(actor, unit):
                reason = f"xã «{code}» ({unit.full_name}) nằm ngoài đơn vị của người nhập."
            elif not unit.exists_on(date(year, 12, 31)) and not unit.exists_on(date(year, 1, 1)):
                reason = f"xã «{code}» không tồn tại trong năm {year}."
            else:
                reason = None
            cache[code] = reason
        return cache[code]

    return check


def _check_year(year: int) -> None:
    if not 1990 <= year <= timezone.localdate().year + 1:
        raise Rejected([Problem(f"năm điều tra {year} không hợp lệ.")])


def persons_import(
    *,
    actor: Any,
    year: int,
    path: Path | str | None = None,
    rows: Iterable[tuple[int, dict[str, str | None]]] | None = None,
    display_name: str | None = None,
    progress: Progress | None = None,
    publish: bool = True,
    bulk: bool = False,
) -> ImportResult:
    """Import format-2 persons for survey ``year`` from ``path`` (CSV/XLSX) or from ready ``rows``.

    Each commune present in the input has its records for the year replaced, atomically.
    Raises :class:`Rejected` with every problem found; then nothing at all is written.
    ``bulk``: one file of :func:`persons_import_folder`'s load into an empty person table whose indexes are
    dropped: old persons are looked for only where the commune has households, and no ANALYZE (done once after).
    """
    _check_year(year)
    name = display_name or (Path(path).name if path else "dữ liệu")
    if path is None and rows is None:
        raise ValueError("path or rows")
    if not bulk:
        indexes_restore_abandoned()
    ctx = RowContext(file=name, year=year, rules=rules(), today=timezone.localdate(), commune_problem=_commune_checker(actor, year))
    problems: list[Problem] = []
    result = ImportResult()
    with transaction.atomic():
        with connection.cursor() as cursor:
            _create_staging(cursor)
            count = None
            if path is not None:
                count = stage_csv(cursor, path=Path(path), name=name, ctx=ctx, staging=STAGING, max_problems=MAX_PROBLEMS,
                                  flush=_flush, batch_size=BATCH)
            if count is None:
                count = _stage_rows(cursor, source=_source(path, rows, name), name=name, ctx=ctx, progress=progress)
            if progress:
                progress(count, "writing")
            cursor.execute(
                f"SELECT commune_id, person_id, MIN(row_number), MAX(row_number), COUNT(*) FROM {STAGING} "
                f"GROUP BY commune_id, person_id HAVING COUNT(*) > 1 ORDER BY MIN(row_number) LIMIT {MAX_PROBLEMS}"
            )
            for commune, person, first, last, times in cursor.fetchall():
                problems.append(Problem(f"mã người «{person}» của xã {commune} bị lặp ({times} lần, lần đầu ở dòng {first}).",
                                        file=name, row=last, column="person_id"))
            if problems:
                raise Rejected(problems)
            cursor.execute(f"SELECT DISTINCT commune_id FROM {STAGING} ORDER BY commune_id")
            communes = [r[0] for r in cursor.fetchall()]
            result.communes = communes
            result.persons = count
            if _is_postgres():  # one writer per commune-year at a time (parallel files naming the same commune)
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext('literacy:' || %s || ':' || c)) FROM unnest(%s::text[]) c ORDER BY c",
                               [str(year), communes])
                cursor.fetchall()
            held = communes
            if bulk:  # persons exist only where households do: no scan of the unindexed table for the others
                held = list(Household.objects.filter(year=year, commune_id__in=communes).values_list("commune_id", flat=True).distinct())
            before = {c: 0 for c in communes}
            for commune, n in _counts_by_commune(year, held) if held else []:
                before[commune] = n
            result.replaced = before
            _replace(cursor, year, held)
            _rebuild(year=year, communes=communes, rule_set=ctx.rules, by_village=False, from_staging=True)
            cursor.execute(f"DROP TABLE {STAGING}")
            if _is_postgres() and not bulk and analyze_if_grown(cursor, SurveyPerson._meta.db_table, count,
                                                                 columns=("commune_id", "year", "person_id", "household_code")):
                # Fresh statistics after a bulk load, or the planner keeps the empty table's (seconds instead of ms).
                cursor.execute(f"ANALYZE {CommuneAggregate._meta.db_table}, {Household._meta.db_table}")
        for commune in communes:
            audit_record(actor=actor, action="survey_persons_import", object_type="literacy.surveyperson",
                         object_id=f"{commune}/{year}", object_repr=f"Phiếu điều tra xã {commune} năm {year}", unit_code=commune,
                         changes={"persons": [before[commune], None]}, note=f"{name}")
        if publish:
            literacy_values_publish(actor=actor, year=year, communes=communes)
    if progress:
        progress(count, "done")
    return result


@dataclass
class FolderResult:
    persons: int = 0
    files: int = 0
    communes: list[str] = field(default_factory=list)
    refused: dict[str, list[str]] = field(default_factory=dict)  # file name -> its problems
    bulk: bool = False  # loaded into an empty table with its indexes built after


def persons_import_folder(*, actor: Any, year: int, paths: list[Path], workers: int = 2, publish: bool = True,
                          progress: Callable[[str, ImportResult | None, list[str]], None] | None = None) -> FolderResult:
    """The national path: import many format-2 files in ``workers`` processes, each file all-or-nothing in its own
    transaction (as :func:`persons_import`; a refused file does not stop the others and is listed with its problems).

    On PostgreSQL, when the person table is empty, its primary key (the natural key), other indexes and constraints
    are dropped before the load and built again after it (one sort instead of millions of inserts into them);
    ANALYZE after every folder.
    Publishing to the indicator store (if asked) runs once at the end for every commune imported.
    """
    _check_year(year)
    out = FolderResult(files=len(paths))
    indexes_restore_abandoned()
    lock = None
    if _is_postgres():
        # One folder load at a time, and a sign that it is alive: a session lock held until its keys are built
        # again, on a connection of its own (the load closes Django's connections before forking its workers).
        lock = connections.create_connection("default")
        with lock.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [_FOLDER_LOCK])
    try:
        return _folder_load(actor=actor, year=year, paths=paths, workers=workers, publish=publish, progress=progress, out=out)
    finally:
        if lock is not None:
            lock.close()  # ends the session: the lock goes with it


def _folder_load(*, actor: Any, year: int, paths: list[Path], workers: int, publish: bool,
                 progress: Callable[[str, ImportResult | None, list[str]], None] | None, out: FolderResult) -> FolderResult:
    bulk = _is_postgres() and not SurveyPerson.objects.exists()
    out.bulk = bulk
    dropped = _indexes_drop(SurveyPerson._meta.db_table) if bulk else []
    try:
        jobs = [(getattr(actor, "pk", None), year, str(p), bulk) for p in paths]
        if workers <= 1 or len(paths) <= 1:
            outcomes = map(_import_one, jobs)
            _collect(out, outcomes, progress)
        else:
            import multiprocessing

            connections.close_all()  # each worker opens its own connection
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                _collect(out, pool.imap_unordered(_import_one, jobs), progress)
    finally:
        if dropped:
            _indexes_create(dropped)
    if _is_postgres():
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {SurveyPerson._meta.db_table}, {Household._meta.db_table}, {Village._meta.db_table}, "
                           f"{CommuneAggregate._meta.db_table}")
    if publish and out.communes:
        literacy_values_publish(actor=actor, year=year, communes=sorted(out.communes))
    return out


def _collect(out: FolderResult, outcomes: Iterable[tuple[str, ImportResult | None, list[str]]],
             progress: Callable[[str, ImportResult | None, list[str]], None] | None) -> None:
    for name, result, problems in outcomes:
        if result is not None:
            out.persons += result.persons
            out.communes.extend(result.communes)
        else:
            out.refused[name] = problems
        if progress:
            progress(name, result, problems)


def _import_one(job: tuple[Any, int, str, bool]) -> tuple[str, ImportResult | None, list[str]]:
    """One file of a folder (in a worker process): (file name, result or None, problems)."""
    actor_pk, year, path, bulk = job
    actor = None
    if actor_pk is not None:
        from django.contrib.auth import get_user_model

        actor = get_user_model().objects.get(pk=actor_pk)
    name = Path(path).name
    try:
        return name, persons_import(actor=actor, year=year, path=path, publish=False, bulk=bulk), []
    except Rejected as exc:
        return name, None, [str(p) for p in exc.problems]


# A folder load holds this session lock from before it drops the person table's keys until they are built again.
_FOLDER_LOCK = "literacy:persons-folder-load"


def _indexes_drop(table: str) -> list[str]:
    """Drop ``table``'s primary-key, unique and foreign-key constraints and its other indexes; returns the SQL that
    makes them again (for :func:`_indexes_create`). The same transaction writes that SQL into the table's comment,
    so a load killed before it rebuilds them leaves the way back in the database (:func:`indexes_restore_abandoned`)."""
    again: list[str] = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT conname, pg_get_constraintdef(oid), conindid FROM pg_constraint WHERE conrelid = %s::regclass "
                       "AND contype IN ('p', 'u', 'f') ORDER BY contype DESC", [table])
        constraints = cursor.fetchall()
        cursor.execute("SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = %s::regclass "
                       "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)", [table])
        indexes = cursor.fetchall()
        for name, definition, _ in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            again.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for name, definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
            again.append(definition)
        # the primary key and unique constraints (their indexes) first, then foreign keys, then plain indexes
        again.sort(key=lambda sql: (0 if " PRIMARY KEY " in sql or " UNIQUE " in sql else 1 if "FOREIGN KEY" in sql else 2))
        if again:
            cursor.execute(f"COMMENT ON TABLE {table} IS %s", [_PENDING + json.dumps(again)])
    return again


_PENDING = "xhht: keys to rebuild after a folder load: "


def _indexes_create(statements: list[str], table: str | None = None) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for sql in statements:
            cursor.execute(sql)
        cursor.execute(f"COMMENT ON TABLE {table or SurveyPerson._meta.db_table} IS NULL")


def indexes_restore_abandoned() -> bool:
    """PostgreSQL: rebuild the person table's keys and indexes left dropped by a folder load that died (killed, out of
    memory) before building them again, unless a folder load is running now; True when something was rebuilt.
    Called before every person import, so the table never stays without its primary key."""
    if not _is_postgres():
        return False
    table = SurveyPerson._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT obj_description(%s::regclass, 'pg_class')", [table])
        comment = cursor.fetchone()[0] or ""
        if not comment.startswith(_PENDING):
            return False
        cursor.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [_FOLDER_LOCK])
        if not cursor.fetchone()[0]:
            return False  # the load is alive: it rebuilds them itself
        try:
            cursor.execute("SELECT obj_description(%s::regclass, 'pg_class')", [table])
            comment = cursor.fetchone()[0] or ""
            if not comment.startswith(_PENDING):
                return False
            log.warning("rebuilding the person table's keys left dropped by an interrupted folder load",
                        extra={"action": "persons_keys_restore"})
            _indexes_create(json.loads(comment[len(_PENDING):]), table)
            return True
        finally:
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [_FOLDER_LOCK])


def _source(path: Path | str | None, rows: Iterable[tuple[int, dict[str, str | None]]] | None,
            name: str) -> Iterator[tuple[int, dict[str, str | None]]]:
    if path is not None:
        return open_table(path, columns=COLUMNS, required=REQUIRED, aliases=ALIASES, display_name=name,
                          max_bytes=max_persons_file_bytes()).rows
    return iter(rows or [])


def _stage_rows(cursor: Any, *, source: Iterator[tuple[int, dict[str, str | None]]], name: str, ctx: RowContext,
                progress: Progress | None) -> int:
    """The reference path: each row read by the tabular reader and checked by :func:`parse_row`, good rows
    written to the staging table in batches. Raises :class:`Rejected` with every problem (up to MAX_PROBLEMS)."""
    problems: list[Problem] = []
    extra_problems = 0
    batch: list[tuple[Any, ...]] = []
    count = 0
    for number, record in source:
        values, row_problems = parse_row(number, record, ctx)
        count += 1
        if row_problems:
            extra_problems += problems_keep(problems, row_problems, MAX_PROBLEMS)
        elif not problems:
            batch.append((number, *values))  # type: ignore[misc]
            if len(batch) >= BATCH:
                _flush(cursor, batch)
        if progress and count % 10000 == 0:
            progress(count, "checking")
    problems_raise(problems, extra_problems, name=name, rows=count)
    _flush(cursor, batch)
    return count


def _counts_by_commune(year: int, communes: list[str]) -> list[tuple[str, int]]:
    from django.db.models import Count

    rows = (SurveyPerson.objects.filter(year=year, commune_id__in=communes).values("commune_id").annotate(n=Count("person_id")))
    return [(r["commune_id"], r["n"]) for r in rows]


def _replace(cursor: Any, year: int, held: list[str]) -> None:
    person, household, village = SurveyPerson._meta.db_table, Household._meta.db_table, Village._meta.db_table
    if held:
        marks = ", ".join(["%s"] * len(held))
        cursor.execute(f"DELETE FROM {household} WHERE year = %s AND commune_id IN ({marks})", [year, *held])
        cursor.execute(f"DELETE FROM {person} WHERE year = %s AND commune_id IN ({marks})", [year, *held])
    columns = ", ".join(FIELDS)
    # In key order: the primary key's pages fill as a fresh build's would (not half-full from splits), and one
    # commune-year's rows lie together (the name search reads them all).
    cursor.execute(f"INSERT INTO {person} (year, {columns}) SELECT %s, {columns} FROM {STAGING} ORDER BY commune_id, person_id", [year])
    cursor.execute(
        f"""INSERT INTO {village} (commune_id, name)
            SELECT DISTINCT s.commune_id, s.village FROM {STAGING} s
            WHERE s.village <> '' AND NOT EXISTS (SELECT 1 FROM {village} v WHERE v.commune_id = s.commune_id AND v.name = s.village)"""
    )
    cursor.execute(
        f"""INSERT INTO {household} (commune_id, year, code, village_id, members)
            SELECT s.commune_id, %s, s.household_code, MIN(v.id), COUNT(*) FROM {STAGING} s
            LEFT JOIN {village} v ON v.commune_id = s.commune_id AND v.name = s.village
            GROUP BY s.commune_id, s.household_code ORDER BY s.commune_id, s.household_code""",
        [year],
    )


def aggregates_rebuild(*, year: int, communes: list[str] | None = None, rule_set: Rules | None = None) -> None:
    """Recount the aggregate of ``communes`` (all communes if None) for ``year`` from their persons, by SQL."""
    _rebuild(year=year, communes=communes, rule_set=rule_set, by_village=False)


def village_aggregates_rebuild(*, year: int, communes: list[str], rule_set: Rules | None = None) -> None:
    """Count ``communes``' persons of ``year`` per village too (for reading them on a tree that splits them)."""
    _rebuild(year=year, communes=communes, rule_set=rule_set, by_village=True)


def _rebuild(*, year: int, communes: list[str] | None, rule_set: Rules | None, by_village: bool, from_staging: bool = False) -> None:
    r = rule_set or rules()
    person = SurveyPerson._meta.db_table
    if from_staging:  # the import's new persons (no need to find them again in the big table)
        person = f"(SELECT {int(year)} AS year, * FROM {STAGING}) persons"
    aggregate = (VillageAggregate if by_village else CommuneAggregate)._meta.db_table
    where = "year = %s"
    params_where: list[Any] = [year]
    if communes is not None:
        if not communes:
            return
        where += f" AND commune_id IN ({', '.join(['%s'] * len(communes))})"
        params_where += communes
    segments = r.age_segments()
    age = ("CASE " + " ".join(f"WHEN {int(year)} - birth_year < {nxt} THEN {start}" for start, nxt in zip(segments, segments[1:]))
           + f" ELSE {segments[-1]} END")
    level = "CASE WHEN literacy_phase >= %s OR highest_grade >= %s THEN 1 ELSE 0 END"
    village, village_col = (", village", "village, ") if by_village else ("", "")
    sql = f"""
        INSERT INTO {aggregate} (commune_id, year, {village_col}age_from, sex, minority, unable_to_learn, population, level1, level2,
            entered_grade1, completed_primary, in_primary, lower_secondary_diploma, studying_upper)
        SELECT commune_id, year, {village_col}{age}, sex, minority, disability = 2, COUNT(*),
            SUM({level}), SUM({level}),
            SUM(CASE WHEN enrolled_grade >= 1 OR highest_grade >= 1 THEN 1 ELSE 0 END),
            SUM(CASE WHEN highest_grade >= 5 THEN 1 ELSE 0 END),
            SUM(CASE WHEN highest_grade < 5 AND enrolled_grade BETWEEN 1 AND 5 THEN 1 ELSE 0 END),
            SUM(CASE WHEN highest_grade >= 9 THEN 1 ELSE 0 END),
            SUM(CASE WHEN enrolled_grade BETWEEN 10 AND 12 THEN 1 ELSE 0 END)
        FROM {person} WHERE {where}
        GROUP BY commune_id, year{village}, {age}, sex, minority, disability = 2
    """
    params = [r.level1[0], r.level1[1], r.level2[0], r.level2[1], *params_where]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {aggregate} WHERE {where}", params_where)
        if not by_village:  # per-village counts are rebuilt on demand, from the new persons
            cursor.execute(f"DELETE FROM {VillageAggregate._meta.db_table} WHERE {where}", params_where)
        cursor.execute(sql, params)


# Fields the commune officer may edit on the web, with the format-2 column each one is checked as.
EDITABLE = {
    "village": "village", "household_code": "household_id", "full_name": "full_name", "sex": "sex", "birth_date": "birth_date",
    "ethnicity": "ethnicity", "disability": "disability", "highest_grade": "highest_grade_completed", "enrolled_grade": "enrolled_grade",
    "literacy_phase": "literacy_phase_completed", "primary_completion_year": "primary_completion_year",
    "lower_secondary_completion_year": "lower_secondary_completion_year",
}


def person_key(person: SurveyPerson) -> str:
    """The person's key as the change log names it: "commune/year/person_id" (the primary key, which the person
    edit page's address also carries)."""
    return f"{person.commune_id}/{person.year}/{person.person_id}"[:64]


def person_update(*, actor: Any, person: SurveyPerson, data: dict[str, str | None]) -> SurveyPerson:
    """Change a survey person from format-2-like text values; checked as an imported row would be; audited.

    Raises :class:`Rejected` with the problems. The commune's aggregate for the year is rebuilt.
    """
    current = {
        "commune_code": person.commune_id, "person_id": person.person_id, "household_id": person.household_code,
        "village": person.village, "full_name": person.full_name, "sex": person.sex,
        "birth_date": person.birth_date.isoformat() if person.birth_date else str(person.birth_year),
        "ethnicity": person.ethnicity, "disability": str(person.disability), "highest_grade_completed": str(person.highest_grade),
        "enrolled_grade": None if person.enrolled_grade is None else str(person.enrolled_grade),
        "literacy_phase_completed": str(person.literacy_phase),
        "primary_completion_year": None if person.primary_completion_year is None else str(person.primary_completion_year),
        "lower_secondary_completion_year": None if person.lower_secondary_completion_year is None else str(person.lower_secondary_completion_year),
    }
    for name, column in EDITABLE.items():
        if name in data:
            value = data[name]
            current[column] = value.strip() if isinstance(value, str) and value.strip() else None
    ctx = RowContext(file="", year=person.year, rules=rules(), today=timezone.localdate(),
                     commune_problem=_commune_checker(actor, person.year))
    values, problems = parse_row(0, current, ctx)
    if problems or values is None:
        raise Rejected([Problem(p.message, column=p.column) for p in problems])
    with transaction.atomic():
        before = snapshot(person)
        for name, value in zip(FIELDS, values, strict=True):
            if name not in ("commune_id", "person_id"):
                setattr(person, name, value)
        person.save()
        changes = diff(before, snapshot(person))
        if changes:
            aggregates_rebuild(year=person.year, communes=[person.commune_id])
            audit_record(actor=actor, action="survey_person_update", instance=person, object_id=person_key(person),
                         unit_code=person.commune_id, changes=changes)
    return person


def attestation_set(*, actor: Any, unit: Unit, year: int, recognition: str, level: int, note: str = "") -> Attestation:
    """Record the education office's attestation of the conditions (TT 07/2016) for a unit, year and recognition."""
    if recognition not in Recognition.values:
        raise ValueError(recognition)
    if not 0 <= level <= 3:
        raise ValueError(level)
    with transaction.atomic():
        current = Attestation.objects.filter(unit=unit, year=year, recognition=recognition).first()
        old = current.level if current else None
        user = actor if getattr(actor, "is_authenticated", False) else None
        attestation, _ = Attestation.objects.update_or_create(
            unit=unit, year=year, recognition=recognition, defaults={"level": level, "note": note, "updated_by": user})
        if old != level:
            audit_record(actor=actor, action="literacy_attestation_set", instance=attestation, unit_code=unit.code,
                         changes={"level": [old, level]}, note=note)
    return attestation


def literacy_values_publish(*, actor: Any, year: int, communes: list[str] | None = None, unit: Unit | None = None) -> int:
    """Write the band counts and the levels of the communes and all their ancestors (or of ``unit``'s subtree)
    into the indicator store (source=computed, rule naming the catalogue file). Returns the values changed."""
    from xhht.literacy.selectors import unit_results
    from xhht.units.selectors import unit_ancestors

    on = date(year, 12, 31)
    targets: dict[str, Unit] = {}
    if unit is not None:
        targets[unit.code] = unit
    for code in communes or []:
        commune = Unit.objects.get(code=code)
        for ancestor in unit_ancestors(unit=commune, on=on):
            targets[ancestor.code] = ancestor
    values: list[Value] = []
    written: set[str] = set()
    # From the top: each result also carries its children, so one computation covers a level below it.
    for target in sorted(targets.values(), key=lambda u: u.level):
        result = unit_results(unit=target, year=year, child_parts=True)
        # The target itself; below it, only the communes just imported and the other targets (the ancestors),
        # or every child when a whole unit is published.
        wanted = set(targets) | set(communes or [])
        for item in [result, *result.children]:
            if item.code in written or (item is not result and target != unit and item.code not in wanted):
                continue
            written.add(item.code)
            values.extend(result_values(item, year))
    r = rules()
    return data_values_write(actor=actor, values=values, source="computed", rule=r.rule_name)


def result_values(result: Any, year: int) -> list[Value]:
    period = str(year)
    out: list[Value] = []
    for band, counts in result.bands.items():
        for measure in ("population", "level1", "level2"):
            element = f"literacy_{measure}"
            out.append(Value(element=element, unit_code=result.code, period=period, value=counts.total[measure],
                             disaggregation={"age_band": band}))
            for key, part in counts.parts.items():
                kind = "sex" if key in ("M", "F") else "ethnicity"
                out.append(Value(element=element, unit_code=result.code, period=period, value=part[measure],
                                 disaggregation={"age_band": band, kind: key}))
    for recognition, element in (("literacy", "literacy_standard_level"), ("primary", "primary_universal_level"),
                                 ("lower_secondary", "lower_secondary_universal_level")):
        out.append(Value(element=element, unit_code=result.code, period=period, value=result.standards[recognition]))
    return out
