"""Reading reports: who reports what, their values, permissions, completeness and timeliness."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from xhht.accounts.access import can_approve_for, can_edit_organisation, can_edit_unit, can_view_unit, is_administrator
from xhht.accounts.models import APPROVING_ROLES, Role, User
from xhht.indicators.models import DataValue
from xhht.indicators.periods import Period, parse_period
from xhht.organisations.models import Organisation
from xhht.reporting.catalogue import Form, cell_key, get_catalogue
from xhht.reporting.models import Status, Submission
from xhht.reporting.periods import due_date, previous_period
from xhht.units.models import Unit
from xhht.units.selectors import unit_descendant_codes


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
    if getattr(user, "role", None) == Role.ORGANISATION_OFFICER and not is_administrator(user):
        return reporter.organisation is not None and reporter.organisation.pk == user.organisation_id
    return can_view_unit(user, reporter.unit)


def can_edit_reporter(user: Any, reporter: Reporter) -> bool:
    if reporter.organisation is not None:
        return can_edit_organisation(user, reporter.organisation)
    return can_edit_unit(user, reporter.unit)


def can_approve_reporter(user: Any, reporter: Reporter) -> bool:
    """Commune and organisation reports are approved at the district; district reports at the province.

    An organisation's report is approved by an approving officer of its own unit or above (the
    district officer approves the district's offices); a unit's report by one strictly above it.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if reporter.organisation is not None:
        if is_administrator(user):
            return True
        return user.role in APPROVING_ROLES and can_view_unit(user, reporter.unit) and user.organisation_id != reporter.organisation.pk
    return can_approve_for(user, reporter.unit)


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


def expected_reporters(*, form: Form, unit: Unit, period: Period) -> list[Reporter]:
    """The units and organisations in ``unit``'s area (itself included) that must send ``form`` for the period."""
    codes = unit_descendant_codes(unit=unit, on=period.end, include_self=True)
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


def _contacts(reporter: Reporter) -> list[Contact]:
    if reporter.organisation is not None:
        users = User.objects.filter(organisation=reporter.organisation, is_active=True)
        found = [Contact(_person(u), u.phone, u.email) for u in users]
        if not found and (reporter.organisation.phone or reporter.organisation.email):
            found = [Contact(reporter.organisation.name, reporter.organisation.phone, reporter.organisation.email)]
        return found
    roles = [Role.COMMUNE_OFFICER] if reporter.unit.is_commune_level else [Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER]
    users = User.objects.filter(unit=reporter.unit, role__in=roles, is_active=True).order_by("username")
    return [Contact(_person(u), u.phone, u.email) for u in users]


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def completeness(*, unit: Unit, period: Period, today: date | None = None, form_codes: list[str] | None = None) -> Completeness:
    """Who in ``unit``'s area has sent each report of the period: on time, late, or not at all."""
    today = today or timezone.localdate()
    rows: list[CompletenessRow] = []
    for form in get_catalogue().forms.values():
        if period.kind not in form.period_types or (form_codes and form.code not in form_codes):
            continue
        reporters = expected_reporters(form=form, unit=unit, period=period)
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
    for row in rows:
        if row.needs_reminder:
            row.contacts = _contacts(row.reporter)
    return Completeness(unit, period, rows)


def forms_for_user(user: Any, period: Period) -> list[tuple[Form, Reporter]]:
    """The forms the user fills themselves for the period (their unit's, or their organisation's)."""
    out: list[tuple[Form, Reporter]] = []
    if not getattr(user, "unit_id", None):
        return out
    reporters = [Reporter(user.unit)]
    if user.organisation_id:
        reporters = [Reporter(user.organisation.unit, user.organisation)]
    elif user.role in {Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER}:
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
