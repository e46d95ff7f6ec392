"""The results as a table for the terminal and as an .xlsx workbook."""

from __future__ import annotations

from pathlib import Path

from xhht.core.formatting import format_rate
from xhht.literacy.models import Recognition
from xhht.literacy.selectors import PART_LABELS, UnitResult, pcgd_rows
from xhht.core.xlsx import formulas_as_text

STANDARD_LABELS = {r.value: r.label for r in Recognition}


def results_table(result: UnitResult, year: int) -> str:
    lines = [f"{result.name} ({result.code}) – năm {year}", ""]
    head = f"{'Độ tuổi':<8}{'Số người':>10}{'Mức 1':>10}{'Tỷ lệ':>10}{'Mức 2':>10}{'Tỷ lệ':>10}"
    lines.append(head)
    for band, counts in result.bands.items():
        t = counts.total
        lines.append(f"{band:<8}{t['population']:>10}{t['level1']:>10}{format_rate(t['level1'], t['population']):>10}"
                     f"{t['level2']:>10}{format_rate(t['level2'], t['population']):>10}")
    lines.append("")
    for key, label in STANDARD_LABELS.items():
        lines.append(f"{label}: mức độ {result.standards[key]}")
    if result.children:
        lines.append("")
        lines.append(f"{'Mã':<7}{'Đơn vị':<26}{'15-60':>8}{'Mức 2':>8}{'Tỷ lệ':>9}  XMC TH THCS")
        for c in result.children:
            t = c.bands["15-60"].total
            lines.append(f"{c.code:<7}{c.name[:25]:<26}{t['population']:>8}{t['level2']:>8}{format_rate(t['level2'], t['population']):>9}"
                         f"  {c.standards['literacy']:>3} {c.standards['primary']:>2} {c.standards['lower_secondary']:>4}")
    return "\n".join(lines) + "\n"


def results_workbook(result: UnitResult, year: int, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Kết quả"
    sheet.append([f"Kết quả xóa mù chữ, phổ cập giáo dục – {result.name} ({result.code}) – năm {year}"])
    sheet["A1"].font = Font(bold=True)
    sheet.append([])
    sheet.append(["Độ tuổi", "Nhóm", "Số người", "Biết chữ mức 1", "Tỷ lệ mức 1", "Biết chữ mức 2", "Tỷ lệ mức 2"])
    for band, counts in result.bands.items():
        rows = [("Tổng", counts.total)] + [(PART_LABELS[k], v) for k, v in counts.parts.items()]
        for label, part in rows:
            sheet.append([band, label, part["population"], part["level1"], format_rate(part["level1"], part["population"]),
                          part["level2"], format_rate(part["level2"], part["population"])])
    sheet.append([])
    sheet.append(["Chỉ số phổ cập giáo dục", "", "Số người", "Trong số", "Tỷ lệ"])
    for label, n, d in pcgd_rows(result):
        sheet.append([label, "", n, d, format_rate(n, d)])
    sheet.append([])
    sheet.append(["Chuẩn", "Mức độ đạt"])
    for key, label in STANDARD_LABELS.items():
        sheet.append([label, result.standards[key]])
    if result.children:
        children = book.create_sheet("Đơn vị trực thuộc")
        children.append(["Mã", "Đơn vị", "Độ tuổi", "Số người", "Biết chữ mức 1", "Biết chữ mức 2", "XMC", "PCGD TH", "PCGD THCS"])
        for c in result.children:
            for band, counts in c.bands.items():
                t = counts.total
                children.append([c.code, c.name, band, t["population"], t["level1"], t["level2"],
                                 c.standards["literacy"], c.standards["primary"], c.standards["lower_secondary"]])
    formulas_as_text(book).save(path)
    return path
