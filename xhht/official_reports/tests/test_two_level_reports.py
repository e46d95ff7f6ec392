"""Reports of the bodies of the two-level government, generated from the 2021–2026 demo and opened:
the 2026 annual report of xã Hòa An (UBND xã) and the 2021–2025 phase review of the province by its
education department (Sở GD&ĐT, the standing agency); the province's People's Committee in a test of its own."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from docx import Document

from xhht.demo.foundation import NAM_TUAN, PROVINCE, XA_HOA_AN
from xhht.official_reports.models import Report
from xhht.official_reports.services import ReportError, report_create, report_generate
from xhht.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def twolevel_demo(db: Any) -> None:
    """The 2021–2026 demo, inside the test's transaction: its unit changes (the district ends on
    30/06/2025) must not leak into the other tests' tree of today."""
    from xhht.demo.twolevel import load

    load()


def _header(path: Path) -> tuple[list[str], list[str]]:
    doc = Document(str(path))
    left, right = doc.tables[0].rows[0].cells
    return [p.text for p in left.paragraphs if p.text], [p.text for p in right.paragraphs if p.text]


def _text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def _pdf_text(pdf: Path) -> str:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:" in info
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_commune_2026_annual_report_has_its_own_header(twolevel_demo: None, tmp_path: Path) -> None:
    out = tmp_path / "out"
    call_command("report", unit=XA_HOA_AN, period="2026", kind="annual", out=str(out), verbosity=0)
    files = {p.suffix: p for p in out.iterdir()}
    assert set(files) == {".docx", ".xlsx", ".pdf"}
    left, right = _header(files[".docx"])
    assert left == ["ỦY BAN NHÂN DÂN", "XÃ HÒA AN", "Số:      /BC-UBND"]
    assert right[-1] == "Hòa An, ngày 01 tháng 12 năm 2026"
    text = _text(files[".docx"])
    # No district any more: the commune reports to the province and its education department.
    assert "UBND tỉnh (b/c);" in text and "Sở GD&ĐT (b/c);" in text and "UBND huyện" not in text
    assert "TM. ỦY BAN NHÂN DÂN" in text
    assert "Số liệu minh họa" in text  # synthetic figures are never presented as real
    # The survey of December 2025 of the new commune: the sums of its three predecessors' (synthetic) counts.
    assert "Kết quả xóa mù chữ thời điểm tháng 12/2025" in text
    pdf = _pdf_text(files[".pdf"])
    assert "XÃ HÒA AN" in pdf and "Số liệu minh họa" in pdf


