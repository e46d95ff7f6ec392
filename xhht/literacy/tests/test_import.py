"""Importing persons (format 2): every bad input refused with row and reason, nothing written; re-import replaces."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xhht.core.tabular import Rejected
from xhht.literacy.models import CommuneAggregate, Household, SurveyPerson
from xhht.literacy.selectors import person_search
from xhht.literacy.services import persons_import
from xhht.units.models import Unit

HEADER = ("commune_code,village,household_id,person_id,full_name,sex,birth_date,ethnicity,disability,"
          "highest_grade_completed,enrolled_grade,literacy_phase_completed,primary_completion_year,lower_secondary_completion_year")
GOOD = [
    "05115,Nà Rị,H1,A1,Nguyễn Văn An,M,1980-03-02,Tày,0,9,,0,1991,1995",
    "05115,Nà Rị,H1,A2,Hoàng Thị Lan,F,1984,Nùng,0,5,,0,1995,",
    "05115,Bản Chang,H2,A3,Lương Văn Tuấn,Nam,2012-05-01,Tày,,1,2,,,",
    "05115,Bản Chang,H2,A4,Bế Thị Mai,Nữ,1950,Kinh,1,0,,2,,",
]


def _state(code: str = "05115") -> tuple[Any, ...]:
    persons = SurveyPerson.objects.filter(commune_id=code, year=2019)
    return (persons.count(), Household.objects.filter(commune_id=code, year=2019).count(),
            sorted(CommuneAggregate.objects.filter(commune_id=code, year=2019).values_list("age_from", "sex", "minority", "population", "level2")),
            list(persons.order_by("person_id").values_list("person_id", "full_name", "highest_grade")[:50]))


def _csv(tmp_path: Path, lines: list[str], name: str = "persons.csv", header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def _refused(path: Path, actor: Any = None, year: int = 2019) -> list[str]:
    with pytest.raises(Rejected) as info:
        persons_import(actor=actor, year=year, path=path)
    return [str(p) for p in info.value.problems]


BAD_ROWS = [
    ("future birth date", "05115,Nà Rị,H9,B1,Tương Lai,M,2999-01-01,Tày,0,0,,0,,", "ở tương lai"),
    ("born before 1900", "05115,Nà Rị,H9,B1,Cụ Già,M,1899-12-31,Tày,0,0,,0,,", "trước năm 1900"),
    ("grade above 12", "05115,Nà Rị,H9,B1,Lớp Mười Ba,M,1990,Tày,0,13,,0,,", "phải là số từ 0 đến 12"),
    ("grade above what the age allows", "05115,Nà Rị,H9,B1,Thần Đồng,F,2012,Tày,0,9,,0,,", "7 tuổi mà đã hoàn thành lớp 9"),
    ("literacy phase 3", "05115,Nà Rị,H9,B1,Giai Đoạn Ba,F,1990,Tày,0,2,,3,,", "phải là 0, 1 hoặc 2"),
    ("unknown commune", "99999,Nà Rị,H9,B1,Không Xã,F,1990,Tày,0,5,,0,,", "«99999» không tồn tại"),
    ("bad sex", "05115,Nà Rị,H9,B1,Không Rõ,X,1990,Tày,0,5,,0,,", "giới tính"),
    ("missing person id", "05115,Nà Rị,H9,,Không Mã,F,1990,Tày,0,5,,0,,", "thiếu giá trị bắt buộc"),
]


@pytest.mark.parametrize(("case", "row", "reason"), BAD_ROWS, ids=[c[0] for c in BAD_ROWS])
def test_bad_row_refused_with_row_and_reason(survey: None, tmp_path: Path, case: str, row: str, reason: str) -> None:
    before = _state()
    problems = _refused(_csv(tmp_path, [*GOOD, row]))
    assert any("dòng 6" in p and reason in p for p in problems), problems
    assert _state() == before


def test_duplicate_person_ids_refused(survey: None, tmp_path: Path) -> None:
    before = _state()
    problems = _refused(_csv(tmp_path, [*GOOD, "05115,Nà Rị,H3,A2,Trùng Mã,F,1990,Tày,0,5,,0,,"]))
    assert any("dòng 6" in p and "«A2»" in p and "bị lặp" in p and "dòng 3" in p for p in problems), problems
    assert _state() == before


def test_same_person_id_in_two_communes_is_fine(survey: None, tmp_path: Path) -> None:
    result = persons_import(actor=None, year=2019, path=_csv(tmp_path, [*GOOD, "05113,Nà Rị,H1,A1,Người Khác,F,1990,Tày,0,5,,0,,"]), publish=False)
    assert result.communes == ["05113", "05115"]


def test_commune_outside_the_importing_users_unit(survey: None, tmp_path: Path, nam_tuan_officer: Any) -> None:
    before, other = _state(), _state("05113")
    problems = _refused(_csv(tmp_path, [*GOOD, "05113,Nà Rị,H1,C1,Hồng Việt,F,1990,Tày,0,5,,0,,"]), actor=nam_tuan_officer)
    assert any("dòng 6" in p and "nằm ngoài đơn vị" in p for p in problems), problems
    assert _state() == before and _state("05113") == other


def test_commune_officer_imports_own_commune(survey: None, tmp_path: Path, nam_tuan_officer: Any) -> None:
    result = persons_import(actor=nam_tuan_officer, year=2019, path=_csv(tmp_path, GOOD))
    assert result.communes == ["05115"] and result.persons == 4


def test_empty_file(survey: None, tmp_path: Path) -> None:
    before = _state()
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert any("tệp rỗng" in p for p in _refused(path))
    header_only = _csv(tmp_path, [], name="header.csv")
    assert any("không có dòng dữ liệu" in p for p in _refused(header_only))
    assert _state() == before


def test_two_gigabyte_file(survey: None, tmp_path: Path) -> None:
    before = _state()
    path = tmp_path / "huge.csv"
    with path.open("wb") as f:  # sparse: takes no disk
        f.truncate(2 * 1024 * 1024 * 1024)
    assert any("tệp quá lớn" in p for p in _refused(path))
    assert _state() == before


def test_mixed_encodings(survey: None, tmp_path: Path) -> None:
    before = _state()
    path = tmp_path / "mixed.csv"
    body = "\n".join([HEADER, *GOOD]).encode("utf-8") + b"\n"
    # A later row saved in Windows-1258/Latin-1 (a second spreadsheet pasted in): not UTF-8.
    filler = "\n".join(f"05115,Nà Rị,H{i},Z{i},Nguyễn Văn {i},M,1990,Tày,0,5,,0,," for i in range(3000)).encode("utf-8") + b"\n"
    latin = "05115,N\xe0 R\xec,H9,B1,Nguy\xean V\xe0n,M,1990,T\xe0y,0,5,,0,,\n".encode("latin-1")
    path.write_bytes(body + filler + latin)
    problems = _refused(path)
    assert any("UTF-8" in p and "dòng" in p for p in problems), problems
    assert _state() == before


def test_unknown_column_is_an_error(survey: None, tmp_path: Path) -> None:
    problems = _refused(_csv(tmp_path, GOOD, header=HEADER + ",shoe_size"))
    assert any("shoe_size" in p for p in problems)


def test_reimport_replaces_the_communes_year_atomically(survey: None, tmp_path: Path) -> None:
    other = _state("05113")
    old_2019 = SurveyPerson.objects.filter(commune_id="05115", year=2019).count()
    assert old_2019 > 1000
    result = persons_import(actor=None, year=2019, path=_csv(tmp_path, GOOD))
    assert result.replaced == {"05115": old_2019}
    assert SurveyPerson.objects.filter(commune_id="05115", year=2019).count() == 4
    assert Household.objects.filter(commune_id="05115", year=2019).count() == 2
    assert sum(CommuneAggregate.objects.filter(commune_id="05115", year=2019).values_list("population", flat=True)) == 4
    assert _state("05113") == other
    # The same again changes nothing.
    persons_import(actor=None, year=2019, path=_csv(tmp_path, GOOD))
    assert SurveyPerson.objects.filter(commune_id="05115", year=2019).count() == 4
    a1 = SurveyPerson.objects.get(commune_id="05115", year=2019, person_id="A1")
    assert (a1.full_name, a1.sex, a1.birth_year, a1.minority, a1.highest_grade) == ("Nguyễn Văn An", "M", 1980, True, 9)
    # The name is found without its diacritics (folded on read now; it was a stored folded copy).
    assert list(person_search(commune=Unit.objects.get(code="05115"), year=2019, query="nguyen van an")) == [a1]
    a4 = SurveyPerson.objects.get(commune_id="05115", year=2019, person_id="A4")
    assert (a4.sex, a4.minority, a4.disability, a4.literacy_phase) == ("F", False, 1, 2)


def test_xlsx_with_vietnamese_headers_and_semicolon_csv(survey: None, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Mã xã", "Mã hộ", "Mã người", "Họ tên", "Giới tính", "Ngày sinh", "Lớp đã hoàn thành"])
    sheet.append(["05115", "H1", "X1", "Nông Văn Bình", "Nam", "1990-01-02", 12])
    sheet.append(["05115", "H1", "X2", "Nông Thị Hoa", "Nữ", 1992, 9])
    path = tmp_path / "persons.xlsx"
    book.save(path)
    result = persons_import(actor=None, year=2019, path=path, publish=False)
    assert result.persons == 2
    semicolon = tmp_path / "semi.csv"
    semicolon.write_text("\ufeffcommune_code;household_id;person_id;sex;birth_date;highest_grade_completed\n05115;H1;S1;F;2000;12\n", encoding="utf-8")
    assert persons_import(actor=None, year=2019, path=semicolon, publish=False).persons == 1


def test_management_command(survey: None, tmp_path: Path, hong_viet_officer: Any) -> None:
    path = _csv(tmp_path, GOOD)
    with pytest.raises(CommandError) as info:
        call_command("import_persons", str(path), year=2019, user="xa.hongviet", verbosity=0)
    assert "nằm ngoài đơn vị" in str(info.value) and "dòng 2" in str(info.value)
    from io import StringIO

    out = StringIO()
    call_command("import_persons", str(path), year=2019, verbosity=0, stdout=out)
    assert "Đã nhập 4 người của 1 xã" in out.getvalue()


def test_problems_listed_all_at_once(survey: None, tmp_path: Path) -> None:
    rows = [row for _, row, _ in BAD_ROWS]
    problems = _refused(_csv(tmp_path, rows))
    for i in range(len(rows)):
        assert any(f"dòng {i + 2}" in p for p in problems), (i, problems)


def test_publish_updates_the_indicator_store(survey: None, tmp_path: Path) -> None:
    from xhht.indicators.models import DataValue

    persons_import(actor=None, year=2019, path=_csv(tmp_path, GOOD))
    value = DataValue.objects.get(element="literacy_population", unit_id="05115", period="2019", disaggregation="age_band=26-35")
    assert value.value == 1  # Hoàng Thị Lan, born 1984
    district = DataValue.objects.get(element="literacy_population", unit_id="051", period="2019", disaggregation="age_band=15-60")
    assert district.value < 39564


def test_sparse_file_really_is_sparse(tmp_path: Path) -> None:
    path = tmp_path / "s.bin"
    with path.open("wb") as f:
        f.truncate(1024 * 1024)
    assert os.stat(path).st_blocks * 512 < 1024 * 1024


def test_folder_imports_each_file_on_its_own(survey: None, tmp_path: Path) -> None:
    """The national path: every file of a folder, each all-or-nothing; a refused file is listed and writes nothing."""
    from io import StringIO

    folder = tmp_path / "national"
    folder.mkdir()
    _csv(folder, GOOD, name="a-good.csv")
    _csv(folder, ["05113,Nà Rị,H1,C1,Hồng Việt,F,1990,Tày,0,5,,0,,", "05113,Nà Rị,H1,C2,Sai,X,1990,Tày,0,5,,0,,"], name="b-bad.csv")
    other = _state("05113")
    out = StringIO()
    with pytest.raises(CommandError) as info:
        call_command("import_persons", str(folder), year=2019, workers=1, verbosity=0, stdout=out, no_publish=True)
    assert "Đã nhập 4 người của 1 xã năm 2019 từ 1/2 tệp" in out.getvalue()
    assert "b-bad.csv, dòng 3, cột sex" in str(info.value) and "1 tệp không được nhập" in str(info.value)
    assert SurveyPerson.objects.filter(commune_id="05115", year=2019).count() == 4
    assert _state("05113") == other


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres") is False, reason="PostgreSQL's indexes")
def test_indexes_dropped_and_made_again_the_same(survey: None) -> None:
    from xhht.literacy.services import _indexes_create, _indexes_drop

    schema = _person_keys_and_indexes
    before = schema()
    again = _indexes_drop("literacy_surveyperson")
    assert again and len(schema()) < len(before)
    _indexes_create(again)
    assert schema() == before


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres") is False, reason="PostgreSQL's indexes")
def test_keys_left_dropped_by_a_killed_folder_load_are_rebuilt_by_the_next_import(survey: None, tmp_path: Path) -> None:
    """A folder load killed between dropping the person table's keys and building them again (kill -9, the OOM killer)
    leaves the way back in the table's comment; the next import rebuilds them first, unless the load is still alive."""
    from django.db import connection, connections

    from xhht.literacy.services import _FOLDER_LOCK, _indexes_drop, indexes_restore_abandoned

    schema = _person_keys_and_indexes
    before = schema()
    assert any("PRIMARY KEY" in definition for _, definition in before)
    _indexes_drop("literacy_surveyperson")  # … and the load dies here
    assert schema() == []
    alive = connections.create_connection("default")  # a load still running holds the folder lock
    try:
        with alive.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [_FOLDER_LOCK])
        assert indexes_restore_abandoned() is False and schema() == []
    finally:
        alive.close()
    persons_import(actor=None, year=2019, path=_csv(tmp_path, GOOD), publish=False)  # the next import, on the web or the CLI
    assert schema() == before
    with connection.cursor() as cursor:
        cursor.execute("SELECT obj_description('literacy_surveyperson'::regclass, 'pg_class')")
        assert cursor.fetchone()[0] is None
    assert indexes_restore_abandoned() is False


def _person_keys_and_indexes() -> list[tuple[str, str]]:
    """PostgreSQL: the person table's key, unique and foreign-key constraints and its indexes (name, definition)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'literacy_surveyperson'::regclass "
                       "AND contype IN ('p', 'u', 'f') "
                       "UNION ALL SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'literacy_surveyperson' ORDER BY 1")
        return list(cursor.fetchall())
