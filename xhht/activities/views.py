"""Web pages of the activity registers: thin views over the registers, services and selectors.

A record outside the user's area answers 404 (as one that does not exist); a change the user may
not make answers 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from xhht.accounts.access import can_edit_organisation, scope_codes, unit_for_user_or_404
from xhht.activities import exports, jobs, parsing, selectors, services
from xhht.activities.definitions import catalogue
from xhht.activities.registers import BY_SLUG, REGISTERS, RegisterSpec, RowInvalid, parse_row, record_form_values, record_to_row
from xhht.activities.summaries import build_summary
from xhht.organisations.models import Organisation
from xhht.units.models import Unit


def _spec(slug: str) -> RegisterSpec:
    spec = BY_SLUG.get(slug)
    if spec is None:
        raise Http404("Không có sổ này.")
    return spec


def _visible_units(user: Any) -> list[Unit]:
    scope = scope_codes(user)
    qs = Unit.objects.all() if scope is None else Unit.objects.filter(code__in=scope)
    return list(qs.exclude(kind="village").order_by("code"))


def _default_unit(user: Any) -> Unit | None:
    if user.unit_id:
        return user.unit
    return None


def _record_editable(spec: RegisterSpec, user: Any, record: Any) -> bool:
    return selectors.register_record_editable(spec=spec, user=user, record=record)


def _unit_choices(spec: RegisterSpec, user: Any) -> list[tuple[str, str]]:
    """Units (or, for centre registers, communes with a centre) the user may enter data for."""
    return [(u.code, f"{u.code} – {u.title_name}") for u in selectors.register_entry_units(spec=spec, user=user)]


def _organisation_choices(user: Any) -> list[tuple[str, str]]:
    scope = scope_codes(user)
    qs = Organisation.objects.select_related("unit").order_by("unit_id", "name")
    if scope is not None:
        qs = qs.filter(unit_id__in=scope)
    return [(str(o.pk), f"{o.name} ({o.unit.full_name})") for o in qs if can_edit_organisation(user, o)]


def _form_fields(spec: RegisterSpec, user: Any, values: dict[str, Any], errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    cat = catalogue()
    fields = []
    for column in spec.columns:
        field: dict[str, Any] = {"column": column, "value": "" if values.get(column.name) is None else str(values.get(column.name)),
                                 "errors": errors.get(column.name, [])}
        if column.kind == "unit":
            field["choices"] = _unit_choices(spec, user)
        elif column.kind == "organisation":
            field["choices"] = _organisation_choices(user)
        elif column.kind == "choice":
            field["choices"] = cat.choices(column.vocabulary)
        fields.append(field)
    return fields


def _unit_and_period(request: HttpRequest, spec: RegisterSpec) -> tuple[Any, str]:
    """The unit (``?don_vi=``, 404 outside the user's reach; else the user's own) and period a list or export is for."""
    code = request.GET.get("don_vi", "").strip()
    unit = unit_for_user_or_404(request.user, code) if code else _default_unit(request.user)
    return unit, _period_param(request, spec)


def _period_param(request: HttpRequest, spec: RegisterSpec) -> str:
    """The ?ky= filter, normalised ("2019/2020" -> "2019-2020"); a value that is no period of this register is ignored."""
    text = request.GET.get("ky", "").strip()[:20]
    if not text:
        return ""
    try:
        if spec.period_field == "school_year":
            return parsing.parse_school_year(text, first=1900, last=2100)
        if spec.period_field == "year":
            return str(parsing.parse_year(text, first=1900, last=2100))
        return parsing.parse_year_or_phase(text, first=1900, last=2100)
    except ValueError as exc:
        messages.error(request, f"Bỏ qua bộ lọc: {exc}")
        return ""


def _nav(request: HttpRequest) -> dict[str, Any]:
    return {"registers": list(REGISTERS.values())}


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "activities/index.html", _nav(request))


@login_required
def register_list(request: HttpRequest, slug: str) -> HttpResponse:
    spec = _spec(slug)
    user = request.user
    unit, period = _unit_and_period(request, spec)
    records = selectors.register_records(spec=spec, user=user, unit=unit, period=period)
    periods_all = sorted({str(p) for p in selectors.register_records(spec=spec, user=user, unit=unit).order_by().values_list(spec.period_field, flat=True).distinct()})
    summary = build_summary(spec, unit=unit, periods=[period] if period else periods_all) if unit is not None else None
    page = Paginator(records.order_by(spec.period_field, "unit_id", "pk"), 50).get_page(request.GET.get("trang"))
    rows = [{"record": r, "cells": [record_to_row(spec, r)[c.name] for c in spec.columns], "editable": _record_editable(spec, user, r)} for r in page]
    context = {
        **_nav(request), "spec": spec, "unit": unit, "period": period, "units": _visible_units(user),
        "periods": selectors.register_periods(spec=spec, user=user), "summary": summary, "page": page, "rows": rows,
        "can_create": bool(_unit_choices(spec, user)), "query": request.GET.urlencode(),
    }
    return render(request, "activities/list.html", context)


def _save(request: HttpRequest, spec: RegisterSpec, record: Any | None) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        selectors.register_target_check(spec=spec, user=user, values=request.POST)
        values = {c.name: request.POST.get(c.name, "") for c in spec.columns}
        errors: dict[str, list[str]] = {}
        try:
            data = parse_row(spec, values, user=user)
            if record is None:
                record = services.activity_record_create(actor=user, register=spec.key, data=data)
                messages.success(request, "Đã thêm bản ghi.")
            else:
                services.activity_record_update(actor=user, register=spec.key, record=record, data=data)
                messages.success(request, "Đã lưu thay đổi.")
            return redirect(reverse("activities:list", args=[spec.slug]) + f"?don_vi={record.unit_id}")
        except RowInvalid as exc:
            for column, message in exc.problems:
                errors.setdefault(column or "__all__", []).append(message)
        status = 400
    else:
        values = record_form_values(spec, record) if record is not None else {}
        if record is None and user.unit_id and not values.get("unit_code"):  # type: ignore[union-attr]
            values["unit_code"] = user.unit_id  # type: ignore[union-attr]
        errors, status = {}, 200
    context = {**_nav(request), "spec": spec, "record": record, "fields": _form_fields(spec, user, values, errors),
               "form_errors": errors.get("__all__", []), "editable": record is None or _record_editable(spec, user, record)}
    return render(request, "activities/form.html", context, status=status)


@login_required
def record_create(request: HttpRequest, slug: str) -> HttpResponse:
    spec = _spec(slug)
    if not _unit_choices(spec, request.user):
        raise PermissionDenied("Bạn không có quyền nhập dữ liệu vào sổ này.")
    return _save(request, spec, None)


def _record_or_404(spec: RegisterSpec, user: Any, pk: int) -> Any:
    record = selectors.record_for_user_or_none(spec=spec, user=user, pk=pk)
    if record is None:
        raise Http404("Không tìm thấy bản ghi.")
    return record


@login_required
def record_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    spec = _spec(slug)
    record = _record_or_404(spec, request.user, pk)
    if request.method == "POST" and not _record_editable(spec, request.user, record):
        raise PermissionDenied("Bạn không có quyền sửa bản ghi này.")
    return _save(request, spec, record)


@login_required
@require_POST
def record_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    spec = _spec(slug)
    record = _record_or_404(spec, request.user, pk)
    if not _record_editable(spec, request.user, record):
        raise PermissionDenied("Bạn không có quyền xóa bản ghi này.")
    unit_code = record.unit_id
    services.activity_record_delete(actor=request.user, register=spec.key, record=record)
    messages.success(request, "Đã xóa bản ghi.")
    return redirect(reverse("activities:list", args=[spec.slug]) + f"?don_vi={unit_code}")


@login_required
def register_export(request: HttpRequest, slug: str) -> HttpResponse:
    spec = _spec(slug)
    user = request.user
    unit, period = _unit_and_period(request, spec)
    template_only = request.GET.get("mau") == "1"
    records = [] if template_only else list(selectors.register_records(spec=spec, user=user, unit=unit, period=period).order_by(spec.period_field, "unit_id", "pk"))
    summary = None
    if unit is not None and not template_only:
        periods = [period] if period else sorted({str(getattr(r, spec.period_field)) for r in records})
        summary = build_summary(spec, unit=unit, periods=periods)
    content = exports.register_workbook(spec=spec, records=records, summary=summary, guidance=template_only,
                                        unit_code=unit.code if unit is not None else "")
    name = f"{spec.slug}{'-mau' if template_only else ''}{'-' + unit.code if unit and not template_only else ''}{'-' + period if period else ''}.xlsx"
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def register_import(request: HttpRequest, slug: str) -> HttpResponse:
    """The file is saved and imported by a job in ``xhht worker``; its page follows it and shows the outcome."""
    spec = _spec(slug)
    user = request.user
    if not _unit_choices(spec, user):
        raise PermissionDenied("Bạn không có quyền nhập dữ liệu vào sổ này.")
    if request.method == "POST":
        upload = request.FILES.get("tep")
        if upload is not None:
            return redirect("activities:import_job", slug=spec.slug, job=jobs.register_import_start(user=user, spec=spec, upload=upload))
    problems = ["Chưa chọn tệp."] if request.method == "POST" else []
    return render(request, "activities/import.html", {**_nav(request), "spec": spec, "problems": problems}, status=400 if problems else 200)


def _register_job_or_404(request: HttpRequest, slug: str, job: str) -> dict[str, Any]:
    spec = _spec(slug)
    state = jobs.register_job_state(job, user=request.user, spec=spec)
    if state is None:
        raise Http404("Không tìm thấy lượt nhập.")
    return {**_nav(request), "spec": spec, "job": job, "state": state}


@login_required
def register_import_job(request: HttpRequest, slug: str, job: str, status_only: bool = False) -> HttpResponse:
    """The job's page, or (``status_only``) the part of it htmx polls while the job runs."""
    template = "activities/_import_status.html" if status_only else "activities/import_job.html"
    return render(request, template, _register_job_or_404(request, slug, job))


