"""Every change of the learning-model cycle: one transaction, one audit entry, the acting user checked."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from xhht.accounts.access import can_edit_unit, can_supervise, is_administrator, is_commune_officer_of
from xhht.audit.services import audit_record
from xhht.core.attachments import EVIDENCE_TYPES, AttachmentRefused, attachment_check
from xhht.core.numbers import NumberError, parse_number
from xhht.core.tabular import Problem, Rejected, open_table
from xhht.core.text import fold
from xhht.indicators.models import DataValue
from xhht.indicators.services import Value, data_values_write, disaggregation_key
from xhht.learning_models.models import (
    Evaluation,
    Evidence,
    IndicatorScore,
    InspectionTeam,
    ModelKind,
    Participant,
    Recognition,
    RecognitionEntry,
    Registration,
    Status,
    VillageHouseholds,
)
from xhht.learning_models.rubrics import Rubric, rubric_for, rubric_get
from xhht.learning_models.scoring import ScoreError, ScoreResult, check_value, score
from xhht.units.models import Unit

EVIDENCE_MAX_BYTES = getattr(settings, "XHHT_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
OUTCOME_ELEMENTS = ("tot", "kha", "trung_binh", "khong_dat", "muc_1", "muc_2")
EVIDENCE_EXTENSIONS = EVIDENCE_TYPES  # no .doc/.xls: old Office files may carry macros (issue 12, hole 8)


class LearningModelError(ValueError):
    """A refused change, with a Vietnamese message for the user and, where one is at fault, the field (``kind``,
    ``values.c1``…: the API names it in its answer; the web shows the message)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class StatusConflict(LearningModelError):
    """The evaluation is no longer (or not yet) in the state the change needs: already submitted, not submitted, reviewed."""

    def __init__(self, message: str):
        super().__init__(message, "status")


def _system(actor: Any) -> bool:
    """The demo loader and management commands act without a user."""
    return actor is None


def _require_unit(actor: Any, unit: Unit | str) -> None:
    if not _system(actor) and not can_edit_unit(actor, unit):
        raise PermissionDenied("Bạn không có quyền thay đổi dữ liệu của đơn vị này.")


def _dec(value: Any) -> Decimal | None:
    """A typed score by the one number reader (xhht/core/numbers.py): "127,5" and "127.5" are 127.5; a lone
    group such as "1,234" is refused as ambiguous (it was read as 1.234 here, as 1234 elsewhere)."""
    try:
        return parse_number(value, whole=False)
    except NumberError as exc:
        raise LearningModelError(f"Giá trị «{value}»: {exc}") from None


# --- Registration -----------------------------------------------------------------------------------


def _check_lengths(*texts: tuple[str, str, str, int]) -> None:
    """(field, label, text, limit): refuse a text longer than its column (the database would answer with an error page)."""
    for field, label, text, limit in texts:
        if len(text or "") > limit:
            raise LearningModelError(f"{label} dài quá {limit} ký tự.", field)


def _checked_entry(rubric: Any, known: dict[str, Any], code: str, raw: Any) -> Decimal | None:
    """The value typed for indicator ``code``, checked against the rubric; raises with a Vietnamese reason."""
    if code not in known:
        raise LearningModelError(f"Chỉ tiêu «{code}» không có trong bộ tiêu chí {rubric.code}.")
    value = _dec(raw)
    check_value(known[code], value)
    return value

