"""Reading reports: who reports what, their values, permissions, completeness and timeliness."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from xhht.accounts.access import (
    answers_for_reports,
    can_approve_for,
    can_approve_organisation_report,
    can_edit_organisation,
    can_edit_unit,
    can_view_unit,
    is_administrator,
    is_organisation_officer,
    is_supervising_officer,
    responsible_roles,
)
from xhht.accounts.models import User
from xhht.indicators.models import DataValue
from xhht.indicators.periods import Period, parse_period
from xhht.organisations.models import Organisation
from xhht.reporting.catalogue import Form, cell_key, get_catalogue
from xhht.reporting.models import Status, Submission
from xhht.reporting.periods import due_date, previous_period
from xhht.reporting.routing import approval_route
from xhht.units.models import Unit, UnitClosure


@dataclass(frozen=True)
class Reporter:
    """Who fills a form: a unit (commune, district…) or an organisation (a district office, an association…)."""

    unit: Unit
    organisation: Organisation | None = None

    @property
    def key(self) -> str:
        return f"o:{self.organisation.pk}" if self.organisation else f"u:{self.unit.code}"

    @property
    def token(self) -> str:
        """The reporter in URLs and files: "05115", or "tc-12" for an organisation."""
        return f"tc-{self.organisation.pk}" if self.organisation else self.unit.code

    @property
    def name(self) -> str:
        return self.organisation.name if self.organisation else self.unit.title_name


def reporter_from_token(token: str) -> Reporter | None:
    if token.startswith("tc-"):
        number = token[3:]
        org = Organisation.objects.select_related("unit").filter(pk=int(number)).first() if number.isdigit() else None
        return Reporter(org.unit, org) if org else None
    unit = Unit.objects.filter(code=token).first()
    return Reporter(unit) if unit else None


def reporter_of(submission: Submission) -> Reporter:
    return Reporter(submission.unit, submission.organisation)


def submission_link(value: DataValue) -> tuple[str, str] | None:
    """The form a stored value came from (its rule is ``form:<code>``), for the figure's trace."""
    from django.urls import reverse

    form_code = value.rule.removeprefix("form:")
    sub = (Submission.objects.filter(form_code=form_code, unit_id=value.unit_id, period=value.period)
           .select_related("unit", "organisation").first())
    if sub is None:
        return None
    return (f"biểu «{form_code}» đã gửi ({sub.get_status_display().lower()})",
            reverse("reporting:entry", args=[form_code, reporter_of(sub).token, value.period]))


# ---------------------------------------------------------------- permissions


def can_view_reporter(user: Any, reporter: Reporter) -> bool:
    if is_organisation_officer(user):
        return reporter.organisation is not None and reporter.organisation.pk == user.organisation_id
    return can_view_unit(user, reporter.unit)


def can_edit_reporter(user: Any, reporter: Reporter) -> bool:
    if reporter.organisation is not None:
        return can_edit_organisation(user, reporter.organisation)
    return can_edit_unit(user, reporter.unit)


