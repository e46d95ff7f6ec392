from __future__ import annotations

import re

from typing import Any

import pytest

from xhht.official_reports.models import IssuedVersion, Report
from xhht.official_reports.services import report_create
from xhht.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def district_report(official_reports_demo: None, demo: None) -> Report:
    return Report.objects.get(unit_id="051", number="298/BC-UBND")


def test_commune_officer_cannot_see_the_district_report(district_report: Report, nam_tuan_officer: Any, client_for: Any) -> None:
    client = client_for(nam_tuan_officer)
    pk = district_report.pk
    for url in [f"/bao-cao/{pk}/", f"/bao-cao/{pk}/nguon/?f=value:clc_topics", f"/bao-cao/{pk}/dau-trang/",
                f"/bao-cao/{pk}/phien-ban/1/docx/"]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/bao-cao/{pk}/tao-tep/").status_code == 404
    assert "298/BC-UBND" not in client.get("/bao-cao/").content.decode()


def test_viewer_reads_but_cannot_edit(district_report: Report, viewer: Any, client_for: Any) -> None:
    client = client_for(viewer)
    assert client.get(f"/bao-cao/{district_report.pk}/").status_code == 200
    assert client.get(f"/bao-cao/{district_report.pk}/dau-trang/").status_code == 403
    section = district_report.sections.first()
    assert client.post(f"/bao-cao/{district_report.pk}/muc/{section.pk}/", {"text": "x"}).status_code == 403


def test_district_officer_edits_a_section_and_text_stays_text(district_report: Report, district_officer: Any, client_for: Any, apps_demo: None) -> None:
    client = client_for(district_officer)
    section = district_report.sections.get(key="recommendations")
    evil = "- {% csrf_token %}{{ request.user.password }}<script>alert(1)</script> Tham gia [[value:clc_participants|period=2019-2020]] lượt."
    response = client.post(f"/bao-cao/{district_report.pk}/muc/{section.pk}/", {"text": evil})
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.text == evil and section.edited
    page = client.get(f"/bao-cao/{district_report.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "{{ request.user.password }}" in page
    # The figure is live and links to its trace page, which lists the data value and its rule.
    assert ">7.965</a>" in page
    trace = client.get(f"/bao-cao/{district_report.pk}/nguon/", {"f": "value:clc_participants|period=2019-2020"}).content.decode()
    from xhht.indicators.labels import element_label, rule_label

    assert element_label("clc_participants") in trace and "2019-2020" in trace and rule_label("activities.clc_participants") in trace
    assert "clc_participants" not in trace.split("<main>")[1]  # names, not codes (issue 15)
    # A broken placeholder is refused with a clear message, nothing saved.
    response = client.post(f"/bao-cao/{district_report.pk}/muc/{section.pk}/", {"text": "[[value:x|unit]]"})
    assert response.status_code == 200 and "khoa=gia_tri" in response.content.decode()
    section.refresh_from_db()
    assert section.text == evil


def test_issuing_keeps_every_version_with_its_data(district_report: Report, district_officer: Any, client_for: Any, apps_demo: None,
                                                   settings: Any) -> None:
    settings.XHHT_JOBS_INLINE = True  # the job runs in the request here; in a worker: the next test
    client = client_for(district_officer)
    assert client.post(f"/bao-cao/{district_report.pk}/tao-tep/", HTTP_HX_REQUEST="true").status_code == 200
    assert client.post(f"/bao-cao/{district_report.pk}/tao-tep/").status_code == 302
    versions = list(IssuedVersion.objects.filter(report=district_report).order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    first = versions[0]
    assert first.issued_by == district_officer and len(first.docx_sha256) == 64 and first.pdf
    assert sum(int(v["value"]) for v in first.data_snapshot
               if v["element"] == "vocational_learners" and v["period"] == "2010" and not v["disaggregation"]) == 228
    for fmt, magic in (("docx", b"PK"), ("xlsx", b"PK"), ("pdf", b"%PDF")):
        response = client.get(f"/bao-cao/{district_report.pk}/phien-ban/1/{fmt}/")
        assert response.status_code == 200 and b"".join(response.streaming_content).startswith(magic)
    page = client.get(f"/bao-cao/{district_report.pk}/phien-ban/1/").content.decode()
    from xhht.indicators.labels import element_label

    assert first.docx_sha256 in page and element_label("vocational_learners") in page
    main = page.split("<main>")[1]
    assert "vocational_learners" not in main and not re.search(r"\d{4}-\d{2}-\d{2}T", main)  # names and Vietnamese times (issue 15)


def test_roll_up_commune_district_province(official_reports_demo: None, demo: None, apps_demo: None, district_officer: Any) -> None:
    from xhht.indicators.services import Value, data_values_write
    from xhht.official_reports.render import report_render

    data_values_write(actor=None, source="imported", rule="kiểm thử", values=[
        Value(element="clc_participants", unit_code="05115", period="2019-2020", value=400),
        Value(element="clc_participants", unit_code="05113", period="2019-2020", value=350),
    ])
    commune = report_create(actor=district_officer, unit=Unit.objects.get(code="05115"), period="2019", kind="annual")
    assert "results.by_unit" not in {s.key for s in commune.sections.all()}
    assert commune.issuing_body == "XÃ NAM TUẤN" and "UBND huyện (b/c);" in commune.recipients
    province = report_create(actor=district_officer, unit=Unit.objects.get(code="04"), period="2016-2020", kind="phase-summary")
    rendered = report_render(province)
    by_unit = [s for s in rendered.sections if s.key == "results.by_unit"][0]
    rows = [["".join(r.text for r in cell) for cell in row] for row in by_unit.tables[0].rows]
    assert rows[0][1] == "huyện Hòa An" and rows[0][2] == "19.925" and rows[-1][1] == "Cộng"
    # The district row of CLC participants is the district's own stored total; the province total the same data.
    district = report_render(Report.objects.get(unit_id="051", number="298/BC-UBND"))
    d_rows = [["".join(r.text for r in cell) for cell in row] for row in [s for s in district.sections if s.key == "results.by_unit"][0].tables[0].rows]
    nam_tuan = [r for r in d_rows if r[1] == "xã Nam Tuấn"][0]
    assert nam_tuan[6] == "400"


def test_period_kind_mismatch_is_refused(official_reports_demo: None, district_officer: Any) -> None:
    from xhht.official_reports.services import ReportError

    with pytest.raises(ReportError, match="không dùng cho năm 2019"):
        report_create(actor=district_officer, unit=Unit.objects.get(code="051"), period="2019", kind="phase-summary")


def test_demo_is_idempotent(official_reports_demo: None) -> None:
    from xhht.official_reports.demo import load

    before = (Report.objects.count(), sum(r.sections.count() for r in Report.objects.all()))
    load()
    assert (Report.objects.count(), sum(r.sections.count() for r in Report.objects.all())) == before
    report = Report.objects.get(number="298/BC-UBND")
    assert report.signer_name == "Đàm Thế Trang" and report.authority_lines == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


def test_creating_a_report_on_the_web(official_reports_demo: None, district_officer: Any, nam_tuan_officer: Any, client_for: Any) -> None:
    client = client_for(nam_tuan_officer)
    page = client.get("/bao-cao/").content.decode()
    assert 'value="05115"' in page and 'value="051"' not in page  # a commune officer drafts only for their commune
    assert client.post("/bao-cao/tao/", {"unit": "051", "period": "2019", "kind": "annual"}).status_code == 400
    response = client.post("/bao-cao/tao/", {"unit": "05115", "period": "2019", "kind": "annual"})
    assert response.status_code == 302
    report = Report.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))
    assert (report.unit_id, report.period, report.kind, report.issuing_body) == ("05115", "2019", "annual", "XÃ NAM TUẤN")
    assert [s.number for s in report.sections.filter(level=1)] == ["I.", "II.", "III.", "IV.", "V."]
    # A period that the kind does not cover is refused with the reason.
    response = client.post("/bao-cao/tao/", {"unit": "05115", "period": "2016-2020", "kind": "annual"})
    assert response.status_code == 400 and "không dùng cho giai đoạn 2016-2020" in response.content.decode()


