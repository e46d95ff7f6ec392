"""Excel exports of the lists and tables (counts as numbers, rates computed from them)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from xhht.learning_models.models import Evaluation, ModelKind, RecognitionEntry, Registration
from xhht.learning_models.selectors import ClassificationRow, VillageShare
from xhht.units.models import Unit


def _rate(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _header(ws, title: str, columns: Sequence[str]) -> None:  # type: ignore[no-untyped-def]
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append(list(columns))
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def classification_workbook(unit: Unit, table: list[ClassificationRow]) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Xếp loại CĐHT cấp xã"
    codes: list[str] = []
    for row in table:
        for code in row.counts:
            if code not in codes:
                codes.append(code)
    labels = {code: next((r.labels[code] for r in table if code in r.labels), code) for code in codes}
    columns = ["Năm", "Bộ tiêu chí", "Số xã"]
    for code in codes:
        columns += [labels[code], f"Tỷ lệ % {labels[code]}"]
    columns.append("Ghi chú")
    _header(ws, f"Kết quả đánh giá, xếp loại “Cộng đồng học tập” cấp xã — {unit.full_name}", columns)
    for row in table:
        line: list[object] = [row.year, row.rubric.document_number if row.rubric else "", row.communes]
        for code in codes:
            line += [row.counts.get(code), _rate(row.rates.get(code))]
        line.append(row.note)
        ws.append(line)
    ws.column_dimensions["B"].width = 20
    return wb


def recognised_workbook(unit: Unit, kind: str, year: int, entries: list[RecognitionEntry]) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách công nhận"
    _header(ws, f"Danh sách công nhận “{ModelKind(kind).label}” năm {year} — {unit.full_name}",
            ["STT", "Tên", "Thôn, xóm", "Xã", "Kết quả", "Tổng điểm", "Quyết định số", "Ngày ký", "Người ký"])
    for i, entry in enumerate(entries, start=1):
        p = entry.evaluation.registration.participant
        ws.append([i, p.name, p.village, p.commune.full_name, entry.outcome_label, entry.evaluation.total, entry.recognition.number,
                   entry.recognition.decided_on, entry.recognition.signer])
        ws.cell(row=ws.max_row, column=8).number_format = "DD/MM/YYYY"
    ws.append([])
    ws.append(["Tổng số", len(entries)])
    for col, width in zip("ABCDEFGHI", (6, 30, 18, 22, 24, 10, 28, 12, 24), strict=True):
        ws.column_dimensions[col].width = width
    return wb


def registrations_workbook(unit: Unit, year: int, rows: list[tuple[Registration, Evaluation | None]], shares: list[VillageShare],
                           total: VillageShare) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Đăng ký"
    _header(ws, f"Danh sách đăng ký mô hình học tập năm {year} — {unit.full_name}",
            ["STT", "Loại", "Tên", "Thôn, xóm", "Chủ hộ / người đứng đầu", "Ngày đăng ký", "Trạng thái đánh giá"])
    for i, (reg, ev) in enumerate(rows, start=1):
        p = reg.participant
        ws.append([i, p.get_kind_display(), p.name, p.village, p.head_name, reg.registered_on, ev.get_status_display() if ev else "Chưa đánh giá"])
        ws.cell(row=ws.max_row, column=6).number_format = "DD/MM/YYYY"
    for col, width in zip("ABCDEFG", (6, 24, 30, 18, 24, 12, 24), strict=True):
        ws.column_dimensions[col].width = width
    share = wb.create_sheet("Tỷ lệ đăng ký")
    _header(share, f"Tỷ lệ gia đình đăng ký “Gia đình học tập” năm {year} — {unit.full_name}", ["Thôn, xóm", "Gia đình đăng ký", "Số hộ", "Tỷ lệ %"])
    for row in [*shares, total]:
        share.append([row.village, row.registered, row.households, _rate(row.rate)])
    return wb


def registration_template_workbook(commune: Unit, year: int) -> Workbook:
    """The file to fill: the headers the import reads, two example rows, and how to fill it."""
    from openpyxl.worksheet.datavalidation import DataValidation

    from xhht.learning_models.services import REGISTRATION_COLUMNS, REGISTRATION_HEADERS

    wb = Workbook()
    ws = wb.active
    ws.title = "Đăng ký"
    ws.append([REGISTRATION_HEADERS[c] for c in REGISTRATION_COLUMNS])
    ws.append(["Gia đình", "Hộ ông Nông Văn A", "Nà Rị", "Nông Văn A", f"15/01/{year}"])
    ws.append(["Dòng họ", "Dòng họ Hoàng", "Nà Rị", "Hoàng Văn B", f"15/01/{year}"])
    choices = DataValidation(type="list", formula1='"Gia đình,Dòng họ,Thôn,Đơn vị"', allow_blank=False)
    ws.add_data_validation(choices)
    choices.add("A2:A5000")
    for column, width in zip("ABCDE", (14, 34, 18, 26, 14), strict=True):
        ws.column_dimensions[column].width = width
    guide = wb.create_sheet("Hướng dẫn")
    for line in (
        f"Danh sách đăng ký mô hình học tập năm {year} — {commune.full_name}",
        "Mỗi dòng một gia đình, dòng họ, thôn (cộng đồng học tập) hoặc đơn vị; giữ nguyên dòng tiêu đề của trang «Đăng ký».",
        "Loại: Gia đình, Dòng họ, Thôn hoặc Đơn vị. Tên: bắt buộc. Ngày đăng ký: ngày/tháng/năm, để trống thì lấy 15/01.",
        "Xóa hai dòng ví dụ trước khi nhập. Chỉ nhập giá trị, không dùng công thức.",
        "Tệp có lỗi thì không dòng nào được ghi; hệ thống báo từng dòng, từng cột cần sửa.",
        "Gia đình đã đăng ký trong năm thì không bị ghi trùng.",
    ):
        guide.append([line])
    guide.column_dimensions["A"].width = 110
    return wb
