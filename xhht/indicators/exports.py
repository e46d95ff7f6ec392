"""The appendix rendered: .xlsx in the seed's layout, CSV, JSON and a plain text table.

The .xlsx sheet "Phụ lục" follows the PHỤ LỤC of Báo cáo 298/BC-UBND: title rows, a merged two-row
header (TT | CHỈ TIÊU | MỤC TIÊU | THỰC HIỆN TỪNG NĂM with a count and a rate column per year |
THỰC HIỆN GIAI ĐOẠN | DỰ KIẾN … | Ghi chú), a row per group (with its own figures where the
programme gives the group a headline indicator), then a row per indicator. Counts are integers
shown "#,##0", rates numbers rounded half up to two places shown "#,##0.00" (Excel shows them with
the reader's separators: 98,75 in a Vietnamese locale). An empty value is an empty cell, never 0.
A second sheet "Đánh giá mục tiêu" gives, per indicator, the target, its source and đạt / vượt /
chưa đạt per year and for the phase; a projection proposed from the trend is in italics and
explained in the notes.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from xhht.core.formatting import format_number
from xhht.indicators.selectors import TREND_METHOD, Appendix, AppendixRow, Cell
from xhht.core.xlsx import formulas_as_text

HEADER_ROW = 5  # first of the two header rows
FIRST_DATA_ROW = HEADER_ROW + 2
RATE_FORMAT = "#,##0.00"
COUNT_FORMAT = "#,##0"


def rounded(value: Decimal | Fraction | None, places: int = 2) -> Decimal | None:
    """Exact value → Decimal rounded half up (for display and export only)."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def count_value(value: Decimal | None) -> int | Decimal | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value


def target_value(row: AppendixRow) -> Decimal | int | None:
    if row.target is None or row.target.value is None:
        return None
    return count_value(row.target.value)


def columns(appendix: Appendix) -> list[str]:
    """Flat column names (CSV, the text table)."""
    out = ["TT", "Chỉ tiêu", appendix.target_label]
    for y in appendix.years:
        out += [f"{y} số lượng", f"{y} tỷ lệ %"]
    out.append(appendix.phase_label)
    out += appendix.projection_labels
    out.append("Ghi chú")
    return out


def flat_rows(appendix: Appendix, *, plain: bool = False) -> list[list[str]]:
    """One list of strings per row; empty where there is no value.

    Vietnamese display format ("8.182", "98,75") by default; ``plain`` gives machine numbers
    ("8182", "98.75") for CSV.
    """

    def num(value: Decimal | int | None) -> str:
        if plain:
            return "" if value is None else str(value)
        return format_number(value, _places(value))

    def rate(value: Decimal | Fraction | None) -> str:
        if plain:
            r = rounded(value)
            return "" if r is None else str(r)
        return _rate_text(value)

    out = []
    for row in appendix.rows:
        line = [row.tt, row.name, num(target_value(row))]
        for cell in row.cells or [Cell() for _ in appendix.years]:
            line += [num(count_value(cell.count)), rate(cell.rate)]
        line.append(rate(row.phase.rate if row.phase else None) if row.indicator and row.indicator.kind == "rate"
                    else num(count_value(row.phase.count) if row.phase else None))
        for p in row.projections or [None] * len(appendix.projection_labels):  # type: ignore[list-item]
            line.append("" if p is None or p.value is None else rate(p.value) + (" (đề xuất)" if p.is_proposed else ""))
        line.append(row.note)
        out.append(line)
    return out


def _places(value: Decimal | int | None) -> int:
    if value is None or isinstance(value, int):
        return 0
    return 0 if value == value.to_integral_value() else 2


def _rate_text(value: Decimal | Fraction | None) -> str:
    r = rounded(value)
    if r is None:
        return ""
    return format_number(r, 0 if r == r.to_integral_value() else 2)


def appendix_csv(appendix: Appendix) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(columns(appendix))
    writer.writerows(flat_rows(appendix, plain=True))
    return buf.getvalue()


