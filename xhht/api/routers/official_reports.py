"""Official reports: their issued versions and files (in scope); public versions without authentication."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import Router

from xhht.api.common import caller, page_slice
from xhht.api.errors import ApiError
from xhht.official_reports.models import IssuedVersion, Report
from xhht.official_reports.selectors import (
    issued_version_or_404,
    public_version_or_404,
    public_versions,
    report_for_user_or_404,
    report_list,
)

router = Router(tags=["Báo cáo chính thức"])
public_router = Router(tags=["Công khai (không cần đăng nhập)"])

CONTENT = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _files(issued: IssuedVersion) -> dict[str, dict[str, Any]]:
    return {fmt: {"sha256": getattr(issued, f"{fmt}_sha256"), "name": getattr(issued, fmt).name.rsplit("/", 1)[-1]}
            for fmt in CONTENT if getattr(issued, fmt)}


def _version(issued: IssuedVersion) -> dict[str, Any]:
    return {"version": issued.version, "issued_at": issued.issued_at, "note": issued.note, "files": _files(issued),
            "public": issued.published_at is not None and issued.withdrawn_at is None, "published_at": issued.published_at,
            "withdrawn_at": issued.withdrawn_at}


def _report(report: Report) -> dict[str, Any]:
    return {"id": report.pk, "unit": report.unit_id, "unit_name": report.unit.name, "period": report.period, "kind": report.kind,
            "number": report.number, "report_date": report.report_date, "abstract": report.abstract}


def _file(issued: IssuedVersion, fmt: str) -> FileResponse:
    if fmt not in CONTENT:
        raise ApiError(404, f"Không có định dạng «{fmt[:10]}»; có: {', '.join(CONTENT)}.", "fmt")
    field = getattr(issued, fmt)
    if not field:
        raise ApiError(404, "Phiên bản này không có tệp định dạng đó.", "fmt")
    return FileResponse(field.open("rb"), as_attachment=True, filename=field.name.rsplit("/", 1)[-1], content_type=CONTENT[fmt])


@router.get("/", summary="Các báo cáo chính thức trong phạm vi")
def reports(request: HttpRequest, limit: int = 100, offset: int = 0) -> dict[str, Any]:
    total, page = page_slice(report_list(user=caller(request)), limit=limit, offset=offset)
    return {"count": total, "limit": limit, "offset": offset, "items": [_report(r) for r in page]}


@router.get("/{pk}", summary="Một báo cáo và các phiên bản đã tạo")
def report_read(request: HttpRequest, pk: int) -> dict[str, Any]:
    report = report_for_user_or_404(caller(request), pk)
    return {**_report(report), "versions": [_version(v) for v in report.versions.order_by("version")]}


@router.get("/{pk}/versions/{version}/{fmt}", summary="Tệp của một phiên bản (docx, xlsx, pdf)")
def report_file(request: HttpRequest, pk: int, version: int, fmt: str) -> FileResponse:
    report = report_for_user_or_404(caller(request), pk)
    return _file(issued_version_or_404(report, version), fmt)


@public_router.get("/reports", auth=None, summary="Các báo cáo đã công khai")
def public_reports(request: HttpRequest, unit: str = "", year: int | None = None, limit: int = 100, offset: int = 0) -> dict[str, Any]:
    total, page = page_slice(public_versions(unit_code=unit or None, year=year).order_by("-report__report_date", "-report_id", "pk"),
                             limit=limit, offset=offset)
    return {"count": total, "limit": limit, "offset": offset, "items": [{**_report(v.report), **_version(v)} for v in page]}


@public_router.get("/reports/{pk}", auth=None, summary="Phiên bản công khai của một báo cáo")
def public_report(request: HttpRequest, pk: int) -> dict[str, Any]:
    issued = public_version_or_404(pk)
    return {**_report(issued.report), **_version(issued)}


@public_router.get("/reports/{pk}/{fmt}", auth=None, summary="Tệp công khai (docx, xlsx, pdf)")
def public_file(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    return _file(public_version_or_404(pk), fmt)