def can_approve_reporter(user: Any, reporter: Reporter, period: Period | None = None, *, today: date | None = None) -> bool:
    """Commune and organisation reports are approved at the district; district reports at the province.

    An organisation's report is approved by an approving officer of its own unit or above (the
    district officer approves the district's offices); a unit's report by one strictly above it.
    With a ``period``, a unit's report is approved by the officers of the unit its route names
    (:mod:`xhht.reporting.routing`: the tree in force at the period's end), and by nobody else:
    a commune's 2024 report by its district, its 2026 report by the province (and a report waiting
    on a unit that has ended since, also by the unit above it).
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if reporter.organisation is not None:
        return can_approve_organisation_report(user, reporter.unit, reporter.organisation.pk)
    if period is None or is_administrator(user):
        return can_approve_for(user, reporter.unit)
    route = approval_route(unit=reporter.unit, period=period, today=today)
    return can_approve_for(user, reporter.unit) and user.unit_id in route.approving_codes


def reporter_for_user_or_404(user: Any, token: str) -> Reporter:
    reporter = reporter_from_token(token)
    if reporter is None or not can_view_reporter(user, reporter):
        raise Http404("Không tìm thấy đơn vị báo cáo.")
    return reporter


def form_or_404(code: str) -> Form:
    form = get_catalogue().form(code)
    if form is None:
        raise Http404("Không có biểu mẫu này.")
    return form


def period_or_404(form: Form | None, code: str) -> Period:
    try:
        period = parse_period(code)
    except ValueError as exc:
        raise Http404(str(exc)) from None
    if form is not None and not form.accepts_period_kind(period.kind):
        raise Http404("Biểu mẫu này không báo cáo theo loại kỳ này.")
    return period


def form_reports_for(form: Form, reporter: Reporter) -> bool:
    if reporter.organisation is not None:
        return reporter.organisation.kind in form.organisation_kinds
    return reporter.unit.kind in form.unit_kinds


# ---------------------------------------------------------------- submissions and values


def submission_find(*, form: Form, reporter: Reporter, period: str) -> Submission | None:
    return Submission.objects.filter(form_code=form.code, reporter_key=reporter.key, period=period).first()


def form_values(*, form: Form, unit_code: str, period: str) -> dict[str, Decimal | None]:
    """Every cell of the form, from the shared store (None where there is no value)."""
    values: dict[str, Decimal | None] = {c.key: None for c in form.cells}
    for row in DataValue.objects.filter(unit_id=unit_code, period=period, element__in=form.elements):
        key = cell_key(row.element, row.disaggregation)
        if key in values:
            values[key] = row.value
    return values


def previous_values(*, form: Form, unit_code: str, period: str) -> tuple[str | None, dict[str, Decimal | None]]:
    """The last period's values, shown beside the inputs for reference."""
    before = previous_period(period)
    if before is None or (form.period_types and not form.accepts_period_kind(parse_period(before).kind)):
        return before, {}
    return before, form_values(form=form, unit_code=unit_code, period=before)


# ---------------------------------------------------------------- completeness and timeliness


def area_codes(*, unit: Unit, on: date) -> list[str]:
    """``unit`` and every unit below it as of the date: one query over the closure table."""
    below = UnitClosure.objects.filter(UnitClosure.valid_on(on), ancestor_id=unit.code, depth__gte=1).values_list("descendant_id", flat=True)
    return [unit.code, *below]


def expected_reporters(*, form: Form, unit: Unit, period: Period, codes: list[str] | None = None) -> list[Reporter]:
    """The units and organisations in ``unit``'s area (itself included) that must send ``form`` for the period
    (``codes``: the area, when the caller already read it)."""
    codes = codes if codes is not None else area_codes(unit=unit, on=period.end)
    if form.by_organisation:
        orgs = (
            Organisation.objects.select_related("unit")
            .filter(unit_id__in=codes, kind__in=form.organisation_kinds)
            .filter(Q(established_on__isnull=True) | Q(established_on__lte=period.end))
            .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=period.start))
            .order_by("unit_id", "name")
        )
        return [Reporter(o.unit, o) for o in orgs]
    units = Unit.objects.filter(code__in=codes, kind__in=form.unit_kinds).order_by("code")
    return [Reporter(u) for u in units]


@dataclass
class Contact:
    name: str
    phone: str
    email: str


@dataclass
class CompletenessRow:
    form: Form
    reporter: Reporter
    submission: Submission | None
    due: date
    timeliness: str  # on_time | late | missing | pending
    days_late: int
    contacts: list[Contact] = field(default_factory=list)
    link: str = ""  # the entry form, set by the view

    @property
    def status_label(self) -> str:
        return self.submission.get_status_display() if self.submission else "Chưa có"

    @property
    def timeliness_label(self) -> str:
        return {
            "on_time": "Đúng hạn",
            "late": f"Muộn {self.days_late} ngày",
            "missing": "Chưa nộp, quá hạn",
            "pending": "Chưa nộp, chưa đến hạn",
        }[self.timeliness]

    @property
    def needs_reminder(self) -> bool:
        return self.submission is None or self.submission.status not in {Status.SUBMITTED, Status.APPROVED}


