"""The .xlsx appendix: the indicator app's workbook when it has landed, else built from the rendering."""

from __future__ import annotations

import functools
from copy import copy
from decimal import Decimal
from fractions import Fraction
from io import BytesIO
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from xhht.official_reports.placeholders import Run
from xhht.official_reports.providers import capability
from xhht.official_reports.render import RenderedReport, RenderedTable
from xhht.indicators.labels import disaggregation_label, element_label, moment_label, rule_label

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FONT = "Times New Roman"


def _cell_value(runs: list[Run]) -> tuple[object, str | None]:
    """A lone figure becomes a number (exact Decimal; rates as a share with a % format); the rest text."""
    figures = [r for r in runs if r.figure is not None]
    if len(runs) == 1 and len(figures) == 1 and figures[0].figure is not None:
        fig = figures[0].figure
        if isinstance(fig.value, Fraction):
            if fig.source.startswith("rate:"):
                return (Decimal(fig.value.numerator) / Decimal(fig.value.denominator) / 100).quantize(Decimal("0.000001")), "0.00%"
            return "".join(r.text for r in runs), None
        if isinstance(fig.value, (int, Decimal)):
            value = Decimal(fig.value)
            if value == value.to_integral_value():
                return int(value), "#,##0"
            return value, "#,##0.00"
    return "".join(r.text for r in runs), None


def _table(ws: Worksheet, table: RenderedTable, start_row: int) -> int:
    row = start_row
    if table.title:
        ws.cell(row=row, column=1, value="".join(r.text for r in table.title)).font = Font(name=FONT, bold=True)
        row += 1
    for header in table.header_rows:
        for col, runs in enumerate(header, 1):
            c = ws.cell(row=row, column=col, value="".join(r.text for r in runs))
            c.font = Font(name=FONT, bold=True)
            c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            c.border = BOX
        row += 1
    total_from = len(table.rows) - table.total_rows
    for i, body in enumerate(table.rows):
        for col, runs in enumerate(body, 1):
            value, number_format = _cell_value(runs)
            c = ws.cell(row=row, column=col, value=value)
            c.font = Font(name=FONT, bold=i >= total_from)
            c.border = BOX
            c.alignment = Alignment(wrap_text=True, vertical="top")
            if number_format:
                c.number_format = number_format
        row += 1
    return row + 1


def _widths(ws: Worksheet) -> None:
    for col in range(1, ws.max_column + 1):
        longest = max((len(str(c.value)) for c in ws[get_column_letter(col)] if c.value is not None), default=8)
        ws.column_dimensions[get_column_letter(col)].width = min(max(8, longest + 2), 60)


def _indicator_workbook(rendered: RenderedReport) -> Workbook | None:
    """The appendix workbook of xhht.indicators (sheet «Phụ lục» in the seed's layout, «Đánh giá mục
    tiêu»), when that app has landed and the report's appendix came from it."""
    foreign = capability("xhht.indicators.selectors", "appendix_xlsx")
    if not callable(foreign) or rendered.appendix_source != "indicators":
        return None
    data = foreign(unit=rendered.report.unit, period=rendered.report.period)
    return load_workbook(BytesIO(data if isinstance(data, bytes) else Path(str(data)).read_bytes()))


def write_xlsx(rendered: RenderedReport, path: Path) -> Path:
    """The appendix (the indicator app's table when it applies, else built from the rendering), then
    «Bảng số liệu» (every table of the sections) and «Nguồn số liệu» (every data value used).

    The file is written in openpyxl's write-only (streaming) mode: the small sheets (appendix, tables) are laid
    out in an ordinary workbook and copied over cell by cell with their styles, merges, widths and frozen panes;
    «Nguồn số liệu» (one row per value used: tens of thousands for a province) is streamed row by row."""
    report = rendered.report
    laid_out = _indicator_workbook(rendered)
    if laid_out is None:
        laid_out = Workbook()
        _appendix_sheet(laid_out.active, rendered)
    tables = laid_out.create_sheet("Bảng số liệu")
    _tables_sheet(tables, rendered)
    wb = Workbook(write_only=True)
    for ws in laid_out.worksheets:
        _copy_sheet(ws, wb.create_sheet(ws.title))
    _sources_sheet(wb.create_sheet("Nguồn số liệu"), rendered)
    wb.properties.title = f"Phụ lục báo cáo {report.number}"
    wb.save(str(path))
    return path


