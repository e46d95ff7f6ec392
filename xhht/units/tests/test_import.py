"""``xhht import units``: good files load (twice changes nothing); each bad case refuses the whole file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from xhht.audit.models import AuditEntry
from xhht.core.tabular import Rejected
from xhht.units.models import Unit, UnitVersion
from xhht.units.selectors import unit_children
from xhht.units.services import unit_import

HEADER = "code,name,kind,parent_code,valid_from,valid_to,special_difficulty\n"


def write(tmp_path: Path, body: str, name: str = "units.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def counts() -> tuple[int, int, int]:
    return Unit.objects.count(), UnitVersion.objects.count(), AuditEntry.objects.count()


@pytest.mark.django_db
def test_import_creates_units_and_is_idempotent(tmp_path: Path) -> None:
    path = write(tmp_path, "90,Thử Nghiệm,province,,,,0\n901,Một,district,90,,,0\n90101,Hai,commune,901,2015-01-01,,1\n")
    first = unit_import(actor=None, path=path)
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    commune = Unit.objects.get(code="90101")
    assert commune.special_difficulty and commune.parent_id == "901" and commune.valid_from == date(2015, 1, 1)
    before = counts()
    second = unit_import(actor=None, path=path)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)
    assert counts() == before


@pytest.mark.django_db
def test_reform_is_recorded_as_versions_without_losing_history(tmp_path: Path) -> None:
    """July 2025: the district is abolished and its commune moves straight under the province."""
    path = write(
        tmp_path,
        "90,Thử Nghiệm,province,,,,0\n"
        "901,Một,district,90,,2025-06-30,0\n"
        "90101,Hai,commune,901,,2025-06-30,0\n"
        "90101,Hai,commune,90,2025-07-01,,0\n",
    )
    unit_import(actor=None, path=path)
    district, province = Unit.objects.get(code="901"), Unit.objects.get(code="90")
    assert [u.code for u in unit_children(unit=district, on=date(2020, 1, 1))] == ["90101"]
    assert unit_children(unit=district, on=date(2025, 7, 1)) == []
    assert [u.code for u in unit_children(unit=province, on=date(2025, 7, 1))] == ["90101"]
    assert [u.code for u in unit_children(unit=province, on=date(2020, 1, 1))] == ["901"]
    assert Unit.objects.get(code="90101").versions.count() == 2


@pytest.mark.django_db
def test_xlsx_with_vietnamese_headers_and_semicolon_csv(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Mã đơn vị", "Tên", "Loại", "Mã cấp trên"])
    sheet.append(["91", "Tỉnh Mới", "province", None])
    sheet.append(["911", "Huyện Mới", "district", "91"])
    book.save(tmp_path / "units.xlsx")
    assert unit_import(actor=None, path=tmp_path / "units.xlsx").created == 2
    path = tmp_path / "units2.csv"
    path.write_text("\ufeffcode;name;kind;parent_code\n91101;Xã Mới;commune;911\n", encoding="utf-8")
    assert unit_import(actor=None, path=path).created == 1


BAD_CASES = {
    "missing_parent": ("90,A,province,,,,0\n90101,B,commune,999,,,0\n", "không có đơn vị cấp trên mã «999»", 3, "parent_code"),
    "repeated_code": ("90,A,province,,,,0\n901,B,district,90,,,0\n901,C,district,90,,,0\n", "mã «901» bị lặp", 4, "code"),
    "cycle": ("901,A,district,902,,,0\n902,B,district,901,,,0\n", "vòng", 2, "parent_code"),
    "unknown_kind": ("90,A,province,,,,0\n901,B,hamlet,90,,,0\n", "loại «hamlet» không được biết", 3, "kind"),
    "bad_date": ("90,A,province,,31/12/2020,,0\n", "ngày «31/12/2020» không hợp lệ", 2, "valid_from"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(BAD_CASES))
def test_each_bad_case_refuses_the_whole_file(tmp_path: Path, case: str) -> None:
    body, message, row, column = BAD_CASES[case]
    # A good row first: it must not be written either.
    path = write(tmp_path, "95,Tốt,province,,,,0\n" + body.replace("\n", "\n", 1))
    before = counts()
    with pytest.raises(Rejected) as raised:
        unit_import(actor=None, path=path)
    assert counts() == before
    assert not Unit.objects.filter(code="95").exists()
    texts = [str(p) for p in raised.value.problems]
    match = [p for p in raised.value.problems if message in p.message]
    assert match, texts
    assert match[0].row == row + 1 and match[0].column == column  # +1: the good row added above
    assert "units.csv" in str(match[0]) and f"dòng {row + 1}" in str(match[0])


@pytest.mark.django_db
def test_every_error_is_listed_not_just_the_first(tmp_path: Path) -> None:
    path = write(tmp_path, "90,A,province,,,,0\n901,B,hamlet,90,,,0\n902,C,district,999,,,0\n903,D,district,90,2020-13-01,,2\n")
    with pytest.raises(Rejected) as raised:
        unit_import(actor=None, path=path)
    rows = sorted({p.row for p in raised.value.problems})
    assert rows == [3, 4, 5]
    assert len(raised.value.problems) >= 4  # kind, parent, date, flag


@pytest.mark.django_db
def test_kind_must_fit_the_parent(tmp_path: Path) -> None:
    path = write(tmp_path, "90,A,province,,,,0\n90101,B,commune,90,,,0\n901,C,district,90101,,,0\n")
    with pytest.raises(Rejected) as raised:
        unit_import(actor=None, path=path)
    assert any("không thể trực thuộc" in p.message and p.row == 4 for p in raised.value.problems)


@pytest.mark.django_db
def test_cli_lists_errors_in_vietnamese_and_writes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, "90,A,province,,,,0\n90101,B,commune,999,,,0\n")
    before = counts()
    with pytest.raises(CommandError) as raised:
        call_command("import_units", str(path))
    assert "không ghi dữ liệu nào" in str(raised.value)
    assert "dòng 3, cột parent_code" in str(raised.value)
    assert counts() == before


@pytest.mark.django_db
def test_unknown_and_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_text("code,ten_goi,kind\n90,A,province\n", encoding="utf-8")
    with pytest.raises(Rejected) as raised:
        unit_import(actor=None, path=path)
    messages = " ".join(p.message for p in raised.value.problems)
    assert "cột không được biết: «ten_goi»" in messages and "thiếu cột bắt buộc «name»" in messages


@pytest.mark.django_db
def test_import_is_audited(tmp_path: Path, district_officer: object) -> None:
    unit_import(actor=district_officer, path=write(tmp_path, "96,Nhật Ký,province,,,,0\n"))
    entry = AuditEntry.objects.get(object_type="units.unit", object_id="96")
    assert entry.actor == district_officer and entry.action == "unit_import_create"
    assert entry.changes["name"] == [None, "Nhật Ký"]