def participant_register(
    *, actor: Any, kind: str, commune: Unit, name: str, year: int, village: str = "", head_name: str = "",
    registered_on: date | None = None,
) -> Registration:
    """Register a family, clan, village, unit (or the commune itself) for ``year``; idempotent."""
    _require_unit(actor, commune)
    if not commune.is_commune_level:
        raise LearningModelError(f"{commune} không phải đơn vị cấp xã: mô hình học tập đăng ký ở xã, phường, thị trấn.", "commune")
    if kind not in ModelKind.values:
        raise LearningModelError(f"Loại mô hình «{kind}» không hợp lệ.", "kind")
    name = (name or "").strip()
    if not name:
        raise LearningModelError("Thiếu tên mô hình đăng ký.", "name")
    _check_lengths(("name", "Tên", name, 200), ("village", "Tên thôn, xóm", village.strip(), 120),
                   ("head_name", "Tên chủ hộ, người đứng đầu", head_name, 120))
    with transaction.atomic():
        participant, created = Participant.objects.get_or_create(kind=kind, commune=commune, village=village.strip(), name=name,
                                                                 defaults={"head_name": head_name})
        if created:
            audit_record(actor=actor, action="learning_participant_create", instance=participant, unit_code=commune.code,
                         changes={"kind": [None, kind], "name": [None, name], "village": [None, village]})
        registration, created = Registration.objects.get_or_create(
            participant=participant, year=year,
            defaults={"registered_on": registered_on or date(year, 1, 15), "registered_by": actor if getattr(actor, "is_authenticated", False) else None},
        )
        if created:
            audit_record(actor=actor, action="learning_registration_create", instance=registration, object_repr=f"Đăng ký {participant} năm {year}",
                         unit_code=commune.code, changes={"year": [None, year]})
    return registration


# Registration lists from a file: the commune officer fills the template (or any sheet with these headers)
# instead of typing hundreds of families one by one. All-or-nothing, every problem named by row and column.
REGISTRATION_COLUMNS = ("kind", "name", "village", "head_name", "registered_on")
REGISTRATION_HEADERS = {"kind": "Loại", "name": "Tên", "village": "Thôn, xóm", "head_name": "Chủ hộ / người đứng đầu",
                        "registered_on": "Ngày đăng ký"}
REGISTRATION_ALIASES = {**{header: column for column, header in REGISTRATION_HEADERS.items()},
                        "loai_mo_hinh": "kind", "ten_mo_hinh": "name", "thon": "village", "thon_xom": "village", "chu_ho": "head_name",
                        "ngay_dang_ky": "registered_on"}
REGISTRATION_MAX_ROWS = 20_000  # above the households of any commune
_KIND_WORDS = {
    **{fold(label): code for code, label in ModelKind.choices if code != ModelKind.COMMUNE},
    **{code: code for code in ModelKind.values if code != ModelKind.COMMUNE},
    "gia dinh": ModelKind.FAMILY, "dong ho": ModelKind.CLAN, "thon": ModelKind.VILLAGE, "ban": ModelKind.VILLAGE,
    "thon, ban": ModelKind.VILLAGE, "cong dong": ModelKind.VILLAGE, "don vi": ModelKind.UNIT,
}
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


@dataclass
class RegistrationImport:
    rows: int
    created: int  # registrations new this year
    existing: int  # already registered that year: left as they were


def _registration_date(text: str, year: int, today: date) -> tuple[date | None, str | None]:
    if (m := _DMY.match(text)):
        day, month, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif (m := _ISO.match(text)):
        y, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        return None, f"ngày đăng ký «{text}» không đúng dạng ngày/tháng/năm (ví dụ 15/01/{year})."
    try:
        value = date(y, month, day)
    except ValueError:
        return None, f"ngày đăng ký «{text}» không có thật."
    if value > today:
        return None, f"ngày đăng ký {value:%d/%m/%Y} ở tương lai."
    if not year - 1 <= value.year <= year:
        return None, f"ngày đăng ký {value:%d/%m/%Y} không thuộc năm {year} (hoặc cuối năm {year - 1})."
    return value, None