def test_province_phase_review_by_the_education_department(twolevel_demo: None, tmp_path: Path) -> None:
    report = Report.objects.get(unit_id=PROVINCE, period="2021-2025", kind="review")
    files = report_generate(report=report, out_dir=tmp_path, pdf=True)
    left, right = _header(files.docx)
    assert left == ["UBND TỈNH CAO BẰNG", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Số:      /BC-SGDĐT"]
    assert right[-1] == "Cao Bằng, ngày 20 tháng 01 năm 2026"
    text = _text(files.docx)
    assert "Sở Giáo dục và Đào tạo Cao Bằng (cơ quan thường trực" in text
    assert "KT. GIÁM ĐỐC" in text and "UBND các xã, phường;" in text
    # The 2025 targets against the results, and the 2030 targets; the four new communes in 2025.
    assert "TT | Chỉ tiêu | Mục tiêu năm 2025 | Kết quả năm 2025 | Đánh giá | Mục tiêu đến năm 2030" in text
    assert "Tỷ lệ đơn vị cấp xã đạt chuẩn xóa mù chữ mức độ 2 | 70% | 100,00% (4/4) | vượt | 90%" in text
    # A national target nobody could verify stays empty: printed "chưa xác định", never guessed.
    assert "Trung tâm học tập cộng đồng ứng dụng công nghệ thông tin | 70% | 100,00% (4/4) | vượt | chưa xác định" in text
    assert "SỐ LIỆU MINH HỌA" in text
    # The appendix runs over the phase: 2021 on the 15 communes of the 2020 merger (13 of them at XMC level 2).
    assert "THỰC HIỆN GIAI ĐOẠN 2021-2025" in text
    pdf = _pdf_text(files.pdf)  # type: ignore[arg-type]
    assert "SỞ GIÁO DỤC VÀ ĐÀO TẠO" in pdf and "Mục tiêu năm 2025" in pdf


def test_province_peoples_committee_header_and_children(twolevel_demo: None, tmp_path: Path) -> None:
    province = Unit.objects.get(code=PROVINCE)
    report = report_create(actor=None, unit=province, period="2026", kind="annual", issuer="province_committee")
    assert (report.issuing_body_superior, report.issuing_body, report.number) == ("ỦY BAN NHÂN DÂN", "TỈNH CAO BẰNG", "     /BC-UBND")
    assert report.authority_lines == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert "UBND các xã, phường;" in report.recipient_lines and not any("huyện" in r for r in report.recipient_lines)
    files = report_generate(report=report, out_dir=tmp_path, pdf=False)
    assert _header(files.docx)[0] == ["ỦY BAN NHÂN DÂN", "TỈNH CAO BẰNG", "Số:      /BC-UBND"]
    from xhht.indicators.periods import parse_period
    from xhht.official_reports.resolver import Resolver

    assert Resolver(unit=province, period=parse_period("2026"))._unit_words("children") == "các xã, phường"
    assert Resolver(unit=province, period=parse_period("2024"))._unit_words("children") == "các huyện, thành phố"
    # Before the reform the same body wrote to its districts.
    before = report_create(actor=None, unit=province, period="2024", kind="annual", issuer="province_committee")
    assert "UBND các huyện, thành phố;" in before.recipient_lines


def test_a_2024_commune_report_still_goes_to_its_district(twolevel_demo: None) -> None:
    report = report_create(actor=None, unit=Unit.objects.get(code=NAM_TUAN), period="2024", kind="annual")
    assert report.issuing_body == "XÃ NAM TUẤN"
    assert report.recipient_lines[:2] == ["UBND huyện (b/c);", "Phòng GD&ĐT huyện;"]


def test_refusals(twolevel_demo: None) -> None:
    xa = Unit.objects.get(code=XA_HOA_AN)
    with pytest.raises(ReportError, match="không tồn tại trong năm 2024"):
        report_create(actor=None, unit=xa, period="2024", kind="annual")
    with pytest.raises(ReportError, match="không tồn tại"):
        report_create(actor=None, unit=Unit.objects.get(code=NAM_TUAN), period="2026", kind="annual")
    with pytest.raises(ReportError, match="cơ quan ban hành «province_education_department»"):
        report_create(actor=None, unit=xa, period="2026", kind="annual", issuer="province_education_department")


def test_the_two_level_demo_is_idempotent_and_labelled_synthetic(twolevel_demo: None) -> None:
    from xhht.audit.models import AuditEntry
    from xhht.demo import foundation, twolevel
    from xhht.indicators.models import DataValue
    from xhht.reporting.models import Submission

    def counts() -> tuple[int, ...]:
        return (AuditEntry.objects.count(), DataValue.objects.count(), Submission.objects.count(), Report.objects.count(), Unit.objects.count())

    before = counts()
    foundation.load()  # `xhht demo` again: the base file once more, after the reforms
    twolevel.load()
    assert counts() == before
    # Every figure after the seed is labelled: store values by their rule, reports by their text answers.
    later = DataValue.objects.filter(period__in=[str(y) for y in range(2021, 2027)], unit_id__in=twolevel.POST_2020 + list(twolevel.NEW_COMMUNES))
    indicator_values = later.exclude(rule__startswith="form:")
    assert indicator_values.exists() and not indicator_values.exclude(rule=twolevel.RULE).exists()
    subs = Submission.objects.filter(period__gte="2021")
    assert subs.count() == 15 * 4 + 4 + 3 + 1
    assert all("Số liệu minh họa" in s.texts.get("difficulties", "") for s in subs)
    # The reform as the demo loads it: district 051 ends on 30/06/2025, the new communes sit under the province.
    assert Unit.objects.get(code="051").valid_to is not None and Unit.objects.get(code=XA_HOA_AN).parent_id == PROVINCE


def test_the_province_officer_creates_the_departments_report_on_the_web(db: Any, client: Any) -> None:
    from xhht.accounts.models import User

    client.force_login(User.objects.get(username="so.caobang"))
    assert "Cơ quan ban hành" in client.get("/bao-cao/").content.decode()
    response = client.post("/bao-cao/tao/", {"unit": PROVINCE, "period": "2021-2025", "kind": "review", "issuer": "province_education_department"})
    assert response.status_code == 302
    report = Report.objects.get(unit_id=PROVINCE, period="2021-2025", kind="review")
    assert (report.issuing_body_superior, report.issuing_body) == ("UBND TỈNH CAO BẰNG", "SỞ GIÁO DỤC VÀ ĐÀO TẠO")
    # A commune cannot issue as the province's department: refused with the reason, nothing created.
    client.force_login(User.objects.get(username="xa.namtuan"))
    response = client.post("/bao-cao/tao/", {"unit": NAM_TUAN, "period": "2024", "kind": "annual", "issuer": "province_education_department"})
    assert response.status_code == 400 and "Không có cơ quan ban hành" in response.content.decode()
    assert not Report.objects.filter(unit_id=NAM_TUAN, period="2024").exists()
