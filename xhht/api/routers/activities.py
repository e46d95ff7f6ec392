"""Activity registers (community learning centres, vocational classes, communication…): read, scoped as the web's lists;
add, change and delete a record where the web's form allows, import a whole register from a file as the web's import
page does, and read (or export) a vocational class's learner list with the read logged as on the web, or import it from
a file as the class's learner page does; all through the same parser, checks and services. Imports are jobs run by
``xhht worker`` (xhht/activities/jobs.py): 202 with the job to follow, as the person import."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import ConfigDict

from xhht.accounts.access import unit_for_user_or_404
from xhht.activities.jobs import learners_import_start, learners_job_state, register_import_start, register_job_state
from xhht.activities.learners import LEARNER_COLUMNS, learner_list_export, learner_list_read
from xhht.activities.registers import REGISTERS, RegisterSpec, RowInvalid, parse_row, record_form_values
from xhht.activities.selectors import (
    record_for_user_or_none,
    register_entry_units,
    register_record_editable,
    register_records,
    register_target_check,
)
from xhht.activities.services import activity_record_create, activity_record_delete, activity_record_update
from xhht.api.common import caller, job_answer, page_slice
from xhht.api.errors import ApiError

router = Router(tags=["Hoạt động"])


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (date, datetime)) or value is None or isinstance(value, (bool, int, str, float)):
        return value
    return str(value)


@router.get("/", summary="Các sổ hoạt động")
def registers(request: HttpRequest) -> list[dict[str, Any]]:
    return [{"register": s.slug, "title": s.title, "period_kind": s.period_kind, "columns": s.column_names}
            for s in sorted(REGISTERS.values(), key=lambda s: s.slug)]


class RecordIn(Schema):
    """The register's columns (GET /activities/ lists them), by name: ``{"unit_code": "05115", "year": 2019, …}``."""

    model_config = ConfigDict(extra="allow")


def _spec(slug: str) -> RegisterSpec:
    spec = next((s for s in REGISTERS.values() if s.slug == slug), None)
    if spec is None:
        raise ApiError(404, f"Không có sổ «{slug[:60]}».", "slug")
    return spec


def _row(spec: RegisterSpec, record: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"id": record.pk, "unit": record.unit_id}
    for column in spec.columns:
        if column.kind != "unit":
            row[column.name] = _plain(getattr(record, column.name, None))
    return row


def _body_values(request: HttpRequest, spec: RegisterSpec) -> dict[str, str]:
    """The register's columns sent in the JSON body (ninja has parsed it and checked it is an object), as the form's text."""
    body = json.loads(request.body or b"{}")
    if not isinstance(body, dict):
        raise ApiError(400, "Nội dung gửi lên phải là một đối tượng JSON {\"cột\": giá trị}.", "body")
    known = {c.name for c in spec.columns}
    unknown = sorted(set(body) - known)
    if unknown:
        raise ApiError(400, f"Sổ «{spec.title}» không có cột «{unknown[0][:60]}».", unknown[0][:60])
    return {name: "" if value is None else str(value) for name, value in body.items()}


def _parsed(spec: RegisterSpec, user: Any, values: dict[str, Any]) -> dict[str, Any]:
    """The web form's checks in the web form's order: the unit (centre, organisation) named → 403, then every column → 400."""
    register_target_check(spec=spec, user=user, values=values)
    try:
        return parse_row(spec, values, user=user)
    except RowInvalid as exc:
        raise _invalid(exc) from None


def _invalid(exc: RowInvalid) -> ApiError:
    column = exc.problems[0][0] if exc.problems else ""
    return ApiError(400, "; ".join(m for _, m in exc.problems[:5]) or str(exc), column or None)


def _record(spec: RegisterSpec, user: Any, record: int) -> Any:
    """The record if the caller may see it, else 404 (as the web: outside one's area is as absent)."""
    found = record_for_user_or_none(spec=spec, user=user, pk=record)
    if found is None:
        raise ApiError(404, "Không tìm thấy bản ghi.", "record")
    return found


def _editable(spec: RegisterSpec, user: Any, record: Any, what: str) -> None:
    if not register_record_editable(spec=spec, user=user, record=record):
        raise PermissionDenied(f"Bạn không có quyền {what} bản ghi này.")


@router.post("/{slug}", response={201: dict[str, Any]}, summary="Thêm một bản ghi vào sổ hoạt động (như biểu mẫu trên web)")
def record_create(request: HttpRequest, slug: str, payload: RecordIn) -> Status[dict[str, Any]]:
    """Các cột của sổ (xem GET /activities/), đơn vị ở ``unit_code``; cùng kiểm tra như biểu mẫu trên web.
    Đơn vị (trung tâm, tổ chức) không phải của người gọi → 403; dữ liệu sai → 400 nêu cột."""
    spec = _spec(slug)
    user = caller(request)
    values = {c.name: "" for c in spec.columns} | _body_values(request, spec)
    data = _parsed(spec, user, values)
    try:
        record = activity_record_create(actor=user, register=spec.key, data=data)
    except RowInvalid as exc:
        raise _invalid(exc) from None
    return Status(201, _row(spec, record))