def registrations_import(*, actor: Any, commune: Unit, year: int, path: Path | str, display_name: str | None = None) -> RegistrationImport:
    """Register every family, clan, village and unit listed in a CSV/XLSX file for ``year`` in ``commune``.

    Raises :class:`Rejected` with every problem (file, row, column, reason) and then writes nothing.
    Rows already registered that year are counted, not duplicated.
    """
    _require_unit(actor, commune)
    name = display_name or PurePath(path).name
    if not commune.is_commune_level:
        raise Rejected([Problem(f"{commune} không phải đơn vị cấp xã: mô hình học tập đăng ký ở xã, phường, thị trấn.", file=name)])
    table = open_table(path, columns=REGISTRATION_COLUMNS, required=("kind", "name"), aliases=REGISTRATION_ALIASES, display_name=name)
    today = timezone.localdate()
    problems: list[Problem] = []
    seen: dict[tuple[str, str, str], int] = {}
    rows: list[dict[str, Any]] = []

    def bad(number: int, column: str, reason: str) -> None:
        problems.append(Problem(reason, file=name, sheet=table.sheet, row=number, column=REGISTRATION_HEADERS[column]))

    for number, record in table.rows:
        if len(rows) >= REGISTRATION_MAX_ROWS:
            raise Rejected([Problem(f"tệp có quá {REGISTRATION_MAX_ROWS:,} dòng.".replace(",", "."), file=name)])
        text = {k: unicodedata.normalize("NFC", (record.get(k) or "").strip()) for k in REGISTRATION_COLUMNS}
        kind = _KIND_WORDS.get(fold(text["kind"]))
        if kind is None:
            bad(number, "kind", f"loại «{text['kind']}» không hợp lệ: ghi gia đình, dòng họ, thôn (cộng đồng) hoặc đơn vị.")
        if not text["name"]:
            bad(number, "name", "thiếu tên.")
        for column, limit in (("name", 200), ("village", 120), ("head_name", 120)):
            if len(text[column]) > limit:
                bad(number, column, f"dài quá {limit} ký tự.")
        registered_on = None
        if text["registered_on"]:
            registered_on, reason = _registration_date(text["registered_on"], year, today)
            if reason:
                bad(number, "registered_on", reason)
        key = (str(kind), fold(text["village"]), fold(text["name"]))
        if kind and text["name"] and key in seen:
            bad(number, "name", f"«{text['name']}» ({text['village'] or 'không ghi thôn'}) trùng với dòng {seen[key]}.")
        seen.setdefault(key, number)
        rows.append({**text, "kind": kind, "registered_on": registered_on})
    if not rows and not problems:
        problems.append(Problem("tệp không có dòng dữ liệu nào.", file=name))
    if problems:
        raise Rejected(problems[:200])
    before = Registration.objects.filter(participant__commune=commune, year=year).count()
    with transaction.atomic():
        for row in rows:
            participant_register(actor=actor, kind=row["kind"], commune=commune, name=row["name"], year=year, village=row["village"],
                                 head_name=row["head_name"], registered_on=row["registered_on"])
    created = Registration.objects.filter(participant__commune=commune, year=year).count() - before
    return RegistrationImport(rows=len(rows), created=created, existing=len(rows) - created)


def commune_participant(commune: Unit) -> Participant | None:
    return Participant.objects.filter(kind=ModelKind.COMMUNE, commune=commune).first()


MAX_HOUSEHOLDS = 1_000_000  # far above any village; keeps the number inside a database integer


def village_households_set(*, actor: Any, commune: Unit, village: str, year: int, households: int) -> VillageHouseholds:
    _require_unit(actor, commune)
    if households < 0:
        raise LearningModelError("Số hộ không được âm.", "households")
    if households > MAX_HOUSEHOLDS:
        raise LearningModelError(f"Số hộ quá lớn (tối đa {MAX_HOUSEHOLDS:,}).".replace(",", "."), "households")
    _check_lengths(("village", "Tên thôn, xóm", village, 120))
    with transaction.atomic():
        row = VillageHouseholds.objects.filter(commune=commune, village=village, year=year).first()
        old = row.households if row else None
        if row is None:
            row = VillageHouseholds.objects.create(commune=commune, village=village, year=year, households=households)
        elif old != households:
            row.households = households
            row.save(update_fields=["households"])
        if old != households:
            audit_record(actor=actor, action="learning_village_households_set", object_type="learning_models.villagehouseholds", object_id=str(row.pk),
                         object_repr=f"Số hộ {village} năm {year}", unit_code=commune.code, changes={"households": [old, households]})
    return row


# --- Evaluation -------------------------------------------------------------------------------------