@dataclass
class Completeness:
    unit: Unit
    period: Period
    rows: list[CompletenessRow]

    def count(self, timeliness: str) -> int:
        return sum(1 for r in self.rows if r.timeliness == timeliness)

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def on_time(self) -> int:
        return self.count("on_time")

    @property
    def late(self) -> int:
        return self.count("late")

    @property
    def not_submitted(self) -> int:
        return self.count("missing") + self.count("pending")

    @property
    def reminders(self) -> list[CompletenessRow]:
        return [r for r in self.rows if r.needs_reminder]


def _person(user: User) -> str:
    """Vietnamese order: family name first ("Nguyễn Văn A"), as the accounts app stores it split."""
    return f"{user.last_name} {user.first_name}".strip() or user.username


def contacts_for(reporters: list[Reporter]) -> dict[str, list[Contact]]:
    """reporter key → the officers to call: an organisation's own accounts (else its phone and e-mail), a commune's
    commune officers, a district's or province's officers. Two queries, whatever the number of reporters."""
    out: dict[str, list[Contact]] = {r.key: [] for r in reporters}
    orgs = {r.organisation.pk: r for r in reporters if r.organisation is not None}
    units = {r.unit.code: r for r in reporters if r.organisation is None}
    if orgs:
        for u in User.objects.filter(organisation_id__in=orgs, is_active=True).order_by("pk"):
            if u.organisation_id is not None:
                out[orgs[u.organisation_id].key].append(Contact(_person(u), u.phone, u.email))
        for r in orgs.values():
            o = r.organisation
            if not out[r.key] and o is not None and (o.phone or o.email):
                out[r.key] = [Contact(o.name, o.phone, o.email)]
    if units:
        roles = [*responsible_roles(commune_level=True), *responsible_roles(commune_level=False)]
        for u in User.objects.filter(unit_id__in=units, is_active=True, role__in=roles).order_by("username"):
            r = units[str(u.unit_id)]
            if answers_for_reports(u, commune_level=r.unit.is_commune_level):
                out[r.key].append(Contact(_person(u), u.phone, u.email))
    return out


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def completeness(*, unit: Unit, period: Period, today: date | None = None, form_codes: list[str] | None = None) -> Completeness:
    """Who in ``unit``'s area has sent each report of the period: on time, late, or not at all."""
    today = today or timezone.localdate()
    rows: list[CompletenessRow] = []
    codes = area_codes(unit=unit, on=period.end)
    for form in get_catalogue().forms.values():
        if period.kind not in form.period_types or (form_codes and form.code not in form_codes):
            continue
        reporters = expected_reporters(form=form, unit=unit, period=period, codes=codes)
        submissions = {
            s.reporter_key: s
            for s in Submission.objects.filter(form_code=form.code, period=period.code, reporter_key__in=[r.key for r in reporters])
        }
        due = due_date(period, form.due_days)
        for reporter in reporters:
            sub = submissions.get(reporter.key)
            days_late = 0
            if sub is not None and sub.first_submitted_at is not None:
                sent = _local_date(sub.first_submitted_at)
                days_late = max(0, (sent - due).days)
                timeliness = "late" if days_late else "on_time"
            else:
                timeliness = "missing" if today > due else "pending"
                days_late = max(0, (today - due).days)
            rows.append(CompletenessRow(form, reporter, sub, due, timeliness, days_late))
    contacts = contacts_for([r.reporter for r in rows if r.needs_reminder])
    for row in rows:
        if row.needs_reminder:
            row.contacts = contacts[row.reporter.key]
    return Completeness(unit, period, rows)


def _timeliness(first_submitted_at: datetime | None, due: date, today: date, deadline: datetime | None = None) -> tuple[str, int]:
    """on_time / late (with the days late) / missing / pending. ``deadline``: the first moment after the due day in
    local time, computed once by a caller classifying many submissions (on time is then one comparison)."""
    if first_submitted_at is not None:
        if deadline is not None and first_submitted_at < deadline:
            return "on_time", 0
        days_late = max(0, (_local_date(first_submitted_at) - due).days)
        return ("late" if days_late else "on_time"), days_late
    return ("missing" if today > due else "pending"), max(0, (today - due).days)


