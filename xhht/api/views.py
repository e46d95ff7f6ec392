"""The API's reference page in Vietnamese, rendered on the server from the OpenAPI schema: no script, so it needs no
exception to the site's Content-Security-Policy (Swagger UI and Redoc need inline script and a CDN)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xhht.api.main import schema

METHOD_ORDER = ["get", "post", "put", "patch", "delete"]


def docs(request: HttpRequest) -> HttpResponse:
    spec = schema()
    groups: dict[str, list[dict[str, Any]]] = {}
    for path, item in spec.get("paths", {}).items():
        for method in METHOD_ORDER:
            op = item.get(method)
            if op is None:
                continue
            params = [{"name": p["name"], "in": {"path": "đường dẫn", "query": "truy vấn"}.get(p["in"], p["in"]),
                       "required": p.get("required", False), "type": p.get("schema", {}).get("type", "")} for p in op.get("parameters", [])]
            body = op.get("requestBody", {}).get("content", {})
            groups.setdefault((op.get("tags") or ["Khác"])[0], []).append({
                "method": method.upper(), "path": path, "summary": op.get("summary", ""), "description": op.get("description", ""),
                "params": params, "body": ", ".join(body), "public": op.get("security") in (None, []) and "security" in op,
                "responses": sorted(op.get("responses", {})),
            })
    return render(request, "api/docs.html", {"groups": groups, "title": spec["info"]["title"], "description": spec["info"].get("description", "")})
