"""Publication: the issuing office makes a version public; anyone reads and downloads it without an account;
nothing else is public; only who may edit the report's unit publishes or withdraws, and each step is audited."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from xhht.audit.models import AuditEntry
from xhht.official_reports.models import IssuedVersion, Report
from xhht.official_reports.services import ReportError, report_issue, report_version_publish, report_version_withdraw

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(official_reports_demo: None, demo: None, district_officer: Any) -> IssuedVersion:
    report = Report.objects.get(unit_id="051", number="298/BC-UBND")
    return report_issue(actor=district_officer, report=report, pdf=False)  # no LibreOffice needed: .docx and .xlsx


def _docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def test_nothing_is_public_until_the_office_publishes(issued: IssuedVersion, client: Any) -> None:
    pk = issued.report_id
    assert "298/BC-UBND" not in client.get("/cong-khai/").content.decode()
    for url in (f"/cong-khai/{pk}/", f"/cong-khai/{pk}/docx/", f"/cong-khai/{pk}/xlsx/"):
        assert client.get(url).status_code == 404, url
    # The private pages stay private.
    assert client.get(f"/bao-cao/{pk}/").status_code == 302


def test_the_district_officer_publishes_and_anyone_downloads(issued: IssuedVersion, district_officer: Any, client_for: Any, client: Any) -> None:
    pk = issued.report_id
    before = AuditEntry.objects.filter(action="report_publish").count()
    # Publishing has its own confirmation (issue 14): without the box ticked nothing changes.
    response = client_for(district_officer).post(f"/bao-cao/{pk}/phien-ban/{issued.version}/cong-khai/")
    assert response.status_code == 302 and AuditEntry.objects.filter(action="report_publish").count() == before
    issued.refresh_from_db()
    assert not issued.is_public
    response = client_for(district_officer).post(f"/bao-cao/{pk}/phien-ban/{issued.version}/cong-khai/", {"confirm_publish": "1"})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="report_publish").count() == before + 1
    client.logout()
    listing = client.get("/cong-khai/").content.decode()
    assert "298/BC-UBND" in listing and "09/09/2020" in listing and "HUYỆN HÒA AN" in listing
    assert "Báo cáo công khai" in listing and "Đăng nhập" in listing  # the anonymous reader's navigation
    detail = client.get(f"/cong-khai/{pk}/").content.decode()
    assert issued.docx_sha256 in detail and "Đàm Thế Trang" in detail
    docx = client.get(f"/cong-khai/{pk}/docx/")
    assert docx.status_code == 200 and docx["Content-Disposition"].startswith("attachment")
    text = _docx_text(b"".join(docx.streaming_content))
    assert "298/BC-UBND" in text and "Hòa An" in text
    xlsx = client.get(f"/cong-khai/{pk}/xlsx/")
    workbook = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert workbook.sheetnames
    assert client.get(f"/cong-khai/{pk}/pdf/").status_code == 404  # this version has no PDF
    assert client.get(f"/cong-khai/{pk}/exe/").status_code == 404
    # Filters: by unit and by year; a unit without public reports or a bad year shows everything or nothing, never fails.
    assert "298/BC-UBND" in client.get("/cong-khai/?don_vi=051&nam=2020").content.decode()
    assert "298/BC-UBND" not in client.get("/cong-khai/?nam=2019").content.decode()
    for query in ("?don_vi=<script>", "?nam=abc", "?nam=99999999999999999999", "?trang=abc", "?trang=-1"):
        assert client.get("/cong-khai/" + query).status_code == 200, query


def test_a_new_version_replaces_the_public_one_and_withdrawal_needs_a_reason(issued: IssuedVersion, district_officer: Any) -> None:
    report_version_publish(actor=district_officer, issued=issued)
    with pytest.raises(ReportError):
        report_version_publish(actor=district_officer, issued=issued)  # already public
    second = report_issue(actor=district_officer, report=issued.report, pdf=False)
    report_version_publish(actor=district_officer, issued=second)
    issued.refresh_from_db()
    assert not issued.is_public and issued.withdrawal_reason == "Thay bằng phiên bản 2." and second.is_public
    assert IssuedVersion.objects.filter(report=issued.report, published_at__isnull=False, withdrawn_at__isnull=True).count() == 1
    for reason in ("", "   ", "x" * 301):
        with pytest.raises(ReportError):
            report_version_withdraw(actor=district_officer, issued=second, reason=reason)
    report_version_withdraw(actor=district_officer, issued=second, reason="Số liệu phụ lục cần sửa <b>gấp</b>")
    second.refresh_from_db()
    assert not second.is_public and second.withdrawn_by == district_officer
    entry = AuditEntry.objects.filter(action="report_withdraw").order_by("-id").first()
    assert entry is not None and entry.note == "Số liệu phụ lục cần sửa <b>gấp</b>" and entry.actor == district_officer


def test_only_who_may_edit_the_reports_unit_publishes(issued: IssuedVersion, nam_tuan_officer: Any, viewer: Any, client_for: Any,
                                                      district_officer: Any, client: Any) -> None:
    pk, v = issued.report_id, issued.version
    assert client_for(nam_tuan_officer).post(f"/bao-cao/{pk}/phien-ban/{v}/cong-khai/").status_code == 404  # cannot see it
    assert client_for(viewer).post(f"/bao-cao/{pk}/phien-ban/{v}/cong-khai/").status_code == 403  # sees it, may not publish
    client.logout()
    assert client.post(f"/bao-cao/{pk}/phien-ban/{v}/cong-khai/").status_code == 302  # to the login page
    assert client_for(viewer).get(f"/bao-cao/{pk}/phien-ban/{v}/cong-khai/").status_code == 405
    issued.refresh_from_db()
    assert not issued.is_public
    report_version_publish(actor=district_officer, issued=issued)
    assert client_for(viewer).post(f"/bao-cao/{pk}/phien-ban/{v}/go-cong-khai/", {"reason": "x"}).status_code == 403
    page = client_for(district_officer).post(f"/bao-cao/{pk}/phien-ban/{v}/go-cong-khai/", {"reason": ""}, follow=True).content.decode()
    assert "Cần ghi lý do gỡ công khai" in page
    issued.refresh_from_db()
    assert issued.is_public
