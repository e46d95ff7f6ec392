"""How the change log tells this app's changes (see xhht/audit/sentences.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from xhht.reporting.models import Status

ACTIONS = {
    "report_save": "lưu bản nháp báo cáo định kỳ",
    "report_import": "nhập báo cáo định kỳ từ tệp Excel",
    "report_submit": "nộp báo cáo định kỳ",
    "report_approve": "duyệt báo cáo định kỳ",
    "report_return": "trả lại báo cáo định kỳ",
    "report_reopen": "mở lại báo cáo định kỳ để sửa",
}


def value_label(key: str, value: Any) -> str | None:
    if key == "status" and value in Status.values:
        return str(Status(value).label)
    return None


def object_url(entry: Any) -> str | None:
    if entry.object_type == "reporting.submission" and entry.unit_code:
        return reverse("units:detail", args=[entry.unit_code])
    return None


def option_label(category: str, code: str) -> str | None:
    """A disaggregation's option by its label in disaggregations.yaml: sector=non_farm → "Phi nông nghiệp"."""
    from xhht.reporting.catalogue import get_catalogue

    found = get_catalogue().categories.get(category)
    if found is None:
        return None
    return next((o.label for o in found.options if o.code == code), None)