@router.post("/{slug}/import", response={202: dict[str, Any]},
             summary="Gửi tệp CSV/XLSX để nhập cả sổ hoạt động: một công việc chạy nền (cả tệp hoặc không gì, như trang «Nhập» trên web)")
def register_import(request: HttpRequest, slug: str, file: File[UploadedFile]) -> Status[dict[str, Any]]:
    """Tệp theo mẫu của sổ (GET /activities/ liệt kê các cột; trang web có tệp mẫu). Không được nhập vào sổ này → 403.
    Được nhận: tệp được lưu và xếp vào hàng đợi, trả 202 với mã công việc (``job``) và ``url`` để theo dõi ở
    GET /activities/{slug}/import/{job}. Công việc kiểm tra toàn bộ tệp: một lỗi ở bất kỳ dòng nào (kể cả một đơn vị không
    phải của mình) → ``state`` «rejected», ``problems`` nêu từng lỗi và ``places`` nói rõ tệp, trang tính, dòng, cột; không
    ghi gì. Nếu không, mỗi phạm vi có trong tệp (đơn vị và năm, trung tâm và năm học…) được thay bằng các dòng của tệp
    (``state`` «done», ``rows``, ``scopes``, ``changed_scopes``). Cỡ tệp tối đa như trên web (XHHT_MAX_UPLOAD_BYTES)."""
    spec = _spec(slug)
    user = caller(request)
    if not register_entry_units(spec=spec, user=user):
        raise PermissionDenied("Bạn không có quyền nhập dữ liệu vào sổ này.")
    job = register_import_start(user=user, spec=spec, upload=file)
    return Status(202, _register_job(user, spec, job))


def _register_job(user: Any, spec: RegisterSpec, job: int) -> dict[str, Any]:
    return job_answer(job=job, state=register_job_state(str(job), user=user, spec=spec), route=f"activities/{spec.slug}/import/{job}")


@router.get("/{slug}/import/{job}", summary="Trạng thái một lượt nhập sổ hoạt động: đang chạy, xong hay bị từ chối, và các lỗi")
def register_import_state(request: HttpRequest, slug: str, job: int) -> dict[str, Any]:
    """Chỉ người đã gửi tệp xem được (lượt nhập của người khác → 404)."""
    return _register_job(caller(request), _spec(slug), job)


def _learner_class(user: Any, slug: str, record: int) -> Any:
    spec = _spec(slug)
    if spec.key != "vocational_class":
        raise ApiError(404, f"Sổ «{spec.title}» không có danh sách học viên (chỉ lớp dạy nghề).", "slug")
    return _record(spec, user, record)


@router.get("/{slug}/{record}/learners", summary="Danh sách học viên của một lớp dạy nghề (dữ liệu cá nhân: mỗi lần đọc được ghi nhật ký)")
def learners_read(request: HttpRequest, slug: str, record: int) -> dict[str, Any]:
    """Như trang «Học viên» của lớp: ai xem được lớp thì xem được danh sách (lớp ngoài phạm vi → 404); mỗi lần đọc được
    ghi vào nhật ký như trên web (xem bản ghi cá nhân, số người, đơn vị của lớp)."""
    user = caller(request)
    klass = _learner_class(user, slug, record)
    learners = learner_list_read(actor=user, vocational_class=klass)
    return {"class": klass.pk, "unit": klass.unit_id, "count": len(learners), "columns": [c.name for c in LEARNER_COLUMNS],
            "items": [{"id": p.pk, **{c.name: _plain(getattr(p, c.name)) for c in LEARNER_COLUMNS}} for p in learners]}


@router.get("/{slug}/{record}/learners.xlsx", response={200: None}, summary="Danh sách học viên của lớp dạy nghề dạng .xlsx (ghi nhật ký xuất)")
def learners_export(request: HttpRequest, slug: str, record: int) -> HttpResponse:
    """Tệp .xlsx như nút «Xuất Excel» trên web (nhập lại được); mỗi lần xuất được ghi vào nhật ký như trên web."""
    user = caller(request)
    klass = _learner_class(user, slug, record)
    content = learner_list_export(actor=user, vocational_class=klass)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="hoc-vien-lop-{klass.pk}.xlsx"'
    return response


