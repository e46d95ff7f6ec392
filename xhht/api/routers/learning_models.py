"""Learning models: evaluations and recognitions of a commune (or of the communes below a unit), and the yearly cycle's
writes where the web allows them: register, households, open and self-evaluate, attach evidence, submit, review,
recognise. Every write goes through xhht.learning_models.services, which checks the caller as the web does (a unit
outside the caller's reach answers 404 before that, as a page would) and audits the change with the token's owner."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from xhht.accounts.access import can_edit_unit, can_view_unit, unit_for_user_or_404
from xhht.api.common import caller, page_slice
from xhht.api.errors import ApiError, rejected_file
from xhht.core.tabular import Rejected
from xhht.core.uploads import upload_on_disk
from xhht.learning_models.files import evidence_file_response
from xhht.learning_models.models import Evaluation, InspectionTeam, ModelKind, Registration, Status as EvaluationStatus
from xhht.learning_models.scoring import enterable
from xhht.learning_models.selectors import (
    communes_of,
    evaluation_for_user_or_404,
    inspection_team_candidates,
    participant_for_user_or_404,
    participants_of,
    recognised_entries,
    recognition_candidates,
)
from xhht.learning_models.services import (
    EVIDENCE_MAX_BYTES,
    DecisionInfo,
    LearningModelError,
    StatusConflict,
    evaluation_review,
    evaluation_rubric,
    evaluation_self_score,
    evaluation_start,
    evaluation_submit,
    evidence_attach,
    inspection_team_check,
    inspection_team_set,
    may_review,
    participant_register,
    recognition_create,
    registrations_import,
    village_households_set,
)

router = Router(tags=["Mô hình học tập"])


def _year(year: int) -> int:
    if not 1990 <= year <= 2100:
        raise ApiError(400, "Năm phải từ 1990 đến 2100.", "year")
    return year


def _kind(kind: str) -> str:
    if kind not in ModelKind.values:
        raise ApiError(404, f"Không có loại mô hình «{kind[:40]}»; dùng: {', '.join(ModelKind.values)}.", "kind")
    return kind


def _refused(exc: LearningModelError) -> ApiError:
    """A refusal of the services: 409 when the evaluation is not in the state the change needs, else 400 naming the field."""
    field = "code" if exc.field == "commune" else exc.field  # the commune is the path's unit code
    return ApiError(409 if isinstance(exc, StatusConflict) else 400, str(exc), field)


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
         "participant": e.registration.participant.name, "participant_id": e.registration.participant_id,
         "village": e.registration.participant.village, "year": year,
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


# --- Registration -----------------------------------------------------------------------------------


class RegistrationIn(Schema):
    kind: str
    name: str = ""  # the commune's own registration (commune_community) takes the commune's name, as on the web
    village: str = ""
    head_name: str = ""


class HouseholdsIn(Schema):
    village: str
    households: int


def _registration(registration: Registration) -> dict[str, Any]:
    participant = registration.participant
    evaluation = Evaluation.objects.filter(registration=registration).first()
    return {"id": registration.pk, "participant_id": participant.pk, "unit": participant.commune_id, "kind": participant.kind,
            "name": participant.name, "village": participant.village, "head_name": participant.head_name, "year": registration.year,
            "registered_on": registration.registered_on, "evaluation": evaluation.pk if evaluation else None,
            "status": evaluation.status if evaluation else None}


@router.get("/{code}/{year}/registrations", summary="Các mô hình đã đăng ký của một xã trong năm")
def registrations(request: HttpRequest, code: str, year: int, kind: str = "", limit: int = 100, offset: int = 0) -> dict[str, Any]:
    unit = unit_for_user_or_404(caller(request), code)
    if not unit.is_commune_level:
        raise ApiError(400, f"{unit} không phải đơn vị cấp xã: danh sách đăng ký theo từng xã, phường, thị trấn.", "code")
    qs = participants_of(commune=unit, year=_year(year), kind=kind or None).order_by("participant__kind", "participant__village",
                                                                                       "participant__name", "pk")
    total, page = page_slice(qs, limit=limit, offset=offset)
    return {"count": total, "limit": limit, "offset": offset, "items": [_registration(r) for r in page]}


@router.post("/{code}/{year}/registrations", response={200: dict[str, Any], 201: dict[str, Any]},
             summary="Đăng ký một gia đình, dòng họ, thôn, đơn vị (hoặc chính xã) trong năm")
def registration_create(request: HttpRequest, code: str, year: int, body: RegistrationIn) -> Status[dict[str, Any]]:
    """Như nút «Đăng ký» trên trang của xã. Đăng ký lại cùng mô hình trong năm trả bản đăng ký đã có (200), không tạo thêm;
    mở bản tự đánh giá bằng POST /learning-models/participants/{participant_id}/{year}/evaluation. Xã không được xem → 404;
    được xem mà không được sửa → 403."""
    user = caller(request)
    unit = unit_for_user_or_404(user, code)
    name = unit.full_name if body.kind == ModelKind.COMMUNE else body.name
    existed = Registration.objects.filter(participant__kind=body.kind, participant__commune=unit, participant__village=body.village.strip(),
                                          participant__name=name.strip(), year=_year(year)).exists()
    try:
        registration = participant_register(actor=user, kind=body.kind, commune=unit, name=name, year=year, village=body.village,
                                            head_name=body.head_name)
    except LearningModelError as exc:
        raise _refused(exc) from None
    return Status(200 if existed else 201, _registration(registration))


@router.post("/{code}/{year}/registrations/import", summary="Nhập danh sách đăng ký từ tệp CSV/XLSX (cả tệp hoặc không gì)")
def registrations_file(request: HttpRequest, code: str, year: int, file: File[UploadedFile]) -> dict[str, Any]:
    """Như «Nhập danh sách đăng ký» trên web (cột: Loại, Tên, Thôn xóm, Chủ hộ, Ngày đăng ký). Một lỗi ở bất kỳ dòng nào
    làm cả tệp bị từ chối (400, nêu dòng và cột) và không ghi gì; dòng đã đăng ký trong năm được đếm, không tạo thêm."""
    user = caller(request)
    unit = unit_for_user_or_404(user, code)
    with upload_on_disk(file) as path:
        try:
            result = registrations_import(actor=user, commune=unit, year=_year(year), path=path, display_name=file.name)
        except Rejected as exc:
            raise rejected_file(exc.problems) from None
    return {"rows": result.rows, "created": result.created, "existing": result.existing}


@router.put("/{code}/{year}/households", summary="Số hộ gia đình của một thôn trong năm (mẫu số của tỷ lệ đăng ký)")
def households(request: HttpRequest, code: str, year: int, body: HouseholdsIn) -> dict[str, Any]:
    user = caller(request)
    unit = unit_for_user_or_404(user, code)
    try:
        row = village_households_set(actor=user, commune=unit, village=body.village.strip(), year=_year(year), households=body.households)
    except LearningModelError as exc:
        raise _refused(exc) from None
    return {"unit": row.commune_id, "village": row.village, "year": row.year, "households": row.households}


# --- Evaluation -------------------------------------------------------------------------------------


class SelfEvaluationIn(Schema):
    values: dict[str, int | float | str | None] = {}  # indicator code → points, or 1/0 for a yes/no indicator; null clears
    notes: dict[str, str] = {}  # indicator code → the commune's note
    note: str | None = None  # the whole evaluation's note (null: unchanged)


class ReviewChange(Schema):
    value: int | float | str
    reason: str = ""


class ReviewIn(Schema):
    changes: dict[str, ReviewChange] = {}  # indicator code → the reviewer's value and the reason (needed when it differs)
    note: str = ""


class RecognitionIn(Schema):
    number: str
    decided_on: date
    signer: str
    signer_title: str = ""
    evaluations: list[int]


def _evaluation(user: Any, ev: Evaluation) -> dict[str, Any]:
    participant = ev.registration.participant
    rubric = evaluation_rubric(ev)
    scores = {row.indicator: row for row in ev.scores.all()}
    editable = can_edit_unit(user, participant.commune_id)
    return {
        "id": ev.pk, "participant_id": participant.pk, "unit": participant.commune_id, "kind": participant.kind, "participant": participant.name,
        "village": participant.village, "year": ev.registration.year, "rubric": rubric.code, "rubric_version": ev.rubric_version,
        "status": ev.status, "self_note": ev.self_note, "self_total": ev.self_total, "self_outcome": ev.self_outcome, "total": ev.total,
        "outcome": ev.outcome, "review_note": ev.review_note, "submitted_at": ev.submitted_at, "reviewed_at": ev.reviewed_at,
        "may_self_evaluate": ev.status == EvaluationStatus.DRAFT and editable,
        "may_review": ev.status == EvaluationStatus.SUBMITTED and may_review(user, ev),
        "indicators": [{
            "code": ind.code, "title": ind.display_title, "yes_no": ind.is_yes_no, "max_points": ind.max_points, "enterable": enterable(ind),
            "self_value": row.self_value if row else None, "self_source": row.self_source if row else None,
            "self_note": row.self_note if row else "", "reviewed_value": row.reviewed_value if row else None,
            "review_reason": row.review_reason if row else "",
        } for ind in rubric.indicators for row in [scores.get(ind.code)]],
        "evidence": [{"id": item.pk, "indicator": item.indicator, "name": item.original_name, "size": item.size, "sha256": item.sha256,
                      "uploaded_at": item.uploaded_at} for item in ev.evidence.order_by("uploaded_at", "pk")],
    }


@router.post("/participants/{participant}/{year}/evaluation", response={200: dict[str, Any], 201: dict[str, Any]},
             summary="Mở bản tự đánh giá của năm (hoặc trả bản đã có)")
def evaluation_open(request: HttpRequest, participant: int, year: int) -> Status[dict[str, Any]]:
    """Với bộ tiêu chí áp dụng năm đó. Mô hình phải đã đăng ký năm đó (400 nêu ``year``)."""
    user = caller(request)
    found = participant_for_user_or_404(user=user, pk=participant)
    existed = Evaluation.objects.filter(registration__participant=found, registration__year=_year(year)).exists()
    try:
        ev = evaluation_start(actor=user, participant=found, year=year)
    except LearningModelError as exc:
        raise _refused(exc) from None
    return Status(200 if existed else 201, _evaluation(user, evaluation_for_user_or_404(user=user, pk=ev.pk)))


@router.get("/evaluations/{evaluation}", summary="Một bản đánh giá: từng chỉ tiêu, điểm tự đánh giá và điểm thẩm định")
def evaluation_read(request: HttpRequest, evaluation: int) -> dict[str, Any]:
    user = caller(request)
    return _evaluation(user, evaluation_for_user_or_404(user=user, pk=evaluation))


@router.put("/evaluations/{evaluation}/self-evaluation", summary="Lưu điểm tự đánh giá (chỉ tiêu không gửi giữ giá trị đã lưu)")
def self_evaluation_save(request: HttpRequest, evaluation: int, body: SelfEvaluationIn) -> dict[str, Any]:
    """Như nút «Lưu» của trang đánh giá: cả bản hoặc không gì; chỉ tiêu không có trong bộ tiêu chí, điểm âm hoặc vượt
    điểm tối đa → 400 nêu ``values.<mã>``; bản đã gửi → 409."""
    user = caller(request)
    ev = evaluation_for_user_or_404(user=user, pk=evaluation)
    try:
        evaluation_self_score(actor=user, participant=ev.registration.participant, year=ev.registration.year, values=body.values,
                              notes=body.notes, note=body.note)
    except LearningModelError as exc:
        raise _refused(exc) from None
    return _evaluation(user, evaluation_for_user_or_404(user=user, pk=ev.pk))


@router.post("/evaluations/{evaluation}/evidence", response={201: dict[str, Any]}, summary="Đính kèm một tệp minh chứng")
def evidence_add(request: HttpRequest, evaluation: int, file: File[UploadedFile], indicator: Form[str] = "") -> Status[dict[str, Any]]:
    """PDF, ảnh, văn bản Office không macro (như trên web), tối đa 10 MB; ``indicator``: mã chỉ tiêu (để trống: chung)."""
    user = caller(request)
    ev = evaluation_for_user_or_404(user=user, pk=evaluation)
    if file.size and file.size > EVIDENCE_MAX_BYTES:
        raise ApiError(400, f"Tệp «{(file.name or '')[:80]}» quá lớn (tối đa {EVIDENCE_MAX_BYTES // (1024 * 1024)} MB).", "file")
    try:
        item = evidence_attach(actor=user, evaluation=ev, name=file.name or "", content=file.read(), indicator=indicator,
                               content_type=file.content_type or "")
    except LearningModelError as exc:
        raise _refused(exc) from None
    return Status(201, {"id": item.pk, "evaluation": ev.pk, "indicator": item.indicator, "name": item.original_name, "size": item.size,
                        "sha256": item.sha256})


@router.get("/evaluations/{evaluation}/evidence/{evidence}", response={200: None}, summary="Tải một tệp minh chứng của bản đánh giá")
def evidence_download(request: HttpRequest, evaluation: int, evidence: int) -> FileResponse:
    """Như liên kết tải minh chứng trên trang đánh giá: ai xem được bản đánh giá thì tải được; bản đánh giá hay tệp
    không xem được hoặc không có → 404. Luôn là tệp đính kèm (application/octet-stream) mang tên gốc."""
    return evidence_file_response(user=caller(request), evaluation=evaluation, evidence=evidence)


@router.post("/evaluations/{evaluation}/submit", summary="Gửi bản tự đánh giá để thẩm định")
def evaluation_send(request: HttpRequest, evaluation: int) -> dict[str, Any]:
    """Mọi chỉ tiêu phải đã tự đánh giá (400 nêu chỉ tiêu còn thiếu); đã gửi → 409."""
    user = caller(request)
    ev = evaluation_for_user_or_404(user=user, pk=evaluation)
    try:
        evaluation_submit(actor=user, evaluation=ev)
    except LearningModelError as exc:
        raise _refused(exc) from None
    return _evaluation(user, evaluation_for_user_or_404(user=user, pk=ev.pk))


@router.post("/evaluations/{evaluation}/review", summary="Thẩm định bản tự đánh giá đã gửi")
def evaluation_decide(request: HttpRequest, evaluation: int, body: ReviewIn) -> dict[str, Any]:
    """Cấp xã được thẩm định bởi đoàn kiểm tra của huyện, các mô hình khác bởi xã (403 cho người khác). Điểm điều chỉnh
    phải có lý do (400 nêu ``changes.<mã>``); chưa gửi hoặc đã thẩm định → 409."""
    user = caller(request)
    ev = evaluation_for_user_or_404(user=user, pk=evaluation)
    try:
        evaluation_review(actor=user, evaluation=ev, changes={code: (c.value, c.reason) for code, c in body.changes.items()}, note=body.note)
    except LearningModelError as exc:
        raise _refused(exc) from None
    return _evaluation(user, evaluation_for_user_or_404(user=user, pk=ev.pk))


@router.post("/{code}/{year}/recognitions/{kind}", response={201: dict[str, Any]}, summary="Ghi quyết định công nhận và danh sách")
def recognition_add(request: HttpRequest, code: str, year: int, kind: str, body: RecognitionIn) -> Status[dict[str, Any]]:
    """Như trang «Công nhận»: cấp xã do huyện công nhận, các mô hình khác do xã. ``evaluations``: mã các bản đánh giá đã
    thẩm định của đơn vị, loại và năm đó (một mã khác → 400, không ghi gì)."""
    user = caller(request)
    unit = unit_for_user_or_404(user, code)
    candidates = {ev.pk: ev for ev in recognition_candidates(unit=unit, kind=_kind(kind), year=_year(year))}
    outside = [pk for pk in body.evaluations if pk not in candidates]
    if outside:
        raise ApiError(400, f"Bản đánh giá #{outside[0]} không nằm trong danh sách được xét công nhận (đã thẩm định, của {unit}, "
                            f"{ModelKind(kind).label.lower()}, năm {year}): chưa ghi gì.", "evaluations")
    try:
        recognition = recognition_create(actor=user, unit=unit, kind=kind, year=year, evaluations=[candidates[pk] for pk in dict.fromkeys(body.evaluations)],
                                         decision=DecisionInfo(number=body.number, decided_on=body.decided_on, signer=body.signer,
                                                               signer_title=body.signer_title))
    except LearningModelError as exc:
        raise _refused(exc) from None
    return Status(201, {"id": recognition.pk, "unit": recognition.unit_id, "kind": recognition.kind, "year": recognition.year,
                        "number": recognition.number, "decided_on": recognition.decided_on, "signer": recognition.signer,
                        "entries": [{"evaluation": e.evaluation_id, "unit": e.evaluation.registration.participant.commune_id,
                                     "participant": e.evaluation.registration.participant.name, "outcome": e.outcome,
                                     "outcome_label": e.outcome_label}
                                    for e in recognition.entries.select_related("evaluation__registration__participant").order_by("pk")]})


# --- The district's inspection team -----------------------------------------------------------------------------------


class InspectionTeamIn(Schema):
    members: list[int | str]  # accounts of the district: id (as the web's form sends) or username
    decision_number: str = ""  # empty: the number already recorded stays


def _district(user: Any, code: str) -> Any:
    unit = unit_for_user_or_404(user, code)
    if unit.level != 2:
        raise Http404("Đoàn kiểm tra do cấp huyện lập.")  # the web's page answers 404 for any other unit
    return unit


def _team(district: Any, year: int) -> dict[str, Any]:
    team = InspectionTeam.objects.filter(district=district, year=year).first()
    members = list(team.members.order_by("username")) if team else []
    return {"unit": district.code, "year": year, "decision_number": team.decision_number if team else "",
            "members": [{"id": m.pk, "username": m.username, "name": str(m)} for m in members],
            "candidates": [{"id": m.pk, "username": m.username, "name": str(m)} for m in inspection_team_candidates(district=district)]}


@router.get("/{code}/{year}/inspection-team", summary="Đoàn kiểm tra của huyện trong năm (thẩm định cộng đồng học tập cấp xã)")
def inspection_team_read(request: HttpRequest, code: str, year: int) -> dict[str, Any]:
    """Như trang «Đoàn kiểm tra»: thành viên, số quyết định và những tài khoản của huyện có thể chọn. Chỉ cấp huyện (khác → 404)."""
    return _team(_district(caller(request), code), _year(year))


@router.put("/{code}/{year}/inspection-team", summary="Lập (thay) đoàn kiểm tra của huyện trong năm")
def inspection_team_write(request: HttpRequest, code: str, year: int, body: InspectionTeamIn) -> dict[str, Any]:
    """Như nút «Lưu» của trang «Đoàn kiểm tra»: ``members`` là danh sách đầy đủ (id hoặc tên đăng nhập của tài khoản đang
    hoạt động của chính huyện). Cán bộ của huyện hoặc cấp trên mới được lập (khác → 403); một thành viên không phải tài
    khoản của huyện → 400 nêu ``members``, không ghi gì."""
    user = caller(request)
    district = _district(user, code)
    year = _year(year)
    inspection_team_check(user, district)  # who may: before any member is looked up
    candidates = {m.pk: m for m in inspection_team_candidates(district=district)}
    by_name = {m.username: m for m in candidates.values()}
    chosen: dict[int, Any] = {}
    for given in body.members:
        text = str(given).strip()
        found = candidates.get(given) if isinstance(given, int) else by_name.get(text)
        if found is None:
            raise ApiError(400, f"«{text[:60]}» không phải tài khoản đang hoạt động của {district}: đoàn kiểm tra gồm cán bộ của chính "
                                "huyện (xem «candidates» ở GET).", "members")
        chosen[found.pk] = found
    try:
        inspection_team_set(actor=user, district=district, year=year, members=list(chosen.values()), decision_number=body.decision_number)
    except LearningModelError as exc:
        raise _refused(exc) from None
    return _team(district, year)
