"""The API object: /api/v1/, its OpenAPI schema at /api/v1/schema and the Vietnamese reference page at /api/v1/docs.

Other apps' routers join with :func:`add_router` (the lead mounts the exchange formats of xhht/exchange here):
``api.add_router("/trao-doi", exchange_router)``. Every router gets ``request.user`` = the token's owner (or the
session's user), so it checks access through xhht/accounts/access.py exactly as the web does.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError

from xhht.api.auth import ApiAuth
from xhht.api.errors import ApiError, error_response, validation_field
from xhht.api.routers import activities, indicators, learning_models, literacy, official_reports, reporting, units
from xhht.exchange.api import router as exchange_router

api = NinjaAPI(
    title="XHHT API",
    version="1",
    description="API của XHHT (Xây dựng xã hội học tập): đọc và ghi số liệu với cùng quyền, cùng kiểm tra và cùng nhật ký như "
                "trên trang web. Xác thực bằng khóa API cá nhân (tiêu đề «Authorization: Bearer <khóa>») tạo ở trang Tài khoản.",
    urls_namespace="api",
    auth=ApiAuth(),
    openapi_url="/schema",
    docs_url=None,  # our own page (xhht.api.views.docs): no inline script, so it works under the site's CSP
)

api.add_router("/units", units.router)
api.add_router("/indicators", indicators.router)
api.add_router("/reports", reporting.router)
api.add_router("/literacy", literacy.router)
api.add_router("/learning-models", learning_models.router)
api.add_router("/activities", activities.router)
api.add_router("/official-reports", official_reports.router)
api.add_router("/public", official_reports.public_router)
# The exchange formats (xhht/exchange): DHIS2 dataValueSets JSON and ADX XML at /api/v1/trao-doi/dataValueSets.
api.add_router("/trao-doi", exchange_router)


def add_router(prefix: str, router: Router) -> None:
    """Mount another app's router under /api/v1/<prefix> (call before the URLs are first read)."""
    api.add_router(prefix, router)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(exc.status, exc.detail, exc.field, exc.headers, exc.extra)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    message = str(exc) if str(exc) and "matches the given query" not in str(exc) else "Không tìm thấy."
    return error_response(404, message)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(403, str(exc) or "Bạn không có quyền làm việc này.")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(401, "Cần đăng nhập: gửi khóa API trong tiêu đề «Authorization: Bearer <khóa>».", "Authorization")


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail, field = validation_field(list(exc.errors))
    return error_response(400, detail, field)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and "parse request body" in str(exc):
        return error_response(400, "Nội dung gửi lên không phải JSON hợp lệ: chưa ghi gì.", "body")
    return error_response(exc.status_code, str(exc))


def route_patterns() -> list[tuple[str, list[str]]]:
    """(path under /api/v1/, HTTP methods) of every operation: the access test walks them all."""
    out: list[tuple[str, list[str]]] = []
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            methods = sorted({m for op in view.operations for m in op.methods})
            out.append(((prefix + "/" + path).replace("//", "/").lstrip("/"), methods))
    return out


def schema() -> dict[str, Any]:
    return dict(json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), cls=DjangoJSONEncoder)))