def evaluation_rubric(evaluation: Evaluation) -> Rubric:
    return rubric_get(evaluation.rubric_code)


def _data_value(rubric_ind: Any, commune_code: str, year: int) -> Decimal | None:
    """1/0 for a computed indicator from the indicator store, or None when the data are absent."""
    rule = rubric_ind.data
    num = DataValue.objects.filter(element=rule.numerator_element, unit_id=commune_code, period=str(year),
                                   disaggregation=disaggregation_key(rule.numerator_disaggregation)).first()
    if num is None:
        return None
    if rule.denominator_element is None:
        return Decimal(1) if num.value >= rule.at_least else Decimal(0)
    den = DataValue.objects.filter(element=rule.denominator_element, unit_id=commune_code, period=str(year),
                                   disaggregation=disaggregation_key(rule.denominator_disaggregation)).first()
    if den is None or den.value <= 0:
        return None
    return Decimal(1) if num.value * 100 >= rule.at_least_percent * den.value else Decimal(0)


def _fill_computed(evaluation: Evaluation, rubric: Rubric) -> None:
    participant = evaluation.registration.participant
    for ind in rubric.indicators:
        if ind.judgement != "computed" or ind.data is None:
            continue
        value = _data_value(ind, participant.commune_id, evaluation.registration.year)
        if value is None:
            continue
        row, _ = IndicatorScore.objects.get_or_create(evaluation=evaluation, indicator=ind.code)
        if row.self_value != value or row.self_source != "computed":
            row.self_value, row.self_source = value, "computed"
            row.self_note = f"Tính từ kho số liệu: {ind.data.label}"
            row.save()


def evaluation_result(evaluation: Evaluation, *, reviewed: bool = True) -> ScoreResult:
    """The engine's result for the evaluation: with the reviewer's values (default) or the self-evaluation's."""
    rubric = evaluation_rubric(evaluation)
    values: dict[str, Decimal | None] = {}
    for row in evaluation.scores.all():
        values[row.indicator] = row.value if reviewed else row.self_value
    return score(rubric, values)


def _recompute(evaluation: Evaluation) -> None:
    own = evaluation_result(evaluation, reviewed=False)
    final = evaluation_result(evaluation, reviewed=True)
    evaluation.self_total, evaluation.self_outcome = own.total, own.outcome or ""
    evaluation.total, evaluation.outcome = final.total, final.outcome or ""
    evaluation.save(update_fields=["self_total", "self_outcome", "total", "outcome"])


def _registration_for(participant: Participant, year: int) -> Registration:
    registration = Registration.objects.filter(participant=participant, year=year).first()
    if registration is None:
        raise LearningModelError(f"{participant} chưa đăng ký năm {year}: không thể tự đánh giá.", "year")
    return registration


def evaluation_start(*, actor: Any, participant: Participant, year: int) -> Evaluation:
    """Open (or return) the year's evaluation, with the rubric in force that year."""
    _require_unit(actor, participant.commune)
    registration = _registration_for(participant, year)
    existing = Evaluation.objects.filter(registration=registration).first()
    if existing is not None:
        return existing
    rubric = rubric_for(subject=participant.kind, year=year)
    if rubric is None:
        raise LearningModelError(f"Không có bộ tiêu chí nào áp dụng cho «{participant.get_kind_display()}» năm {year}.", "year")
    with transaction.atomic():
        evaluation = Evaluation.objects.create(registration=registration, rubric_code=rubric.code, rubric_version=rubric.version)
        _fill_computed(evaluation, rubric)
        _recompute(evaluation)
        audit_record(actor=actor, action="learning_evaluation_start", instance=evaluation, object_repr=f"Đánh giá {participant} năm {year}",
                     unit_code=participant.commune_id, changes={"rubric": [None, f"{rubric.code} v{rubric.version}"]})
    return evaluation


