"""How the change log tells this app's changes (see xhht/audit/sentences.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

ACTIONS = {
    "survey_persons_import": "nhập phiếu điều tra xóa mù chữ, phổ cập giáo dục",
    "survey_person_update": "sửa thông tin một người trong phiếu điều tra",
    "literacy_attestation_set": "xác nhận điều kiện bảo đảm xóa mù chữ",
}
FIELDS = {"level": "mức đạt chuẩn"}


def object_url(entry: Any) -> str | None:
    """An import ("commune/year") links to the commune's results; a person's edit ("commune/year/person_id", their
    key) to the commune-year's list of persons searched by that id (which whoever may read the log of the commune
    may open; editing needs more)."""
    if entry.object_type == "literacy.surveyperson" and "/" in entry.object_id:
        code, _, rest = entry.object_id.partition("/")
        year, _, person = rest.partition("/")
        if year.isdigit() and person:
            return reverse("literacy:persons", args=[code, int(year)]) + "?" + urlencode({"q": person})
        if year.isdigit():
            return reverse("literacy:results", args=[code, int(year)])
    return None


def object_label(entry: Any) -> str | None:
    """An attestation as "Xóa mù chữ, 05100, năm 2019" (its stored text holds the recognition's code)."""
    from xhht.literacy.models import Recognition

    if entry.object_type != "literacy.attestation":
        return None
    parts = entry.object_repr.split()
    if len(parts) >= 3 and parts[2] in Recognition.values:
        return f"Điều kiện bảo đảm {Recognition(parts[2]).label.lower()}, đơn vị {parts[0]}, năm {parts[1]}"
    return None
