"""The yearly cycle through the services: registration, self-evaluation, review, recognition, refusals."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from xhht.audit.models import AuditEntry
from xhht.indicators.models import DataValue
from xhht.indicators.services import Value, data_values_write
from xhht.learning_models.models import Evaluation, IndicatorScore, ModelKind, Registration, Status
from xhht.learning_models.selectors import commune_classification_table, commune_results, registration_shares
from xhht.learning_models.services import (
    DecisionInfo,
    LearningModelError,
    evaluation_review,
    evaluation_self_score,
    evaluation_start,
    evaluation_submit,
    evidence_attach,
    inspection_team_set,
    participant_register,
    recognition_create,
    village_households_set,
)
from xhht.learning_models.tests.test_scoring import tt44_values
from xhht.units.models import Unit

pytestmark = pytest.mark.django_db


def _unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def _commune_through_review(officer: Any, reviewer: Any, code: str, year: int, values: dict[str, Any]) -> Evaluation:
    commune = _unit(code)
    reg = participant_register(actor=officer, kind=ModelKind.COMMUNE, commune=commune, name=commune.full_name, year=year)
    ev = evaluation_self_score(actor=officer, participant=reg.participant, year=year, values=values)
    ev = evaluation_submit(actor=officer, evaluation=ev)
    return evaluation_review(actor=reviewer, evaluation=ev)


def test_commune_in_2023_and_2024_judged_by_two_texts(demo: None, nam_tuan_officer: Any, district_officer: Any) -> None:
    inspection_team_set(actor=district_officer, district=_unit("051"), year=2023, members=[district_officer])
    inspection_team_set(actor=district_officer, district=_unit("051"), year=2024, members=[district_officer])
    ev23 = _commune_through_review(nam_tuan_officer, district_officer, "05115", 2023, tt44_values(110))
    assert (ev23.rubric_code, ev23.outcome, ev23.total) == ("tt44-2014", "kha", Decimal(110))
    ev24 = _commune_through_review(nam_tuan_officer, district_officer, "05115", 2024,
                                   {"c1_1": 1, "c1_2": 1, "c1_3": 1, "c2_1": 1, "c2_2": 1, "c2_3": 1, "c3_all": 1, "c4_m1": 1, "c4_m2": 0, "c5_m1": 1, "c5_m2": 1})
    assert (ev24.rubric_code, ev24.outcome, ev24.total) == ("tt25-2023-commune", "muc_1", None)
    recognition_create(actor=district_officer, unit=_unit("051"), kind=ModelKind.COMMUNE, year=2024, evaluations=[ev24],
                       decision=DecisionInfo(number="15/QĐ-PGDĐT", decided_on=date(2025, 3, 20), signer="Nguyễn Văn A"))
    # A TT 25 level is held through its 36 months: 2025–2027 without a new evaluation, not 2028.
    for year, expected in ((2025, "muc_1"), (2027, "muc_1"), (2028, "")):
        row = next(r for r in commune_results(unit=_unit("051"), year=year) if r.commune.code == "05115")
        assert row.outcome == expected, year
    table = {r.year: r for r in commune_classification_table(unit=_unit("051"), years=[2024, 2026])}
    assert table[2026].counts["muc_1"] == 1 and table[2026].rubric.code == "tt25-2023-commune"  # type: ignore[union-attr]


def test_self_evaluation_without_registration_refused(demo: None, nam_tuan_officer: Any) -> None:
    commune = _unit("05115")
    reg = participant_register(actor=nam_tuan_officer, kind=ModelKind.FAMILY, commune=commune, name="Hộ ông Nông Văn B", village="xóm Nà Vại", year=2019)
    with pytest.raises(LearningModelError, match="chưa đăng ký năm 2020"):
        evaluation_self_score(actor=nam_tuan_officer, participant=reg.participant, year=2020, values={"c1_1": 10})
    assert not Evaluation.objects.filter(registration__participant=reg.participant, registration__year=2020).exists()


def test_points_above_max_or_below_zero_refused_nothing_written(demo: None, nam_tuan_officer: Any) -> None:
    commune = _unit("05115")
    reg = participant_register(actor=nam_tuan_officer, kind=ModelKind.COMMUNE, commune=commune, name=commune.full_name, year=2020)
    evaluation_self_score(actor=nam_tuan_officer, participant=reg.participant, year=2020, values={"c1": 5})
    for bad in ({"c1": 7, "c2": 11}, {"c1": 7, "c2": -1}, {"c1": 7, "c2": "abc"}):
        with pytest.raises(LearningModelError):
            evaluation_self_score(actor=nam_tuan_officer, participant=reg.participant, year=2020, values=bad)
    assert IndicatorScore.objects.get(evaluation__registration=reg, indicator="c1").self_value == 5
    assert not IndicatorScore.objects.filter(evaluation__registration=reg, indicator="c2").exists()


def test_outsiders_refused(demo: None, nam_tuan_officer: Any, hong_viet_officer: Any, district_officer: Any, province_officer: Any) -> None:
    commune = _unit("05115")
    with pytest.raises(PermissionDenied):
        participant_register(actor=hong_viet_officer, kind=ModelKind.FAMILY, commune=commune, name="Hộ X", year=2020)
    reg = participant_register(actor=nam_tuan_officer, kind=ModelKind.COMMUNE, commune=commune, name=commune.full_name, year=2020)
    with pytest.raises(PermissionDenied):
        evaluation_self_score(actor=hong_viet_officer, participant=reg.participant, year=2020, values={"c1": 5})
    ev = evaluation_self_score(actor=nam_tuan_officer, participant=reg.participant, year=2020, values=tt44_values(100))
    ev = evaluation_submit(actor=nam_tuan_officer, evaluation=ev)
    inspection_team_set(actor=district_officer, district=_unit("051"), year=2020, members=[province_officer])
    # The commune's own officer, a neighbour, and a district officer not designated on the team are all refused.
    for outsider in (nam_tuan_officer, hong_viet_officer, district_officer):
        with pytest.raises(PermissionDenied):
            evaluation_review(actor=outsider, evaluation=ev, changes={"c1": (0, "thử")})
    assert Evaluation.objects.get(pk=ev.pk).status == Status.SUBMITTED
    evaluation_review(actor=province_officer, evaluation=ev)
    # Families are reviewed by their commune, not by a neighbour.
    fam = participant_register(actor=nam_tuan_officer, kind=ModelKind.FAMILY, commune=commune, name="Hộ bà Hoàng Thị C", village="xóm Nà Vại", year=2019)
    fev = evaluation_self_score(actor=nam_tuan_officer, participant=fam.participant, year=2019, values={"c1_1": 10, "c1_2": 10, "c1_3": 10, "c2_1": 10})
    fev = evaluation_submit(actor=nam_tuan_officer, evaluation=fev)
    with pytest.raises(PermissionDenied):
        evaluation_review(actor=hong_viet_officer, evaluation=fev)
    with pytest.raises(PermissionDenied):
        inspection_team_set(actor=nam_tuan_officer, district=_unit("051"), year=2021, members=[nam_tuan_officer])
    evaluation_review(actor=nam_tuan_officer, evaluation=fev)


def test_review_change_needs_reason_and_keeps_original(demo: None, nam_tuan_officer: Any, district_officer: Any) -> None:
    commune = _unit("05115")
    inspection_team_set(actor=district_officer, district=_unit("051"), year=2021, members=[district_officer])
    reg = participant_register(actor=nam_tuan_officer, kind=ModelKind.COMMUNE, commune=commune, name=commune.full_name, year=2021)
    ev = evaluation_submit(actor=nam_tuan_officer, evaluation=evaluation_self_score(actor=nam_tuan_officer, participant=reg.participant, year=2021, values=tt44_values(128)))
    assert ev.self_outcome == "tot"
    with pytest.raises(LearningModelError, match="lý do"):
        evaluation_review(actor=district_officer, evaluation=ev, changes={"c1": (9, "")})
    ev = evaluation_review(actor=district_officer, evaluation=ev, changes={"c1": (9, "Thiếu biên bản họp Ban chỉ đạo")})
    row = IndicatorScore.objects.get(evaluation=ev, indicator="c1")
    assert (row.self_value, row.reviewed_value, row.review_reason) == (10, 9, "Thiếu biên bản họp Ban chỉ đạo")
    assert (ev.self_outcome, ev.outcome, ev.total) == ("tot", "kha", Decimal(127))
    entry = AuditEntry.objects.filter(action="learning_evaluation_review", object_id=str(ev.pk)).get()
    assert [Decimal(v) for v in entry.changes["c1"]] == [10, 9]
    assert entry.changes["outcome"] == ["tot", "kha"]


def test_submit_refused_while_indicators_missing(demo: None, nam_tuan_officer: Any) -> None:
    commune = _unit("05115")
    reg = participant_register(actor=nam_tuan_officer, kind=ModelKind.COMMUNE, commune=commune, name=commune.full_name, year=2022)
    ev = evaluation_self_score(actor=nam_tuan_officer, participant=reg.participant, year=2022, values={"c1": 5})
    with pytest.raises(LearningModelError, match="chưa tự đánh giá"):
        evaluation_submit(actor=nam_tuan_officer, evaluation=ev)


def test_literacy_indicator_filled_from_the_store(demo: None, nam_tuan_officer: Any) -> None:
    data_values_write(actor=None, source="computed", rule="test", values=[
        Value(element="literacy_standard_level", unit_code="05115", period="2022", value=1),
        Value(element="literacy_standard_level", unit_code="05113", period="2022", value=2),
    ])
    commune = _unit("05115")
    reg = participant_register(actor=nam_tuan_officer, kind=ModelKind.COMMUNE, commune=commune, name=commune.full_name, year=2022)
    ev = evaluation_self_score(actor=nam_tuan_officer, participant=reg.participant, year=2022, values=tt44_values(150))
    row = IndicatorScore.objects.get(evaluation=ev, indicator="c5_xmc2")
    assert (row.self_value, row.self_source) == (0, "computed")  # XMC level 1 only: the hand-entered "1" does not override the data
    assert ev.self_outcome == "khong_dat"
    assert "Mức độ đạt chuẩn xóa mù chữ của đơn vị (0 = chưa đạt) ≥ 2" in row.self_note  # by its name (issue 15)
    assert "literacy_standard_level" not in row.self_note
    hong_viet = _unit("05113")
    reg = participant_register(actor=None, kind=ModelKind.COMMUNE, commune=hong_viet, name=hong_viet.full_name, year=2022)
    ev = evaluation_self_score(actor=None, participant=reg.participant, year=2022, values=tt44_values(150, c5_xmc2=0))
    assert IndicatorScore.objects.get(evaluation=ev, indicator="c5_xmc2").self_value == 1 and ev.self_outcome == "tot"


def test_evidence_size_and_type_limits(demo: None, nam_tuan_officer: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    commune = _unit("05115")
    reg = participant_register(actor=nam_tuan_officer, kind=ModelKind.COMMUNE, commune=commune, name=commune.full_name, year=2022)
    ev = evaluation_start(actor=nam_tuan_officer, participant=reg.participant, year=2022)
    evidence = evidence_attach(actor=nam_tuan_officer, evaluation=ev, name="../../bien ban.pdf", content=b"%PDF-1.4 test", indicator="c1")
    assert evidence.original_name == "bien ban.pdf" and ".." not in evidence.file.name and evidence.file.name.endswith(".bin")
    with pytest.raises(LearningModelError, match="chỉ nhận"):
        evidence_attach(actor=nam_tuan_officer, evaluation=ev, name="virus.exe", content=b"MZ")
    with pytest.raises(LearningModelError, match="quá lớn"):
        evidence_attach(actor=nam_tuan_officer, evaluation=ev, name="big.pdf", content=b"0" * (10 * 1024 * 1024 + 1))


def test_recognition_refuses_unreviewed_and_failing(demo: None, nam_tuan_officer: Any) -> None:
    commune = _unit("05115")
    reg = participant_register(actor=nam_tuan_officer, kind=ModelKind.FAMILY, commune=commune, name="Hộ ông Lương Văn D", village="xóm Nà Vại", year=2019)
    ev = evaluation_self_score(actor=nam_tuan_officer, participant=reg.participant, year=2019, values={"c1_1": 10, "c1_2": 10, "c1_3": 10, "c2_1": 10})
    decision = DecisionInfo(number="12/QĐ-UBND", decided_on=date(2019, 12, 20), signer="Chủ tịch UBND xã")
    with pytest.raises(LearningModelError, match="chưa được thẩm định"):
        recognition_create(actor=nam_tuan_officer, unit=commune, kind=ModelKind.FAMILY, year=2019, evaluations=[ev], decision=decision)
    ev = evaluation_review(actor=nam_tuan_officer, evaluation=evaluation_submit(actor=nam_tuan_officer, evaluation=ev))
    rec = recognition_create(actor=nam_tuan_officer, unit=commune, kind=ModelKind.FAMILY, year=2019, evaluations=[ev], decision=decision)
    assert rec.entries.get().outcome_label.startswith("Công nhận theo quyết định")
    assert DataValue.objects.get(element="lm_families_recognised", unit_id="05115", period="2019").value == 1


def test_registration_share_per_village(demo: None, nam_tuan_officer: Any) -> None:
    commune = _unit("05115")
    village_households_set(actor=nam_tuan_officer, commune=commune, village="xóm Nà Vại", year=2018, households=3)
    for name in ("Hộ A", "Hộ B"):
        participant_register(actor=nam_tuan_officer, kind=ModelKind.FAMILY, commune=commune, name=name, village="xóm Nà Vại", year=2018)
    rows, total = registration_shares(commune=commune, year=2018)
    assert [(r.village, r.registered, r.households) for r in rows] == [("xóm Nà Vại", 2, 3)]
    assert total.rate == Fraction(200, 3)
    assert Registration.objects.filter(participant__commune=commune, participant__kind=ModelKind.FAMILY, year=2018).count() == 2


def test_registration_in_a_commune_only_and_a_decision_number_once(demo: None, nam_tuan_officer: Any, district_officer: Any) -> None:
    """The refusals the web showed as an error page (a district as the commune, a 201-character name, a decision
    number used twice) are messages naming the field; nothing is written."""
    commune = _unit("05115")
    registrations = Registration.objects.count()
    for actor, unit, name, field in ((district_officer, _unit("051"), "Hộ X", "commune"), (nam_tuan_officer, commune, "H" * 201, "name")):
        with pytest.raises(LearningModelError) as caught:
            participant_register(actor=actor, kind=ModelKind.FAMILY, commune=unit, name=name, year=2019)
        assert caught.value.field == field
    assert Registration.objects.count() == registrations
    reviewed = []
    for name in ("Hộ ông Hà Văn G", "Hộ bà Đàm Thị H"):
        reg = participant_register(actor=nam_tuan_officer, kind=ModelKind.FAMILY, commune=commune, name=name, village="xóm Nà Vại", year=2019)
        ev = evaluation_self_score(actor=nam_tuan_officer, participant=reg.participant, year=2019,
                                   values={"c1_1": 10, "c1_2": 10, "c1_3": 10, "c2_1": 10})
        reviewed.append(evaluation_review(actor=nam_tuan_officer, evaluation=evaluation_submit(actor=nam_tuan_officer, evaluation=ev)))
    decision = DecisionInfo(number="21/QĐ-UBND", decided_on=date(2019, 12, 20), signer="Chủ tịch UBND xã")
    recognition_create(actor=nam_tuan_officer, unit=commune, kind=ModelKind.FAMILY, year=2019, evaluations=reviewed[:1], decision=decision)
    with pytest.raises(LearningModelError) as caught:
        recognition_create(actor=nam_tuan_officer, unit=commune, kind=ModelKind.FAMILY, year=2019, evaluations=reviewed[1:], decision=decision)
    assert caught.value.field == "number" and "21/QĐ-UBND" in str(caught.value)
    assert Evaluation.objects.get(pk=reviewed[1].pk).status == Status.REVIEWED