def evaluation_self_score(
    *, actor: Any, participant: Participant, year: int, values: Mapping[str, Any], notes: Mapping[str, str] | None = None, note: str | None = None,
) -> Evaluation:
    """Enter self-evaluated values indicator by indicator (all or nothing)."""
    _require_unit(actor, participant.commune)
    registration = _registration_for(participant, year)
    evaluation = Evaluation.objects.filter(registration=registration).first() or evaluation_start(actor=actor, participant=participant, year=year)
    if evaluation.status != Status.DRAFT:
        raise StatusConflict("Bản tự đánh giá đã gửi đi: không sửa được nữa.")
    rubric = evaluation_rubric(evaluation)
    known = {ind.code: ind for ind in rubric.indicators}
    parsed: dict[str, Decimal | None] = {}
    problems: list[tuple[str, str]] = []
    for code, raw in values.items():
        try:
            parsed[code] = _checked_entry(rubric, known, code, raw)
        except (ScoreError, LearningModelError) as exc:
            problems.append((f"values.{code}", str(exc)))
    for code, text in (notes or {}).items():
        if len(text or "") > 500:
            problems.append((f"notes.{code}", f"Ghi chú của chỉ tiêu «{code}» dài quá 500 ký tự."))
    if problems:
        raise LearningModelError(" ".join(message for _, message in problems), problems[0][0])
    changes: dict[str, list[Any]] = {}
    with transaction.atomic():
        for code, value in parsed.items():
            row, _ = IndicatorScore.objects.get_or_create(evaluation=evaluation, indicator=code)
            if row.self_source == "computed" and row.self_value is not None:
                continue  # a value the data give is not overwritten by hand
            text_note = (notes or {}).get(code, row.self_note)
            if row.self_value != value or row.self_note != text_note:
                changes[code] = [None if row.self_value is None else str(row.self_value), None if value is None else str(value)]
                row.self_value, row.self_source, row.self_note = value, "entered", text_note or ""
                row.save()
        if note is not None and note != evaluation.self_note:
            changes["self_note"] = [evaluation.self_note or None, note]  # audited like the scores (issue 12, hole 7)
            evaluation.self_note = note
            evaluation.save(update_fields=["self_note"])
        _fill_computed(evaluation, rubric)
        _recompute(evaluation)
        if changes:
            audit_record(actor=actor, action="learning_self_score", instance=evaluation, object_repr=f"Tự đánh giá {participant} năm {year}",
                         unit_code=participant.commune_id, changes=changes)
    return evaluation


def evidence_attach(*, actor: Any, evaluation: Evaluation, name: str, content: bytes, indicator: str = "", content_type: str = "") -> Evidence:
    participant = evaluation.registration.participant
    _require_unit(actor, participant.commune)
    if evaluation.status not in (Status.DRAFT, Status.SUBMITTED):
        raise StatusConflict("Đánh giá đã thẩm định: không thêm minh chứng.")
    clean = PurePath((name or "").replace("\\", "/")).name[:200]
    if len(content) > EVIDENCE_MAX_BYTES:
        raise LearningModelError(f"Tệp «{clean}» quá lớn ({len(content)} byte; tối đa {EVIDENCE_MAX_BYTES // (1024 * 1024)} MB).", "file")
    if indicator and indicator not in {i.code for i in evaluation_rubric(evaluation).indicators}:
        raise LearningModelError(f"Chỉ tiêu «{indicator}» không có trong bộ tiêu chí.", "indicator")
    try:
        # Type by name and content, no macros, ClamAV where installed (issue 12, hole 8).
        clean = attachment_check(name=clean, content=content, allowed=EVIDENCE_EXTENSIONS)
    except AttachmentRefused as exc:
        raise LearningModelError(str(exc), "file") from None
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        evidence = Evidence(evaluation=evaluation, indicator=indicator, original_name=clean, content_type=content_type[:100],
                            size=len(content), sha256=digest, uploaded_by=actor if getattr(actor, "is_authenticated", False) else None)
        evidence.file.save(clean, ContentFile(content), save=False)
        evidence.save()
        audit_record(actor=actor, action="learning_evidence_attach", instance=evidence, object_repr=f"Minh chứng {clean}",
                     unit_code=participant.commune_id, changes={"file": [None, clean], "sha256": [None, digest]})
    return evidence


