"""The exchange's API routes (mounted by the API app under /api/v1/): ``POST``/``GET dataValueSets``, and the state
and summary of an import run as a job (``system/tasks/DATAVALUE_IMPORT/{job}``, ``system/taskSummaries/…``, DHIS2's paths).

JSON (DHIS2 dataValueSet) by default; ADX with ``Content-Type: application/adx+xml`` (POST), ``Accept:
application/adx+xml`` (GET) or ``?format=adx``. ``request.user`` is the caller (the API sets it from the token).
A payload up to ``XHHT_EXCHANGE_INLINE_MAX_BYTES`` is imported within the request, as DHIS2 does by default; a bigger
one, or any with ``async=true`` (DHIS2's parameter), is saved and imported by a job in ``xhht worker`` (202 with the
job's reference). Thin: the services check, write and audit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Query, Router

from xhht.exchange import jobs
from xhht.exchange.services import CONTENT_TYPES, ExchangeError, datavalues_export, datavalues_import, format_name, max_bytes
from xhht.jobs.models import Job
from xhht.jobs.uploads import upload_path

CHUNK = 256 * 1024
TASKS = "/system/tasks/DATAVALUE_IMPORT/"
SUMMARIES = "/system/taskSummaries/DATAVALUE_IMPORT/"


def _error(message: str, status: int) -> JsonResponse:
    # DHIS2's shape (status, message) and the API's (detail, field) in one answer.
    return JsonResponse({"status": "ERROR", "message": message, "detail": message, "field": None}, status=status, json_dumps_params={"ensure_ascii": False})


def _fmt(request: HttpRequest, given: str | None, header: str) -> str:
    if given:
        return format_name(given)
    return "adx" if "adx+xml" in request.headers.get(header, "") else "dhis2"


def make_router() -> Router:
    """A fresh router with the routes (a router is mounted on one NinjaAPI only: tests make their own)."""
    router = Router(tags=["Trao đổi dữ liệu (DHIS2, ADX)"])
    router.add_api_operation("/dataValueSets", ["POST"], datavaluesets_import, response={200: dict, 202: dict, 400: dict, 401: dict, 403: dict,
                             404: dict, 413: dict, 415: dict}, summary="Nhập số liệu (DHIS2 dataValueSet JSON hoặc ADX XML), tất cả hoặc không gì")
    router.add_api_operation(TASKS + "{job}", ["GET"], import_task, response={200: dict, 401: dict, 404: dict},
                             summary="Trạng thái một lượt nhập số liệu chạy nền (đang chạy, xong hay bị từ chối) và bản tóm tắt khi xong")
    router.add_api_operation(SUMMARIES + "{job}", ["GET"], import_task_summary, response={200: dict, 202: dict, 400: dict, 401: dict,
                             403: dict, 404: dict}, summary="Bản tóm tắt của một lượt nhập số liệu chạy nền, như câu trả lời khi nhập trực tiếp")
    router.add_api_operation("/dataValueSets", ["GET"], datavaluesets_export, response={200: Any, 400: dict, 401: dict, 404: dict, 415: dict},
                             summary="Xuất số liệu của một đơn vị và các đơn vị trực thuộc (DHIS2 JSON hoặc ADX)")
    return router


def datavaluesets_import(request: HttpRequest, format: str | None = None, dryRun: bool = False,
                         async_: bool = Query(False, alias="async")) -> HttpResponse:  # noqa: B008
    """``async=true``, or a payload above XHHT_EXCHANGE_INLINE_MAX_BYTES: imported by a job (202 with its reference)."""
    try:
        fmt = _fmt(request, format, "Content-Type")
        try:
            declared = int(request.headers.get("Content-Length") or 0)
        except ValueError:
            declared = 0
        limit = max_bytes()
        if declared > limit:  # refused before reading the body
            raise ExchangeError(_too_big(limit), status=413)
        inline_max = min(jobs.inline_max_bytes(), limit)
        if not async_ and declared <= inline_max:
            head = request.read(inline_max + 1)
            if len(head) <= inline_max:  # small: within the request, as DHIS2 does by default
                summary = datavalues_import(user=request.user, payload=head, fmt=fmt, mapping=jobs.api_mapping(), dry_run=dryRun)
                return JsonResponse(summary.as_dict(), status=summary.http_status, json_dumps_params={"ensure_ascii": False})
        else:
            head = b""
        if not getattr(request.user, "is_authenticated", False):
            raise ExchangeError("Cần đăng nhập (hoặc mã truy cập API) để nhập số liệu.", status=401)
        job = jobs.import_start(user=request.user, path=_payload_save(request, head, limit=limit, fmt=fmt), fmt=fmt, dry_run=dryRun)
    except ExchangeError as exc:
        return _error(exc.message, exc.status)
    return _accepted(request, job)


def _too_big(limit: int) -> str:
    return f"Dữ liệu quá lớn; tối đa {limit // (1024 * 1024)} MB mỗi lần nhập: hãy chia nhỏ."


def _payload_save(request: HttpRequest, head: bytes, *, limit: int, fmt: str) -> Path:
    """The body (``head`` already read) streamed to a job upload, never more than ``limit`` bytes (413 beyond)."""
    path = upload_path(prefix="datavalues", suffix=".xml" if fmt == "adx" else ".json")
    size = len(head)
    try:
        with path.open("wb") as out:
            out.write(head)
            while chunk := request.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise ExchangeError(_too_big(limit), status=413)
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def _base(request: HttpRequest) -> str:
    """The router's own prefix in this request's path (/api/v1/trao-doi, or a test API's)."""
    path = request.path
    for marker in ("/dataValueSets", TASKS, SUMMARIES):
        if marker in path:
            return path[: path.rindex(marker)]
    return path.rstrip("/")


def _job_answer(request: HttpRequest, job: Job, state: dict[str, Any]) -> dict[str, Any]:
    """The API's job shape (job, url, state…), as for the person import."""
    return {"job": job.pk, "url": f"{_base(request)}{TASKS}{job.pk}", **state}


def _accepted(request: HttpRequest, job: Job) -> HttpResponse:
    """202: the job's reference in DHIS2's words (``response.relativeNotifierEndpoint``) and in the API's (``job``, ``url``)."""
    found = jobs.import_state(str(job.pk), user=request.user)
    assert found is not None  # the caller's own job, just queued
    answer = _job_answer(request, job, found[1])
    body = {"httpStatus": "Accepted", "httpStatusCode": 202, "status": "OK", "message": "Initiated dataValueImport",
            "response": {"name": "dataValueImport", "id": str(job.pk), "created": job.created_at.isoformat(), "jobType": "DATAVALUE_IMPORT",
                         "relativeNotifierEndpoint": answer["url"]}, **answer}
    response = JsonResponse(body, status=202, json_dumps_params={"ensure_ascii": False})
    response["Location"] = answer["url"]
    return response


def _caller_job(request: HttpRequest, job: int) -> tuple[Job, dict[str, Any]]:
    if not getattr(request.user, "is_authenticated", False):
        raise ExchangeError("Cần đăng nhập (hoặc mã truy cập API).", status=401)
    found = jobs.import_state(str(job), user=request.user)
    if found is None:
        raise ExchangeError("Không có lượt nhập này (hoặc không phải do bạn gửi).", status=404)
    return found


def import_task(request: HttpRequest, job: int) -> HttpResponse:
    """Only its sender sees a job: ``state`` (running, done, rejected), ``problems``, and ``summary`` once it ended."""
    try:
        row, state = _caller_job(request, job)
    except ExchangeError as exc:
        return _error(exc.message, exc.status)
    return JsonResponse(_job_answer(request, row, state), json_dumps_params={"ensure_ascii": False})


def import_task_summary(request: HttpRequest, job: int) -> HttpResponse:
    """The import summary, exactly the synchronous answer (its body and status); 202 with the job's state until then."""
    try:
        row, state = _caller_job(request, job)
    except ExchangeError as exc:
        return _error(exc.message, exc.status)
    summary = state["summary"]
    if summary is None:
        return JsonResponse(_job_answer(request, row, state), status=202 if row.active else 200, json_dumps_params={"ensure_ascii": False})
    return JsonResponse({k: v for k, v in summary.items() if k != "httpStatusCode"}, status=summary.get("httpStatusCode", 200),
                        json_dumps_params={"ensure_ascii": False})


def datavaluesets_export(request: HttpRequest, orgUnit: str, periodFrom: str, periodTo: str, format: str | None = None,
                         dataElement: list[str] = Query(None)) -> HttpResponse:  # noqa: B008
    try:
        fmt = _fmt(request, format, "Accept")
        body = datavalues_export(user=request.user, unit_code=orgUnit, period_from=periodFrom, period_to=periodTo,
                                 elements=dataElement or None, fmt=fmt, mapping=jobs.api_mapping())
    except ExchangeError as exc:
        return _error(exc.message, exc.status)
    return HttpResponse(body, content_type=f"{CONTENT_TYPES[fmt]}; charset=utf-8")


# Mounted by the API app (xhht/api/main.py): /api/v1/trao-doi/dataValueSets
router = make_router()
