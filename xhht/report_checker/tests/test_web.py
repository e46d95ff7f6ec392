"""The checker's page: who may use it, findings in place, nothing stored for bad input, figures accepted into the draft."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings

from xhht.audit.models import AuditEntry
from xhht.demo.foundation import DISTRICT, HONG_VIET, NAM_TUAN
from xhht.indicators.models import DataValue
from xhht.indicators.sources import source_link
from xhht.report_checker.models import AcceptedFigure, CheckedReport
from xhht.report_checker.services import pending_dir
from xhht.report_checker.tests.documents import docx_from_text, encrypted_office_file, seed_text
from xhht.reporting.models import Status, Submission

pytestmark = pytest.mark.django_db
URL = "/kiem-tra-bao-cao/"


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path) -> Any:
    with override_settings(DATA_DIR=tmp_path / "data", MEDIA_ROOT=tmp_path / "data" / "media"):
        yield


def _upload(client: Any, name: str, data: bytes, unit: str = "") -> Any:
    return client.post(URL, {"file": SimpleUploadedFile(name, data), "unit": unit})


def _pending() -> list[Path]:
    return sorted(pending_dir().glob("*")) if pending_dir().exists() else []


def test_who_may_check_reports(client: Any, client_for: Any, viewer: Any, district_officer: Any, province_officer: Any,
                               nam_tuan_officer: Any) -> None:
    assert client.get(URL).status_code == 302  # to the login page
    assert client_for(viewer).get(URL).status_code == 403
    assert client_for(viewer).post(URL + "nhan-so-lieu/", {"unit": DISTRICT}).status_code == 403
    for user in (district_officer, province_officer, nam_tuan_officer):
        page = client_for(user).get(URL)
        assert page.status_code == 200 and "Kiểm tra số liệu báo cáo" in page.content.decode()
    # A commune officer checks only its own commune's reports: a neighbour's unit answers 404.
    response = _upload(client_for(nam_tuan_officer), "bao-cao.txt", "7844/7916 đạt 99,09%.".encode(), unit=HONG_VIET)
    assert response.status_code == 404


def test_the_seed_docx_shows_its_findings_in_place_and_stores_nothing(client_for: Any, district_officer: Any, tmp_path: Path) -> None:
    data = docx_from_text(seed_text(), tmp_path / "298-BC-UBND.docx").read_bytes()
    response = _upload(client_for(district_officer), "298-BC-UBND.docx", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<strong id="finding-count">2</strong>' in html
    assert '<mark class="rc-finding" id="phat-hien-2" title="7.544/8.045 = 93,77%, không phải 90%">7.544/8.045 đạt 90%' in html
    assert '<td class="rc-finding" id="phat-hien-1" title="11/21 = 52,38%, không phải 52,5% (21: tổng các cột số lượng của dòng)">52,5 ' in html
    assert "<script" not in html.split("<body", 1)[1]
    assert CheckedReport.objects.count() == 0 and _pending() == []  # no unit chosen: nothing to accept, nothing kept


def test_bad_input_gets_a_message_and_nothing_is_stored(client_for: Any, district_officer: Any, tmp_path: Path) -> None:
    client = client_for(district_officer)
    cases = [
        ("mat-khau.docx", encrypted_office_file(tmp_path / "x.docx").read_bytes(), "đặt mật khẩu"),
        ("hong.docx", b"PK\x03\x04 not really a zip", "không phải tệp Word (.docx) hợp lệ"),
        ("report.txt", b"The district reports that most people can read and write, and the number of learners grew. " * 5,
         "không viết bằng tiếng Việt"),
    ]
    for name, data, message in cases:
        response = _upload(client, name, data, unit=DISTRICT)
        assert response.status_code == 400, name
        assert message in response.content.decode(), name
    with override_settings(XHHT_MAX_UPLOAD_BYTES=1024):
        response = _upload(client, "lon.docx", b"PK" + b"\0" * 5000, unit=DISTRICT)
        assert response.status_code == 400 and "tệp quá lớn" in response.content.decode()
    assert CheckedReport.objects.count() == 0 and _pending() == []


def test_figures_accepted_into_the_district_draft_keep_the_report_as_their_source(client_for: Any, district_officer: Any,
                                                                                  nam_tuan_officer: Any) -> None:
    client = client_for(district_officer)
    response = _upload(client, "298-BC-UBND.txt", seed_text().encode(), unit=DISTRICT)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="accept-form"' in html
    assert 'value="rpt_literacy_level1[age_band=15-25]"' in html and 'value="rpt_literacy_population[age_band=15-60]"' in html
    assert '<option value="2020">năm 2020</option>' in html and '<option value="2020-H1">6 tháng đầu năm 2020</option>' in html
    token = response.context["token"]
    assert len(_pending()) == 2 and CheckedReport.objects.count() == 0  # kept for the decision, not stored
    keys = ["rpt_literacy_level1[age_band=15-25]", "rpt_literacy_population[age_band=15-25]", "rpt_literacy_level2[age_band=15-35]"]
    # Someone else cannot use the officer's upload.
    other = client_for(nam_tuan_officer).post(URL + "nhan-so-lieu/", {"token": token, "unit": NAM_TUAN, "period": "2020", "figure": keys})
    assert other.status_code == 302 and CheckedReport.objects.count() == 0
    client = client_for(district_officer)
    response = client.post(URL + "nhan-so-lieu/", {"token": token, "unit": DISTRICT, "period": "2020", "figure": keys})
    report = CheckedReport.objects.get()
    assert response.status_code == 302 and response.url == f"{URL}{report.pk}/"
    assert report.unit_id == DISTRICT and report.period == "2020" and report.name == "298-BC-UBND.txt" and len(report.findings) == 2
    assert Path(report.file.path).read_text(encoding="utf-8") == seed_text()
    figures = {f.element + f.disaggregation: f for f in AcceptedFigure.objects.filter(report=report)}
    assert figures["rpt_literacy_level1age_band=15-25"].value == 7844 and figures["rpt_literacy_populationage_band=15-25"].value == 7916
    assert "7844/7916 đạt 99,09%" in figures["rpt_literacy_level1age_band=15-25"].statement
    # The draft holds them, not submitted, not approved; their trace ends on the checked report.
    submission = Submission.objects.get(reporter_key=f"u:{DISTRICT}", form_code="district", period="2020")
    assert submission.status == Status.DRAFT
    value = DataValue.objects.get(unit_id=DISTRICT, period="2020", element="rpt_literacy_level2", disaggregation="age_band=15-35")
    assert value.value == 19776 and value.rule == f"report_checker:{report.pk}" and value.source == "imported"
    assert source_link(value) == ("báo cáo đã kiểm tra", f"{URL}{report.pk}/")
    assert AuditEntry.objects.filter(action="report_checker_accept", object_id=str(report.pk), unit_code=DISTRICT).exists()
    assert _pending() == []
    page = client.get(f"{URL}{report.pk}/").content.decode()
    assert "Số người biết chữ mức độ 2, 15–35 tuổi" in page and "19776/20126" in page
    assert client.get(f"{URL}{report.pk}/tep/").status_code == 200
    # A commune officer cannot see a district's checked report.
    assert client_for(nam_tuan_officer).get(f"{URL}{report.pk}/").status_code == 404


def test_accepting_is_refused_for_a_unit_out_of_reach_or_a_locked_report(client_for: Any, district_officer: Any, nam_tuan_officer: Any) -> None:
    client = client_for(nam_tuan_officer)
    text = "Tổng số người biết chữ mức độ 1 trong độ tuổi từ 15 đến 25 là 784/791 đạt 99,12%."
    response = _upload(client, "xa.txt", text.encode(), unit=NAM_TUAN)
    token = response.context["token"]
    key = "rpt_literacy_level1[age_band=15-25]"
    assert client.post(URL + "nhan-so-lieu/", {"token": token, "unit": DISTRICT, "period": "2020", "figure": [key]}).status_code == 404
    assert client.post(URL + "nhan-so-lieu/", {"token": token, "unit": NAM_TUAN, "period": "2020-2021", "figure": [key]}).status_code == 302
    assert client.post(URL + "nhan-so-lieu/", {"token": "../../etc/passwd", "unit": NAM_TUAN, "period": "2020", "figure": [key]}).status_code == 302
    Submission.objects.create(form_code="commune", unit_id=NAM_TUAN, reporter_key=f"u:{NAM_TUAN}", period="2020", version=1,
                              status=Status.SUBMITTED)
    response = client.post(URL + "nhan-so-lieu/", {"token": token, "unit": NAM_TUAN, "period": "2020", "figure": [key]}, follow=True)
    html = response.content.decode()
    assert "Chưa nhận số liệu nào: Báo cáo định kỳ kỳ 2020 đang ở trạng thái «Đã nộp, chờ duyệt»" in html
    assert CheckedReport.objects.count() == 0 and not DataValue.objects.filter(rule__startswith="report_checker:").exists()


def test_a_pending_copy_is_removed_after_two_hours(client_for: Any, nam_tuan_officer: Any) -> None:
    import os
    import time

    text = "Tổng số người biết chữ mức độ 1 trong độ tuổi từ 15 đến 25 là 784/791 đạt 99,12%."
    client = client_for(nam_tuan_officer)
    token = _upload(client, "xa.txt", text.encode(), unit=NAM_TUAN).context["token"]
    old = time.time() - 3 * 3600
    for path in _pending():
        os.utime(path, (old, old))
    response = client.post(URL + "nhan-so-lieu/", {"token": token, "unit": NAM_TUAN, "period": "2020",
                                                   "figure": ["rpt_literacy_level1[age_band=15-25]"]}, follow=True)
    assert "không còn (chỉ giữ 2 giờ)" in response.content.decode()
    assert _pending() == [] and CheckedReport.objects.count() == 0


def test_a_figure_with_a_finding_is_not_offered(client_for: Any, nam_tuan_officer: Any) -> None:
    text = ("Tổng số người biết chữ mức độ 1 trong độ tuổi từ 15 đến 25 là 784/791 đạt 95,12%.\n"
            "Tổng số người biết chữ mức độ 2 trong độ tuổi từ 15 đến 25 là 780/791 đạt 98,61%.")
    response = _upload(client_for(nam_tuan_officer), "xa.txt", text.encode(), unit=NAM_TUAN)
    assert [f.kind for f in response.context["result"].findings] == ["rate"]
    assert [r.key for r in response.context["recognised"]] == ["rpt_literacy_level2[age_band=15-25]", "rpt_literacy_population[age_band=15-25]"]