def _vocational_class_or_404(user: Any, pk: int) -> Any:
    return _record_or_404(REGISTERS["vocational_class"], user, pk)


@login_required
def learner_list(request: HttpRequest, pk: int) -> HttpResponse:
    """A vocational class's learner list: shown to whoever sees the class, imported by whoever may change it."""
    from xhht.activities.learners import LEARNER_COLUMNS, learner_list_read

    spec = REGISTERS["vocational_class"]
    klass = _vocational_class_or_404(request.user, pk)
    editable = _record_editable(spec, request.user, klass)
    problems: list[str] = []
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("Bạn không có quyền sửa danh sách học viên của lớp này.")
        upload = request.FILES.get("tep")
        if upload is not None:  # imported by a job in ``xhht worker``; its page follows it
            return redirect("activities:learners_job", pk=klass.pk, job=jobs.learners_import_start(user=request.user, klass=klass, upload=upload))
        problems = ["Chưa chọn tệp."]
    learners = learner_list_read(actor=request.user, vocational_class=klass)
    context = {**_nav(request), "spec": spec, "klass": klass, "learners": learners, "columns": LEARNER_COLUMNS,
               "editable": editable, "problems": problems}
    return render(request, "activities/learners.html", context, status=400 if problems else 200)


def _learners_job_or_404(request: HttpRequest, pk: int, job: str) -> dict[str, Any]:
    klass = _vocational_class_or_404(request.user, pk)
    state = jobs.learners_job_state(job, user=request.user, klass=klass)
    if state is None:
        raise Http404("Không tìm thấy lượt nhập.")
    return {**_nav(request), "spec": REGISTERS["vocational_class"], "klass": klass, "job": job, "state": state}


@login_required
def learners_import_job(request: HttpRequest, pk: int, job: str, status_only: bool = False) -> HttpResponse:
    """The job's page, or (``status_only``) the part of it htmx polls while the job runs."""
    template = "activities/_learners_status.html" if status_only else "activities/learners_job.html"
    return render(request, template, _learners_job_or_404(request, pk, job))


@login_required
def learner_export(request: HttpRequest, pk: int) -> HttpResponse:
    from xhht.activities.learners import learner_list_export

    klass = _vocational_class_or_404(request.user, pk)
    content = learner_list_export(actor=request.user, vocational_class=klass)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="hoc-vien-lop-{klass.pk}.xlsx"'
    return response
