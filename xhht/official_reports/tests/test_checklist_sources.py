"""Issue 14: the checklist before issuing covers every source the text reads, not only the periodic-report forms —
the activity registers, the learning-model evaluations and the household survey — each missing or unapproved one
named by unit and office, with a link to where it is entered."""

from __future__ import annotations

from typing import Any

import pytest

from xhht.demo.foundation import DISTRICT

pytestmark = pytest.mark.django_db


def _phase_report() -> Any:
    from xhht.official_reports.models import Report

    return Report.objects.get(unit_id=DISTRICT, number="298/BC-UBND")


def _source_items(checklist: Any) -> list[Any]:
    return [i for i in checklist.items if i.form_code.startswith("register:") or i.form_code in {"learning_models", "literacy"}]


def test_the_demo_sources_of_the_phase_report_are_all_there(official_reports_demo: None, apps_demo: None) -> None:
    from xhht.official_reports.selectors import report_checklist
    from xhht.official_reports.sources import _sources_of

    report = _phase_report()
    # The phase summary reads the CLC, vocational, communication and commendation registers, the budget, the
    # learning-community evaluations and the survey (its lifelong week comes from the education office's form).
    assert _sources_of(report) == {"clc_topics", "vocational", "communication", "commendations", "budget", "learning_models", "literacy"}
    assert _source_items(report_checklist(report)) == []


def test_each_missing_or_unapproved_source_is_listed_with_its_unit_office_and_link(official_reports_demo: None, apps_demo: None) -> None:
    from xhht.activities.models import ClcTopic, VocationalClass
    from xhht.learning_models.models import Evaluation, ModelKind, Status
    from xhht.literacy.models import CommuneAggregate
    from xhht.official_reports.selectors import report_checklist

    report = _phase_report()
    before = report_checklist(report)
    # A commune's CLC topics of one school year, the district's vocational classes of 2017, one commune's survey rows
    # and one evaluation sent back to "submitted" (not yet reviewed).
    topic = ClcTopic.objects.filter(school_year="2018-2019").select_related("unit").first()
    assert topic is not None
    commune = topic.unit
    ClcTopic.objects.filter(unit=commune, school_year="2018-2019").delete()
    VocationalClass.objects.filter(year=2017).delete()
    survey_year = CommuneAggregate.objects.order_by("-year").values_list("year", flat=True).first()
    surveyed = CommuneAggregate.objects.filter(year=survey_year).exclude(commune=commune).values_list("commune", flat=True).first()
    CommuneAggregate.objects.filter(year=survey_year, commune_id=surveyed).delete()
    evaluation = (Evaluation.objects.filter(registration__participant__kind=ModelKind.COMMUNE, registration__year=2019,
                                            status__in=[Status.REVIEWED, Status.RECOGNISED])
                  .select_related("registration__participant__commune").first())
    assert evaluation is not None
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Status.SUBMITTED)

    after = report_checklist(report)
    assert after.fingerprint != before.fingerprint  # issuing on the old page is refused
    items = {(i.form_code, i.unit_name): i for i in _source_items(after)}

    clc = items[("register:chuyen-de", commune.full_name)]
    assert clc.form_title == "Sổ chuyên đề của trung tâm học tập cộng đồng – năm học 2018-2019" and clc.state == "chưa ghi sổ"
    assert clc.url == f"/hoat-dong/chuyen-de/?don_vi={commune.code}&ky=2018-2019"
    assert "Trung tâm học tập cộng đồng" in clc.reporter_name or clc.reporter_name == commune.title_name

    vocational = next(i for (code, _), i in items.items() if code == "register:day-nghe")
    assert vocational.form_title == "Sổ lớp dạy nghề cho lao động nông thôn – năm 2017"
    assert vocational.reporter_name.startswith("Phòng Lao động - Thương binh và Xã hội") and vocational.url.endswith("&ky=2017")

    from xhht.units.models import Unit

    literacy = items[("literacy", Unit.objects.get(code=surveyed).full_name)]
    assert literacy.form_title == f"Số liệu điều tra hộ gia đình (xóa mù chữ) năm {survey_year}"
    assert literacy.state == "chưa nhập số liệu điều tra" and literacy.url == "/xoa-mu-chu/nhap/"

    lm = items[("learning_models", evaluation.registration.participant.commune.full_name)]
    assert lm.state == "đã gửi, chưa được thẩm định" and lm.url == f"/mo-hinh-hoc-tap/danh-gia/{evaluation.pk}/"
    assert "2019" in lm.form_title


def test_the_checklist_page_lists_the_registers_and_refuses_to_issue_without_a_reason(official_reports_demo: None, apps_demo: None,
                                                                                      district_officer: Any, client: Any) -> None:
    from xhht.activities.models import VocationalClass
    from xhht.official_reports.models import IssuedVersion

    report = _phase_report()
    VocationalClass.objects.filter(year=2016).delete()
    client.force_login(district_officer)
    page = client.get(f"/bao-cao/{report.pk}/kiem-tra/").content.decode()
    assert "Sổ lớp dạy nghề cho lao động nông thôn – năm 2016" in page and "chưa ghi sổ" in page
    assert "/hoat-dong/day-nghe/?don_vi=051&amp;ky=2016" in page
    versions = IssuedVersion.objects.count()
    fingerprint = page.split('name="fingerprint" value="')[1].split('"')[0]
    response = client.post(f"/bao-cao/{report.pk}/tao-tep/", {"fingerprint": fingerprint}, follow=True)
    assert "chưa nộp hoặc chưa được duyệt" in response.content.decode()
    assert IssuedVersion.objects.count() == versions
