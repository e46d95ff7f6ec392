"""The unit page as a workbook: the units below, and the organisations of each."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font

from xhht.units.models import Unit
from xhht.units.selectors import unit_descendant_codes
from xhht.core.xlsx import formulas_as_text


def unit_workbook(*, unit: Unit, on: date) -> bytes:
    codes = unit_descendant_codes(unit=unit, on=on, include_self=True)
    units = Unit.objects.filter(code__in=codes).order_by("code")
    book = Workbook()
    sheet = book.active
    sheet.title = "Đơn vị"
    sheet.append(["code", "name", "kind", "parent_code", "valid_from", "valid_to", "special_difficulty"])
    for u in units:
        sheet.append([u.code, u.name, u.kind, u.parent_id or "", u.valid_from, u.valid_to, 1 if u.special_difficulty else 0])
    orgs = book.create_sheet("Cơ quan, tổ chức")
    orgs.append(["Mã đơn vị", "Tên cơ quan, tổ chức", "Loại"])
    # Through the reverse relation: units sit below organisations and do not import them (layering contract).
    for u in units.prefetch_related("organisations"):
        for o in sorted(u.organisations.all(), key=lambda o: o.name):  # type: ignore[attr-defined]
            orgs.append([o.unit_id, o.name, o.get_kind_display()])
    for ws in book.worksheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
    buffer = io.BytesIO()
    formulas_as_text(book).save(buffer)
    return buffer.getvalue()
