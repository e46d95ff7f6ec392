from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from xhht.indicators.models import DataValue
from xhht.reporting.catalogue import get_catalogue
from xhht.reporting.demo import commune_values
from xhht.reporting.models import Status, Submission
from xhht.reporting.selectors import Reporter, form_values
from xhht.reporting.services import (
    InvalidValues,
    Locked,
    ReportingError,
    StaleVersion,
    SubmitRefused,
    submission_approve,
    submission_reopen,
    submission_return,
    submission_save,
    submission_submit,
)
from xhht.units.models import Unit

pytestmark = pytest.mark.django_db


def _nam_tuan() -> Reporter:
    return Reporter(Unit.objects.get(code="05115"))


def _form() -> Any:
    return get_catalogue().forms["commune"]


def _save(user: Any, values: dict[str, object], base: int = 0, period: str = "2020-H1") -> Any:
    return submission_save(actor=user, form=_form(), reporter=_nam_tuan(), period=period, values=values,
                           texts={"difficulties": "<script>alert(1)</script>"}, base_version=base)


def test_save_stores_values_in_the_shared_store_with_totals(nam_tuan_officer: Any) -> None:
    values = commune_values(15, 2020)
    result = _save(nam_tuan_officer, values)
    assert result.submission.version == 1 and result.submission.status == Status.DRAFT
    stored = {(r.element, r.disaggregation): r.value for r in DataValue.objects.filter(unit_id="05115", period="2020-H1")}
    assert stored[("rpt_clc_participants", "sex=F")] == 170 + 7 * 15
    assert stored[("rpt_clc_participants", "")] == (170 + 7 * 15) + (150 + 5 * 15)  # computed total
    assert stored[("rpt_clc_funding_total", "")] == 1_190_000 + 500_000 + 150_000
    assert DataValue.objects.filter(unit_id="05115", period="2020-H1").first().source == "entered"
    assert result.submission.texts["difficulties"] == "<script>alert(1)</script>"  # stored as typed, escaped on display
    assert [e.action for e in result.submission.events.all()] == ["save"]


def test_bad_entries_are_refused_all_together_and_nothing_is_written(nam_tuan_officer: Any) -> None:
    values = commune_values(15, 2020) | {"rpt_clc_topics": "abc", "rpt_clc_classes": "-3", "rpt_households": "12,5"}
    with pytest.raises(InvalidValues) as info:
        _save(nam_tuan_officer, values)
    assert set(info.value.errors) == {"rpt_clc_topics", "rpt_clc_classes", "rpt_households"}
    assert "không phải là số" in info.value.errors["rpt_clc_topics"]
    assert "âm" in info.value.errors["rpt_clc_classes"]
    assert "số nguyên" in info.value.errors["rpt_households"]
    assert not DataValue.objects.filter(unit_id="05115", period="2020-H1").exists()
    assert not Submission.objects.filter(reporter_key="u:05115", period="2020-H1").exists()


def test_thousands_separators_in_both_styles_are_read_exactly(nam_tuan_officer: Any) -> None:
    values = commune_values(15, 2020) | {"rpt_households": "1.234.567", "rpt_learning_families_registered": "1,000,000", "rpt_clc_funding_state": "1.190.000"}
    _save(nam_tuan_officer, values)
    got = form_values(form=_form(), unit_code="05115", period="2020-H1")
    assert got["rpt_households"] == 1234567 and got["rpt_learning_families_registered"] == 1000000 and got["rpt_clc_funding_state"] == 1190000


def test_a_single_thousands_separator_is_refused_on_the_web_too(nam_tuan_officer: Any) -> None:
    with pytest.raises(InvalidValues) as info:
        _save(nam_tuan_officer, commune_values(15, 2020) | {"rpt_households": "1.234", "rpt_villages": "1,234"})
    assert "kiểu Việt Nam" in info.value.errors["rpt_households"] and "kiểu tiếng Anh" in info.value.errors["rpt_villages"]
    assert not DataValue.objects.filter(unit_id="05115", period="2020-H1").exists()


def test_commune_officer_cannot_edit_another_commune(hong_viet_officer: Any) -> None:
    with pytest.raises(PermissionDenied):
        _save(hong_viet_officer, commune_values(15, 2020))


def test_second_save_on_a_stale_version_is_refused_and_first_values_are_kept(nam_tuan_officer: Any, district_officer: Any) -> None:
    _save(nam_tuan_officer, commune_values(15, 2020))  # version 1
    # Both open version 1; the commune officer saves first.
    first = commune_values(15, 2020) | {"rpt_clc_topics": 11}
    _save(nam_tuan_officer, first, base=1)
    second = commune_values(15, 2020) | {"rpt_clc_topics": 22}
    with pytest.raises(StaleVersion) as info:
        _save(district_officer, second, base=1)
    assert "phiên bản 1" in str(info.value) and "phiên bản 2" in str(info.value)
    assert form_values(form=_form(), unit_code="05115", period="2020-H1")["rpt_clc_topics"] == 11
    assert Submission.objects.get(reporter_key="u:05115", period="2020-H1").version == 2


