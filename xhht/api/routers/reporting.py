"""Periodic reports: list, read, save a draft (same validation and version check as the web), submit, approve, return."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema

from xhht.accounts.access import is_organisation_officer, scope_codes
from xhht.api.common import caller, page_slice, period_param
from xhht.api.errors import ApiError
from xhht.api.routers.indicators import number
from xhht.reporting.catalogue import Form, get_catalogue
from xhht.reporting.models import Status, Submission
from xhht.reporting.selectors import (
    Reporter,
    can_approve_reporter,
    can_edit_reporter,
    form_or_404,
    form_reports_for,
    form_values,
    period_or_404,
    reporter_for_user_or_404,
    submission_find,
)
from xhht.reporting.services import (
    InvalidValues,
    Locked,
    ReasonMissing,
    ReportingError,
    StaleVersion,
    SubmitRefused,
    submission_approve,
    submission_return,
    submission_save,
    submission_submit,
)
from xhht.reporting.validation import Finding, form_findings

router = Router(tags=["Báo cáo định kỳ"])


class DraftIn(Schema):
    version: int
    values: dict[str, int | float | str | None] = {}
    texts: dict[str, str] = {}
    note: str = ""


class DraftNewIn(DraftIn):
    form: str
    reporter: str
    period: str


class SubmitIn(Schema):
    comments: dict[str, str] = {}


class DecisionIn(Schema):
    comment: str = ""


def _finding(f: Finding) -> dict[str, Any]:
    return {"code": f.code, "importance": f.importance, "message": f.message, "keys": f.keys, "detail": f.detail}


def _report(user: Any, form: Form, reporter: Reporter, period: str) -> dict[str, Any]:
    sub = submission_find(form=form, reporter=reporter, period=period)
    values = form_values(form=form, unit_code=reporter.unit.code, period=period)
    return {
        "form": form.code, "form_title": form.title, "reporter": reporter.token, "unit": reporter.unit.code,
        "organisation": reporter.organisation.pk if reporter.organisation else None, "period": period,
        "status": sub.status if sub else None, "version": sub.version if sub else 0,
        "values": {k: number(v) for k, v in values.items()}, "texts": (sub.texts or {}) if sub else {},
        "findings": [_finding(f) for f in form_findings(form, values)] if sub else [],
        "warning_comments": (sub.warning_comments or {}) if sub else {},
        "submitted_at": sub.submitted_at if sub else None, "decided_at": sub.decided_at if sub else None,
        "decision_comment": sub.decision_comment if sub else "",
        "may_edit": (sub is None or sub.is_editable) and can_edit_reporter(user, reporter),
        "may_approve": bool(sub) and can_approve_reporter(user, reporter, period_param(period, "period")),
    }


def _target(user: Any, form_code: str, reporter_token: str, period: str) -> tuple[Form, Reporter, str]:
    """The form, reporter and period named in a path or a body: 404 for a reporter the caller may not see (as the web)."""
    form = form_or_404(form_code)
    reporter = reporter_for_user_or_404(user, reporter_token)
    period_param(period, "period")  # 400 for a period in the wrong format, before the form's own check (404 on the web)
    period_obj = period_or_404(form, period)
    if not form_reports_for(form, reporter):
        raise ApiError(404, f"{reporter.name} không báo cáo theo biểu «{form.title}».", "reporter")
    return form, reporter, period_obj.code


def _save(user: Any, form: Form, reporter: Reporter, period: str, body: DraftIn) -> dict[str, Any]:
    if not can_edit_reporter(user, reporter):
        raise PermissionDenied("Bạn không có quyền nhập báo cáo của đơn vị này.")
    inputs = {c.key for c in form.input_cells}
    unknown = sorted(set(body.values) - inputs)
    if unknown:
        computed = {c.key for c in form.cells} - inputs
        why = "là ô tổng, được tính" if unknown[0] in computed else "không có trong biểu"
        raise ApiError(400, f"Ô «{unknown[0][:80]}» {why}: không nhận giá trị.", f"values.{unknown[0][:80]}")
    texts_known = {f.code for f in form.text_fields}
    unknown_texts = sorted(set(body.texts) - texts_known)
    if unknown_texts:
        raise ApiError(400, f"Mục «{unknown_texts[0][:80]}» không có trong biểu.", f"texts.{unknown_texts[0][:80]}")
    # What is not sent keeps its stored value (the web sends every cell; a script sends what it changes).
    stored = form_values(form=form, unit_code=reporter.unit.code, period=period)
    raw: dict[str, object] = {k: stored.get(k) for k in inputs}
    raw.update(body.values)
    sub = submission_find(form=form, reporter=reporter, period=period)
    texts: dict[str, object] = dict((sub.texts or {}) if sub else {})
    texts.update(body.texts)
    try:
        submission_save(actor=user, form=form, reporter=reporter, period=period, values=raw, texts=texts, base_version=body.version,
                        source="entered", note=body.note[:500])
    except InvalidValues as exc:
        key, message = next(iter(exc.errors.items()))
        field = f"values.{key}" if key in inputs else f"texts.{key}"
        raise ApiError(400, f"{exc} Ô «{key}»: {message}", field) from None
    except (StaleVersion, Locked) as exc:
        raise ApiError(409, str(exc), "version") from None
    except ReportingError as exc:
        raise ApiError(400, str(exc), None) from None
    return _report(user, form, reporter, period)


@router.get("/forms", summary="Các biểu mẫu báo cáo và ô nhập của chúng")
def forms_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [{"code": f.code, "title": f.title, "version": f.version, "period_types": list(f.period_types),
             "unit_kinds": list(f.unit_kinds), "organisation_kinds": list(f.organisation_kinds),
             "cells": [{"key": c.key, "element": c.element, "label": c.label, "sub_label": c.sub_label, "value_type": c.value_type,
                        "input": c.is_input} for c in f.cells],
             "texts": [{"code": t.code, "label": t.label, "max_length": t.max_length} for t in f.text_fields]}
            for f in sorted(get_catalogue().forms.values(), key=lambda f: f.code)]


@router.get("/", summary="Danh sách báo cáo đã lập")
def report_list(request: HttpRequest, period: str = "", form: str = "", status: str = "", unit: str = "",
                limit: int = 100, offset: int = 0) -> dict[str, Any]:
    """Các báo cáo trong phạm vi người gọi được xem, sắp theo kỳ, biểu, đơn vị (ổn định giữa các trang)."""
    user = caller(request)
    qs = Submission.objects.select_related("unit", "organisation")
    if is_organisation_officer(user):
        qs = qs.filter(organisation_id=user.organisation_id)
    else:
        scope = scope_codes(user)
        if scope is not None:
            qs = qs.filter(unit_id__in=scope)
    if period:
        qs = qs.filter(period=period_param(period, "period").code)
    if form:
        qs = qs.filter(form_code=form_or_404(form).code)
    if status:
        if status not in Status.values:
            raise ApiError(400, f"Trạng thái «{status[:30]}» không có; dùng: {', '.join(Status.values)}.", "status")
        qs = qs.filter(status=status)
    if unit:
        qs = qs.filter(unit_id=unit)
    qs = qs.order_by("period", "form_code", "reporter_key", "pk")
    total, page = page_slice(qs, limit=limit, offset=offset)
    return {"count": total, "limit": limit, "offset": offset, "items": [
        {"form": s.form_code, "reporter": f"tc-{s.organisation_id}" if s.organisation_id else s.unit_id, "unit": s.unit_id,
         "period": s.period, "status": s.status, "version": s.version, "submitted_at": s.submitted_at, "updated_at": s.updated_at}
        for s in page]}


@router.post("/drafts", summary="Lưu bản nháp (đơn vị, biểu, kỳ ghi trong nội dung)")
def draft_save_new(request: HttpRequest, body: DraftNewIn) -> dict[str, Any]:
    """Như PUT /reports/{form}/{reporter}/{period}; đơn vị không được xem → 404, được xem mà không được sửa → 403."""
    user = caller(request)
    form, reporter, period = _target(user, body.form, body.reporter, body.period)
    return _save(user, form, reporter, period, body)


@router.get("/{form_code}/{reporter}/{period}", summary="Đọc một báo cáo")
def report_read(request: HttpRequest, form_code: str, reporter: str, period: str) -> dict[str, Any]:
    user = caller(request)
    form, rep, code = _target(user, form_code, reporter, period)
    return _report(user, form, rep, code)


@router.put("/{form_code}/{reporter}/{period}", summary="Lưu bản nháp (kiểm tra phiên bản: cũ → 409)")
def draft_save(request: HttpRequest, form_code: str, reporter: str, period: str, body: DraftIn) -> dict[str, Any]:
    """Ghi các ô gửi lên (ô không gửi giữ giá trị đã lưu). ``version`` là phiên bản đã đọc (0 nếu chưa có báo cáo):
    nếu ai đó đã lưu sau đó, trả 409 và không ghi gì."""
    user = caller(request)
    form, rep, code = _target(user, form_code, reporter, period)
    return _save(user, form, rep, code, body)


def _submission(user: Any, form_code: str, reporter: str, period: str) -> tuple[Form, Reporter, str, Submission]:
    form, rep, code = _target(user, form_code, reporter, period)
    sub = submission_find(form=form, reporter=rep, period=code)
    if sub is None:
        raise ApiError(404, "Chưa có báo cáo này: hãy lưu bản nháp trước.", None)
    return form, rep, code, sub


@router.post("/{form_code}/{reporter}/{period}/submit", summary="Nộp báo cáo")
def report_submit(request: HttpRequest, form_code: str, reporter: str, period: str, body: SubmitIn) -> dict[str, Any]:
    user = caller(request)
    form, rep, code, sub = _submission(user, form_code, reporter, period)
    try:
        submission_submit(actor=user, submission=sub, comments=body.comments)
    except SubmitRefused as exc:
        first = exc.findings[0].keys[0] if exc.findings and exc.findings[0].keys else None
        raise ApiError(400, f"{exc} " + " ".join(f.message for f in exc.findings[:5]), first) from None
    except Locked as exc:
        raise ApiError(409, str(exc), "status") from None
    return _report(user, form, rep, code)


@router.post("/{form_code}/{reporter}/{period}/approve", summary="Duyệt báo cáo")
def report_approve(request: HttpRequest, form_code: str, reporter: str, period: str, body: DecisionIn) -> dict[str, Any]:
    user = caller(request)
    form, rep, code, sub = _submission(user, form_code, reporter, period)
    try:
        submission_approve(actor=user, submission=sub, comment=body.comment)
    except ReportingError as exc:
        raise ApiError(409, str(exc), "status") from None
    return _report(user, form, rep, code)


@router.post("/{form_code}/{reporter}/{period}/return", summary="Trả lại báo cáo (ghi lý do)")
def report_return(request: HttpRequest, form_code: str, reporter: str, period: str, body: DecisionIn) -> dict[str, Any]:
    user = caller(request)
    form, rep, code, sub = _submission(user, form_code, reporter, period)
    try:
        submission_return(actor=user, submission=sub, comment=body.comment)
    except ReasonMissing as exc:
        raise ApiError(400, str(exc), "comment") from None
    except ReportingError as exc:
        raise ApiError(409, str(exc), "status") from None
    return _report(user, form, rep, code)
