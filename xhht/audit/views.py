from __future__ import annotations

from io import BytesIO

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from xhht.audit.selectors import audit_entries_for, audit_filter_choices, log_filter_from
from xhht.audit.sentences import sentences

EXPORT_LIMIT = 20_000  # rows in one .xlsx: a year of a district's changes; narrow the filter for more


def log(request: HttpRequest, *, scope: set[str] | None) -> HttpResponse:
    """The changes in the user's area, one Vietnamese sentence each: ``scope`` is the unit codes the user may
    read (None: all), given by the access policy's view (accounts.views.change_log; audit sits below accounts
    and does not import it)."""
    log_filter, problems = log_filter_from(request.GET)
    entries = audit_entries_for(scope=scope, log_filter=log_filter)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("xuat", None)
    if request.GET.get("xuat") == "xlsx" and not problems:
        return _export(entries[:EXPORT_LIMIT])
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {
        "page": page, "rows": sentences(page.object_list), "filter": log_filter, "problems": problems,
        "choices": audit_filter_choices(scope=scope), "query": query.urlencode(),
        "typed": {"tu": request.GET.get("tu", ""), "den": request.GET.get("den", "")},
    })


def _export(entries: object) -> HttpResponse:
    from openpyxl import Workbook

    from xhht.core.xlsx import formulas_as_text

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Nhật ký thay đổi"
    sheet.append(["Thời điểm", "Người thực hiện", "Việc đã làm", "Đối tượng", "Đơn vị", "Thay đổi (cũ → mới)", "Ghi chú", "Diễn giải"])
    for s in sentences(entries):
        changes = "; ".join(f"{c.label}: {c.old + ' → ' if c.old else ''}{c.new}" for c in s.changes)
        sheet.append([s.when, s.who, s.did, s.what, s.entry.unit_code, changes, s.note, s.text])
    for column, width in zip("ABCDEFGH", (18, 24, 36, 40, 10, 60, 30, 80), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    formulas_as_text(workbook).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="nhat-ky-thay-doi-{timezone.localdate():%Y%m%d}.xlsx"'
    return response
