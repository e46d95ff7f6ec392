"""Writing survey persons, aggregates, attestations and the published indicator values.

Imports are streamed: each row is checked and written at once into a temporary staging table
(COPY on PostgreSQL, batched inserts on SQLite); duplicates are found there by SQL. Only when the
whole file is clean are the communes' old records for the year replaced, inside one transaction,
and their aggregates rebuilt. Any problem: nothing is written, every reason is listed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from xhht.accounts.access import can_edit_unit
from xhht.audit.services import audit_record, diff, snapshot
from xhht.core.tabular import Problem, Rejected, open_table
from xhht.indicators.services import Value, data_values_write
from xhht.literacy.catalogue import Rules, rules
from xhht.literacy.models import Attestation, CommuneAggregate, Household, Recognition, SurveyPerson, Village, VillageAggregate
from xhht.literacy.rows import ALIASES, COLUMNS, FIELDS, REQUIRED, RowContext, parse_row
from xhht.units.models import Unit

STAGING = "literacy_import_staging"
BATCH = 5000
ANALYZE_FROM = 10000  # rows loaded at once from which the import refreshes the planner's statistics
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
            name_folded varchar(120) NOT NULL, sex varchar(1) NOT NULL, birth_year smallint NOT NULL, birth_date date NULL,
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
) -> ImportResult:
    """Import format-2 persons for survey ``year`` from ``path`` (CSV/XLSX) or from ready ``rows``.

    Each commune present in the input has its records for the year replaced, atomically.
    Raises :class:`Rejected` with every problem found; then nothing at all is written.
    """
    _check_year(year)
    name = display_name or (Path(path).name if path else "dữ liệu")
    if path is not None:
        table = open_table(path, columns=COLUMNS, required=REQUIRED, aliases=ALIASES, display_name=name,
                           max_bytes=max_persons_file_bytes())
        source: Iterator[tuple[int, dict[str, str | None]]] = table.rows
    elif rows is not None:
        source = iter(rows)
    else:
        raise ValueError("path or rows")
    ctx = RowContext(file=name, year=year, rules=rules(), today=timezone.localdate(), commune_problem=_commune_checker(actor, year))
    problems: list[Problem] = []
    extra_problems = 0
    result = ImportResult()
    with transaction.atomic():
        with connection.cursor() as cursor:
            _create_staging(cursor)
            batch: list[tuple[Any, ...]] = []
            count = 0
            for number, record in source:
                values, row_problems = parse_row(number, record, ctx)
                count += 1
                if row_problems:
                    room = MAX_PROBLEMS - len(problems)
                    problems.extend(row_problems[:max(room, 0)])
                    extra_problems += max(len(row_problems) - max(room, 0), 0)
                elif not problems:
                    batch.append((number, *values))  # type: ignore[misc]
                    if len(batch) >= BATCH:
                        _flush(cursor, batch)
                if progress and count % 10000 == 0:
                    progress(count, "checking")
            if count == 0:
                problems.append(Problem("tệp không có dòng dữ liệu nào.", file=name))
            if problems:
                if extra_problems:
                    problems.append(Problem(f"… và {extra_problems} lỗi khác.", file=name))
                raise Rejected(problems)
            _flush(cursor, batch)
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
            before = {c: 0 for c in communes}
            for commune, n in _counts_by_commune(year, communes):
                before[commune] = n
            result.replaced = before
            _replace(cursor, year)
            aggregates_rebuild(year=year, communes=communes)
            cursor.execute(f"DROP TABLE {STAGING}")
            if _is_postgres() and count >= ANALYZE_FROM:
                # Fresh statistics after a bulk load, or the planner keeps the empty table's (seconds instead of ms).
                cursor.execute(f"ANALYZE {SurveyPerson._meta.db_table}, {CommuneAggregate._meta.db_table}")
        for commune in communes:
            audit_record(actor=actor, action="survey_persons_import", object_type="literacy.surveyperson",
                         object_id=f"{commune}/{year}", object_repr=f"Phiếu điều tra xã {commune} năm {year}", unit_code=commune,
                         changes={"persons": [before[commune], None]}, note=f"{name}")
        if publish:
            literacy_values_publish(actor=actor, year=year, communes=communes)
    if progress:
        progress(count, "done")
    return result


def _counts_by_commune(year: int, communes: list[str]) -> list[tuple[str, int]]:
    from django.db.models import Count

    rows = (SurveyPerson.objects.filter(year=year, commune_id__in=communes).values("commune_id").annotate(n=Count("id")))
    return [(r["commune_id"], r["n"]) for r in rows]


def _replace(cursor: Any, year: int) -> None:
    person, household, village = SurveyPerson._meta.db_table, Household._meta.db_table, Village._meta.db_table
    in_staging = f"(SELECT DISTINCT commune_id FROM {STAGING})"
    cursor.execute(f"DELETE FROM {household} WHERE year = %s AND commune_id IN {in_staging}", [year])
    cursor.execute(f"DELETE FROM {person} WHERE year = %s AND commune_id IN {in_staging}", [year])
    columns = ", ".join(FIELDS)
    cursor.execute(f"INSERT INTO {person} (year, {columns}) SELECT %s, {columns} FROM {STAGING}", [year])
    cursor.execute(
        f"""INSERT INTO {village} (commune_id, name)
            SELECT DISTINCT s.commune_id, s.village FROM {STAGING} s
            WHERE s.village <> '' AND NOT EXISTS (SELECT 1 FROM {village} v WHERE v.commune_id = s.commune_id AND v.name = s.village)"""
    )
    cursor.execute(
        f"""INSERT INTO {household} (commune_id, year, code, village_id, members)
            SELECT s.commune_id, %s, s.household_code, MIN(v.id), COUNT(*) FROM {STAGING} s
            LEFT JOIN {village} v ON v.commune_id = s.commune_id AND v.name = s.village
            GROUP BY s.commune_id, s.household_code""",
        [year],
    )


def aggregates_rebuild(*, year: int, communes: list[str] | None = None, rule_set: Rules | None = None) -> None:
    """Recount the aggregate of ``communes`` (all communes if None) for ``year`` from their persons, by SQL."""
    _rebuild(year=year, communes=communes, rule_set=rule_set, by_village=False)


def village_aggregates_rebuild(*, year: int, communes: list[str], rule_set: Rules | None = None) -> None:
    """Count ``communes``' persons of ``year`` per village too (for reading them on a tree that splits them)."""
    _rebuild(year=year, communes=communes, rule_set=rule_set, by_village=True)


def _rebuild(*, year: int, communes: list[str] | None, rule_set: Rules | None, by_village: bool) -> None:
    r = rule_set or rules()
    person = SurveyPerson._meta.db_table
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
            audit_record(actor=actor, action="survey_person_update", instance=person, unit_code=person.commune_id, changes=changes)
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
