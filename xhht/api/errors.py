"""Every refusal of the API is JSON ``{"detail": "<Vietnamese message>", "field": "<the field at fault or null>"}``; a rejected
file adds ``"problems": [{"message", "file", "sheet", "row", "column"}]``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse

from xhht.jobs.runner import problem_places


class ApiError(Exception):
    """A refusal with its status code, message and (when one is at fault) the field."""

    def __init__(self, status: int, detail: str, field: str | None = None, headers: dict[str, str] | None = None,
                 extra: dict[str, Any] | None = None):
        super().__init__(detail)
        self.status, self.detail, self.field, self.headers = status, detail, field, headers or {}
        self.extra = extra or {}  # more keys of the answer, e.g. a rejected file's "problems"


def error_response(status: int, detail: str, field: str | None = None, headers: dict[str, str] | None = None,
                   extra: dict[str, Any] | None = None) -> JsonResponse:
    response = JsonResponse({"detail": detail, "field": field, **(extra or {})}, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def validation_field(errors: list[dict[str, Any]]) -> tuple[str, str | None]:
    """Vietnamese message and field of the first pydantic error of a request (query, path or body)."""
    if not errors:
        return "Dữ liệu gửi lên không hợp lệ.", None
    first = errors[0]
    parts = [str(part) for part in first.get("loc", ())]
    loc = [part for part in parts if part not in ("query", "path", "body", "form", "file", "payload")]
    if not loc and len(parts) > 1:
        loc = parts[-1:]  # a missing upload is ("file", "file"): its name is the field
    field = ".".join(loc) or None
    kind = str(first.get("type", ""))
    where = f"«{field}»" if field else "dữ liệu gửi lên"
    if kind == "missing":
        return f"Thiếu trường {where}.", field
    if kind.startswith(("int_", "decimal_", "float_")):
        return f"Trường {where} phải là số.", field
    if kind.startswith("date"):
        return f"Trường {where} phải là ngày dạng năm-tháng-ngày (YYYY-MM-DD).", field
    if kind.startswith(("string_", "dict_", "list_", "model_")):
        return f"Trường {where} không đúng kiểu dữ liệu.", field
    return f"Trường {where} không hợp lệ.", field


def request_path(request: HttpRequest) -> str:
    return request.path


def rejected_file(problems: list[Any], field: str = "file") -> ApiError:
    """400 for a file refused whole (:class:`xhht.core.tabular.Rejected`): the first problems in ``detail``, every
    problem with where it is (file, sheet, row, column) in ``problems``; nothing was written."""
    more = f" (và {len(problems) - 5} lỗi khác)" if len(problems) > 5 else ""
    detail = "Tệp bị từ chối, chưa ghi gì: " + "; ".join(str(p) for p in problems[:5]) + more
    return ApiError(400, detail, field, extra={"problems": problem_places(problems)})
