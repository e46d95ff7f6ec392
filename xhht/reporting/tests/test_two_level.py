"""The reporting chain of the two-level government: the route of a period is the tree at its end.

Each test builds its own small province (codes "T…", beside the demo's): a district that ends on
30/06/2025, an old commune that ends with it, a commune that is re-parented to the province from
01/07/2025, and a new commune created that day.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied

from xhht.accounts.models import Role, User
from xhht.indicators.periods import parse_period
from xhht.reporting.catalogue import get_catalogue
from xhht.reporting.demo import commune_values
from xhht.reporting.models import Status
from xhht.reporting.routing import approval_route
from xhht.reporting.selectors import Reporter, can_approve_reporter, completeness
from xhht.reporting.services import ReportingError, submission_approve, submission_save, submission_submit
from xhht.units.models import Unit, UnitVersion
from xhht.units.services import unit_closure_rebuild

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
END = date(2025, 6, 30)
START = date(2025, 7, 1)


def _unit(code: str, name: str, kind: str, parent: str | None, *, start: date | None = None, end: date | None = None) -> Unit:
    unit = Unit.objects.create(code=code, name=name, kind=kind, parent_id=parent, valid_from=start, valid_to=end)
    UnitVersion.objects.create(unit=unit, name=name, kind=kind, parent_id=parent, valid_from=start, valid_to=end)
    return unit


def _reparent(unit: Unit, parent: str, on: date) -> None:
    UnitVersion.objects.filter(unit=unit, valid_from=unit.valid_from).update(valid_to=date.fromordinal(on.toordinal() - 1))
    UnitVersion.objects.create(unit=unit, name=unit.name, kind=unit.kind, parent_id=parent, valid_from=on)
    unit.parent_id = parent
    unit.save()


def _officer(username: str, role: str, unit: str) -> User:
    return User.objects.create(username=username, role=role, unit_id=unit)


@pytest.fixture
def tree() -> dict[str, Any]:
    province = _unit("T9", "Tỉnh thử", "province", None)
    district = _unit("T91", "Huyện thử", "district", "T9", end=END)
    old = _unit("T9101", "Xã Cũ", "commune", "T91", end=END)
    kept = _unit("T9102", "Xã Giữ", "commune", "T91")
    _reparent(kept, "T9", START)
    new = _unit("T9201", "Xã Mới", "commune", "T9", start=START)
    return {
        "province": province, "district": district, "old": old, "kept": kept, "new": new,
        "district_officer": _officer("t.huyen", Role.DISTRICT_OFFICER, "T91"),
        "province_officer": _officer("t.tinh", Role.PROVINCE_OFFICER, "T9"),
        "kept_officer": _officer("t.xagiu", Role.COMMUNE_OFFICER, "T9102"),
    }


def _form() -> Any:
    return get_catalogue().forms["commune"]


def _submitted(user: User, unit: Unit, period: str) -> Any:
    sub = submission_save(actor=user, form=_form(), reporter=Reporter(unit), period=period, values=commune_values(3, 2020),
                          base_version=0).submission
    return submission_submit(actor=user, submission=sub)


def test_route_is_the_tree_at_the_period_end(tree: dict[str, Any]) -> None:
    kept = tree["kept"]
    # 2024 and the first half of 2025: the district; the second half of 2025 and 2026: the province.
    for period, named in [("2024", "T91"), ("2025-H1", "T91"), ("2025-H2", "T9"), ("2025", "T9"), ("2026", "T9")]:
        route = approval_route(unit=kept, period=parse_period(period), today=date(2025, 3, 1) if period == "2024" else date(2027, 1, 5))
        assert route.named is not None and route.named.code == named, period
    # A commune that ended with the district: its 2025-H1 report still goes to the district (tree of its last day).
    route = approval_route(unit=tree["old"], period=parse_period("2025-H1"), today=date(2025, 6, 20))
    assert route.approver is not None and route.approver.code == "T91" and route.on == END
    # A new commune reports straight to the province.
    assert approval_route(unit=tree["new"], period=parse_period("2026"), today=date(2027, 1, 5)).approver.code == "T9"  # type: ignore[union-attr]


def test_2024_report_went_through_the_district(tree: dict[str, Any]) -> None:
    sub = _submitted(tree["kept_officer"], tree["kept"], "2024")
    decided = datetime(2025, 1, 20, 9, tzinfo=TZ)
    reporter = Reporter(tree["kept"])
    period = parse_period("2024")
    assert can_approve_reporter(tree["district_officer"], reporter, period, today=decided.date())
    assert not can_approve_reporter(tree["province_officer"], reporter, period, today=decided.date())
    with pytest.raises(PermissionDenied, match="cuối kỳ"):
        submission_approve(actor=tree["province_officer"], submission=sub, now=decided)
    assert submission_approve(actor=tree["district_officer"], submission=sub, now=decided).status == Status.APPROVED


def test_2026_report_goes_straight_to_the_province(tree: dict[str, Any]) -> None:
    sub = _submitted(tree["kept_officer"], tree["kept"], "2026")
    decided = datetime(2027, 1, 10, 9, tzinfo=TZ)
    with pytest.raises(PermissionDenied):
        submission_approve(actor=tree["district_officer"], submission=sub, now=decided)
    with pytest.raises(PermissionDenied):
        submission_approve(actor=tree["kept_officer"], submission=sub, now=decided)
    assert submission_approve(actor=tree["province_officer"], submission=sub, now=decided).status == Status.APPROVED


def test_a_waiting_2024_report_may_be_taken_over_by_the_province_once_the_district_has_ended(tree: dict[str, Any]) -> None:
    sub = _submitted(tree["kept_officer"], tree["kept"], "2024")
    route = approval_route(unit=tree["kept"], period=parse_period("2024"), today=date(2025, 9, 1))
    assert route.named.code == "T91" and route.approver.code == "T9" and route.carried_over  # type: ignore[union-attr]
    late = datetime(2025, 9, 1, 9, tzinfo=TZ)
    reporter, period = Reporter(tree["kept"]), parse_period("2024")
    # The route stays the district's; the province may take over what is left waiting.
    assert can_approve_reporter(tree["district_officer"], reporter, period, today=late.date())
    with pytest.raises(PermissionDenied):
        submission_approve(actor=tree["kept_officer"], submission=sub, now=late)
    assert submission_approve(actor=tree["province_officer"], submission=sub, now=late).status == Status.APPROVED


def test_a_report_for_a_period_before_the_unit_existed_is_refused(tree: dict[str, Any]) -> None:
    officer = _officer("t.xamoi", Role.COMMUNE_OFFICER, "T9201")
    with pytest.raises(ReportingError, match="không tồn tại trong năm 2024"):
        submission_save(actor=officer, form=_form(), reporter=Reporter(tree["new"]), period="2024", values=commune_values(3, 2020), base_version=0)
    with pytest.raises(ReportingError, match="không tồn tại"):
        submission_save(actor=tree["district_officer"], form=_form(), reporter=Reporter(tree["old"]), period="2025-H2",
                        values=commune_values(3, 2020), base_version=0)
    # Its first period is accepted.
    assert submission_save(actor=officer, form=_form(), reporter=Reporter(tree["new"]), period="2025-H2", values=commune_values(3, 2020),
                           base_version=0).submission.version == 1


@pytest.mark.parametrize("communes", [56, 120])
def test_completeness_of_a_province_of_communes(communes: int, django_assert_max_num_queries: Any) -> None:
    """A province without districts: every commune is expected, due 15 days after the period, reminders listed."""
    province = _unit("T8", "Tỉnh không huyện", "province", None)
    units = [Unit(code=f"T8{i:03d}", name=f"Xã {i:03d}", kind="commune", parent_id="T8", valid_from=START) for i in range(communes)]
    Unit.objects.bulk_create(units)
    UnitVersion.objects.bulk_create([UnitVersion(unit=u, name=u.name, kind=u.kind, parent_id="T8", valid_from=START) for u in units])
    unit_closure_rebuild()  # bulk_create sends no signal: do what every write path of the tree does
    officer = _officer("t8.xa000", Role.COMMUNE_OFFICER, "T8000")
    on_time = _submitted(officer, units[0], "2026")
    on_time.first_submitted_at = datetime(2027, 1, 10, 9, tzinfo=TZ)
    on_time.save()
    # Contacts of every commune to remind are fetched at once: the same bound for 56 and 120 communes.
    with django_assert_max_num_queries(12):
        result = completeness(unit=province, period=parse_period("2026"), today=date(2027, 1, 20), form_codes=["commune"])
    assert result.expected == communes
    assert {r.reporter.unit.code for r in result.rows} == {u.code for u in units}
    assert all(r.due == date(2027, 1, 15) for r in result.rows)
    assert result.on_time == 1 and result.not_submitted == communes - 1
    assert len(result.reminders) == communes - 1
    # The same province in 2024 had no communes yet (they start on 01/07/2025): nothing expected.
    assert completeness(unit=province, period=parse_period("2024"), today=date(2025, 1, 20), form_codes=["commune"]).expected == 0


def test_the_province_officers_home_is_the_completeness_of_its_communes(client: Any) -> None:
    _unit("T7", "Tỉnh bảy", "province", None)
    for i in range(3):
        _unit(f"T70{i}", f"Xã Bảy {i}", "commune", "T7", start=START)
    officer = _officer("t7.tinh", Role.PROVINCE_OFFICER, "T7")
    client.force_login(officer)
    response = client.get("/", follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0].startswith("/bao-cao-dinh-ky/")
    page = client.get("/bao-cao-dinh-ky/?ky=2026").content.decode()
    assert all(f"Xã Bảy {i}" in page for i in range(3))
