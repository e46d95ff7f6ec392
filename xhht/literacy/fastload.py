"""The person import's bulk path for a CSV on PostgreSQL: COPY the file as it is, check every row in SQL.

The row-by-row path (:func:`xhht.literacy.rows.parse_row` over :func:`xhht.core.tabular.open_table`) stays the
reference. This path only takes over what it can prove equal to it:

* the file is fed to ``COPY … (FORMAT csv)`` in 1 MB blocks (no Python per row) into a temporary table of text
  columns numbered in file order. It is used only when every physical line became exactly one row (newlines
  counted while feeding), so a row's number is its line in the file, as the reference reports it. A file COPY
  cannot read the same way (not UTF-8, a short or long row, a blank line, a quoted line break, CR line ends…) goes
  to the reference path whole, which refuses or reads it exactly as before.
* every row is then typed and checked by one ``INSERT … SELECT``: a row is *canonical* when SQL can both check it
  and compute the same values as :func:`parse_row` (no cell starting with "=" or whitespace nor ending with
  whitespace, no non-ASCII whitespace, small numbers written plainly, ``YYYY`` or ``YYYY-MM-DD`` dates, the commune
  allowed by the import's own checker, sexes and ethnic groups among the distinct texts ``fold()`` reads as such),
  and passes every check. Canonical rows go straight
  into the staging table.
* the other rows (none in a clean file; every bad row of a bad one) are read back in file order and given to
  :func:`parse_row` itself, so their problems — and the values of the odd-but-valid ones — are exactly the
  reference's, with the same file, row and column.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import DatabaseError, connection, transaction

from xhht.core.tabular import Problem, Rejected, csv_delimiter, open_table
from xhht.core.text import fold
from xhht.literacy.rows import ALIASES, COLUMNS, FIELDS, REQUIRED, SEX, RowContext, parse_row, problems_keep, problems_raise

RAW = "literacy_import_raw"
BLOCK = 1024 * 1024
# What str.strip() removes (the reference strips every cell with it).
WHITESPACE = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
# The ones SQL does not trim (btrim of ASCII whitespace): a row holding any goes to the reference.
EXOTIC = "".join(c for c in WHITESPACE if c not in " \t\n\r\v\f")
# Over a row's cells joined by \x01: a cell starting with "=" or whitespace, one ending with whitespace, other whitespace.
ODD = f"[{EXOTIC}]|(^|\x01)[ \t\n\r\v\f=]|[ \t\n\r\v\f]($|\x01)"



def _int_sql(col: str) -> str:
    """SQL: the whole number the reference reads from plain digits (an optional ".0" after them), else NULL."""
    return rf"(CASE WHEN {col} ~ '^[0-9]{{1,4}}(\.0)?$' THEN split_part({col}, '.', 1)::int END)"


def _small_int_sql(col: str, high: int) -> str:
    """SQL: 0…high written plainly ("0", "12"), else NULL (other spellings, "05", "5.0", go to the reference)."""
    return f"(array_position(ARRAY[{', '.join(repr(str(i)) for i in range(high + 1))}], {col}) - 1)"


def _optional(col: str, parsed: str, low: str, high: str) -> str:
    """SQL: the optional whole number is absent, or plain digits between low and high."""
    return f"({col} IS NULL OR {parsed} BETWEEN {low} AND {high})"


def _checks() -> list[str]:
    """The SQL conditions (over the parsed layer) a row meets when it is canonical and passes every check."""
    year = "%(year)s"
    return [
        "NOT formula",
        *(f"{c} IS NOT NULL" for c in REQUIRED),
        "commune_code = ANY(%(communes)s)",
        "char_length(person_id) <= 40", "char_length(household_id) <= 40",
        "(sex = ANY(%(male)s) OR sex = ANY(%(female)s))",
        "by >= 1900", "(bd IS NOT NULL OR NOT full_date)",
        "(CASE WHEN by < 1900 THEN false WHEN bd IS NOT NULL THEN bd <= %(today)s ELSE make_date(by, 1, 1) <= %(today)s END)",
        f"by <= {year}",
        "i_highest_grade_completed BETWEEN 0 AND 12",
        f"i_highest_grade_completed <= greatest(0, {year} - by - %(offset)s + %(tolerance)s)",
        _optional("enrolled_grade", "i_enrolled_grade", "1", "12"),
        _optional("literacy_phase_completed", "i_literacy_phase_completed", "0", "2"),
        _optional("disability", "i_disability", "0", "2"),
        _optional("primary_completion_year", "i_primary_completion_year", "1900", year),
        _optional("lower_secondary_completion_year", "i_lower_secondary_completion_year", "1900", year),
    ]


NAME = "left(coalesce(full_name, ''), 120)"
ETHNICITY = "left(coalesce(ethnicity, ''), 40)"


def _select(present: list[str], where: str) -> str:
    """SELECT n (the row's line), FIELDS… typed, and the cleaned texts, of the raw rows meeting ``where`` (over
    ``{ok}``, true when the row is canonical and passes every check, and ``{blank}``). Three layers, each computed
    once per row (OFFSET 0 keeps the planner from inlining them, which would repeat every expression)."""
    # A canonical row has no cell starting with "=" or whitespace, none ending with whitespace, and no whitespace
    # but ASCII's anywhere: then str.strip() changes nothing and an empty cell is NULL (COPY) or ''. One regex per row.
    cleaned = ", ".join(f"NULLIF(c_{c}, '') AS {c}" if c in present else f"NULL::text AS {c}" for c in COLUMNS)
    formula = f"coalesce(concat_ws(E'\\x01', {', '.join(f'c_{c}' for c in present)}) ~ %(odd)s, false)"
    parsed = ", ".join([
        "*",
        "CASE WHEN birth_date ~ '^[0-9]{4}(-[0-9]{2}-[0-9]{2})?$' THEN substr(birth_date, 1, 4)::int END AS by",
        "CASE WHEN length(birth_date) = 10 AND birth_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN CASE WHEN substr(birth_date, 1, 4)::int >= 1900"
        " AND substr(birth_date, 6, 2)::int BETWEEN 1 AND 12 AND substr(birth_date, 9, 2)::int >= 1"
        " AND substr(birth_date, 9, 2)::int <= extract(day FROM make_date(substr(birth_date, 1, 4)::int,"
        " substr(birth_date, 6, 2)::int, 1) + interval '1 month - 1 day') THEN birth_date::date END END AS bd",
        "length(birth_date) = 10 AS full_date",
        *(f"{_small_int_sql(c, high)} AS i_{c}" for c, high in (("highest_grade_completed", 12), ("enrolled_grade", 12),
                                                                 ("literacy_phase_completed", 2), ("disability", 2))),
        *(f"{_int_sql(c)} AS i_{c}" for c in ("primary_completion_year", "lower_secondary_completion_year")),
    ])
    ok = " AND ".join(_checks())
    values = {
        "commune_id": "commune_code", "person_id": "person_id", "household_code": "household_id",
        "village": "left(coalesce(village, ''), 120)", "full_name": NAME,
        "sex": "(CASE WHEN sex = ANY(%(male)s) THEN 'M' ELSE 'F' END)", "birth_year": "by",
        "birth_date": "bd", "ethnicity": ETHNICITY,
        "minority": f"NOT ({ETHNICITY} = ANY(%(kinh)s))", "disability": "coalesce(i_disability, 0)",
        "highest_grade": "i_highest_grade_completed", "enrolled_grade": "i_enrolled_grade",
        "literacy_phase": "coalesce(i_literacy_phase_completed, 0)",
        "primary_completion_year": "i_primary_completion_year",
        "lower_secondary_completion_year": "i_lower_secondary_completion_year",
    }
    typed = ", ".join(f"{values[f]} AS {f}" for f in FIELDS)
    where = where.format(ok=f"coalesce(({ok}), false)")
    return f"""
        SELECT n, {typed}, {', '.join(f'{c} AS x_{c}' for c in COLUMNS)}, {', '.join(f'c_{c}' for c in present)} FROM (
            SELECT {parsed} FROM (
                SELECT n, {', '.join(f'c_{c}' for c in present)}, {cleaned}, {formula} AS formula FROM {RAW} OFFSET 0
            ) cleaned OFFSET 0
        ) parsed WHERE {where}"""


def _layout(path: Path, name: str) -> tuple[list[str], str, bool] | None:
    """(columns of the header in file order, delimiter, starts with a BOM) when COPY can read the file as the
    reference does: the header on the first line, every header cell named, no quotes in it; else None."""
    try:
        table = open_table(path, columns=COLUMNS, required=REQUIRED, aliases=ALIASES, display_name=name, max_bytes=_max_bytes())
    except Rejected:
        return None  # the reference path says why, the same way
    close = getattr(table.rows, "close", None)  # a generator holding the file open
    if close is not None:
        close()
    if table.sheet is not None:
        return None
    with path.open("rb") as handle:
        head = handle.readline(64 * 1024)
    bom = head.startswith(b"\xef\xbb\xbf")
    try:
        first = head[3 if bom else 0:].decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        return None
    delimiter = csv_delimiter(first)
    if '"' in first or not first.strip():
        return None
    cells = next(csv.reader([first], delimiter=delimiter))
    if len(cells) != len(table.columns) or any(not c.strip() for c in cells):
        return None
    return table.columns, delimiter, bom


class _NotPlain(Exception):
    """The file has quotes: the reference path reads it."""


def _max_bytes() -> int:
    from xhht.literacy.services import max_persons_file_bytes

    return max_persons_file_bytes()


def _distinct(cursor: Any, column: str, columns: list[str], width: int) -> list[str]:
    if column not in columns:
        return [""]
    cursor.execute(f"SELECT DISTINCT left(coalesce(NULLIF(btrim(c_{column}, E' \\t\\n\\r\\x0b\\f'), ''), ''), {width}) FROM {RAW}")
    return [text for (text,) in cursor.fetchall()]


def _fold_texts(cursor: Any, columns: list[str]) -> tuple[list[str], list[str], list[str]]:
    """The sex texts read as male and as female, and the ethnic-group texts that are not a minority (as
    :func:`parse_row` reads them: each distinct text folded by ``fold()`` itself)."""
    male, female = [], []
    for text in _distinct(cursor, "sex", columns, 1000):
        code = SEX.get(fold(text))
        if code == "M":
            male.append(text)
        elif code == "F":
            female.append(text)
    kinh = [text for text in _distinct(cursor, "ethnicity", columns, 40) if fold(text) in ("", "kinh")]
    return male, female, kinh


def _copy_raw(cursor: Any, path: Path, columns: list[str], delimiter: str, bom: bool) -> tuple[int, int]:
    """COPY the file into the raw table; returns (physical lines after the header, rows COPY made)."""
    cursor.execute(f"DROP TABLE IF EXISTS {RAW}")
    cursor.execute(f"CREATE TEMPORARY TABLE {RAW} (n bigint GENERATED ALWAYS AS IDENTITY, "
                   + ", ".join(f"c_{c} text" for c in columns) + ")")
    lines, last = 0, b"\n"
    with path.open("rb") as handle, cursor.cursor.copy(
            f"COPY {RAW} ({', '.join(f'c_{c}' for c in columns)}) FROM STDIN (FORMAT csv, HEADER true, DELIMITER %s)",
            [delimiter]) as copy:
        if bom:
            handle.read(3)
        while block := handle.read(BLOCK):
            if b'"' in block:  # quoting: COPY and the csv module part ways on a quote inside a field
                raise _NotPlain
            lines += block.count(b"\n")
            last = block[-1:]
            copy.write(block)
    if last != b"\n":
        lines += 1
    cursor.execute(f"SELECT count(*) FROM {RAW}")
    return lines - 1, int(cursor.fetchone()[0])


def stage_csv(cursor: Any, *, path: Path, name: str, ctx: RowContext, staging: str, max_problems: int,
              flush: Callable[[Any, list[tuple[Any, ...]]], None], batch_size: int) -> int | None:
    """Load and check ``path`` into ``staging`` (row_number, FIELDS…). Returns the rows read, or None when the
    file must go through the reference path. Raises :class:`Rejected` with the reference's problems."""
    if connection.vendor != "postgresql" or path.suffix.lower() not in {".csv", ".txt", ""}:
        return None
    import psycopg
    layout = _layout(path, name)
    if layout is None:
        return None
    columns, delimiter, bom = layout
    try:
        with transaction.atomic():  # a savepoint: a file COPY cannot read leaves nothing behind
            lines, copied = _copy_raw(cursor, path, columns, delimiter, bom)
    except (DatabaseError, psycopg.Error, _NotPlain):
        return None
    if lines != copied:
        cursor.execute(f"DROP TABLE {RAW}")
        return None
    cursor.execute(f"SELECT DISTINCT NULLIF(btrim(c_commune_code, E' \\t\\n\\r\\x0b\\f'), '') FROM {RAW}")
    allowed = [code for (code,) in cursor.fetchall() if code is not None and not ctx.commune_problem(code)]
    # Texts the reference folds (ethnic groups, sexes) repeat: each distinct one is folded by fold() itself.
    male, female, kinh = _fold_texts(cursor, columns)
    params = {"odd": ODD, "communes": allowed, "today": ctx.today, "male": male, "female": female, "kinh": kinh,
              "year": ctx.year, "offset": ctx.rules.grade_age_offset, "tolerance": ctx.rules.grade_age_tolerance}
    fields = ", ".join(FIELDS)
    cursor.execute(f"INSERT INTO {staging} (row_number, {fields}) SELECT n + 1, {fields} FROM ({_select(columns, '{ok}')}) rows", params)
    canonical = cursor.rowcount
    # The rest, in file order, through the reference's own row check.
    problems: list[Problem] = []
    extra_problems = 0
    batch: list[tuple[Any, ...]] = []
    others = 0
    if canonical < copied:
        rest = connection.connection.cursor(name="literacy_import_rest")  # server-side: a bad file's rows are streamed
        rest.itersize = 5000
        rest.execute(f"{_select(columns, 'NOT {ok}')} ORDER BY n", params)
        skip = 1 + len(FIELDS) + len(COLUMNS)
        for row in rest:
            number, raws = row[0] + 1, row[skip:]
            if any(raw and raw.startswith("=") and len(raw) > 1 and raw[1:2].isalpha() for raw in raws):
                rest.close()
                raise Rejected([Problem("ô chứa công thức; chỉ nhập giá trị.", file=name, row=number)])
            texts = [(raw.strip() or None) if raw is not None else None for raw in raws]  # the reference's _cell_text
            if not any(texts):
                continue
            others += 1
            record: dict[str, str | None] = dict.fromkeys(COLUMNS)
            record.update(zip(columns, texts, strict=True))
            values, row_problems = parse_row(number, record, ctx)
            if row_problems:
                extra_problems += problems_keep(problems, row_problems, max_problems)
            elif not problems:
                batch.append((number, *values))  # type: ignore[misc]
                if len(batch) >= batch_size:
                    flush(cursor, batch)
        rest.close()
    count = canonical + others
    problems_raise(problems, extra_problems, name=name, rows=count)
    flush(cursor, batch)
    cursor.execute(f"DROP TABLE {RAW}")
    return count


__all__ = ["stage_csv"]