def evaluation_submit(*, actor: Any, evaluation: Evaluation) -> Evaluation:
    participant = evaluation.registration.participant
    _require_unit(actor, participant.commune)
    if evaluation.status != Status.DRAFT:
        raise StatusConflict("Bản tự đánh giá đã được gửi.")
    result = evaluation_result(evaluation, reviewed=False)
    if result.missing:
        raise LearningModelError(f"Còn {len(result.missing)} chỉ tiêu chưa tự đánh giá: {', '.join(result.missing)}.", f"values.{result.missing[0]}")
    with transaction.atomic():
        evaluation.status, evaluation.submitted_at = Status.SUBMITTED, timezone.now()
        evaluation.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
        evaluation.save(update_fields=["status", "submitted_at", "submitted_by"])
        audit_record(actor=actor, action="learning_evaluation_submit", instance=evaluation, unit_code=participant.commune_id,
                     object_repr=f"Đánh giá {participant} năm {evaluation.registration.year}", changes={"status": [Status.DRAFT, Status.SUBMITTED]})
    return evaluation


# --- Review -----------------------------------------------------------------------------------------

def inspection_team_check(actor: Any, district: Unit) -> None:
    """Raise PermissionDenied unless ``actor`` may set ``district``'s inspection team (its officers and those above)."""
    _require_unit(actor, district)
    if not _system(actor) and not can_supervise(actor):
        raise PermissionDenied("Chỉ cán bộ cấp huyện trở lên lập đoàn kiểm tra.")


def inspection_team_set(*, actor: Any, district: Unit, year: int, members: Iterable[Any], decision_number: str = "") -> InspectionTeam:
    """Designate the district's inspection team of ``year`` (district officers only). The web's page and the API offer
    the district's own active accounts (:func:`~xhht.learning_models.selectors.inspection_team_candidates`); a decision
    number over its column is refused (field ``decision_number``) and nothing is written."""
    inspection_team_check(actor, district)
    members = list(members)
    decision_number = (decision_number or "").strip()
    limit = InspectionTeam._meta.get_field("decision_number").max_length or 60
    if len(decision_number) > limit:
        raise LearningModelError(f"Số quyết định thành lập đoàn dài quá {limit} ký tự.", "decision_number")
    with transaction.atomic():
        team, _ = InspectionTeam.objects.get_or_create(district=district, year=year)
        before = sorted(team.members.values_list("username", flat=True))
        team.decision_number = decision_number or team.decision_number
        team.save()
        team.members.set(members)
        after = sorted(m.username for m in members)
        if before != after:
            audit_record(actor=actor, action="learning_inspection_team_set", instance=team, object_repr=f"Đoàn kiểm tra {district} năm {year}",
                         unit_code=district.code, changes={"members": [before, after]})
    return team


def may_review(actor: Any, evaluation: Evaluation) -> bool:
    """Communes are reviewed by the district's inspection team; families, clans, villages, units by their commune."""
    participant = evaluation.registration.participant
    if _system(actor):
        return True
    if not getattr(actor, "is_authenticated", False):
        return False
    if is_administrator(actor):
        return True
    if participant.kind == ModelKind.COMMUNE:
        district_code = participant.commune.parent_id
        return InspectionTeam.objects.filter(district_id=district_code, year=evaluation.registration.year, members=actor).exists()
    return is_commune_officer_of(actor, participant.commune_id)