def test_full_cycle_submit_approve_lock_reopen(nam_tuan_officer: Any, district_officer: Any, hong_viet_officer: Any, province_officer: Any) -> None:
    sub = _save(nam_tuan_officer, commune_values(15, 2020)).submission
    sub = submission_submit(actor=nam_tuan_officer, submission=sub)
    assert sub.status == Status.SUBMITTED and sub.first_submitted_at is not None
    # Submitted: nobody edits until decided.
    with pytest.raises(Locked):
        _save(nam_tuan_officer, commune_values(15, 2020), base=sub.version)
    # A commune officer cannot approve (not even their own), nor can another commune.
    for user in (nam_tuan_officer, hong_viet_officer):
        with pytest.raises(PermissionDenied):
            submission_approve(actor=user, submission=sub)
    sub = submission_approve(actor=district_officer, submission=sub, comment="Đạt")
    assert sub.status == Status.APPROVED
    # Approved: locked for everybody, district officer included.
    for user in (nam_tuan_officer, district_officer):
        with pytest.raises(Locked):
            _save(user, commune_values(15, 2020), base=sub.version)
    with pytest.raises(PermissionDenied):
        submission_reopen(actor=nam_tuan_officer, submission=sub, reason="muốn sửa")
    with pytest.raises(ReportingError):
        submission_reopen(actor=district_officer, submission=sub, reason="  ")
    sub = submission_reopen(actor=district_officer, submission=sub, reason="Sửa số hộ theo điều tra mới")
    assert sub.status == Status.RETURNED
    result = _save(nam_tuan_officer, commune_values(15, 2020) | {"rpt_households": 1500}, base=sub.version)
    assert result.submission.version == sub.version + 1
    events = [(e.action, e.to_status) for e in sub.events.all()]
    assert events == [("save", "draft"), ("submit", "submitted"), ("approve", "approved"), ("reopen", "returned"), ("save", "returned")]
    from xhht.audit.models import AuditEntry
    assert AuditEntry.objects.filter(object_type="reporting.submission", object_id=str(sub.pk), action="report_reopen").exists()


def test_return_needs_a_comment_and_province_approves_district_reports(nam_tuan_officer: Any, district_officer: Any, province_officer: Any) -> None:
    sub = submission_submit(actor=nam_tuan_officer, submission=_save(nam_tuan_officer, commune_values(15, 2020)).submission)
    with pytest.raises(ReportingError):
        submission_return(actor=district_officer, submission=sub, comment="")
    sub = submission_return(actor=district_officer, submission=sub, comment="Thiếu số liệu kinh phí")
    assert sub.status == Status.RETURNED and sub.decision_comment == "Thiếu số liệu kinh phí"
    # District report: the district officer cannot approve their own unit's report; the province can.
    district = Reporter(Unit.objects.get(code="051"))
    form = get_catalogue().forms["district"]
    dsub = submission_save(actor=district_officer, form=form, reporter=district, period="2020", base_version=0,
                           values={"rpt_communes_total": 21, "rpt_communes_reported": 18}).submission
    dsub = submission_submit(actor=district_officer, submission=dsub)
    with pytest.raises(PermissionDenied):
        submission_approve(actor=district_officer, submission=dsub)
    assert submission_approve(actor=province_officer, submission=dsub).status == Status.APPROVED


def test_errors_block_submission_and_warnings_need_a_comment(nam_tuan_officer: Any) -> None:
    bad = commune_values(15, 2020) | {"rpt_literacy_level1[age_band=15-25]": 10_000}
    result = _save(nam_tuan_officer, bad)
    assert any(f.code == "literacy_l1_le_population_15_25" and f.is_error for f in result.findings)
    with pytest.raises(SubmitRefused) as info:
        submission_submit(actor=nam_tuan_officer, submission=result.submission)
    assert "lỗi" in str(info.value)
    warn = commune_values(15, 2020) | {"rpt_learning_families_recognised": 800, "rpt_learning_families_registered": 700}
    result = _save(nam_tuan_officer, warn, base=result.submission.version)
    assert [f.code for f in result.findings] == ["families_recognised_le_registered"]
    with pytest.raises(SubmitRefused):
        submission_submit(actor=nam_tuan_officer, submission=result.submission)
    sub = submission_submit(actor=nam_tuan_officer, submission=result.submission,
                            comments={"families_recognised_le_registered": "Có 100 hộ được xét bổ sung cuối năm"})
    assert sub.status == Status.SUBMITTED and sub.warning_comments == {"families_recognised_le_registered": "Có 100 hộ được xét bổ sung cuối năm"}


def test_organisation_report_is_approved_by_the_district(district_officer: Any, nam_tuan_officer: Any) -> None:
    from xhht.organisations.models import Organisation

    org = Organisation.objects.get(unit_id="051", kind="youth_union")
    reporter = Reporter(org.unit, org)
    form = get_catalogue().forms["youth_union"]
    with pytest.raises(PermissionDenied):
        submission_save(actor=nam_tuan_officer, form=form, reporter=reporter, period="2020", values={"rpt_yu_study_clubs": 52}, base_version=0)
    sub = submission_save(actor=district_officer, form=form, reporter=reporter, period="2020", values={"rpt_yu_study_clubs": 52}, base_version=0).submission
    sub = submission_submit(actor=district_officer, submission=sub)
    assert submission_approve(actor=district_officer, submission=sub).status == Status.APPROVED