def _copy_sheet(src: Worksheet, dst: Any) -> None:
    """Copy ``src`` (an ordinary sheet) into the write-only sheet ``dst``: values (formulas kept as text), styles,
    merged ranges, column widths, row heights and frozen panes."""
    for key, dim in src.column_dimensions.items():
        if dim.width:
            dst.column_dimensions[key].width = dim.width
    for idx, rdim in src.row_dimensions.items():
        if rdim.height:
            dst.row_dimensions[idx].height = rdim.height
    if src.freeze_panes:
        dst.freeze_panes = src.freeze_panes
    for merged in src.merged_cells.ranges:
        dst.merged_cells.add(str(merged))
    # Setting a style on a cell costs a lookup in the workbook's style tables: done once per distinct style of the
    # source, whose resulting style indices (valid in ``dst``'s workbook) the other cells of that style reuse.
    styles: dict[tuple[int, ...], Any] = {}
    for row in src.iter_rows():
        out = []
        for cell in row:
            c = WriteOnlyCell(dst, value=cell.value)
            if cell.data_type == "f":  # user text never becomes a formula (see xhht.core.xlsx)
                c.data_type = "s"
            if cell.has_style:
                key = tuple(cell._style)
                if key in styles:
                    c._style = copy(styles[key])
                else:
                    c.font, c.border, c.alignment, c.fill = copy(cell.font), copy(cell.border), copy(cell.alignment), copy(cell.fill)
                    c.number_format, c.protection = cell.number_format, copy(cell.protection)
                    styles[key] = copy(c._style)
            out.append(c)
        dst.append(out)


def _appendix_sheet(ws: Worksheet, rendered: RenderedReport) -> None:
    ws.title = "Phụ lục"
    report = rendered.report
    ws.cell(row=1, column=1, value=rendered.appendix_title).font = Font(name=FONT, bold=True, size=14)
    ws.cell(row=2, column=1, value="".join(r.text for r in rendered.appendix_subtitle)).font = Font(name=FONT, bold=True)
    ws.cell(row=3, column=1, value=f"Kèm theo Báo cáo số {report.number} ngày {report.report_date:%d/%m/%Y} – {report.unit.full_name}, {rendered.period.label}")
    row = 5
    for notice in rendered.appendix_notices:
        ws.cell(row=row, column=1, value=notice).font = Font(name=FONT, italic=True)
        row += 1
    for table in rendered.appendix_tables:
        row = _table(ws, table, row)
    ws.freeze_panes = "C6" if ws.max_row > 6 else None
    _widths(ws)


def _tables_sheet(tables: Worksheet, rendered: RenderedReport) -> None:
    row = 1
    for section in rendered.sections:
        for table in section.tables:
            tables.cell(row=row, column=1, value=f"{section.number} {''.join(r.text for r in section.heading)}").font = Font(name=FONT, bold=True)
            row = _table(tables, table, row + 1)
    _widths(tables)


SOURCE_HEADER = ["Phần tử dữ liệu", "Mã đơn vị", "Đơn vị", "Kỳ", "Phân tổ", "Giá trị", "Nguồn", "Quy tắc, tệp nguồn", "Người cập nhật", "Thời điểm"]


def _sources_sheet(sources: Any, rendered: RenderedReport) -> None:
    """«Nguồn số liệu», streamed: one row per value used; the column widths (which a write-only sheet takes before
    its first row) measured on the rows first."""
    # A province's tens of thousands of values share a few dozen elements, keys, rules and moments: each label once.
    element_text, key_text, rule_text, moment_text = (functools.lru_cache(maxsize=None)(f) for f in (element_label, disaggregation_label, rule_label, moment_label))
    lines = [[element_text(v["element"]), v["unit_code"], v["unit_name"], v["period"], key_text(v["disaggregation"]),
              Decimal(v["value"]), v["source_label"], rule_text(v["rule"]), v["updated_by"], moment_text(v["updated_at"])]
             for v in sorted(rendered.values_used.values(), key=lambda v: (v["element"], v["unit_code"], v["period"], v["disaggregation"]))]
    longest = [len(h) for h in SOURCE_HEADER]
    for line in lines:
        longest = [max(n, len(str(x)) if x is not None else 0) for n, x in zip(longest, line, strict=True)]
    for col, n in enumerate(longest, 1):
        sources.column_dimensions[get_column_letter(col)].width = min(max(8, n + 2), 60)
    bold = Font(name=FONT, bold=True)
    header = []
    for text in SOURCE_HEADER:
        cell = WriteOnlyCell(sources, value=text)
        cell.font = bold
        header.append(cell)
    sources.append(header)
    for line in lines:
        sources.append([_text_cell(sources, x) if isinstance(x, str) and x.startswith("=") else x for x in line])


def _text_cell(ws: Any, text: str) -> WriteOnlyCell:
    """A cell holding ``text`` as text even when it starts with "=" (never a formula: see xhht.core.xlsx)."""
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"
    return cell
