"""Reading the learning-model results: per commune and year, the district's distribution, the lists."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from xhht.accounts.access import can_view_unit
from xhht.accounts.models import User

from xhht.core.bulk import in_many
from xhht.core.formatting import rate
from xhht.learning_models.models import Evaluation, ModelKind, Participant, RecognitionEntry, Registration, Status, VillageHouseholds
from xhht.learning_models.rubrics import Rubric, all_rubrics, rubric_for, rubric_get
from xhht.units.models import COMMUNE_LEVEL_KINDS, Unit
from xhht.units.selectors import unit_descendants

FINAL = (Status.REVIEWED, Status.RECOGNISED)
TT44_CLASSES = ("tot", "kha", "trung_binh", "khong_dat")


def communes_of(*, unit: Unit, year: int) -> list[Unit]:
    """The commune-level units under ``unit`` as they stood at the end of ``year``."""
    return unit_descendants(unit=unit, on=date(year, 12, 31), kinds=list(COMMUNE_LEVEL_KINDS))


def _final_evaluations(codes: list[str], year: int) -> dict[str, Evaluation]:
    qs = Evaluation.objects.filter(registration__participant__kind=ModelKind.COMMUNE, registration__participant__commune_id__in=codes,
                                   registration__year=year, status__in=FINAL).select_related("registration__participant")
    return {ev.registration.participant.commune_id: ev for ev in qs}


@dataclass
class CommuneResult:
    commune: Unit
    year: int
    evaluation: Evaluation | None
    outcome: str  # band or level code; "" when none
    outcome_label: str
    held_from: int | None = None  # TT 25: the year whose recognition is still held


def _held_levels(codes: list[str], year: int) -> dict[str, tuple[str, str, int]]:
    """TT 25 levels recognised in earlier years and still valid in ``year`` (validity counted in years after
    the year recognised: 36 months → held through year + 3), for many communes in one query."""
    max_back = max((lv.validity_months or 0) // 12 for r in all_rubrics().values() if r.scoring == "levels" for lv in r.levels) if all_rubrics() else 0
    if max_back == 0:
        return {}
    entries = (RecognitionEntry.objects.filter(evaluation__registration__participant__kind=ModelKind.COMMUNE,
                                               evaluation__registration__participant__commune_id__in=in_many(codes),
                                               evaluation__registration__year__lt=year,
                                               evaluation__registration__year__gte=year - max_back)
               .values_list("evaluation__registration__participant__commune_id", "evaluation__registration__year", "evaluation__rubric_code", "outcome")
               .order_by("-evaluation__registration__year"))
    held: dict[str, tuple[str, str, int]] = {}
    for code, recognised_year, rubric_code, outcome in entries:
        if code in held:
            continue
        rubric = rubric_get(rubric_code)
        if rubric.scoring != "levels":
            continue
        level = next((lv for lv in rubric.levels if lv.code == outcome), None)
        if level is None or not level.validity_months:
            continue
        if year <= recognised_year + level.validity_months // 12:
            held[code] = (level.code, level.label, recognised_year)
    return held


def commune_results(*, unit: Unit, year: int, only: list[str] | None = None) -> list[CommuneResult]:
    """Each commune-level unit under ``unit`` in ``year``: its reviewed class or level, or a TT 25 level still held."""
    communes = communes_of(unit=unit, year=year)
    if only is not None:
        communes = [c for c in communes if c.code in only]
    codes = [c.code for c in communes]
    finals = _final_evaluations(codes, year)
    held_levels = _held_levels(codes, year)
    out = []
    for commune in communes:
        ev = finals.get(commune.code)
        held = held_levels.get(commune.code)
        if ev is not None and ev.outcome and ev.outcome != "none":
            rubric = rubric_get(ev.rubric_code)
            out.append(CommuneResult(commune, year, ev, ev.outcome, rubric.outcome_label(ev.outcome)))
        elif held:
            out.append(CommuneResult(commune, year, ev, held[0], f"{held[1]} (công nhận năm {held[2]}, còn hiệu lực)", held[2]))
        elif ev is not None and ev.outcome:
            out.append(CommuneResult(commune, year, ev, ev.outcome, rubric_get(ev.rubric_code).outcome_label(ev.outcome)))
        else:
            out.append(CommuneResult(commune, year, ev, "", "Chưa đánh giá" if ev is None else "Chưa xác định"))
    return out


def commune_outcomes(*, unit: Unit, year: int) -> dict[str, str]:
    """Commune code → its class or level in ``year`` ("" when none), for every commune-level unit under
    ``unit``: the same rule as :func:`commune_results`, read with two light queries (for large units)."""
    codes = [c.code for c in communes_of(unit=unit, year=year)]
    finals = dict(Evaluation.objects.filter(registration__participant__kind=ModelKind.COMMUNE, registration__participant__commune_id__in=in_many(codes),
                                            registration__year=year, status__in=FINAL)
                  .values_list("registration__participant__commune_id", "outcome"))
    held = _held_levels(codes, year)
    out = {}
    for code in codes:
        outcome = finals.get(code) or ""
        if (not outcome or outcome == "none") and code in held:
            outcome = held[code][0]
        out[code] = outcome
    return out


@dataclass
class ClassificationRow:
    year: int
    rubric: Rubric | None
    communes: int  # the denominator: commune-level units of the district that year
    evaluated: int
    counts: dict[str, int] = field(default_factory=dict)
    rates: dict[str, Fraction | None] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    note: str = ""


def commune_classification_table(*, unit: Unit, years: list[int] | range) -> list[ClassificationRow]:
    """Per year: how many of the unit's communes are in each class (TT 44) or hold each level (TT 25).

    Counts are exact; rates are exact Fractions (count × 100 / communes of the unit that year), formatted
    only at display. A year with fewer evaluated communes than communes (e.g. a pilot) says so in ``note``.
    """
    rows = []
    for year in years:
        rubric = rubric_for(subject=ModelKind.COMMUNE, year=year)
        outcomes = commune_outcomes(unit=unit, year=year)
        codes = [b.code for b in rubric.bands] if rubric and rubric.scoring == "points" else [lv.code for lv in rubric.levels] if rubric else list(TT44_CLASSES)
        counter = Counter(o for o in outcomes.values() if o)
        denominator = len(outcomes)
        evaluated = sum(1 for o in outcomes.values() if o)
        row = ClassificationRow(year=year, rubric=rubric, communes=denominator, evaluated=evaluated)
        for code in codes:
            row.counts[code] = counter.get(code, 0)
            row.rates[code] = rate(counter.get(code, 0), denominator)
            row.labels[code] = rubric.outcome_label(code) if rubric else code
        if rubric and rubric.scoring == "levels":
            row.counts["none"] = evaluated - sum(row.counts.values())
            row.rates["none"] = rate(row.counts["none"], denominator)
            row.labels["none"] = rubric.outcome_label("none")
        if 0 < evaluated < denominator:
            row.note = f"{evaluated:02d} xã đánh giá (thí điểm)" if evaluated < denominator / 2 else f"{evaluated}/{denominator} xã đánh giá"
        rows.append(row)
    return rows


# --- Lists ------------------------------------------------------------------------------------------

def recognised_entries(*, unit: Unit, kind: str, year: int) -> QuerySet[RecognitionEntry]:
    codes = [c.code for c in communes_of(unit=unit, year=year)] if unit.level < 3 else [unit.code]
    return (RecognitionEntry.objects.filter(evaluation__registration__participant__kind=kind,
                                            evaluation__registration__participant__commune_id__in=codes,
                                            evaluation__registration__year=year)
            .select_related("recognition", "evaluation__registration__participant__commune")
            .order_by("evaluation__registration__participant__commune_id", "evaluation__registration__participant__village",
                      "evaluation__registration__participant__name"))


def recognised_counts(*, commune: Unit, year: int) -> dict[str, int]:
    qs = RecognitionEntry.objects.filter(evaluation__registration__participant__commune=commune, evaluation__registration__year=year)
    out: Counter[str] = Counter()
    for kind in qs.values_list("evaluation__registration__participant__kind", flat=True):
        out[kind] += 1
    return dict(out)


def registration_counts(*, commune: Unit, year: int) -> dict[str, Any]:
    families = Registration.objects.filter(participant__commune=commune, participant__kind=ModelKind.FAMILY, year=year).count()
    rows = list(VillageHouseholds.objects.filter(commune=commune, year=year).values_list("households", flat=True))
    return {"families": families, "households": sum(rows) if rows else None}


@dataclass
class VillageShare:
    village: str
    registered: int
    households: int | None

    @property
    def rate(self) -> Fraction | None:
        return rate(self.registered, self.households) if self.households else None


def registration_shares(*, commune: Unit, year: int) -> tuple[list[VillageShare], VillageShare]:
    """Families registered per village and for the commune, over the households of each village."""
    reg = Counter(Registration.objects.filter(participant__commune=commune, participant__kind=ModelKind.FAMILY, year=year)
                  .values_list("participant__village", flat=True))
    households = dict(VillageHouseholds.objects.filter(commune=commune, year=year).values_list("village", "households"))
    villages = sorted(set(reg) | set(households))
    rows = [VillageShare(v or "(không ghi thôn)", reg.get(v, 0), households.get(v)) for v in villages]
    total_households = sum(households.values()) if households else None
    return rows, VillageShare("Toàn xã", sum(reg.values()), total_households)


def participants_of(*, commune: Unit, year: int, kind: str | None = None) -> QuerySet[Registration]:
    qs = Registration.objects.filter(participant__commune=commune, year=year).select_related("participant")
    if kind:
        qs = qs.filter(participant__kind=kind)
    return qs.order_by("participant__kind", "participant__village", "participant__name")


def evaluation_for_user_or_404(*, user: Any, pk: int) -> Evaluation:
    """The evaluation if ``user`` may see its commune; else 404, as one that does not exist (the web and the API)."""
    evaluation = Evaluation.objects.select_related("registration__participant__commune").filter(pk=pk).first()
    if evaluation is None or not can_view_unit(user, evaluation.registration.participant.commune_id):
        raise Http404("Không tìm thấy bản đánh giá.")  # the same answer: another commune's evaluation is as absent
    return evaluation


def participant_for_user_or_404(*, user: Any, pk: int) -> Participant:
    participant = Participant.objects.filter(pk=pk).first()
    if participant is None or not can_view_unit(user, participant.commune_id):
        raise Http404("Không tìm thấy mô hình học tập.")
    return participant


def inspection_team_candidates(*, district: Unit) -> QuerySet[Any]:
    """Who may sit on ``district``'s inspection team: the district's own active accounts, by username (the web's
    checkboxes, the API's ``members``, the service's check)."""
    return User.objects.filter(unit__code=district.code, is_active=True).order_by("username")


def recognition_candidates(*, unit: Unit, kind: str, year: int) -> QuerySet[Evaluation]:
    """The reviewed evaluations a recognition decision of ``unit`` may list: communes by their district (404 for any
    other unit), families, clans, villages and units by their commune."""
    if kind == ModelKind.COMMUNE:
        if unit.level != 2:
            raise Http404("Cộng đồng học tập cấp xã do cấp huyện công nhận.")
        qs = Evaluation.objects.filter(registration__participant__commune__parent=unit)
    else:
        qs = Evaluation.objects.filter(registration__participant__commune=unit)
    return (qs.filter(registration__participant__kind=kind, registration__year=year, status=Status.REVIEWED)
            .select_related("registration__participant__commune")
            .order_by("registration__participant__commune_id", "registration__participant__name"))


def evaluation_for(*, participant: Participant, year: int) -> Evaluation | None:
    return Evaluation.objects.filter(registration__participant=participant, registration__year=year).first()


def commune_years_with_data(*, commune: Unit) -> list[int]:
    """The years in which the commune has any registration (its own or its families', clans', villages'…), oldest first."""
    from xhht.learning_models.models import Registration

    return sorted(set(Registration.objects.filter(participant__commune=commune).values_list("year", flat=True).distinct()))
