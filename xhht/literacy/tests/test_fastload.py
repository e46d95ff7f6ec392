"""The bulk path (COPY + SQL checks, PostgreSQL) gives exactly what the row-by-row reference gives: the same
staged values for a clean file, the same problems (file, row, column, words) for a bad one."""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from xhht.core.tabular import Rejected
from xhht.literacy import fastload, services
from xhht.literacy.catalogue import rules
from xhht.literacy.rows import RowContext

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the bulk path is PostgreSQL's")

HEADER = ("commune_code,village,household_id,person_id,full_name,sex,birth_date,ethnicity,disability,"
          "highest_grade_completed,enrolled_grade,literacy_phase_completed,primary_completion_year,lower_secondary_completion_year")
NFD = unicodedata.normalize("NFD", "Nguyễn Thị Hồng")
GOOD = {  # every spelling here is accepted by the reference; some only the reference can read
    "commune": ["05115", "05113"],
    "village": ["Nà Rị", "", "Bản  Chang", "x" * 130],
    "name": ["Nguyễn Văn An", "ĐẶNG THỊ ÁNH", "", "Lò  Văn   Hùng", NFD, "李小龍", "Hoàng\tThị", "A" * 130, "Ǆ Ø ß"],
    "sex": ["M", "F", "Nam", "Nữ", "NỮ", "nu", "m", unicodedata.normalize("NFD", "Nữ")],
    "birth": ["1980-03-02", "1984", "2000-02-29", "1990-12-31", "1950"],
    "ethnicity": ["Tày", "Kinh", "KINH", "kinh ", "", "H'Mông", "Nùng"],
    "disability": ["0", "1", "2", "", "2.0", "01"],
    "grade": ["0", "5", "9", "12", "9.0", "05"],
    "enrolled": ["", "3", "12"],
    "phase": ["", "0", "1", "2"],
    "year": ["", "1995", "2019", "1995.0"],
}
BAD = {
    "commune": ["99999", "051", ""],
    "sex": ["X", "", "N am"],
    "birth": ["2999-01-01", "1899-12-31", "1990-02-30", "1990-13-01", "abcd", "90", "", "2020"],
    "grade": ["13", "-1", "abc", "", "5.5"],
    "enrolled": ["0", "13", "x"],
    "phase": ["3", "-0x"],
    "disability": ["3", "a"],
    "year": ["1899", "2020", "19950"],
}


def _row(rng: random.Random, n: int, bad: bool) -> str:
    pick = {k: rng.choice(v) for k, v in GOOD.items()}
    if bad and rng.random() < 0.5:
        key = rng.choice(list(BAD))
        pick[key] = rng.choice(BAD[key])
    person = f"P{n}" if not bad or rng.random() > 0.05 else "P1"
    cells = [pick["commune"], pick["village"], f"H{n // 3}", person, pick["name"], pick["sex"], pick["birth"], pick["ethnicity"],
             pick["disability"], pick["grade"], pick["enrolled"], pick["phase"], pick["year"], rng.choice(GOOD["year"])]
    return ",".join(cells)


