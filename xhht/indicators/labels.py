"""Names a person reads for what the data store keeps as codes: data elements, the rule or form a value came
from, a disaggregation, a stored time. Used by the trace pages and the "Nguồn số liệu" sheet (issue 15)."""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache

from django.utils import timezone

from xhht.organisations.models import OrganisationKind

FORM_OWNERS = {"commune": "xã, phường", "district": "huyện", "province": "tỉnh", **{k: str(v) for k, v in OrganisationKind.choices}}
KEY = re.compile(r"\b[a-z][a-z0-9_]*=")


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    from xhht.indicators.selectors import element_names

    return element_names()


def element_label(code: str) -> str:
    """"vocational_learners" → "Số người học nghề …" (the catalogue's name); unknown → "chỉ số chưa xác định"."""
    return _names().get(code, "chỉ số chưa xác định")


def rule_label(rule: str) -> str:
    """Where a stored value came from, in words: "form:labour_office" → "Biểu báo cáo định kỳ của Phòng Lao động …"."""
    rule = rule or ""
    prefix, _, rest = rule.partition(":")
    if prefix == "form" and rest:
        return f"Biểu báo cáo định kỳ của {FORM_OWNERS.get(rest, 'đơn vị')}"
    if prefix == "literacy":
        return "Tính từ phiếu điều tra xóa mù chữ, phổ cập giáo dục (Nghị định 20/2014/NĐ-CP)"
    if prefix == "seed":
        return f"Số liệu gốc: {rest}"
    if rule == "learning_models":
        return "Tính từ kết quả đánh giá, công nhận mô hình học tập"
    if rule.startswith("activities."):
        return f"Tính từ sổ hoạt động: {element_label(rule.split('.', 1)[1]).lower() if rule.split('.', 1)[1] in _names() else 'sổ hoạt động'}"
    if re.fullmatch(r"[a-z0-9_.:-]+", rule):
        return "Quy tắc tính trong danh mục"
    return rule


def disaggregation_label(text: str) -> str:
    """"age_band=15-25;sector=non_farm" → "15–25 tuổi, Phi nông nghiệp" (options by their catalogue labels)."""
    from xhht.audit.sentences import option_text

    parts = [p for chunk in (text or "").split("|") for p in chunk.split(";") if p]
    return ", ".join(option_text(*p.split("=", 1)) if "=" in p else p for p in parts)


def moment_label(value: str | datetime | None) -> str:
    """An ISO time ("2026-12-01T03:09:…+00:00") → "01/12/2026 10:09" in Vietnam's time."""
    if not value:
        return ""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%d/%m/%Y %H:%M")
