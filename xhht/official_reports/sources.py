"""The checklist's second half (issue 14): the registers and the survey the report's narrative reads.

The periodic-report forms are checked by the reporting app's completeness (``selectors.report_checklist``). The
other sources of the text are checked here, each only when a section of the report reads it (by its provider, or
by the elements a ``store.lines`` section names):

* the activity registers — community learning centre topics (per commune and school year), vocational classes,
  the lifelong learning week (per year of the area), communication, commendations, budget (in the period);
* the learning-model evaluations of the communes (present in the period; each one not yet reviewed listed);
* the household survey (literacy): each commune of the area has the survey year the report prints.

Registers and the survey have no approval step in XHHT (the unit's officer enters them; the evaluations do:
"Đã thẩm định" / "Đã có quyết định"), so for them the check is that the records are there. Each item names the
unit and the office that keeps the source, and links to the page where it is entered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from xhht.official_reports.models import Report

# provider -> source; store.lines sections name their elements instead (see _sources_of)
PROVIDER_SOURCES = {
    "activities.clc_table": "clc_topics",
    "activities.vocational_table": "vocational",
    "activities.communication": "communication",
    "activities.commendations": "commendations",
    "learning_models.classification": "learning_models",
    "store.literacy": "literacy",
}
# an evaluation not yet reviewed, as the checklist says it
UNREVIEWED = {"draft": "đang tự đánh giá, chưa gửi thẩm định", "submitted": "đã gửi, chưa được thẩm định"}
ELEMENT_SOURCES = {"budget_amount": "budget", "lifelong_week_participants": "lifelong_week"}

# source -> (register slug, title, office kind keeping it)
REGISTER_SOURCES = {
    "clc_topics": ("chuyen-de", "Sổ chuyên đề của trung tâm học tập cộng đồng", "community_learning_centre"),
    "vocational": ("day-nghe", "Sổ lớp dạy nghề cho lao động nông thôn", "labour_office"),
    "lifelong_week": ("tuan-le-hoc-tap", "Sổ Tuần lễ hưởng ứng học tập suốt đời", "education_office"),
    "communication": ("truyen-thong", "Sổ tin, bài tuyên truyền", "culture_media_centre"),
    "commendations": ("khen-thuong", "Sổ khen thưởng", "education_office"),
    "budget": ("kinh-phi", "Sổ kinh phí", "education_office"),
}


@dataclass
class SourceGap:
    unit: Any            # Unit
    organisation: Any    # Organisation | None: the office that keeps the source
    source: str          # "register:day-nghe", "learning_models", "literacy"
    title: str
    state: str
    url: str


def _sources_of(report: Report) -> set[str]:
    from xhht.official_reports.catalogue import _walk_sections, report_kind

    present = set(report.sections.values_list("key", flat=True))
    out: set[str] = set()
    for section, _trail in _walk_sections(report_kind(report.kind).sections, []):
        if section.get("key") not in present:
            continue
        provider = str(section.get("provider", ""))
        if provider in PROVIDER_SOURCES:
            out.add(PROVIDER_SOURCES[provider])
        for element in (section.get("params") or {}).get("elements", []) or []:
            if element in ELEMENT_SOURCES:
                out.add(ELEMENT_SOURCES[element])
    return out


def _office(unit: Any, kind: str) -> Any:
    from xhht.organisations.models import Organisation

    return Organisation.objects.filter(unit=unit, kind=kind).order_by("pk").first()


def _register_url(slug: str, unit_code: str, period: str) -> str:
    return reverse("activities:list", args=[slug]) + "?" + urlencode({"don_vi": unit_code, "ky": period})


def source_gaps(report: Report) -> tuple[list[SourceGap], list[Any]]:
    """The missing or unapproved sources of the report's text, and the state of every source (for the fingerprint)."""
    from xhht.activities import models as am
    from xhht.indicators.periods import parse_period
    from xhht.learning_models.models import Evaluation, ModelKind, Status
    from xhht.learning_models.selectors import communes_of
    from xhht.literacy.models import CommuneAggregate
    from xhht.official_reports.providers import _school_years
    from xhht.official_reports.resolver import Resolver

    period = parse_period(report.period)
    unit = report.unit
    sources = _sources_of(report)
    codes = sorted(Resolver(unit=unit, period=period).subtree_codes)
    communes = [unit] if unit.is_commune_level else communes_of(unit=unit, year=period.end.year)
    # A phase report made before its last year ends does not wait for that year; a year's own report checks it.
    cutoff = report.report_date or date.today()
    phase = period.kind == "phase"

    def due(start: date, end: date) -> bool:
        return end <= cutoff or (not phase and start <= cutoff)

    years = [y for y in period.years if due(date(y, 1, 1), date(y, 12, 31))]
    gaps: list[SourceGap] = []
    state: list[Any] = []

    def register_gap(source: str, where: Any, label: str, ky: str) -> None:
        slug, title, kind = REGISTER_SOURCES[source]
        gaps.append(SourceGap(where, _office(where, kind), f"register:{slug}", f"{title} – {label}", "chưa ghi sổ",
                              _register_url(slug, where.code, ky)))

    if "clc_topics" in sources:
        school_years = [sy for sy in _school_years(SimpleNamespace(period=period))  # type: ignore[arg-type]
                        if due((p := parse_period(sy)).start, p.end)]
        held = set(am.ClcTopic.objects.filter(unit_id__in=[c.code for c in communes], school_year__in=school_years)
                   .values_list("unit_id", "school_year").distinct())
        state.append(["clc", am.ClcTopic.objects.filter(unit_id__in=codes).count()])
        for commune in communes:
            for sy in school_years:
                if (commune.code, sy) not in held:
                    register_gap("clc_topics", commune, f"năm học {sy}", sy)
    for source, model, field in (("vocational", am.VocationalClass, "year"), ("lifelong_week", am.LifelongWeek, "year")):
        if source in sources:
            held_years = set(model.objects.filter(unit_id__in=codes, **{f"{field}__in": years}).values_list(field, flat=True))
            state.append([source, model.objects.filter(unit_id__in=codes).count()])
            for y in years:
                if y not in held_years:
                    register_gap(source, unit, f"năm {y}", str(y))
    for source, kept, field in (("communication", am.CommunicationItem, "period"), ("budget", am.BudgetLine, "period")):
        if source in sources:
            periods = set(kept.objects.filter(unit_id__in=codes).values_list(field, flat=True))
            state.append([source, kept.objects.filter(unit_id__in=codes).count()])
            if not any(_overlaps(period, p) for p in periods):
                register_gap(source, unit, period.label, "")
    if "commendations" in sources:
        state.append(["commendations", am.Commendation.objects.filter(unit_id__in=codes).count()])
        if not am.Commendation.objects.filter(unit_id__in=codes, year__in=list(period.years)).exists():
            register_gap("commendations", unit, period.label, "")
    if "learning_models" in sources:
        evaluations = list(Evaluation.objects.filter(registration__participant__commune_id__in=[c.code for c in communes],
                                                     registration__participant__kind=ModelKind.COMMUNE,
                                                     registration__year__in=list(period.years))
                           .select_related("registration", "registration__participant__commune").order_by("registration__year", "pk"))
        state.append(["lm", [[e.pk, e.status] for e in evaluations]])
        approved = {Status.REVIEWED, Status.RECOGNISED}
        if not evaluations:
            gaps.append(SourceGap(unit, _office(unit, "education_office"), "learning_models",
                                  f"Đánh giá, xếp loại “Cộng đồng học tập” cấp xã – {period.label}", "chưa có đánh giá",
                                  reverse("learning_models:classification", args=[unit.code])))
        for e in evaluations:
            if e.status not in approved:
                commune = e.registration.participant.commune
                gaps.append(SourceGap(commune, None, "learning_models",
                                      f"Đánh giá “Cộng đồng học tập” cấp xã năm {e.registration.year}",
                                      UNREVIEWED.get(str(e.status), "chưa được thẩm định"),
                                      reverse("learning_models:evaluation", args=[e.pk])))
    if "literacy" in sources:
        survey = (CommuneAggregate.objects.filter(commune_id__in=codes, year__lte=period.end.year)
                  .order_by("-year").values_list("year", flat=True).first())
        surveyed = set(CommuneAggregate.objects.filter(commune_id__in=[c.code for c in communes], year=survey)
                       .values_list("commune_id", flat=True).distinct()) if survey else set()
        state.append(["literacy", survey, sorted(surveyed)])
        label_year = survey or period.end.year
        for commune in communes:
            if commune.code not in surveyed:
                gaps.append(SourceGap(commune, None, "literacy", f"Số liệu điều tra hộ gia đình (xóa mù chữ) năm {label_year}",
                                      "chưa nhập số liệu điều tra", reverse("literacy:upload")))
    return gaps, state


def _overlaps(period: Any, text: str) -> bool:
    from xhht.indicators.periods import parse_period
    from xhht.official_reports.resolver import period_overlaps

    try:
        return bool(period_overlaps(period, parse_period(str(text))))
    except ValueError:
        return False

