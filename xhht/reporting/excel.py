"""The Excel round trip: a protected template per (form, reporter, period), and its upload.

A template carries, on a hidden sheet, what it is for: the form (and the form's version), the
period, and per sheet the reporter, the submission version it was made from, and which cell
holds which value. Each of those rows is signed with the site's secret key, so a template for
another unit, form or period, or one whose hidden part was edited, is refused. An upload is
checked whole: every problem is listed with its sheet and cell, and nothing is written unless
there is none. Text is always written into cells as text (never as a formula).
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from openpyxl import Workbook
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xhht.core.formatting import format_number
from xhht.core.tabular import Problem, Rejected, read_workbook_limited
from xhht.indicators.periods import parse_period
from xhht.reporting.catalogue import Form, get_catalogue
from xhht.reporting.numbers import NumberError, parse_number
from xhht.reporting.periods import due_date
from xhht.reporting.selectors import (
    Reporter,
    can_edit_reporter,
    form_reports_for,
    form_values,
    previous_values,
    reporter_from_token,
    submission_find,
)

log = logging.getLogger(__name__)

IDENT_SHEET = "_xhht"
KIND = "xhht-report-template"
INPUT_COLUMN = "E"
INPUT_FILL = PatternFill("solid", fgColor="FFF6CC")
TOTAL_FILL = PatternFill("solid", fgColor="E8ECF0")
THIN = Side(style="thin", color="B0B8C0")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _sign(text: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


def _text(cell: XlCell, value: str) -> None:
    """Write text that is never taken for a formula (a name starting with "=" stays text)."""
    cell.value = value
    cell.data_type = "s"


def _sheet_title(reporter: Reporter, used: set[str]) -> str:
    base = f"{reporter.unit.code} {reporter.organisation.short_name or reporter.organisation.name if reporter.organisation else reporter.unit.name}"
    for ch in "[]:*?/\\":
        base = base.replace(ch, " ")
    title = base[:31].strip()
    n = 2
    while title in used:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)].strip() + suffix
        n += 1
    used.add(title)
    return title


def _fill_sheet(ws: Worksheet, form: Form, reporter: Reporter, period_code: str) -> dict[str, Any]:
    period = parse_period(period_code)
    sub = submission_find(form=form, reporter=reporter, period=period_code)
    version = sub.version if sub else 0
    current = form_values(form=form, unit_code=reporter.unit.code, period=period_code)
    before_code, before = previous_values(form=form, unit_code=reporter.unit.code, period=period_code)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 52
    ws.column_dimensions["C"].width = 14
    ws.column_dimensions["D"].width = 16
    ws.column_dimensions["E"].width = 18
    _text(ws["A1"], form.title.upper())
    ws["A1"].font = Font(bold=True, size=13)
    ws.merge_cells("A1:E1")
    rows = [
        ("Đơn vị báo cáo", f"{reporter.name} (mã {reporter.token})"),
        ("Kỳ báo cáo", f"{period.label} ({period.code})"),
        ("Hạn nộp", due_date(period, form.due_days).strftime("%d/%m/%Y")),
        ("Phiên bản số liệu", f"{version} — {sub.get_status_display() if sub else 'chưa có'}"),
        ("Hướng dẫn", "Chỉ nhập vào các ô màu vàng ở cột E. Số nguyên, không âm; viết 1234 hoặc 1.234.567 (không viết 1.234 hay 1,234 vì dễ nhầm với số thập phân). "
                      "Không nhập công thức. Không sửa, không xóa các trang tính."),
    ]
    for i, (label, value) in enumerate(rows, start=2):
        _text(ws[f"A{i}"], label)
        ws[f"A{i}"].font = Font(bold=True)
        _text(ws[f"B{i}"], value)
        ws.merge_cells(f"B{i}:E{i}")
    ws["B6"].alignment = Alignment(wrap_text=True)
    ws.row_dimensions[6].height = 32
    header = 8
    for col, label in zip("ABCDE", ["Mã chỉ tiêu", "Chỉ tiêu", "Phân tổ", f"Kỳ trước ({before_code or '—'})", "Số liệu kỳ này"]):
        cell = ws[f"{col}{header}"]
        _text(cell, label)
        cell.font = Font(bold=True)
        cell.border = BORDER
        cell.fill = TOTAL_FILL
    whole = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True, showErrorMessage=True,
                           errorTitle="Số liệu không hợp lệ", error="Chỉ nhập số nguyên không âm.")
    ws.add_data_validation(whole)
    cells: dict[str, str] = {}
    texts: dict[str, str] = {}
    row = header + 1
    addresses: dict[str, str] = {}
    pending_totals: list[tuple[str, tuple[str, ...]]] = []
    for section in form.sections:
        _text(ws[f"A{row}"], section.title)
        ws[f"A{row}"].font = Font(bold=True)
        ws.merge_cells(f"A{row}:E{row}")
        row += 1
        for field in section.fields:
            if field.kind == "text":
                _text(ws[f"A{row}"], field.code)
                _text(ws[f"B{row}"], field.label)
                target = ws[f"{INPUT_COLUMN}{row}"]
                existing = (sub.texts or {}).get(field.code, "") if sub else ""
                if existing:
                    _text(target, existing)
                ws.merge_cells(f"C{row}:D{row}")
                target.protection = Protection(locked=False)
                target.fill = INPUT_FILL
                target.alignment = Alignment(wrap_text=True, vertical="top")
                ws.row_dimensions[row].height = 45
                texts[f"{INPUT_COLUMN}{row}"] = field.code
                row += 1
                continue
            for cell in field.cells:
                _text(ws[f"A{row}"], cell.key)
                _text(ws[f"B{row}"], cell.label)
                _text(ws[f"C{row}"], cell.sub_label)
                prev = before.get(cell.key)
                ws[f"D{row}"] = int(prev) if prev is not None and prev == prev.to_integral_value() else (float(prev) if prev is not None else None)
                target = ws[f"{INPUT_COLUMN}{row}"]
                addresses[cell.key] = f"{INPUT_COLUMN}{row}"
                if cell.is_input:
                    number = current.get(cell.key)
                    if number is not None:
                        target.value = int(number) if number == number.to_integral_value() else float(number)
                    target.protection = Protection(locked=False)
                    target.fill = INPUT_FILL
                    if cell.value_type in {"integer", "money"}:
                        whole.add(target.coordinate)
                    cells[target.coordinate] = cell.key
                else:
                    pending_totals.append((target.coordinate, cell.total_of))
                    target.fill = TOTAL_FILL
                    target.font = Font(bold=True)
                for col in "ABCDE":
                    ws[f"{col}{row}"].border = BORDER
                ws[f"D{row}"].number_format = "#,##0"
                target.number_format = "#,##0"
                row += 1
    for coordinate, parts in pending_totals:
        refs = [addresses[p] for p in parts if p in addresses]
        ws[coordinate] = f"=SUM({','.join(refs)})" if refs else None
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.freeze_panes = f"A{header + 1}"
    return {"sheet": ws.title, "reporter": reporter.token, "version": version, "cells": cells, "texts": texts}


def template_workbook(*, form: Form, reporters: Iterable[Reporter], period: str) -> bytes:
    """The template as .xlsx bytes: one sheet per reporter, input cells unlocked, the rest protected."""
    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    used: set[str] = set()
    idents = []
    for reporter in reporters:
        ws = wb.create_sheet(_sheet_title(reporter, used))
        idents.append(_fill_sheet(ws, form, reporter, period))
    ident = wb.create_sheet(IDENT_SHEET)
    head = json.dumps({"kind": KIND, "form": form.code, "form_version": form.version, "period": period}, ensure_ascii=False, sort_keys=True)
    rows = [head] + [json.dumps(i, ensure_ascii=False, sort_keys=True) for i in idents]
    for n, text in enumerate(rows, start=1):
        _text(ident[f"A{n}"], text)
        _text(ident[f"B{n}"], _sign(text))
    ident.sheet_state = "veryHidden"
    ident.protection.sheet = True
    wb.active = 0
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- upload


@dataclass
class ParsedSheet:
    sheet: str
    reporter: Reporter
    base_version: int
    values: dict[str, object]
    texts: dict[str, str]


@dataclass
class ParsedWorkbook:
    form: Form
    period: str
    sheets: list[ParsedSheet]


@dataclass(frozen=True)
class Expected:
    form: str
    period: str
    reporters: tuple[str, ...]  # tokens; empty: any the user may edit


def _open(path: Path, name: str) -> Any:
    limit = settings.XHHT_MAX_UPLOAD_BYTES
    if not path.exists():
        raise Rejected([Problem("không tìm thấy tệp.", file=name)])
    size = path.stat().st_size
    if size == 0:
        raise Rejected([Problem("tệp rỗng.", file=name)])
    if size > limit:
        raise Rejected([Problem(f"tệp quá lớn ({size / (1024 * 1024):.0f} MB; tối đa {limit // (1024 * 1024)} MB). "
                                "Mẫu báo cáo chỉ vài chục KB: hãy tải mẫu mới và nhập lại.", file=name)])
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise Rejected([Problem("tệp Excel cũ (.xls) hoặc có macro không được nhận; hãy dùng mẫu .xlsx tải từ XHHT.", file=name)])
    if not magic.startswith(b"PK"):
        raise Rejected([Problem("tệp không phải bảng tính Excel (.xlsx); hãy tải mẫu từ XHHT, nhập số liệu rồi tải lên đúng tệp đó.", file=name)])
    # A template is a few sheets of a few hundred cells: a workbook far beyond that is refused before it is
    # parsed, and the parse itself runs in a memory-capped child (issue 12, hole 2).
    return read_workbook_limited(path, name, max_uncompressed=int(getattr(settings, "XHHT_MAX_TEMPLATE_UNCOMPRESSED_BYTES", 50 * 1024 * 1024)),
                                 max_cells=int(getattr(settings, "XHHT_MAX_TEMPLATE_CELLS", 500_000)))


def _read_ident(wb: Any, name: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    not_ours = Rejected([Problem("tệp không phải mẫu báo cáo do XHHT tạo (thiếu phần nhận dạng); hãy tải mẫu từ XHHT và nhập vào mẫu đó.", file=name)])
    if IDENT_SHEET not in wb.sheetnames:
        raise not_ours
    ws = wb[IDENT_SHEET]
    rows = []
    for text, signature in ws.iter_rows(min_col=1, max_col=2, values_only=True):
        if text is None:
            continue
        if not isinstance(text, str) or not isinstance(signature, str) or not hmac.compare_digest(_sign(text), signature):
            raise Rejected([Problem("phần nhận dạng của mẫu đã bị sửa; hãy tải mẫu mới từ XHHT.", file=name)])
        rows.append(json.loads(text))
    if not rows or rows[0].get("kind") != KIND:
        raise not_ours
    return rows[0], rows[1:]


def read_workbook(*, path: Path | str, actor: Any, display_name: str | None = None, expected: Expected | None = None,
                  check_rights: bool = True) -> ParsedWorkbook:
    """Check the whole upload; raises :class:`Rejected` listing every problem, or returns the values to store."""
    path = Path(path)
    name = display_name or path.name
    wb = _open(path, name)
    head, idents = _read_ident(wb, name)
    catalogue = get_catalogue()
    form = catalogue.form(head["form"])
    if form is None:
        raise Rejected([Problem(f"mẫu của biểu «{head['form']}» không còn dùng.", file=name)])
    problems: list[Problem] = []
    if expected is not None:
        if expected.form != form.code:
            wanted = catalogue.form(expected.form)
            problems.append(Problem(f"đây là mẫu của biểu «{form.title}», không phải biểu «{wanted.title if wanted else expected.form}» bạn đang nộp.", file=name))
        if expected.period != head["period"]:
            problems.append(Problem(f"đây là mẫu của kỳ {head['period']}, không phải kỳ {expected.period}; hãy tải mẫu của kỳ {expected.period}.", file=name))
        if expected.reporters:
            others = [i["reporter"] for i in idents if i["reporter"] not in expected.reporters]
            for token in others:
                other = reporter_from_token(token)
                wanted_r = reporter_from_token(expected.reporters[0])
                problems.append(Problem(f"đây là mẫu của {other.name if other else token}, không phải của {wanted_r.name if wanted_r else expected.reporters[0]}.", file=name))
    if head.get("form_version") != form.version:
        problems.append(Problem(f"mẫu được tạo theo phiên bản cũ của biểu (phiên bản {head.get('form_version')}, nay là {form.version}); hãy tải mẫu mới.", file=name))
    if problems:
        raise Rejected(problems)
    try:
        period_obj = parse_period(head["period"])
    except ValueError as exc:
        raise Rejected([Problem(str(exc), file=name)]) from None
    if not form.accepts_period_kind(period_obj.kind):
        raise Rejected([Problem("kỳ báo cáo của mẫu không hợp với biểu.", file=name)])
    sheets: list[ParsedSheet] = []
    for ident in idents:
        title = ident["sheet"]
        reporter = reporter_from_token(ident["reporter"])
        if reporter is None:
            problems.append(Problem("đơn vị của trang tính này không còn tồn tại.", file=name, sheet=title))
            continue
        if check_rights and not can_edit_reporter(actor, reporter):
            problems.append(Problem(f"bạn không có quyền nhập báo cáo của {reporter.name}.", file=name, sheet=title))
            continue
        if not form_reports_for(form, reporter):
            problems.append(Problem(f"{reporter.name} không báo cáo theo biểu này.", file=name, sheet=title))
            continue
        if title not in wb.sheetnames:
            problems.append(Problem("trang tính này đã bị xóa hoặc đổi tên; hãy dùng mẫu nguyên vẹn.", file=name, sheet=title))
            continue
        ws = wb[title]
        sub = submission_find(form=form, reporter=reporter, period=head["period"])
        current_version = sub.version if sub else 0
        if sub is not None and not sub.is_editable:
            problems.append(Problem(f"báo cáo của {reporter.name} đang ở trạng thái «{sub.get_status_display()}», không sửa được.", file=name, sheet=title))
            continue
        if current_version != ident["version"]:
            problems.append(Problem(
                f"báo cáo của {reporter.name} đã được lưu sau khi tải mẫu này (mẫu: phiên bản {ident['version']}, hiện tại: phiên bản {current_version}); "
                "hãy tải mẫu mới để không ghi đè số liệu của người khác.", file=name, sheet=title))
            continue
        values: dict[str, object] = {}
        cells_by_key = {c.key: c for c in form.cells}
        for coordinate, key in ident["cells"].items():
            cell = ws[coordinate]
            spec = cells_by_key.get(key)
            if spec is None:
                continue
            where = {"file": name, "sheet": title, "row": cell.row, "column": cell.column_letter}
            if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
                problems.append(Problem(f"«{spec.label}{' – ' + spec.sub_label if spec.sub_label else ''}»: ô chứa công thức; chỉ nhập giá trị, không nhập công thức.", **where))
                continue
            try:
                parse_number(cell.value, whole=spec.value_type in {"integer", "money"})
            except NumberError as exc:
                problems.append(Problem(f"«{spec.label}{' – ' + spec.sub_label if spec.sub_label else ''}»: {exc}", **where))
                continue
            values[key] = cell.value
        texts: dict[str, str] = {}
        text_fields = {f.code: f for f in form.text_fields}
        for coordinate, code in ident["texts"].items():
            cell = ws[coordinate]
            where = {"file": name, "sheet": title, "row": cell.row, "column": cell.column_letter}
            if cell.data_type == "f":
                problems.append(Problem("ô chứa công thức; chỉ nhập chữ.", **where))
                continue
            text = "" if cell.value is None else str(cell.value).strip()
            limit = text_fields[code].max_length if code in text_fields else 2000
            if len(text) > limit:
                problems.append(Problem(f"nội dung quá dài ({len(text)} ký tự; tối đa {limit}).", **where))
            texts[code] = text
        sheets.append(ParsedSheet(title, reporter, ident["version"], values, texts))
    if problems:
        raise Rejected(problems)
    return ParsedWorkbook(form, head["period"], sheets)


def import_workbook(*, path: Path | str, actor: Any, display_name: str | None = None, expected: Expected | None = None,
                    submit: bool = False, warning_comment: str = "", check_rights: bool = True) -> list[Any]:
    """Store every sheet of the upload (and submit them, if asked): all of them, or none."""
    from xhht.reporting.services import ReportingError, StaleVersion, SubmitRefused, submission_save, submission_submit

    parsed = read_workbook(path=path, actor=actor, display_name=display_name, expected=expected, check_rights=check_rights)
    name = display_name or Path(path).name
    results = []
    try:
        with transaction.atomic():
            for sheet in parsed.sheets:
                result = submission_save(actor=actor, form=parsed.form, reporter=sheet.reporter, period=parsed.period, values=sheet.values,
                                         texts=sheet.texts, base_version=sheet.base_version, source="imported", note=f"tệp {name}",
                                         check_rights=check_rights)
                if submit:
                    comments = {f.code: warning_comment for f in result.findings if not f.is_error} if warning_comment else {}
                    submission_submit(actor=actor, submission=result.submission, check_rights=check_rights, comments=comments)
                results.append(result)
    except SubmitRefused as exc:
        sheet_name = parsed.sheets[len(results)].sheet
        raise Rejected([Problem(str(exc), file=name, sheet=sheet_name)]
                       + [Problem(f"{'lỗi' if f.is_error else 'cảnh báo'}: {f.message} ({f.detail})", file=name, sheet=sheet_name) for f in exc.findings]) from None
    except StaleVersion as exc:
        raise Rejected([Problem(str(exc), file=name)]) from None
    except ReportingError as exc:
        raise Rejected([Problem(str(exc), file=name)]) from None
    return results


def values_preview(values: dict[str, Decimal | None]) -> dict[str, str]:
    return {k: format_number(v) if v is not None else "" for k, v in values.items()}
