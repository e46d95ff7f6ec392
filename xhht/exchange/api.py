"""The exchange's API routes (mounted by the API app under /api/v1/): ``POST``/``GET dataValueSets``.

JSON (DHIS2 dataValueSet) by default; ADX with ``Content-Type: application/adx+xml`` (POST), ``Accept:
application/adx+xml`` (GET) or ``?format=adx``. ``request.user`` is the caller (the API sets it from the token).
Thin: the services check, write and audit.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Query, Router

from xhht.exchange.mapping import Mapping, mapping_read
from xhht.exchange.services import CONTENT_TYPES, ExchangeError, datavalues_export, datavalues_import, format_name, max_bytes



def _error(message: str, status: int) -> JsonResponse:
    # DHIS2's shape (status, message) and the API's (detail, field) in one answer.
    return JsonResponse({"status": "ERROR", "message": message, "detail": message, "field": None}, status=status, json_dumps_params={"ensure_ascii": False})


def _mapping() -> Mapping | None:
    path = getattr(settings, "XHHT_EXCHANGE_MAPPING", "")
    return mapping_read(path) if path else None


def _fmt(request: HttpRequest, given: str | None, header: str) -> str:
    if given:
        return format_name(given)
    return "adx" if "adx+xml" in request.headers.get(header, "") else "dhis2"


def make_router() -> Router:
    """A fresh router with the two routes (a router is mounted on one NinjaAPI only: tests make their own)."""
    router = Router(tags=["Trao đổi dữ liệu (DHIS2, ADX)"])
    router.add_api_operation("/dataValueSets", ["POST"], datavaluesets_import, response={200: dict, 400: dict, 401: dict, 403: dict, 404: dict,
                             413: dict, 415: dict}, summary="Nhập số liệu (DHIS2 dataValueSet JSON hoặc ADX XML), tất cả hoặc không gì")
    router.add_api_operation("/dataValueSets", ["GET"], datavaluesets_export, response={200: Any, 400: dict, 401: dict, 404: dict, 415: dict},
                             summary="Xuất số liệu của một đơn vị và các đơn vị trực thuộc (DHIS2 JSON hoặc ADX)")
    return router


def datavaluesets_import(request: HttpRequest, format: str | None = None, dryRun: bool = False) -> HttpResponse:
    try:
        fmt = _fmt(request, format, "Content-Type")
        try:
            declared = int(request.headers.get("Content-Length") or 0)
        except ValueError:
            declared = 0
        limit = max_bytes()
        if declared > limit:  # refused before reading the body
            raise ExchangeError(f"Dữ liệu quá lớn; tối đa {limit // (1024 * 1024)} MB mỗi lần nhập: hãy chia nhỏ.", status=413)
        payload = request.read(limit + 1)
        summary = datavalues_import(user=request.user, payload=payload, fmt=fmt, mapping=_mapping(), dry_run=dryRun)
    except ExchangeError as exc:
        return _error(exc.message, exc.status)
    return JsonResponse(summary.as_dict(), status=summary.http_status, json_dumps_params={"ensure_ascii": False})


def datavaluesets_export(request: HttpRequest, orgUnit: str, periodFrom: str, periodTo: str, format: str | None = None,
                         dataElement: list[str] = Query(None)) -> HttpResponse:  # noqa: B008
    try:
        fmt = _fmt(request, format, "Accept")
        body = datavalues_export(user=request.user, unit_code=orgUnit, period_from=periodFrom, period_to=periodTo,
                                 elements=dataElement or None, fmt=fmt, mapping=_mapping())
    except ExchangeError as exc:
        return _error(exc.message, exc.status)
    return HttpResponse(body, content_type=f"{CONTENT_TYPES[fmt]}; charset=utf-8")


# Mounted by the API app (xhht/api/main.py): /api/v1/trao-doi/dataValueSets
router = make_router()