def _run(path: Path, *, bulk: bool) -> Any:
    """(rows, staged rows) or the problems, from the bulk path or the reference."""
    ctx = RowContext(file=path.name, year=2019, rules=rules(), today=timezone.localdate(),
                     commune_problem=services._commune_checker(None, 2019))
    with transaction.atomic(), connection.cursor() as cursor:
        services._create_staging(cursor)
        try:
            if bulk:
                count = fastload.stage_csv(cursor, path=path, name=path.name, ctx=ctx, staging=services.STAGING,
                                           max_problems=services.MAX_PROBLEMS, flush=services._flush, batch_size=services.BATCH)
                assert count is not None, "the bulk path was not taken"
            else:
                count = services._stage_rows(cursor, source=services._source(path, None, path.name), name=path.name, ctx=ctx,
                                             progress=None)
        except Rejected as exc:
            return [str(p) for p in exc.problems]
        cursor.execute(f"SELECT * FROM {services.STAGING} ORDER BY row_number")
        staged = cursor.fetchall()
        transaction.set_rollback(True)
    return count, staged


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_clean_files_stage_the_same_values(survey: None, tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    path = tmp_path / "clean.csv"
    path.write_text("\n".join([HEADER, *(_row(rng, n, bad=False) for n in range(400))]) + "\n", encoding="utf-8")
    reference = _run(path, bulk=False)
    assert isinstance(reference, tuple), reference
    assert _run(path, bulk=True) == reference


@pytest.mark.parametrize("seed", [4, 5, 6, 7])
def test_bad_files_give_the_same_problems(survey: None, tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    path = tmp_path / "bad.csv"
    path.write_text("\n".join([HEADER, *(_row(rng, n, bad=True) for n in range(300))]) + "\n", encoding="utf-8")
    reference = _run(path, bulk=False)
    assert isinstance(reference, list) and reference
    assert _run(path, bulk=True) == reference


def test_many_problems_are_cut_the_same_way(survey: None, tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_text("\n".join([HEADER, *("99999,,H1,P%d,,X,abcd,,,13,,,," % n for n in range(200))]) + "\n", encoding="utf-8")
    reference = _run(path, bulk=False)
    assert reference[-1].endswith("lỗi khác.") and _run(path, bulk=True) == reference


@pytest.mark.parametrize(("case", "body"), [
    ("formula", "05115,,H1,P1,=HYPERLINK(1),M,1990,,,5,,,,\n05115,,H1,P2,,X,1990,,,5,,,,\n"),
    ("blank and whitespace-only rows", "05115,,H1,P1,,M,1990,,,5,,,,\n,,,,,,,,,,,,,\n \u00a0,,,,,,,,,,,,,\n05115,,H1,P2,,F,1990,,,5,,,,\n"),
    ("padded cells", " 05115 ,\tThôn 1 ,H1, P1,An  ,\u00a0M,1990 ,,, 5,,,,\n"),
    ("no data", ""),
    ("semicolons", None),
])
def test_odd_files_the_same(survey: None, tmp_path: Path, case: str, body: str | None) -> None:
    path = tmp_path / "odd.csv"
    if body is None:
        path.write_text("\ufeffcommune_code;household_id;person_id;sex;birth_date;highest_grade_completed\n05115;H1;S1;F;2000;12\n",
                        encoding="utf-8")
    else:
        path.write_text(HEADER + "\n" + body, encoding="utf-8")
    assert _run(path, bulk=True) == _run(path, bulk=False)


@pytest.mark.parametrize(("case", "body"), [
    ("quotes", '05115,"Nà Rị, Cao Bằng",H1,P1,,M,1990,,,5,,,,\n'),
    ("short row", "05115,,H1,P1,,M,1990\n"),
    ("not UTF-8", None),
    ("quoted line break", '05115,"a\nb",H1,P1,,M,1990,,,5,,,,\n'),
])
def test_files_copy_reads_differently_go_to_the_reference(survey: None, tmp_path: Path, case: str, body: str | None) -> None:
    path = tmp_path / "other.csv"
    if body is None:
        path.write_bytes((HEADER + "\n05115,N\xe0 R\xec,H1,P1,,M,1990,,,5,,,,\n").encode("latin-1"))
    else:
        path.write_text(HEADER + "\n" + body, encoding="utf-8")
    ctx = RowContext(file="x", year=2019, rules=rules(), today=timezone.localdate(), commune_problem=lambda code: None)
    with transaction.atomic(), connection.cursor() as cursor:
        services._create_staging(cursor)
        assert fastload.stage_csv(cursor, path=path, name="x", ctx=ctx, staging=services.STAGING, max_problems=10,
                                  flush=services._flush, batch_size=10) is None
        transaction.set_rollback(True)
