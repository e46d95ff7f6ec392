"""Reading the activity registers: lists for the web and exact summaries for the official report.

Every summary covers a unit's whole subtree (every unit that has ever been below it, so a 2017
figure still counts a commune merged away in 2020) and returns plain dataclasses with exact
integers / Decimals; a cell no record reported stays ``None`` (shown empty), never 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from xhht.accounts.access import can_edit_organisation, can_edit_unit, scope_codes
from xhht.activities.definitions import catalogue
from xhht.activities.models import BudgetLine, ClcStaffing, ClcTopic, Commendation, CommunicationItem, LifelongWeek, VocationalClass
from xhht.activities.registers import REGISTERS, RegisterSpec, centre_of
from xhht.units.models import COMMUNE_LEVEL_KINDS, Unit
from xhht.units.selectors import unit_subtree_codes_ever


def _codes(unit: Unit) -> set[str]:
    return unit_subtree_codes_ever(unit=unit)


def _add(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    if b is None:
        return a
    return a + b


# --------------------------------------------------------------------------- lists


def register_records(*, spec: RegisterSpec, user: Any, unit: Unit | None = None, period: str = "") -> QuerySet[Any]:
    """The register's records the user may see, optionally within ``unit``'s subtree and one period."""
    qs = spec.model._default_manager.all().select_related("unit")
    if spec.owner == "centre":
        qs = qs.select_related("centre")
    if spec.owner == "organisation":
        qs = qs.select_related("organisation")
    allowed = scope_codes(user)
    if allowed is not None:
        qs = qs.filter(unit_id__in=allowed)
    if unit is not None:
        qs = qs.filter(unit_id__in=_codes(unit))
    if period:
        qs = qs.filter(**{spec.period_field: period})
    return qs


def register_periods(*, spec: RegisterSpec, user: Any) -> list[str]:
    qs = register_records(spec=spec, user=user)
    return sorted({str(p) for p in qs.order_by().values_list(spec.period_field, flat=True).distinct()})


def record_for_user_or_none(*, spec: RegisterSpec, user: Any, pk: int) -> Any | None:
    return register_records(spec=spec, user=user).filter(pk=pk).first()


def register_entry_units(*, spec: RegisterSpec, user: Any) -> list[Unit]:
    """The units (for centre registers, communes whose centre) ``user`` may enter records for in ``spec``: the web's
    unit choices, and whether the web's add and import pages (and the API's) let the user in at all."""
    from xhht.organisations.models import Organisation, OrganisationKind

    scope = scope_codes(user)
    units = list((Unit.objects.all() if scope is None else Unit.objects.filter(code__in=scope)).exclude(kind="village").order_by("code"))
    if spec.owner == "centre":
        centres = {o.unit_id: o for o in Organisation.objects.filter(kind=OrganisationKind.COMMUNITY_LEARNING_CENTRE, unit__in=units)}
        return [u for u in units if u.code in centres and can_edit_organisation(user, centres[u.code])]
    if spec.owner == "organisation":
        return [u for u in units if any(can_edit_organisation(user, o) for o in u.organisations.all())]
    return [u for u in units if can_edit_unit(user, u)]


def register_record_editable(*, spec: RegisterSpec, user: Any, record: Any) -> bool:
    """Whether ``user`` may change or delete ``record`` (its centre's, organisation's or unit's editors): one check for
    the web's edit and delete and the API's."""
    if spec.owner == "centre":
        return can_edit_organisation(user, record.centre)
    if spec.owner == "organisation":
        return can_edit_organisation(user, record.organisation)
    return can_edit_unit(user, record.unit_id)


# --------------------------------------------------------------------------- community learning centres


@dataclass(frozen=True)
class ClcYearRow:
    school_year: str
    topics: int
    classes: int
    participants: int


@dataclass(frozen=True)
class ClcYearlyTable:
    unit_code: str
    rows: list[ClcYearRow]
    total: ClcYearRow  # school_year "Cộng"


def clc_yearly_table(*, unit: Unit, school_years: Sequence[str]) -> ClcYearlyTable:
    """The seed's CLC table: per school year, topics held, classes and participants (III.1.1 c)."""
    codes = _codes(unit)
    rows = []
    for school_year in school_years:
        topics = classes = participants = 0
        for c, p in ClcTopic.objects.filter(unit_id__in=codes, school_year=school_year).values_list("classes", "participants"):
            topics, classes, participants = topics + 1, classes + c, participants + p
        rows.append(ClcYearRow(school_year, topics, classes, participants))
    total = ClcYearRow("Cộng", sum(r.topics for r in rows), sum(r.classes for r in rows), sum(r.participants for r in rows))
    return ClcYearlyTable(unit.code, rows, total)


@dataclass(frozen=True)
class ClcStaffSummary:
    unit_code: str
    school_year: str
    centres: int  # centres with a staffing record that year
    managers: int
    accountants_treasurers: int
    communes: int  # commune-level units in the area (ever below it and existing that school year)
    communes_with_centre: int  # of which with a centre that has managers


def clc_staff_summary(*, unit: Unit, school_year: str) -> ClcStaffSummary:
    """ "Tổng số TTHTCĐ: 21, tỷ lệ TTHTCĐ/xã 21/21; CBQL 63; kế toán, thủ quỹ 42" for a school year."""
    from xhht.indicators.periods import parse_period

    period = parse_period(school_year)
    codes = _codes(unit)
    staffing = list(ClcStaffing.objects.filter(unit_id__in=codes, school_year=period.code))
    communes = [u for u in Unit.objects.filter(code__in=codes, kind__in=COMMUNE_LEVEL_KINDS) if u.exists_on(period.end) or u.exists_on(period.start)]
    with_centre = {s.unit_id for s in staffing if s.managers > 0}
    return ClcStaffSummary(
        unit_code=unit.code,
        school_year=period.code,
        centres=len({s.centre_id for s in staffing}),
        managers=sum(s.managers for s in staffing),
        accountants_treasurers=sum(s.accountants_treasurers for s in staffing),
        communes=len(communes),
        communes_with_centre=len(with_centre & {u.code for u in communes}),
    )


# --------------------------------------------------------------------------- vocational training


@dataclass(frozen=True)
class VocationalYearRow:
    year: str  # "2019", or "Cộng"
    classes: int
    learners: int
    ethnic_minority: int | None
    poor_household: int | None
    policy_beneficiary: int | None
    disabled: int | None
    farm_classes: int = 0
    non_farm_classes: int = 0


@dataclass(frozen=True)
class VocationalYearlyTable:
    unit_code: str
    rows: list[VocationalYearRow]
    total: VocationalYearRow


BREAKDOWNS = ("ethnic_minority", "poor_household", "policy_beneficiary", "disabled")


def vocational_yearly_table(*, unit: Unit, years: Iterable[int]) -> VocationalYearlyTable:
    """The seed's table of III.1.3: classes, learners and their breakdown per year, with the "Cộng" row.

    A breakdown cell is empty (None) when no class of that year reported it, as in the seed's 2019 row.
    """
    codes = _codes(unit)
    rows = []
    years = list(years)
    by_year: dict[int, list[VocationalClass]] = {y: [] for y in years}
    for record in VocationalClass.objects.filter(unit_id__in=codes, year__in=years):
        by_year[record.year].append(record)
    for year in years:
        classes = by_year[year]
        parts: dict[str, int | None] = {b: None for b in BREAKDOWNS}
        for record in classes:
            for b in BREAKDOWNS:
                parts[b] = _add(parts[b], getattr(record, b))
        rows.append(VocationalYearRow(
            str(year), len(classes), sum(c.learners for c in classes), parts["ethnic_minority"], parts["poor_household"],
            parts["policy_beneficiary"], parts["disabled"],
            farm_classes=sum(1 for c in classes if c.sector == "farm"), non_farm_classes=sum(1 for c in classes if c.sector == "non_farm"),
        ))
    totals: dict[str, int | None] = {b: None for b in BREAKDOWNS}
    for row in rows:
        for b in BREAKDOWNS:
            totals[b] = _add(totals[b], getattr(row, b))
    total = VocationalYearRow("Cộng", sum(r.classes for r in rows), sum(r.learners for r in rows), totals["ethnic_minority"],
                              totals["poor_household"], totals["policy_beneficiary"], totals["disabled"],
                              sum(r.farm_classes for r in rows), sum(r.non_farm_classes for r in rows))
    return VocationalYearlyTable(unit.code, rows, total)


# --------------------------------------------------------------------------- lifelong learning week


@dataclass(frozen=True)
class LifelongWeekRow:
    year: int
    unit_code: str
    theme: str
    host_school: str
    host_centre: str
    participants: int | None
    delegates: int | None
    books_collected: int | None
    banners: int | None


@dataclass(frozen=True)
class LifelongWeekSummary:
    unit_code: str
    years: list[int]
    rows: list[LifelongWeekRow]
    themes: dict[int, str]  # year -> theme of the area's own week (the unit's, else the first found)
    participants: int | None
    delegates: int | None
    books_collected: int | None
    banners: int | None


def lifelong_week_summary(*, unit: Unit, years: Iterable[int]) -> LifelongWeekSummary:
    """The weeks held in the unit's area over the years, with totals (seed III.1.1 e)."""
    years = list(years)
    records = list(LifelongWeek.objects.filter(unit_id__in=_codes(unit), year__in=years).order_by("year", "unit_id"))
    rows = [LifelongWeekRow(r.year, r.unit_id, r.theme, r.host_school, r.host_centre, r.participants, r.delegates, r.books_collected, r.banners) for r in records]
    themes: dict[int, str] = {}
    for row in sorted(rows, key=lambda r: (r.year, r.unit_code != unit.code)):
        if row.theme and row.year not in themes:
            themes[row.year] = row.theme
    totals: dict[str, int | None] = {}
    for name in ("participants", "delegates", "books_collected", "banners"):
        value: int | None = None
        for row in rows:
            value = _add(value, getattr(row, name))
        totals[name] = value
    return LifelongWeekSummary(unit.code, years, rows, themes, **totals)


# --------------------------------------------------------------------------- communication


@dataclass(frozen=True)
class CommunicationRow:
    organisation: str
    unit_code: str
    period: str
    channel: str  # label
    kind: str  # label
    count: int
    estimated: bool


@dataclass(frozen=True)
class CommunicationSummary:
    unit_code: str
    rows: list[CommunicationRow]
    by_kind: dict[str, int]  # kind code -> total
    by_organisation: dict[str, dict[str, int]] = field(default_factory=dict)  # organisation -> kind code -> total
    total: int = 0


def communication_summary(*, unit: Unit, periods: Iterable[str] | None = None) -> CommunicationSummary:
    """News items, articles and features per organisation (seed III.1.8–1.9)."""
    cat = catalogue()
    qs = CommunicationItem.objects.filter(unit_id__in=_codes(unit)).select_related("organisation")
    if periods is not None:
        qs = qs.filter(period__in=list(periods))
    rows, by_kind, by_org = [], {}, {}  # type: ignore[var-annotated]
    for item in qs.order_by("organisation__name", "period", "channel", "kind"):
        rows.append(CommunicationRow(item.organisation.name, item.unit_id, item.period, cat.label("communication_channel", item.channel),
                                     cat.label("communication_kind", item.kind), item.count, item.estimated))
        by_kind[item.kind] = by_kind.get(item.kind, 0) + item.count
        by_org.setdefault(item.organisation.name, {})
        by_org[item.organisation.name][item.kind] = by_org[item.organisation.name].get(item.kind, 0) + item.count
    return CommunicationSummary(unit.code, rows, by_kind, by_org, sum(by_kind.values()))


# --------------------------------------------------------------------------- commendations


@dataclass(frozen=True)
class CommendationSummary:
    unit_code: str
    counts: dict[tuple[str, str], int]  # (level, recipient_kind) -> number
    rows: list[Commendation]
    total: int


def commendation_summary(*, unit: Unit, years: Iterable[int]) -> CommendationSummary:
    """ "02 xã đạt giấy khen cấp huyện, 01 cá nhân…": counts by level and recipient kind."""
    rows = list(Commendation.objects.filter(unit_id__in=_codes(unit), year__in=list(years)).order_by("year", "level", "recipient_kind", "id"))
    counts: dict[tuple[str, str], int] = {}
    for r in rows:
        counts[(r.level, r.recipient_kind)] = counts.get((r.level, r.recipient_kind), 0) + 1
    return CommendationSummary(unit.code, counts, rows, len(rows))


# --------------------------------------------------------------------------- budget


@dataclass(frozen=True)
class BudgetSummary:
    unit_code: str
    periods: list[str]
    total: Decimal
    by_purpose: dict[str, Decimal]  # purpose code -> amount, in catalogue order
    by_source: dict[str, Decimal]
    lines: list[BudgetLine]


def budget_summary(*, unit: Unit, years: Iterable[int | str]) -> BudgetSummary:
    """Money spent in the area over the given years (or phase codes), exact đồng (seed section II)."""
    periods = [str(y) for y in years]
    lines = list(BudgetLine.objects.filter(unit_id__in=_codes(unit), period__in=periods).order_by("period", "unit_id", "id"))
    cat = catalogue()
    by_purpose = {code: Decimal(0) for code, _ in cat.choices("budget_purpose")}
    by_source = {code: Decimal(0) for code, _ in cat.choices("funding_source")}
    for line in lines:
        by_purpose[line.purpose] = by_purpose.get(line.purpose, Decimal(0)) + line.amount
        by_source[line.source] = by_source.get(line.source, Decimal(0)) + line.amount
    return BudgetSummary(
        unit.code, periods, sum((line.amount for line in lines), Decimal(0)),
        {k: v for k, v in by_purpose.items() if v}, {k: v for k, v in by_source.items() if v}, lines,
    )


def spec_for(register: str) -> RegisterSpec:
    return REGISTERS[register]


def register_target_check(*, spec: RegisterSpec, user: Any, values: Any) -> None:
    """403 when the unit, centre or organisation a new record names (``values``: the web form's POST or the API's
    body) exists but is not ``user``'s to change; one check for the web and the API."""
    from xhht.organisations.models import Organisation
    from xhht.units.models import Unit

    unit = Unit.objects.filter(code=(values.get("unit_code") or "").strip()).first()
    if unit is not None:
        if spec.owner == "centre":
            centre = centre_of(unit.code)
            if centre is not None and not can_edit_organisation(user, centre):
                raise PermissionDenied("Bạn không có quyền nhập dữ liệu cho trung tâm này.")
        elif spec.owner == "unit" and not can_edit_unit(user, unit):
            raise PermissionDenied("Bạn không có quyền nhập dữ liệu cho đơn vị này.")
    if spec.owner == "organisation":
        key = (values.get("organisation") or "").strip()
        organisation = Organisation.objects.filter(pk=int(key)).first() if key.isdigit() and len(key) < 18 else None
        if organisation is not None and not can_edit_organisation(user, organisation):
            raise PermissionDenied("Bạn không có quyền nhập dữ liệu cho cơ quan, tổ chức này.")
