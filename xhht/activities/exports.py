"""Excel export of a register: the records (importable as they are) and the yearly summary."""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xhht.activities.definitions import Window, catalogue
from xhht.activities.registers import DATA_SHEET, Column, RegisterSpec, record_to_row
from xhht.activities.summaries import SummaryTable
from xhht.core.formatting import format_percent
from xhht.core.xlsx import formulas_as_text


def _cell(value: Any) -> Any:
    if isinstance(value, Fraction):
        return format_percent(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    return value


GUIDANCE_SHEET = "Hướng dẫn"
TEMPLATE_ROWS = 1000  # data-sheet rows that get a drop-down on closed-list columns

_OWNER_WORDS = {"centre": "trung tâm", "unit": "đơn vị", "organisation": "cơ quan"}


def value_required(column: Column) -> bool:
    """Whether a row must give this column a value (optional counts, flags and optional text may stay empty)."""
    return column.required and column.kind not in {"count_optional", "flag"}


def column_format(column: Column, window: Window) -> str:
    """How a value of ``column`` is written, in the words of the import's own rules (xhht/activities/parsing.py)."""
    span = f"{window.first_year}–{window.last_year}"
    kind = column.kind
    if kind == "unit":
        text = "Mã đơn vị (mã đơn vị hành chính trong hệ thống)"
        return f"{text}: {column.help}." if column.help else f"{text}."
    if kind == "organisation":
        return "Tên cơ quan, tổ chức đã có trong hệ thống, thuộc đơn vị ở cột mã (hoặc tên viết tắt)."
    if kind == "text":
        return f"Chữ, tối đa {column.max_length} ký tự." if column.max_length else "Chữ."
    if kind in {"count", "count_optional"}:
        text = "Số nguyên không âm, ghi liền không dấu chấm (ví dụ 1050)"
        return text + (", để trống nếu không có số liệu." if kind == "count_optional" else ".")
    if kind == "money":
        return "Số tiền tính bằng đồng, số nguyên (ví dụ 25000000 hoặc 25.000.000), không có phần lẻ."
    if kind == "school_year":
        return f"Năm học, dạng 2021-2022 (hai năm liền nhau), trong khoảng {span}."
    if kind == "year":
        return f"Năm, 4 chữ số (ví dụ 2021), trong khoảng {span}."
    if kind == "year_or_phase":
        return f"Năm (ví dụ 2021) hoặc giai đoạn hơn hai năm (ví dụ 2016-2020), trong khoảng {span}."
    if kind == "choice":
        return "Một giá trị trong danh sách bên phải (chọn ở ô của trang «Dữ liệu»); chữ không dấu cũng được nhận."
    if kind == "flag":
        return "Ghi 1 nếu có, để trống nếu không."
    raise AssertionError(kind)  # pragma: no cover - a programming error


def _example_year(window: Window, *, span: int = 0) -> int:
    return max(window.first_year, min(window.last_year - span, 2021))


def column_example(column: Column, window: Window, *, unit_code: str = "") -> Any:
    """A value the import accepts for ``column`` (the unit and organisation must exist for the row to be taken;
    without ``unit_code`` the unit column shows what to write instead)."""
    kind = column.kind
    if kind == "unit":
        return unit_code or f"({column.help})"
    if kind == "choice":
        return catalogue().choices(column.vocabulary)[0][1]
    if kind == "count":
        return 25
    if kind == "count_optional":
        return 2
    if kind == "money":
        return 25_000_000
    if kind == "school_year":
        year = _example_year(window, span=1)
        return f"{year}-{year + 1}"
    if kind in {"year", "year_or_phase"}:
        return str(_example_year(window))
    if kind == "flag":
        return 1
    return column.example or None


def _bold(row: Any) -> None:
    for cell in row:
        cell.font = Font(bold=True)


def _guidance_sheet(workbook: Workbook, *, spec: RegisterSpec, unit_code: str) -> dict[str, str]:
    """The "Hướng dẫn" sheet: each column's rules and allowed values, one example row, and the lists the
    data sheet's drop-downs read. Returns {column name: the list's range} for the closed-list columns."""
    cat = catalogue()
    window = cat.windows[spec.window]
    out = workbook.create_sheet(GUIDANCE_SHEET)
    wrap = Alignment(wrap_text=True, vertical="top")
    out.append([f"Hướng dẫn điền tệp mẫu: {spec.title}"])
    out["A1"].font = Font(bold=True, size=13)
    out.append([f"Ghi mỗi bản ghi trên một dòng của trang «{DATA_SHEET}», từ dòng 2, dưới dòng tiêu đề; không đổi tên, không xóa cột. "
                f"Trang «{GUIDANCE_SHEET}» này không được nhập."])
    scope = " và ".join(_OWNER_WORDS.get(f, spec.column(f).label.lower() if f in spec.column_names else f) for f in spec.scope)
    out.append([f"Khi nhập, các bản ghi đã có của mỗi {scope} có trong tệp được thay bằng các dòng của tệp; "
                "nếu tệp có lỗi thì không dòng nào được ghi và XHHT cho biết dòng, cột bị lỗi."])
    out.append([])
    out.append(["Cột", "Bắt buộc", "Kiểu, cách ghi", "Giá trị được nhận"])
    _bold(out[out.max_row])
    for column in spec.columns:
        allowed = "\n".join(label for _, label in cat.choices(column.vocabulary)) if column.kind == "choice" else None
        out.append([column.label, "Có" if value_required(column) else "Không", column_format(column, window), allowed])
        for cell in out[out.max_row]:
            cell.alignment = wrap
    out.append([])
    out.append([f"Ví dụ một dòng (có thể chép sang trang «{DATA_SHEET}» rồi sửa lại cho đúng đơn vị của mình):"])
    out.cell(out.max_row, 1).font = Font(bold=True)
    out.append([c.label for c in spec.columns])
    _bold(out[out.max_row])
    out.append([column_example(c, window, unit_code=unit_code) for c in spec.columns])
    for index, column in enumerate(spec.columns, start=1):
        if column.kind == "money":
            out.cell(out.max_row, index).number_format = "#,##0"
    lists: dict[str, str] = {}
    closed = [c for c in spec.columns if c.kind == "choice"]
    if closed:
        out.append([])
        out.append([f"Danh sách giá trị của các ô chọn ở trang «{DATA_SHEET}»:"])
        out.cell(out.max_row, 1).font = Font(bold=True)
        top = out.max_row + 1
        for index, column in enumerate(closed, start=1):
            out.cell(top, index, column.label).font = Font(bold=True)
            labels = [label for _, label in cat.choices(column.vocabulary)]
            for offset, label in enumerate(labels, start=1):
                out.cell(top + offset, index, label)
            letter = get_column_letter(index)
            lists[column.name] = f"{quote_sheetname(GUIDANCE_SHEET)}!${letter}${top + 1}:${letter}${top + len(labels)}"
    for letter, width in zip("ABCD", (34, 26, 60, 40), strict=True):
        out.column_dimensions[letter].width = width
    return lists


def _dropdowns(sheet: Worksheet, *, spec: RegisterSpec, lists: dict[str, str]) -> None:
    """A drop-down of the allowed values on each closed-list column of the data sheet (a warning, not a stop:
    the import also takes codes and labels without diacritics)."""
    for index, column in enumerate(spec.columns, start=1):
        if column.name not in lists:
            continue
        validation = DataValidation(type="list", formula1=lists[column.name], allow_blank=True, showErrorMessage=True, errorStyle="warning",
                                    errorTitle="Giá trị không có trong danh sách",
                                    error=f"{column.label}: chọn một giá trị trong danh sách (xem trang «{GUIDANCE_SHEET}»).")
        letter = get_column_letter(index)
        validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
        sheet.add_data_validation(validation)


def register_workbook(*, spec: RegisterSpec, records: Iterable[Any], summary: SummaryTable | None,
                      guidance: bool = False, unit_code: str = "") -> bytes:
    """The register's workbook: the data sheet (importable as it is), with ``summary`` a "Tổng hợp" sheet, and with
    ``guidance`` (the empty template) a "Hướng dẫn" sheet and drop-downs; ``unit_code`` goes in its example row."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = DATA_SHEET
    sheet.append([c.label for c in spec.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    money_columns = [i + 1 for i, c in enumerate(spec.columns) if c.kind == "money"]
    for record in records:
        row = record_to_row(spec, record)
        sheet.append([_cell(row[c.name]) for c in spec.columns])
    for index in money_columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = "#,##0"
    for index, column in enumerate(spec.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(50, len(column.label) + 4))
    if guidance:
        _dropdowns(sheet, spec=spec, lists=_guidance_sheet(workbook, spec=spec, unit_code=unit_code))
    if summary is not None:
        out = workbook.create_sheet("Tổng hợp")
        out.append([summary.title])
        out["A1"].font = Font(bold=True)
        out.append([c.label for c in summary.columns])
        for cell in out[2]:
            cell.font = Font(bold=True)
        for values in summary.rows:
            out.append([_cell(v) for v in values])
        if summary.total is not None:
            out.append([_cell(v) for v in summary.total])
            for cell in out[out.max_row]:
                cell.font = Font(bold=True)
        if summary.note:
            out.append([])
            out.append([summary.note])
        for index in range(1, len(summary.columns) + 1):
            out.column_dimensions[get_column_letter(index)].width = 18
    buffer = io.BytesIO()
    formulas_as_text(workbook).save(buffer)
    return buffer.getvalue()


def learner_workbook(*, columns: Any, learners: list[Any]) -> bytes:
    """A class's learner list, importable as it is (flags as 1 / empty, sex as Nam / Nữ)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Học viên"
    sheet.append([c.label for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for person in learners:
        row = []
        for c in columns:
            value = getattr(person, c.name)
            if isinstance(value, bool):
                value = 1 if value else None
            elif c.name == "sex":
                value = {"M": "Nam", "F": "Nữ"}.get(value) or None
            row.append(value if value != "" else None)
        sheet.append(row)
    sheet.column_dimensions["A"].width = 30
    buffer = io.BytesIO()
    formulas_as_text(workbook).save(buffer)
    return buffer.getvalue()