def appendix_text(appendix: Appendix) -> str:
    """A plain text table for the terminal."""
    header = ["TT", "Chỉ tiêu", "Mục tiêu"] + [str(y) for y in appendix.years] + [f"GĐ {appendix.phase_code}"] + \
        [f"DK {p}" for p in appendix.programme.projection_phases]
    rows = []
    for flat, row in zip(flat_rows(appendix), appendix.rows, strict=True):
        name = row.name if len(row.name) <= 44 else row.name[:43] + "…"
        years = []
        for i in range(len(appendix.years)):
            count, rate = flat[3 + 2 * i], flat[4 + 2 * i]
            years.append(f"{count} ({rate}%)" if count and rate else (count or (f"{rate}%" if rate else "")))
        rest = flat[3 + 2 * len(appendix.years):-1]
        rows.append([row.tt, name, flat[2], *years, *rest])
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = [f"{appendix.programme.title} — {appendix.unit.title_name}"]
    if appendix.lineage_note:
        lines.append(appendix.lineage_note)
    lines.append("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        lines.append("  ".join((c.ljust(w) if i < 2 else c.rjust(w)) for i, (c, w) in enumerate(zip(r, widths, strict=True))))
    return "\n".join(lines) + "\n"


def _num(value: Decimal | Fraction | None) -> str | None:
    r = rounded(value)
    return None if r is None else str(r)


def appendix_data(appendix: Appendix) -> dict[str, Any]:
    """Structured, JSON-ready: exact values as strings ("98.75"), empty as null."""

    def cell(c: Cell | None) -> dict[str, Any] | None:
        if c is None:
            return None
        return {"count": None if c.count is None else str(count_value(c.count)), "numerator": None if c.numerator is None else str(count_value(c.numerator)),
                "denominator": None if c.denominator is None else str(count_value(c.denominator)), "rate": _num(c.rate),
                "rate_source": c.rate_source, "status": c.status}

    return {
        "programme": appendix.programme.id, "unit": appendix.unit.code, "unit_name": appendix.unit.full_name, "years": appendix.years,
        "rows": [
            {"kind": r.kind, "tt": r.tt, "code": r.indicator.code if r.indicator else r.tt, "name": r.name,
             "target": None if r.target is None or r.target.value is None else str(count_value(r.target.value)),
             "target_source": r.target.source.label if r.target else None,
             "years": {str(y): cell(c) for y, c in zip(appendix.years, r.cells, strict=True)} if r.cells else {},
             "phase": cell(r.phase),
             "projections": {p.phase: {"value": _num(p.value), "how": p.how} for p in r.projections},
             "note": r.note}
            for r in appendix.rows
        ],
    }


def appendix_json(appendix: Appendix) -> str:
    return json.dumps(appendix_data(appendix), ensure_ascii=False, indent=2)


def appendix_xlsx(appendix: Appendix) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    n_years = len(appendix.years)
    n_proj = len(appendix.programme.projection_phases)
    last_col = 3 + 2 * n_years + 1 + n_proj + 1
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(name="Times New Roman", bold=True, size=11)
    normal = Font(name="Times New Roman", size=11)
    italic = Font(name="Times New Roman", italic=True, size=11)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)

    ws.cell(1, 1, "PHỤ LỤC").font = Font(name="Times New Roman", bold=True, size=13)
    ws.cell(2, 1, appendix.programme.title).font = Font(name="Times New Roman", bold=True, size=12)
    ws.cell(3, 1, f"(Đơn vị: {appendix.unit.title_name})").font = italic
    for r in (1, 2, 3):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=last_col)
        ws.cell(r, 1).alignment = centre

    h1, h2 = HEADER_ROW, HEADER_ROW + 1
    col_phase = 4 + 2 * n_years
    vertical = [(1, "TT"), (2, "CHỈ TIÊU"), (3, appendix.target_label), (col_phase, appendix.phase_label)]
    vertical += [(col_phase + 1 + i, label) for i, label in enumerate(appendix.projection_labels)]
    vertical.append((last_col, "Ghi chú"))
    for col, label in vertical:
        ws.cell(h1, col, label)
        ws.merge_cells(start_row=h1, start_column=col, end_row=h2, end_column=col)
    ws.cell(h1, 4, "THỰC HIỆN TỪNG NĂM (số lượng và tỷ lệ %)")
    if n_years:
        ws.merge_cells(start_row=h1, start_column=4, end_row=h1, end_column=3 + 2 * n_years)
    for i, y in enumerate(appendix.years):
        ws.cell(h2, 4 + 2 * i, y)
        ws.merge_cells(start_row=h2, start_column=4 + 2 * i, end_row=h2, end_column=5 + 2 * i)
    for r in (h1, h2):
        for c in range(1, last_col + 1):
            cell = ws.cell(r, c)
            cell.font, cell.alignment, cell.border = bold, centre, border

    group_fill = PatternFill("solid", fgColor="EDEDED")
    r = FIRST_DATA_ROW
    for row in appendix.rows:
        is_group = row.kind == "group"
        ws.cell(r, 1, row.tt)
        ws.cell(r, 2, row.name)
        tv = target_value(row)
        if tv is not None:
            ws.cell(r, 3, tv).number_format = COUNT_FORMAT if isinstance(tv, int) else RATE_FORMAT
        for i, year_cell in enumerate(row.cells):
            if year_cell.count is not None:
                ws.cell(r, 4 + 2 * i, count_value(year_cell.count)).number_format = COUNT_FORMAT
            if year_cell.rate is not None:
                ws.cell(r, 5 + 2 * i, rounded(year_cell.rate)).number_format = RATE_FORMAT
        if row.phase is not None:
            pv = row.phase.rate if row.indicator and row.indicator.kind == "rate" else row.phase.count
            if pv is not None:
                ws.cell(r, col_phase, rounded(pv)).number_format = RATE_FORMAT
        for i, p in enumerate(row.projections):
            if p.value is not None:
                cell = ws.cell(r, col_phase + 1 + i, rounded(p.value))
                cell.number_format = RATE_FORMAT
                if p.is_proposed:
                    cell.font = italic
        if row.note:
            ws.cell(r, last_col, row.note)
        for c in range(1, last_col + 1):
            cell = ws.cell(r, c)
            cell.border = border
            if cell.font != italic:
                cell.font = bold if is_group else normal
            cell.alignment = left if c == 2 or c == last_col else centre
            if is_group:
                cell.fill = group_fill
        r += 1
    if any(p.is_proposed for row in appendix.rows for p in row.projections):
        ws.cell(r + 1, 1, "Ghi chú: số in nghiêng ở cột dự kiến là đề xuất của hệ thống. " + TREND_METHOD).font = italic
        ws.merge_cells(start_row=r + 1, start_column=1, end_row=r + 1, end_column=last_col)
    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 48
    ws.column_dimensions["C"].width = 12
    for c in range(4, last_col + 1):
        ws.column_dimensions[get_column_letter(c)].width = 9 if c < col_phase else 13
    ws.column_dimensions[get_column_letter(last_col)].width = 20
    ws.row_dimensions[h1].height = 60
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 3)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1

    ev = wb.create_sheet("Đánh giá mục tiêu")
    head = ["Mã", "Chỉ tiêu", "Mục tiêu", "Nguồn mục tiêu", "So sánh"] + [str(y) for y in appendix.years] + [f"Giai đoạn {appendix.phase_code}"]
    ev.append(head)
    for c in range(1, len(head) + 1):
        ev.cell(1, c).font = bold
    for row in appendix.indicator_rows():
        ind = row.indicator
        assert ind is not None
        src = ""
        if row.target is not None:
            src = row.target.source.label + (f" ({row.target.note})" if row.target.note else "")
        ev.append([ind.code, ind.name, target_value(row), src, "≥" if ind.comparison == ">=" else "≤"]
                  + [c.status_label for c in row.cells] + [row.phase.status_label if row.phase else ""])
    ev.column_dimensions["B"].width = 48
    ev.column_dimensions["D"].width = 50

    buf = io.BytesIO()
    formulas_as_text(wb).save(buf)
    return buf.getvalue()
