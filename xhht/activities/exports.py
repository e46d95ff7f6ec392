"""Excel export of a register: the records (importable as they are) and the yearly summary."""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from xhht.activities.registers import RegisterSpec, record_to_row
from xhht.activities.summaries import SummaryTable
from xhht.core.formatting import format_percent
from xhht.core.xlsx import formulas_as_text


def _cell(value: Any) -> Any:
    if isinstance(value, Fraction):
        return format_percent(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    return value


def register_workbook(*, spec: RegisterSpec, records: Iterable[Any], summary: SummaryTable | None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Dữ liệu"
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
