"""Literacy results in format 3 (docs/formats.md §3) and survey-person imports as jobs (the web's own job service)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from xhht.accounts.access import is_viewer, unit_for_user_or_404
from xhht.api.common import caller, date_param, job_answer
from xhht.api.errors import ApiError
from xhht.literacy import jobs
from xhht.literacy.forms import UploadForm
from xhht.literacy.selectors import UnitNotInPeriod, unit_results

router = Router(tags=["Xóa mù chữ, phổ cập"])


@router.get("/results/{code}/{year}", summary="Kết quả xóa mù chữ, phổ cập của một đơn vị (mẫu 3)")
def results_read(request: HttpRequest, code: str, year: int, on: str | None = None) -> dict[str, Any]:
    """Số người theo độ tuổi và mức chuẩn đạt được, đơn vị và các đơn vị trực thuộc (mẫu 3); ``on`` đọc theo địa giới ngày đó."""
    if not 1900 <= year <= 2100:
        raise ApiError(400, "Năm điều tra phải từ 1900 đến 2100.", "year")
    unit = unit_for_user_or_404(caller(request), code)
    when = date_param(on)
    if when is None and unit.valid_from is not None and unit.valid_from > date(year, 12, 31) and unit.changes_in.exists():
        when = unit.valid_from  # born in a reform: its past is its predecessors', on its first day's tree (as the web)
    try:
        result = unit_results(unit=unit, year=year, on=when)
    except (UnitNotInPeriod, ValueError) as exc:
        raise ApiError(404, str(exc), "year") from None
    return dict(result.as_format3(year=year))


def _job(request: HttpRequest, job: int) -> dict[str, Any]:
    return job_answer(job=job, state=jobs.job_state(str(job), user=caller(request)), route=f"literacy/imports/{job}")


@router.post("/imports", response={202: dict[str, Any]}, summary="Gửi tệp danh sách người (mẫu 2) để nhập: một công việc chạy nền")
def import_start(request: HttpRequest, year: Form[int], file: File[UploadedFile]) -> Status[dict[str, Any]]:
    """Lưu tệp và xếp lượt nhập vào hàng đợi (như trang «Nhập danh sách» của web); trả mã công việc để theo dõi ở
    GET /literacy/imports/{job}. Đơn vị trong tệp mà người gửi không được sửa làm cả tệp bị từ chối."""
    user = caller(request)
    if is_viewer(user):
        raise PermissionDenied("Bạn không có quyền nhập dữ liệu.")
    form = UploadForm(data={"year": year}, files=MultiValueDict({"file": [file]}))
    if not form.is_valid():
        field, messages = next(iter(form.errors.items()))
        raise ApiError(400, " ".join(str(m) for m in messages), field)
    try:
        job = jobs.import_start(user=user, year=form.cleaned_data["year"], upload=form.cleaned_data["file"])
    except jobs.JobBusy:
        raise ApiError(409, jobs.busy_message(unit=getattr(user, "unit", None), year=year), None) from None
    return Status(202, _job(request, job))


@router.get("/imports/{job}", summary="Trạng thái một lượt nhập: đang chạy, xong hay bị từ chối, và các lỗi")
def import_state(request: HttpRequest, job: int) -> dict[str, Any]:
    return _job(request, job)