def test_building_the_files_is_a_job_the_page_follows(district_report: Report, district_officer: Any, client_for: Any,
                                                      apps_demo: None, nam_tuan_officer: Any) -> None:
    """LibreOffice ran up to 180 s inside the request; now the request only queues a job for ``xhht worker``."""
    from xhht.jobs.models import Job
    from xhht.jobs.runner import job_run
    from xhht.jobs.services import job_claim

    client = client_for(district_officer)
    html = client.post(f"/bao-cao/{district_report.pk}/tao-tep/", HTTP_HX_REQUEST="true").content.decode()
    assert "Đang chờ đến lượt tạo tệp" in html and "hx-get" in html
    assert not IssuedVersion.objects.filter(report=district_report).exists()
    # Asking again while it waits gives the same job, not a second build.
    client.post(f"/bao-cao/{district_report.pk}/tao-tep/", HTTP_HX_REQUEST="true")
    [job] = Job.objects.filter(params__report=district_report.pk)
    assert "Đang chờ đến lượt tạo tệp" in client.get(f"/bao-cao/{district_report.pk}/").content.decode()
    claimed = job_claim(worker="test")
    assert claimed is not None and job_run(job=claimed, worker="test") == "done"
    status = client.get(f"/bao-cao/{district_report.pk}/tao-tep/{job.pk}/").content.decode()
    assert "Đã tạo phiên bản 1" in status and "hx-get" not in status and ".pdf" in status
    # Someone outside the report's unit cannot follow it.
    client.logout()
    assert client_for(nam_tuan_officer).get(f"/bao-cao/{district_report.pk}/tao-tep/{job.pk}/").status_code == 404
