"""Hostile files are refused by the shared reader with a Vietnamese message, before any parsing."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from xhht.core.tabular import Rejected, open_table


def read(path: Path, **kw: object) -> list[dict[str, str | None]]:
    table = open_table(path, columns=["a", "b"], required=["a"], **kw)  # type: ignore[arg-type]
    return [row for _, row in table.rows]


def test_reads_csv_with_bom_and_xlsx_numbers(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text("\ufeffa,b\n1, x \n", encoding="utf-8")
    assert read(tmp_path / "x.csv") == [{"a": "1", "b": "x"}]
    book = Workbook()
    book.active.append(["a", "b"])
    book.active.append([3.0, None])
    book.save(tmp_path / "x.xlsx")
    assert read(tmp_path / "x.xlsx") == [{"a": "3", "b": None}]


def problem(path: Path, **kw: object) -> str:
    with pytest.raises(Rejected) as raised:
        read(path, **kw)
    return str(raised.value)


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_bytes(b"")
    assert "tệp rỗng" in problem(tmp_path / "e.csv")


def test_too_big(tmp_path: Path) -> None:
    (tmp_path / "big.csv").write_text("a,b\n" + "1,2\n" * 1000)
    assert "quá lớn" in problem(tmp_path / "big.csv", max_bytes=1024)


def test_not_a_spreadsheet(tmp_path: Path) -> None:
    (tmp_path / "p.pdf").write_bytes(b"%PDF-1.4 ...")
    assert "không phải CSV hay Excel" in problem(tmp_path / "p.pdf")
    (tmp_path / "fake.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    assert "không phải bảng tính Excel" in problem(tmp_path / "fake.xlsx")


def test_legacy_or_macro_workbooks(tmp_path: Path) -> None:
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    assert ".xls" in problem(tmp_path / "old.xls")
    book = Workbook()
    book.active.append(["a"])
    book.save(tmp_path / "m.xlsx")
    with zipfile.ZipFile(tmp_path / "m.xlsx", "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"macro")
    assert "macro" in problem(tmp_path / "m.xlsx")


def test_zip_bomb(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    assert "zip bomb" in problem(tmp_path / "bomb.xlsx")


def test_formula_cell(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["a", "b"])
    book.active.append(["=1+1", 2])
    book.save(tmp_path / "f.xlsx")
    message = problem(tmp_path / "f.xlsx")
    assert "công thức" in message and "dòng 2" in message and "cột A" in message


def test_bad_encoding(tmp_path: Path) -> None:
    (tmp_path / "w.csv").write_bytes("a,b\nNguyễn,1\n".encode("cp1258", errors="replace").replace(b"?", b"\xe9\xff"))
    assert "UTF-8" in problem(tmp_path / "w.csv")


def test_values_outside_headed_columns(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text("a,b\n1,2,3\n", encoding="utf-8")
    assert "ngoài các cột" in problem(tmp_path / "x.csv")
