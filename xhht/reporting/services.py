"""Changing reports: save (web or Excel), submit, approve, return, reopen.

Every function runs in one transaction, checks the actor's rights, and records both a
:class:`SubmissionEvent` (shown on the form) and an audit entry. Saving is guarded by the
submission's version number: a save based on an older version is refused and changes nothing,
so the first person's values are kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from xhht.audit.services import audit_record
from xhht.indicators.services import Value, data_values_write
from xhht.reporting.catalogue import APPROXIMATE_PREFIX, QUALIFIERS, Form, get_catalogue
from xhht.reporting.models import Status, Submission, SubmissionEvent
from xhht.reporting.numbers import NumberError, parse_number
from xhht.indicators.periods import parse_period
from xhht.units.selectors import unit_existed_during
from xhht.reporting.selectors import Reporter, can_approve_reporter, can_edit_reporter, form_reports_for, form_values, reporter_of
from xhht.reporting.validation import Finding, form_findings


class ReportingError(Exception):
    """A refused change, with a message for the person who tried it."""


class StaleVersion(ReportingError):
    def __init__(self, base: int, current: int, by: str = ""):
        self.base, self.current = base, current
        who = f" ({by})" if by else ""
        super().__init__(
            f"Báo cáo đã được người khác lưu{who} sau khi bạn mở nó (bạn sửa phiên bản {base}, hiện tại là phiên bản {current}). "
            "Số liệu của bạn CHƯA được lưu; số liệu đang hiển thị là bản đã lưu trước đó. Hãy xem lại rồi nhập lại phần thay đổi."
        )


class Locked(ReportingError):
    pass


class ReasonMissing(ReportingError):
    """A return or reopen without its reason (checked after the caller's right to decide)."""


class InvalidValues(ReportingError):
    """Some entries are not acceptable; ``errors`` maps each cell key or text field to its message."""

    def __init__(self, errors: Mapping[str, str]):
        self.errors = dict(errors)
        super().__init__(f"Có {len(self.errors)} ô nhập chưa đúng; chưa lưu gì.")


class SubmitRefused(ReportingError):
    def __init__(self, message: str, findings: list[Finding]):
        self.findings = findings
        super().__init__(message)


@dataclass
class SaveResult:
    submission: Submission
    values: dict[str, Decimal | None]
    findings: list[Finding]
    changed: int


def parse_form_values(form: Form, raw: Mapping[str, object], texts: Mapping[str, object] | None = None) -> tuple[dict[str, Decimal | None], dict[str, str], dict[str, str]]:
    """Typed values of every input cell, totals computed; text answers; and the errors found (all of them)."""
    values: dict[str, Decimal | None] = {}
    errors: dict[str, str] = {}
    for cell in form.input_cells:
        try:
            values[cell.key] = parse_number(raw.get(cell.key), whole=cell.value_type in {"integer", "money"})
        except NumberError as exc:
            errors[cell.key] = str(exc)
    for cell in form.cells:
        if not cell.is_input:
            parts = [values.get(k) for k in cell.total_of]
            present = [p for p in parts if p is not None]
            values[cell.key] = sum(present, Decimal(0)) if present else None
    answers: dict[str, str] = {}
    for text_field in form.text_fields:
        value = (texts or {}).get(text_field.code)
        text = "" if value is None else str(value).strip()
        if len(text) > text_field.max_length:
            errors[text_field.code] = f"quá dài ({len(text)} ký tự; tối đa {text_field.max_length})."
        elif text_field.code.startswith(APPROXIMATE_PREFIX) and text and text.lower() not in QUALIFIERS:
            errors[text_field.code] = f"«{text}» không phải là cách ghi số ước tính; dùng một trong: {', '.join(QUALIFIERS)}, hoặc để trống."
        if text_field.code.startswith(APPROXIMATE_PREFIX):
            text = text.lower()
        answers[text_field.code] = text
    return values, answers, errors


def _span(unit: Any) -> str:
    start = f"{unit.valid_from:%d/%m/%Y}" if unit.valid_from else "…"
    end = f"{unit.valid_to:%d/%m/%Y}" if unit.valid_to else "nay"
    return f"{start} – {end}"


def _event(sub: Submission, *, action: str, actor: Any, at: datetime, before: str, comment: str = "") -> None:
    user = actor if getattr(actor, "is_authenticated", False) else None
    SubmissionEvent.objects.create(submission=sub, action=action, from_status=before, to_status=sub.status, version=sub.version,
                                   actor=user, at=at, comment=comment)
    audit_record(actor=actor, action=f"report_{action}", instance=sub, unit_code=sub.unit_id,
                 changes={"status": [before, sub.status]} if before != sub.status else {"version": [sub.version - 1, sub.version]},
                 note=comment[:500])


def submission_save(
    *,
    actor: Any,
    form: Form,
    reporter: Reporter,
    period: str,
    values: Mapping[str, object],
    texts: Mapping[str, object] | None = None,
    base_version: int,
    source: str = "entered",
    note: str = "",
    now: datetime | None = None,
    check_rights: bool = True,
) -> SaveResult:
    """Store the form's values (every cell: a blank removes a value) and its text answers.

    Raises PermissionDenied, :class:`Locked` (submitted or approved), :class:`StaleVersion`
    (someone saved since ``base_version``) or :class:`InvalidValues` (nothing written).
    """
    if check_rights and not can_edit_reporter(actor, reporter):
        raise PermissionDenied("Bạn không có quyền nhập báo cáo của đơn vị này.")
    if not form_reports_for(form, reporter):
        raise ReportingError(f"{reporter.name} không báo cáo theo biểu «{form.title}».")
    try:
        period_obj = parse_period(period)
    except ValueError as exc:
        raise ReportingError(str(exc)) from None
    if not unit_existed_during(unit=reporter.unit, start=period_obj.start, end=period_obj.end):
        raise ReportingError(f"{reporter.unit.title_name} không tồn tại trong {period_obj.label} "
                             f"(hiệu lực {_span(reporter.unit)}): không nhập báo cáo cho kỳ này được.")
    parsed, answers, errors = parse_form_values(form, values, texts)
    if errors:
        raise InvalidValues(errors)
    now = now or timezone.now()
    with transaction.atomic():
        sub = Submission.objects.select_for_update().filter(form_code=form.code, reporter_key=reporter.key, period=period).first()
        if sub is None:
            if base_version != 0:
                raise StaleVersion(base_version, 0)
            try:
                with transaction.atomic():
                    sub = Submission.objects.create(form_code=form.code, unit=reporter.unit, organisation=reporter.organisation,
                                                    reporter_key=reporter.key, period=period, version=0, status=Status.DRAFT)
            except IntegrityError:
                current = Submission.objects.get(form_code=form.code, reporter_key=reporter.key, period=period)
                raise StaleVersion(base_version, current.version) from None
        if not sub.is_editable:
            raise Locked(f"Báo cáo đang ở trạng thái «{sub.get_status_display()}»: không sửa được"
                         + (" cho đến khi cấp duyệt mở lại." if sub.status == Status.APPROVED else " cho đến khi được duyệt hoặc trả lại."))
        if sub.version != base_version:
            raise StaleVersion(base_version, sub.version, str(sub.updated_by) if sub.updated_by else "")
        # Only a version that is still the one read may move on: a concurrent writer loses here.
        moved = Submission.objects.filter(pk=sub.pk, version=base_version).update(version=base_version + 1)
        if moved != 1:
            raise StaleVersion(base_version, Submission.objects.get(pk=sub.pk).version)
        changed = data_values_write(
            actor=actor,
            values=[Value(element=c.element, unit_code=reporter.unit.code, period=period, value=parsed[c.key], disaggregation=c.disaggregation) for c in form.cells],
            source=source,
            rule=f"form:{form.code}",
        )
        before = sub.status
        sub.version = base_version + 1
        sub.texts = answers
        sub.updated_by = actor if getattr(actor, "is_authenticated", False) else None
        sub.save()
        _event(sub, action="import" if source == "imported" else "save", actor=actor, at=now, before=before, comment=note)
    stored = form_values(form=form, unit_code=reporter.unit.code, period=period)
    return SaveResult(sub, stored, form_findings(form, stored), changed)


def submission_submit(*, actor: Any, submission: Submission, comments: Mapping[str, str] | None = None, now: datetime | None = None,
                      check_rights: bool = True) -> Submission:
    """Send the report up: errors block it; each warning needs a comment explaining it."""
    reporter = reporter_of(submission)
    if check_rights and not can_edit_reporter(actor, reporter):
        raise PermissionDenied("Bạn không có quyền nộp báo cáo của đơn vị này.")
    form = get_catalogue().forms[submission.form_code]
    now = now or timezone.now()
    with transaction.atomic():
        sub = Submission.objects.select_for_update().get(pk=submission.pk)
        if not sub.is_editable:
            raise Locked(f"Báo cáo đang ở trạng thái «{sub.get_status_display()}», không nộp lại được.")
        values = form_values(form=form, unit_code=sub.unit_id, period=sub.period)
        if all(v is None for v in values.values()):
            raise SubmitRefused("Báo cáo chưa có số liệu nào: hãy nhập và lưu trước khi nộp.", [])
        findings = form_findings(form, values)
        errors = [f for f in findings if f.is_error]
        if errors:
            raise SubmitRefused(f"Chưa nộp được: còn {len(errors)} lỗi phải sửa.", findings)
        given = {k: v.strip() for k, v in (comments or {}).items() if v and v.strip()}
        unexplained = [f for f in findings if not f.is_error and f.code not in given]
        if unexplained:
            raise SubmitRefused(f"Chưa nộp được: {len(unexplained)} cảnh báo cần ghi giải trình.", findings)
        before = sub.status
        sub.status = Status.SUBMITTED
        sub.warning_comments = {f.code: given[f.code] for f in findings}
        sub.first_submitted_at = sub.first_submitted_at or now
        sub.submitted_at = now
        sub.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
        sub.save()
        _event(sub, action="submit", actor=actor, at=now, before=before,
               comment="; ".join(f"{k}: {v}" for k, v in sub.warning_comments.items()))
    return sub


def _decide(*, actor: Any, submission: Submission, action: str, allowed_from: set[str], to: str, comment: str, now: datetime | None,
            check_rights: bool, reason_required: str = "") -> Submission:
    reporter = reporter_of(submission)
    now = now or timezone.now()
    if check_rights and not can_approve_reporter(actor, reporter, parse_period(submission.period), today=timezone.localtime(now).date()):
        raise PermissionDenied("Bạn không có quyền duyệt báo cáo của đơn vị này: báo cáo kỳ này được duyệt theo địa giới "
                               "hành chính tại thời điểm cuối kỳ (cấp trên trực tiếp khi đó).")
    if reason_required and not comment:
        raise ReasonMissing(reason_required)
    with transaction.atomic():
        sub = Submission.objects.select_for_update().get(pk=submission.pk)
        if sub.status not in allowed_from:
            raise ReportingError(f"Không thực hiện được: báo cáo đang ở trạng thái «{sub.get_status_display()}».")
        before = sub.status
        sub.status = to
        sub.decided_at = now
        sub.decided_by = actor if getattr(actor, "is_authenticated", False) else None
        sub.decision_comment = comment
        sub.save()
        _event(sub, action=action, actor=actor, at=now, before=before, comment=comment)
    return sub


def submission_approve(*, actor: Any, submission: Submission, comment: str = "", now: datetime | None = None, check_rights: bool = True) -> Submission:
    """Approve a submitted report; its data are locked from then on."""
    return _decide(actor=actor, submission=submission, action="approve", allowed_from={Status.SUBMITTED}, to=Status.APPROVED,
                   comment=comment.strip(), now=now, check_rights=check_rights)


def submission_return(*, actor: Any, submission: Submission, comment: str, now: datetime | None = None, check_rights: bool = True) -> Submission:
    """Send a submitted report back to its reporter, saying what to correct."""
    return _decide(actor=actor, submission=submission, action="return", allowed_from={Status.SUBMITTED}, to=Status.RETURNED,
                   comment=(comment or "").strip(), now=now, check_rights=check_rights,
                   reason_required="Hãy ghi lý do trả lại để đơn vị biết cần sửa gì.")


def submission_reopen(*, actor: Any, submission: Submission, reason: str, now: datetime | None = None, check_rights: bool = True) -> Submission:
    """Unlock an approved report so it can be corrected; only an approver may, and must say why."""
    return _decide(actor=actor, submission=submission, action="reopen", allowed_from={Status.APPROVED}, to=Status.RETURNED,
                   comment=(reason or "").strip(), now=now, check_rights=check_rights,
                   reason_required="Hãy ghi lý do mở lại báo cáo đã duyệt.")
