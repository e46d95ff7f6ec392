"""How the change log tells this app's changes (see xhht/audit/sentences.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

ACTIONS = {
    "survey_persons_import": "nhập phiếu điều tra xóa mù chữ, phổ cập giáo dục",
    "survey_person_update": "sửa thông tin một người trong phiếu điều tra",
    "literacy_attestation_set": "xác nhận điều kiện bảo đảm xóa mù chữ",
}
FIELDS = {"level": "mức đạt chuẩn"}


def object_url(entry: Any) -> str | None:
    if entry.object_type == "literacy.surveyperson" and "/" in entry.object_id:
        code, _, year = entry.object_id.partition("/")
        if year.isdigit():
            return reverse("literacy:results", args=[code, int(year)])
    return None