@dataclass
class AreaSummary:
    """How many reports an area (a child unit's subtree, or the whole unit's) owes, and how they stand."""

    unit: Unit | None
    expected: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    pending: int = 0
    link: str = ""  # the child's completeness page, set by the view

    @property
    def not_submitted(self) -> int:
        return self.missing + self.pending

    def add(self, timeliness: str) -> None:
        self.expected += 1
        setattr(self, timeliness, getattr(self, timeliness) + 1)


@dataclass
class FormSection:
    form: Form
    due: date
    rows: list[CompletenessRow]  # the unit's own report and its direct children's, this page of them
    rows_total: int
    children: list[AreaSummary]  # reports from further below, summed by the child unit they are under
    summary: AreaSummary  # the whole form over the area (for the chart)


@dataclass
class CompletenessPage:
    unit: Unit
    period: Period
    totals: AreaSummary
    sections: list[FormSection]
    reminders: list[CompletenessRow]  # this page of them
    reminders_total: int
    page: int
    pages: int


def completeness_page(*, unit: Unit, period: Period, today: date | None = None, page: int = 1, per_page: int = 50) -> CompletenessPage:
    """The completeness page of ``unit``: totals, each form's reports from the unit itself and its direct children
    (paged), the reports from further below summed by child unit, and the reminder list (paged).

    A fixed number of queries whatever the size of the area: the area and its children from the closure table,
    per form its reporters and submissions as plain tuples, then objects and contacts for the rows shown only.
    """
    today = today or timezone.localdate()
    end = period.end
    # The area as a subquery, not a list of codes: thousands of parameters cost more to send than the query.
    area_below = UnitClosure.objects.filter(UnitClosure.valid_on(end), ancestor_id=unit.code, depth__gte=1).values("descendant_id")
    in_area = Q(unit_id=unit.code) | Q(unit_id__in=area_below)
    under = dict(UnitClosure.objects.filter(UnitClosure.valid_on(end), ancestor__in=UnitClosure.objects.filter(
        UnitClosure.valid_on(end), ancestor_id=unit.code, depth=1).values("descendant_id")).values_list("descendant_id", "ancestor_id"))
    children = {u.code: u for u in Unit.objects.filter(code__in=set(under.values()))}
    totals = AreaSummary(unit)
    plans: list[tuple[Form, date, list[tuple[str, str, int | None, str, int]], dict[str, AreaSummary], AreaSummary]] = []
    reminders: list[tuple[Form, date, str, str, int | None, str, int]] = []
    for form in get_catalogue().forms.values():
        if period.kind not in form.period_types:
            continue
        if form.by_organisation:
            orgs = (Organisation.objects.filter(in_area, kind__in=form.organisation_kinds)
                    .filter(Q(established_on__isnull=True) | Q(established_on__lte=end))
                    .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=period.start)).order_by("unit_id", "name"))
            reporters: list[tuple[str, str, int | None]] = [(f"o:{pk}", u, pk) for pk, u in orgs.values_list("pk", "unit_id")]
        else:
            units = (Unit.objects.filter(Q(code=unit.code) | Q(code__in=area_below), kind__in=form.unit_kinds).order_by("code")
                     .values_list("code", flat=True))
            reporters = [(f"u:{c}", c, None) for c in units]
        if not reporters:
            continue
        state = {key: (first, st) for key, first, st in Submission.objects.filter(in_area, form_code=form.code, period=period.code)
                 .values_list("reporter_key", "first_submitted_at", "status")}
        due = due_date(period, form.due_days)
        deadline = timezone.make_aware(datetime.combine(due + timedelta(days=1), time.min))
        direct: list[tuple[str, str, int | None, str, int]] = []
        below: dict[str, AreaSummary] = {}
        summary = AreaSummary(unit)
        for key, code, org in reporters:
            first, st = state.get(key, (None, None))
            timeliness, days_late = _timeliness(first, due, today, deadline)
            totals.add(timeliness)
            summary.add(timeliness)
            if st not in {Status.SUBMITTED, Status.APPROVED}:
                reminders.append((form, due, key, code, org, timeliness, days_late))
            child = under.get(code)
            if code == unit.code or child == code:
                direct.append((key, code, org, timeliness, days_late))
            elif child is not None:
                below.setdefault(child, AreaSummary(children[child])).add(timeliness)
        plans.append((form, due, direct, below, summary))
    pages = max(1, -(-max([len(reminders), *[len(d) for _, _, d, _, _ in plans]]) // per_page))
    page = min(max(1, page), pages)
    window = slice((page - 1) * per_page, page * per_page)
    shown = [(form, due, *rest) for form, due, direct, _, _ in plans for rest in direct[window]] + reminders[window]
    reporter_objs = _reporters_by_key({(key, code, org) for _, _, key, code, org, _, _ in shown})
    subs = {(s.form_code, s.reporter_key): s for s in Submission.objects.filter(
        period=period.code, reporter_key__in={key for _, _, key, _, _, _, _ in shown}).select_related("unit", "organisation")}

    def row(form: Form, due: date, key: str, timeliness: str, days_late: int) -> CompletenessRow:
        return CompletenessRow(form, reporter_objs[key], subs.get((form.code, key)), due, timeliness, days_late)

    sections = [FormSection(form, due, [row(form, due, k, t, d) for k, _, _, t, d in direct[window]], len(direct),
                            sorted(below.values(), key=lambda a: a.unit.code if a.unit else ""), summary)
                for form, due, direct, below, summary in plans]
    reminder_rows = [row(form, due, k, t, d) for form, due, k, _, _, t, d in reminders[window]]
    contacts = contacts_for([r.reporter for r in reminder_rows])
    for r in reminder_rows:
        r.contacts = contacts[r.reporter.key]
    return CompletenessPage(unit, period, totals, sections, reminder_rows, len(reminders), page, pages)


def _reporters_by_key(wanted: set[tuple[str, str, int | None]]) -> dict[str, Reporter]:
    """Reporter objects for (key, unit code, organisation id) triples: two queries."""
    units = {u.code: u for u in Unit.objects.filter(code__in={code for _, code, org in wanted if org is None})}
    orgs = {o.pk: o for o in Organisation.objects.filter(pk__in={org for _, _, org in wanted if org is not None}).select_related("unit")}
    out: dict[str, Reporter] = {}
    for key, code, org in wanted:
        out[key] = Reporter(orgs[org].unit, orgs[org]) if org is not None else Reporter(units[code])
    return out


def forms_for_user(user: Any, period: Period) -> list[tuple[Form, Reporter]]:
    """The forms the user fills themselves for the period (their unit's, or their organisation's)."""
    out: list[tuple[Form, Reporter]] = []
    if not getattr(user, "unit_id", None):
        return out
    reporters = [Reporter(user.unit)]
    if user.organisation_id:
        reporters = [Reporter(user.organisation.unit, user.organisation)]
    elif is_supervising_officer(user):
        reporters += [Reporter(o.unit, o) for o in Organisation.objects.select_related("unit").filter(unit=user.unit)]
    for form in get_catalogue().forms.values():
        if period.kind not in form.period_types:
            continue
        for reporter in reporters:
            if form_reports_for(form, reporter) and can_edit_reporter(user, reporter):
                out.append((form, reporter))
    return out


def default_period_for(*, user: Any, today: date | None = None) -> str:
    """The period the user most likely came for: among the periods with a report in the user's own area (their unit
    and the units below), the one that ended last and has begun by ``today`` — the latest due or open; else last year.

    Never the highest text across all units ("2020-H1" sorts after "2020" and any commune's half-year draft would
    move everyone there)."""
    from xhht.accounts.access import scope_codes

    today = today or timezone.localdate()
    submissions = Submission.objects.all()
    scope = scope_codes(user)
    if scope is not None:
        submissions = submissions.filter(unit_id__in=scope)
    best: Period | None = None
    for code in set(submissions.values_list("period", flat=True).distinct()):
        try:
            period = parse_period(code)
        except ValueError:
            continue
        if period.kind not in {"year", "half_year"} or period.start > today:
            continue
        # The latest end; at the same end a whole year before its second half.
        if best is None or (period.end, period.kind == "year") > (best.end, best.kind == "year"):
            best = period
    return best.code if best else str(today.year - 1)
