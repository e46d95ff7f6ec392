"""Names a person reads for the catalogue's codes: a rubric by its title and legal text, an outcome by its band."""

from __future__ import annotations

from typing import Any

from django import template

from xhht.learning_models.rubrics import all_rubrics, rubric_label

register = template.Library()


@register.filter
def rubric_name(code: str) -> str:
    """"tt44-2014" → "Cộng đồng học tập cấp xã (TT 44/2014/TT-BGDĐT)" (rubrics.rubric_label)."""
    return rubric_label(code)


@register.filter
def outcome_name(evaluation: Any, which: str = "outcome") -> str:
    """The evaluation's result by the rubric's name for it ("Khá"), never the stored code ("kha")."""
    code = getattr(evaluation, which, "")
    if not code:
        return ""
    rubric = all_rubrics().get(evaluation.rubric_code)
    return rubric.outcome_label(code) if rubric else "chưa xác định"


@register.filter
def levels_of(codes: list[str], rubric: Any) -> str:
    """An indicator's levels ["muc_1", "muc_2"] by the rubric's names ("Mức độ 1 (Khá), Mức độ 2 (Tốt)")."""
    return ", ".join(rubric.outcome_label(c) for c in codes)
