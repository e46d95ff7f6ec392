"""How the change log tells this app's changes (see xhht/audit/sentences.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

ACTIONS = {
    "report_create": "tạo dự thảo báo cáo",
    "report_update": "sửa phần đầu báo cáo",
    "report_section_update": "sửa một mục báo cáo",
    "report_section_redraft": "soạn lại một mục báo cáo từ số liệu",
    "report_issue": "tạo tệp báo cáo (.docx, .xlsx, .pdf)",
    "report_publish": "công khai báo cáo",
    "report_withdraw": "gỡ công khai báo cáo",
}
FIELDS = {"number": "số, ký hiệu", "version": "phiên bản", "reason": "lý do"}


def object_url(entry: Any) -> str | None:
    if entry.object_type == "official_reports.report" and entry.object_id.isdigit():
        return reverse("official_reports:detail", args=[int(entry.object_id)])
    return None
