"""How the change log tells this app's changes (see xhht/audit/sentences.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

ACTIONS = {
    "learning_registration_create": "đăng ký danh hiệu mô hình học tập",
    "learning_participant_create": "thêm mô hình học tập (gia đình, dòng họ, cộng đồng, đơn vị)",
    "learning_evaluation_start": "bắt đầu đánh giá mô hình học tập",
    "learning_self_score": "tự chấm điểm mô hình học tập",
    "learning_evaluation_submit": "gửi kết quả tự đánh giá mô hình học tập",
    "learning_evaluation_review": "thẩm định, xếp loại mô hình học tập",
    "learning_evidence_attach": "đính kèm minh chứng đánh giá",
    "learning_inspection_team_set": "lập đoàn kiểm tra mô hình học tập",
    "learning_recognition_create": "công nhận mô hình học tập",
    "learning_village_households_set": "ghi số hộ của thôn, tổ dân phố",
}
FIELDS = {"result": "kết quả xếp loại", "score": "điểm", "households": "số hộ", "members": "thành viên",
          "outcome": "xếp loại (tự đánh giá → thẩm định)", "self_outcome": "tự xếp loại", "rubric": "bộ tiêu chí"}


def object_url(entry: Any) -> str | None:
    if entry.object_type == "learning_models.evaluation" and entry.object_id.isdigit():
        return reverse("learning_models:evaluation", args=[int(entry.object_id)])
    return None


def value_label(key: str, value: Any) -> str | None:
    """A result code ("trung_binh") by the rubrics' name for it ("Trung bình"); a state by its name."""
    from xhht.learning_models.models import Status
    from xhht.learning_models.rubrics import all_rubrics, rubric_label

    if key == "status" and value in Status.values:
        return str(Status(value).label)
    if key == "rubric" and isinstance(value, str):  # "tt44-2014 v1" → its title and legal text
        return rubric_label(value)
    if key in {"outcome", "self_outcome"} and isinstance(value, str):
        for rubric in all_rubrics().values():
            label = rubric.outcome_label(value)
            if label != value:
                return label
    return None

OBJECTS = {
    "learning_models.inspectionteam": "đoàn kiểm tra",
    "learning_models.recognition": "quyết định công nhận",
    "learning_models.recognitionentry": "mô hình được công nhận",
    "learning_models.villagehouseholds": "số hộ của thôn",
    "learning_models.indicatorscore": "điểm chỉ tiêu",
    "learning_models.evidence": "minh chứng",
    "learning_models.evaluation": "bản đánh giá mô hình học tập",
    "learning_models.registration": "đăng ký danh hiệu mô hình học tập",
}