def evaluation_review(
    *, actor: Any, evaluation: Evaluation, changes: Mapping[str, tuple[Any, str]] | None = None, note: str = "",
) -> Evaluation:
    """Review a submitted evaluation; each changed score needs a reason, kept beside the original."""
    if not may_review(actor, evaluation):
        raise PermissionDenied("Bạn không thuộc đoàn kiểm tra (hoặc đơn vị) có thẩm quyền thẩm định đánh giá này.")
    if evaluation.status != Status.SUBMITTED:
        raise StatusConflict("Chỉ thẩm định được bản tự đánh giá đã gửi và chưa thẩm định.")
    rubric = evaluation_rubric(evaluation)
    known = {ind.code: ind for ind in rubric.indicators}
    problems: list[tuple[str, str]] = []
    parsed: dict[str, tuple[Decimal | None, str]] = {}
    for code, (raw, reason) in (changes or {}).items():
        try:
            value = _checked_entry(rubric, known, code, raw)
        except (ScoreError, LearningModelError) as exc:
            problems.append((f"changes.{code}", str(exc)))
            continue
        current = evaluation.scores.filter(indicator=code).first()
        if value is not None and current is not None and current.self_value == value:
            continue  # no change
        if value is not None and not (reason or "").strip():
            problems.append((f"changes.{code}", f"Chỉ tiêu «{code}»: phải ghi lý do khi điều chỉnh điểm."))
            continue
        if len((reason or "").strip()) > 500:
            problems.append((f"changes.{code}", f"Chỉ tiêu «{code}»: lý do dài quá 500 ký tự."))
            continue
        parsed[code] = (value, (reason or "").strip())
    if problems:
        raise LearningModelError(" ".join(message for _, message in problems), problems[0][0])
    participant = evaluation.registration.participant
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    audit_changes: dict[str, list[Any]] = {}
    with transaction.atomic():
        for code, (value, reason) in parsed.items():
            row, _ = IndicatorScore.objects.get_or_create(evaluation=evaluation, indicator=code)
            audit_changes[code] = [None if row.value is None else str(row.value), None if value is None else str(value)]
            row.reviewed_value, row.review_reason, row.reviewed_by, row.reviewed_at = value, reason, user, now
            row.save()
        evaluation.status, evaluation.reviewed_at, evaluation.reviewed_by, evaluation.review_note = Status.REVIEWED, now, user, note
        evaluation.save(update_fields=["status", "reviewed_at", "reviewed_by", "review_note"])
        _recompute(evaluation)
        audit_changes["status"] = [Status.SUBMITTED, Status.REVIEWED]
        audit_changes["outcome"] = [evaluation.self_outcome, evaluation.outcome]
        audit_record(actor=actor, action="learning_evaluation_review", instance=evaluation, object_repr=f"Thẩm định {participant} năm {evaluation.registration.year}",
                     unit_code=participant.commune_id, changes=audit_changes, note=note)
    return evaluation


# --- Recognition ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DecisionInfo:
    number: str
    decided_on: date
    signer: str
    signer_title: str = ""
    authority: str = ""


