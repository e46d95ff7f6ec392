"""Learning models: evaluations and recognitions of a commune (or of the communes below a unit), read only."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from xhht.accounts.access import can_view_unit, unit_for_user_or_404
from xhht.api.common import caller, page_slice
from xhht.api.errors import ApiError
from xhht.learning_models.models import Evaluation
from xhht.learning_models.selectors import communes_of, recognised_entries

router = Router(tags=["Mô hình học tập"])


def _year(year: int) -> int:
    if not 1990 <= year <= 2100:
        raise ApiError(400, "Năm phải từ 1990 đến 2100.", "year")
    return year


@router.get("/{code}/{year}/evaluations", summary="Các bản đánh giá mô hình học tập của năm")
def evaluations(request: HttpRequest, code: str, year: int, kind: str = "", limit: int = 100, offset: int = 0) -> dict[str, Any]:
    user = caller(request)
    unit = unit_for_user_or_404(user, code)
    codes = [c.code for c in communes_of(unit=unit, year=_year(year))] if not unit.is_commune_level else [unit.code]
    codes = [c for c in codes if can_view_unit(user, c)]
    qs = (Evaluation.objects.filter(registration__year=year, registration__participant__commune_id__in=codes)
          .select_related("registration__participant").order_by("registration__participant__commune_id", "pk"))
    if kind:
        qs = qs.filter(registration__participant__kind=kind)
    total, page = page_slice(qs, limit=limit, offset=offset)
    return {"count": total, "limit": limit, "offset": offset, "items": [
        {"id": e.pk, "unit": e.registration.participant.commune_id, "kind": e.registration.participant.kind,
         "participant": e.registration.participant.name, "village": e.registration.participant.village, "year": year,
         "rubric": e.rubric_code, "status": e.status, "self_total": e.self_total, "self_outcome": e.self_outcome,
         "total": e.total, "submitted_at": e.submitted_at, "reviewed_at": e.reviewed_at} for e in page]}


@router.get("/{code}/{year}/recognitions/{kind}", summary="Danh sách được công nhận theo loại mô hình")
def recognitions(request: HttpRequest, code: str, year: int, kind: str, limit: int = 100, offset: int = 0) -> dict[str, Any]:
    user = caller(request)
    unit = unit_for_user_or_404(user, code)
    entries = [e for e in recognised_entries(unit=unit, kind=kind, year=_year(year))
               if can_view_unit(user, e.evaluation.registration.participant.commune_id)]
    total, page = page_slice(entries, limit=limit, offset=offset)
    return {"count": total, "limit": limit, "offset": offset, "items": [
        {"unit": e.evaluation.registration.participant.commune_id, "participant": e.evaluation.registration.participant.name,
         "village": e.evaluation.registration.participant.village, "outcome": e.outcome, "outcome_label": e.outcome_label,
         "decision_number": e.recognition.number, "decided_on": e.recognition.decided_on, "decided_by_unit": None
         if not can_view_unit(user, e.recognition.unit_id) else e.recognition.unit_id} for e in page]}
