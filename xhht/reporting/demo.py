"""Hòa An demo of the reporting cycle: the 2020 annual reports in every state.

Communes and district offices have sent their 2020 reports on time, late, or not at all; some
are approved, one returned, one still a draft, so the completeness page has something to say.
Nam Tuấn (05115) has its 2019 report approved and nothing yet for 2020: the browser test fills it.

The seed appendix's literate count for ages 36–60 at district 051 (14.704, 7.809, 7.723, 18.113 for
2016–2019, appendix row I.3) is stored under the element ``rpt_appendix_literate_36_60`` so that the
data-quality page flags its jumps. The commune figures are invented but plausible (the seed gives
district totals only); they pass every validation rule. Loading twice changes nothing.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from xhht.indicators.services import Value, data_values_write
from xhht.organisations.models import Organisation
from xhht.reporting.catalogue import get_catalogue
from xhht.reporting.selectors import Reporter, submission_find
from xhht.reporting.services import submission_approve, submission_return, submission_save, submission_submit
from xhht.units.models import Unit

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DISTRICT = "051"
APPENDIX_36_60 = {"2016": 14704, "2017": 7809, "2018": 7723, "2019": 18113}
APPENDIX_ELEMENT = "rpt_appendix_literate_36_60"


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def commune_values(index: int, year: int) -> dict[str, object]:
    """Plausible commune figures, different per commune, consistent with every rule."""
    shift = year - 2020
    topics = 4 + index % 4 + shift
    households = 900 + 37 * index
    pop_15_25 = 360 + 11 * index
    pop_15_35 = pop_15_25 + 540 + 9 * index
    pop_15_60 = pop_15_35 + 1000 + 21 * index
    return {
        "rpt_clc_topics": topics,
        "rpt_clc_classes": topics - 1,
        "rpt_clc_participants[sex=F]": 170 + 7 * index,
        "rpt_clc_participants[sex=M]": 150 + 5 * index,
        "rpt_clc_participants_poor": 40 + index,
        "rpt_clc_managers": 3,
        "rpt_clc_funding_state": 1_190_000,
        "rpt_clc_funding_social": 500_000 + 10_000 * index,
        "rpt_clc_funding_learners": 0,
        "rpt_households": households,
        "rpt_learning_families_registered": households * 3 // 4,
        "rpt_learning_families_recognised": households * 3 // 5,
        "rpt_learning_clans_recognised": index % 3,
        "rpt_villages": 10 + index % 6,
        "rpt_learning_communities_recognised": 5 + index % 5,
        "rpt_organisations_total": 6,
        "rpt_learning_units_recognised": 5,
        "rpt_literacy_population[age_band=15-25]": pop_15_25,
        "rpt_literacy_population[age_band=15-35]": pop_15_35,
        "rpt_literacy_population[age_band=15-60]": pop_15_60,
        "rpt_literacy_level1[age_band=15-25]": pop_15_25 - 3,
        "rpt_literacy_level1[age_band=15-35]": pop_15_35 - 10,
        "rpt_literacy_level1[age_band=15-60]": pop_15_60 - 22,
        "rpt_literacy_level2[age_band=15-25]": pop_15_25 - 4,
        "rpt_literacy_level2[age_band=15-35]": pop_15_35 - 17,
        "rpt_literacy_level2[age_band=15-60]": pop_15_60 - 70,
        "rpt_literacy_new_learners": 0,
    }


# Commune code -> (state, submitted at, decided at, comment). Due date for 2020: 15/01/2021.
COMMUNE_STATES: dict[str, tuple[str, str | None, str | None, str]] = {
    "05101": ("approved", "2021-01-08T09:00", "2021-01-12T15:00", ""),
    "05102": ("approved", "2021-01-11T10:30", "2021-01-13T08:00", ""),
    "05104": ("approved", "2021-01-14T16:00", "2021-01-18T09:00", ""),
    "05111": ("approved", "2021-01-05T08:15", "2021-01-07T10:00", ""),
    "05103": ("submitted", "2021-01-13T14:00", None, ""),
    "05105": ("submitted", "2021-01-15T17:00", None, ""),
    "05108": ("submitted", "2021-01-09T09:40", None, ""),
    "05106": ("submitted", "2021-01-20T10:00", None, ""),
    "05110": ("submitted", "2021-01-27T11:00", None, ""),
    "05112": ("returned", "2021-01-12T09:00", "2021-01-16T10:00", "Số người biết chữ mức độ 2 chưa khớp với số liệu điều tra hộ gia đình; đề nghị rà soát lại."),
    "05113": ("draft", None, None, ""),
}

# Organisation kind -> (form, state, submitted at, decided at, values)
ORGANISATION_STATES: list[tuple[str, str, str, str | None, str | None, dict[str, object]]] = [
    ("education_office", "education_office", "approved", "2021-01-12T08:00", "2021-01-14T09:00", {
        "rpt_edu_communes_literacy_l2": 21, "rpt_edu_communes_primary_l3": 21, "rpt_edu_communes_lower_secondary": 21,
        "rpt_edu_clc_count": 21, "rpt_edu_clc_managers": 63, "rpt_edu_clc_accountants": 42,
        "rpt_edu_cc_evaluated": 21, "rpt_edu_cc_tot": 4, "rpt_edu_cc_kha": 11, "rpt_edu_cc_trung_binh": 4, "rpt_edu_cc_khong_dat": 2,
        "rpt_edu_schools": 30, "rpt_edu_schools_counselling": 30, "rpt_edu_counselling_teachers_trained": 17,
        "rpt_edu_lifeskills_pupils": 6146}),
    ("labour_office", "labour_office", "submitted", "2021-01-22T15:00", None, {
        "rpt_lab_classes": 4, "rpt_lab_learners": 120, "rpt_lab_funding": 400_000_000, "rpt_lab_vocational_facilities": 4}),
    ("womens_union", "womens_union", "submitted", "2021-01-10T10:00", None, {
        "rpt_wu_member_families": 9080, "rpt_wu_families_5k3s": 8898}),
    ("culture_media_centre", "culture_media_centre", "approved", "2021-01-15T16:30", "2021-01-19T08:00", {
        "rpt_cmc_news": 123, "rpt_cmc_features": 6}),
]


def _save(reporter: Reporter, form_code: str, period: str, values: dict[str, object], at: str, texts: dict[str, str] | None = None) -> Any:
    form = get_catalogue().forms[form_code]
    return submission_save(actor=None, form=form, reporter=reporter, period=period, values=values, texts=texts or {}, base_version=0,
                           source="imported", note="dữ liệu mẫu", now=_at(at), check_rights=False).submission


def _play(reporter: Reporter, form_code: str, period: str, values: dict[str, object], state: str, submitted: str | None,
          decided: str | None, comment: str) -> None:
    form = get_catalogue().forms[form_code]
    if submission_find(form=form, reporter=reporter, period=period) is not None:
        return
    start = submitted or "2021-01-04T08:00"
    sub = _save(reporter, form_code, period, values, start)
    if state == "draft" or submitted is None:
        return
    sub = submission_submit(actor=None, submission=sub, now=_at(submitted), check_rights=False)
    if state == "approved" and decided:
        submission_approve(actor=None, submission=sub, now=_at(decided), check_rights=False)
    elif state == "returned" and decided:
        submission_return(actor=None, submission=sub, comment=comment, now=_at(decided), check_rights=False)


def load(*, actor: Any = None) -> None:
    with transaction.atomic():
        district = Unit.objects.get(code=DISTRICT)
        communes = list(Unit.objects.filter(parent=district).order_by("code"))
        for index, commune in enumerate(communes):
            if commune.code in COMMUNE_STATES:
                state, submitted, decided, comment = COMMUNE_STATES[commune.code]
                _play(Reporter(commune), "commune", "2020", commune_values(index, 2020), state, submitted, decided, comment)
        nam_tuan = Unit.objects.get(code="05115")
        _play(Reporter(nam_tuan), "commune", "2019", commune_values(15, 2019), "approved", "2020-01-10T09:00", "2020-01-14T09:00", "")
        for kind, form_code, state, submitted, decided, values in ORGANISATION_STATES:
            org = Organisation.objects.filter(unit=district, kind=kind).first()
            if org is not None:
                _play(Reporter(district, org), form_code, "2020", values, state, submitted, decided, "")
        data_values_write(
            actor=actor,
            values=[Value(element=APPENDIX_ELEMENT, unit_code=DISTRICT, period=year, value=Decimal(v)) for year, v in APPENDIX_36_60.items()],
            source="imported",
            rule="seed:298/BC-UBND phụ lục I.3",
        )