@router.post("/{slug}/{record}/learners/import", response={202: dict[str, Any]},
             summary="Gửi tệp CSV/XLSX danh sách học viên của lớp dạy nghề: một công việc chạy nền (thay cả danh sách, cả tệp hoặc không gì, như trang «Học viên» trên web)")
def learners_import(request: HttpRequest, slug: str, record: int, file: File[UploadedFile]) -> Status[dict[str, Any]]:
    """Như nút «Nhập» trên trang «Học viên» của lớp (tệp theo mẫu của nút «Xuất Excel»). Lớp ngoài phạm vi → 404; xem
    được lớp nhưng không được sửa → 403. Được nhận: 202 với ``job`` và ``url`` để theo dõi ở
    GET /activities/{slug}/{record}/learners/import/{job}. Công việc thay danh sách của lớp bằng các dòng của tệp và tính
    lại số liệu của lớp theo danh sách (``state`` «done», ``count``, ``learners``); một lỗi ở bất kỳ dòng nào →
    ``state`` «rejected», ``problems`` và ``places`` (tệp, trang tính, dòng, cột); không ghi gì. Cỡ tệp tối đa như trên
    web (XHHT_MAX_UPLOAD_BYTES)."""
    user = caller(request)
    klass = _learner_class(user, slug, record)
    if not register_record_editable(spec=REGISTERS["vocational_class"], user=user, record=klass):  # the web's own check
        raise PermissionDenied("Bạn không có quyền sửa danh sách học viên của lớp này.")
    job = learners_import_start(user=user, klass=klass, upload=file)
    return Status(202, _learners_job(user, slug, klass, job))


def _learners_job(user: Any, slug: str, klass: Any, job: int) -> dict[str, Any]:
    return job_answer(job=job, state=learners_job_state(str(job), user=user, klass=klass), route=f"activities/{slug}/{klass.pk}/learners/import/{job}")


@router.get("/{slug}/{record}/learners/import/{job}", summary="Trạng thái một lượt nhập danh sách học viên: đang chạy, xong hay bị từ chối, và các lỗi")
def learners_import_state(request: HttpRequest, slug: str, record: int, job: int) -> dict[str, Any]:
    """Chỉ người đã gửi tệp xem được (lớp ngoài phạm vi, hay lượt nhập của người khác → 404)."""
    user = caller(request)
    return _learners_job(user, slug, _learner_class(user, slug, record), job)


@router.get("/{slug}/{record}", summary="Một bản ghi của sổ hoạt động")
def record_read(request: HttpRequest, slug: str, record: int) -> dict[str, Any]:
    spec = _spec(slug)
    return _row(spec, _record(spec, caller(request), record))


@router.put("/{slug}/{record}", summary="Sửa một bản ghi (như trang sửa trên web; cột không gửi giữ giá trị đã lưu)")
def record_update(request: HttpRequest, slug: str, record: int, payload: RecordIn) -> dict[str, Any]:
    """Gửi các cột cần đổi. Bản ghi ngoài phạm vi → 404; được xem mà không được sửa (hoặc chuyển sang đơn vị không
    phải của mình) → 403; dữ liệu sai → 400 nêu cột. Không ghi gì khi bị từ chối."""
    spec = _spec(slug)
    user = caller(request)
    found = _record(spec, user, record)
    _editable(spec, user, found, "sửa")
    values = {k: "" if v is None else str(v) for k, v in record_form_values(spec, found).items()} | _body_values(request, spec)
    data = _parsed(spec, user, values)
    try:
        activity_record_update(actor=user, register=spec.key, record=found, data=data)
    except RowInvalid as exc:
        raise _invalid(exc) from None
    return _row(spec, found)


@router.delete("/{slug}/{record}", response={204: None}, summary="Xóa một bản ghi (như nút Xóa trên web)")
def record_delete(request: HttpRequest, slug: str, record: int) -> Status[None]:
    """Bản ghi ngoài phạm vi → 404; được xem mà không được xóa → 403. Các chỉ số tính từ sổ được tính lại."""
    spec = _spec(slug)
    user = caller(request)
    found = _record(spec, user, record)
    _editable(spec, user, found, "xóa")
    activity_record_delete(actor=user, register=spec.key, record=found)
    return Status(204, None)


@router.get("/{slug}", summary="Bản ghi của một sổ hoạt động")
def records(request: HttpRequest, slug: str, unit: str = "", period: str = "", limit: int = 100, offset: int = 0) -> dict[str, Any]:
    spec = _spec(slug)
    user = caller(request)
    within = unit_for_user_or_404(user, unit) if unit else None
    qs = register_records(spec=spec, user=user, unit=within, period=period).order_by("unit_id", "pk")
    total, page = page_slice(qs, limit=limit, offset=offset)
    return {"count": total, "limit": limit, "offset": offset, "items": [_row(spec, r) for r in page]}