def recognition_create(*, actor: Any, unit: Unit, kind: str, year: int, decision: DecisionInfo, evaluations: Iterable[Evaluation]) -> Recognition:
    """Record a recognition (classification) decision and its list.

    Communes are recognised by the district; the others by their commune. Only reviewed evaluations of
    that kind and year, inside the deciding unit, may be listed; a computed failing result is listed only
    where the decision classifies every commune (TT 44: Tốt/Khá/Trung bình/Không đạt).
    """
    _require_unit(actor, unit)
    if kind == ModelKind.COMMUNE and not _system(actor) and not can_supervise(actor):
        raise PermissionDenied("Quyết định về cộng đồng học tập cấp xã do cấp huyện ban hành.")
    if not decision.number.strip() or not decision.signer.strip():
        raise LearningModelError("Quyết định phải có số và người ký.", "number" if not decision.number.strip() else "signer")
    _check_lengths(("number", "Số quyết định", decision.number.strip(), 60), ("signer", "Tên người ký", decision.signer.strip(), 120),
                   ("signer_title", "Chức vụ người ký", decision.signer_title, 120), ("authority", "Cơ quan ra quyết định", decision.authority, 200))
    if Recognition.objects.filter(unit=unit, number=decision.number.strip(), year=year).exists():
        raise LearningModelError(f"Đã có quyết định số «{decision.number.strip()}» năm {year} của {unit}.", "number")
    evaluations = list(evaluations)
    if not evaluations:
        raise LearningModelError("Danh sách công nhận trống.", "evaluations")
    problems: list[str] = []
    for ev in evaluations:
        p = ev.registration.participant
        where = p.commune.parent_id if kind == ModelKind.COMMUNE else p.commune_id
        if p.kind != kind or ev.registration.year != year:
            problems.append(f"{p}: không phải {ModelKind(kind).label} năm {year}.")
        elif where != unit.code:
            problems.append(f"{p}: không thuộc {unit}.")
        elif ev.status != Status.REVIEWED:
            problems.append(f"{p}: chưa được thẩm định hoặc đã có quyết định.")
        else:
            result = evaluation_result(ev)
            classify_all = kind == ModelKind.COMMUNE and result.rubric.scoring == "points"
            if result.passing is False and not classify_all:
                problems.append(f"{p}: kết quả {result.outcome_label}, không đủ điều kiện công nhận.")
    if problems:
        raise LearningModelError(" ".join(problems), "evaluations")
    with transaction.atomic():
        recognition = Recognition.objects.create(
            unit=unit, kind=kind, year=year, number=decision.number.strip(), decided_on=decision.decided_on, signer=decision.signer.strip(),
            signer_title=decision.signer_title, authority=decision.authority or rubric_get(evaluations[0].rubric_code).authority(year),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        for ev in evaluations:
            result = evaluation_result(ev)
            label = result.outcome_label if result.determined else "Công nhận theo quyết định (bộ tiêu chí chưa đủ số liệu)"
            RecognitionEntry.objects.create(recognition=recognition, evaluation=ev, outcome=result.outcome or "decision", outcome_label=label)
            ev.status = Status.RECOGNISED
            ev.save(update_fields=["status"])
        audit_record(actor=actor, action="learning_recognition_create", instance=recognition, object_repr=f"Quyết định {recognition.number}",
                     unit_code=unit.code, changes={"entries": [None, len(evaluations)], "number": [None, recognition.number]})
        learning_results_publish(actor=actor, unit=unit, year=year)
    return recognition


def learning_results_publish(*, actor: Any, unit: Unit, year: int) -> int:
    """Write the year's results of the communes under ``unit`` (or of ``unit`` itself) to the indicator store."""
    from collections import Counter

    from xhht.learning_models.selectors import commune_results

    if unit.level == 3:
        rows = commune_results(unit=unit.parent, year=year, only=[unit.code]) if unit.parent else []
    else:
        rows = commune_results(unit=unit, year=year)
    codes = [row.commune.code for row in rows]
    recognised = Counter(RecognitionEntry.objects.filter(evaluation__registration__participant__commune_id__in=codes, evaluation__registration__year=year)
                         .values_list("evaluation__registration__participant__commune_id", "evaluation__registration__participant__kind"))
    families = Counter(Registration.objects.filter(participant__commune_id__in=codes, participant__kind=ModelKind.FAMILY, year=year)
                       .values_list("participant__commune_id", flat=True))
    households: dict[str, int] = {}
    for code, count in VillageHouseholds.objects.filter(commune_id__in=codes, year=year).values_list("commune_id", "households"):
        households[code] = households.get(code, 0) + count
    values: list[Value] = []
    period = str(year)
    for row in rows:
        code = row.commune.code
        values.append(Value(element="lc_communes", unit_code=code, period=period, value=1))
        values.append(Value(element="lc_commune_evaluated", unit_code=code, period=period, value=1 if row.evaluation is not None and row.outcome else 0))
        for outcome in OUTCOME_ELEMENTS:
            values.append(Value(element=f"lc_commune_{outcome}", unit_code=code, period=period, value=1 if row.outcome == outcome else 0))
        for kind, element in (("family", "lm_families_recognised"), ("clan", "lm_clans_recognised"),
                              ("village_community", "lm_villages_recognised"), ("learning_unit", "lm_units_recognised")):
            values.append(Value(element=element, unit_code=code, period=period, value=recognised.get((code, kind), 0)))
        values.append(Value(element="lm_families_registered", unit_code=code, period=period, value=families.get(code, 0)))
        if code in households:
            values.append(Value(element="lm_households", unit_code=code, period=period, value=households[code]))
    return data_values_write(actor=actor, values=values, source="computed", rule="learning_models")
