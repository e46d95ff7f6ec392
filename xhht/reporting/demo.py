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
    load_phase_reports()


# --- The 2016–2020 phase reports of the offices and associations (issue 14) ----------------------------
# The seed's narrative figures (298/BC-UBND, III.1 and III.1.1–1.10), entered as each office's and
# association's phase summary report, approved before the district's report of 09/09/2020. A figure the
# seed gives as approximate carries its qualifier ("approx__…": "trên 24.000"), never an invented exact
# number. Invented, and said so: the classroom counts 621/387/182 (the seed gives the shares 62,32% and
# 29,31% only) and the 14 offices and associations that held their review (the seed says "100").
PHASE = "2016-2020"
PHASE_REPORTS: list[tuple[str, str, dict[str, object], dict[str, str]]] = [
    ("education_office", "education_office", {
        "rpt_edu_review_orgs": 14, "rpt_edu_review_orgs_held": 14, "rpt_edu_review_communes": 21, "rpt_edu_review_communes_held": 21,
        "rpt_edu_classrooms": 621, "rpt_edu_classrooms_solid": 387, "rpt_edu_classrooms_semi": 182,
        "rpt_edu_clc_count": 21, "rpt_edu_clc_managers": 63, "rpt_edu_clc_accountants": 42,
        "rpt_edu_schools": 30, "rpt_edu_schools_counselling": 30, "rpt_edu_schools_counselling_room": 30,
        "rpt_edu_counselling_teachers_trained": 17, "rpt_edu_schools_all": 48, "rpt_edu_schools_conduct_code": 48,
        "rpt_edu_llw_participants": 24000, "rpt_edu_llw_delegates": 248, "rpt_edu_llw_books": 23000, "rpt_edu_llw_banners": 315,
    }, {"approx__rpt_edu_llw_participants": "trên", "approx__rpt_edu_llw_books": "trên"}),
    ("home_affairs_office", "home_affairs", {
        "rpt_ha_district_standard_pct": 100, "rpt_ha_district_leaders_pct": 100, "rpt_ha_district_mandatory_pct": 100,
        "rpt_ha_commune_leaders_pct": 100, "rpt_ha_commune_qualified_pct": 100, "rpt_ha_commune_mandatory_pct": 98,
    }, {"approx__rpt_ha_commune_mandatory_pct": "trên"}),
    ("labour_office", "labour_office", {
        "rpt_lab_nonfarm_classes": 2, "rpt_lab_plan_classes": 4, "rpt_lab_plan_learners": 120, "rpt_lab_plan_funding": 400_000_000,
        "rpt_lab_opened_classes": 4, "rpt_lab_opened_learners": 120,
        "rpt_lab_vocational_facilities": 4, "rpt_lab_facility_schools": 1, "rpt_lab_facility_centres": 1, "rpt_lab_facility_enterprises": 2,
        "rpt_lab_students_supported": 3, "rpt_lab_students_support_amount": 13_190_000, "rpt_lab_students_pending": 6,
        "rpt_lab_children_screened": 61, "rpt_lab_eye_exams": 150, "rpt_lab_cataract": 43, "rpt_lab_wheelchairs": 127,
        "rpt_lab_orthopedic_veterans": 168, "rpt_lab_orthopedic_pending": 20, "rpt_lab_bicycles": 58,
    }, {}),
    ("youth_union", "youth_union", {
        "rpt_yu_study_clubs": 52, "rpt_yu_hobby_clubs": 52, "rpt_yu_rights_clubs": 7, "rpt_yu_pupils": 1530,
        "rpt_yu_libraries": 4, "rpt_yu_library_schools": 4, "rpt_yu_books_donated": 2500,
        "rpt_yu_gifts": 540, "rpt_yu_gifts_amount": 145_000_000, "rpt_yu_scholarships": 3490, "rpt_yu_scholarship_amount": 1_203_000_000,
        "rpt_yu_congresses": 4, "rpt_yu_pupils_honoured": 503, "rpt_yu_honour_amount": 104_300_000,
        "rpt_yu_school_sites": 2, "rpt_yu_school_site_value": 300_000_000, "rpt_yu_trained": 1050,
    }, {"approx__rpt_yu_pupils": "trên", "approx__rpt_yu_books_donated": "trên", "approx__rpt_yu_gifts": "trên",
        "approx__rpt_yu_gifts_amount": "trên", "approx__rpt_yu_scholarship_amount": "trên", "approx__rpt_yu_school_site_value": "trên",
        "approx__rpt_yu_trained": "trên"}),
    ("womens_union", "womens_union", {
        "rpt_wu_cadres_studied_pct": 100, "rpt_wu_cadres_3std_pct": 100, "rpt_wu_members_3std_pct": 90, "rpt_wu_cadres_excellent_pct": 100,
        "rpt_wu_members_excellent_pct": 15, "rpt_wu_members_advanced_pct": 70, "rpt_wu_sessions": 2546, "rpt_wu_participants": 60704,
        "rpt_wu_campaigns": 2, "rpt_wu_registered_pct": 100, "rpt_wu_member_families": 9080, "rpt_wu_families_5k3s": 8898,
        "rpt_wu_families_8criteria": 6833, "rpt_wu_families_8criteria_increase": 1000, "rpt_wu_branches": 21, "rpt_wu_branches_registered": 21,
        "rpt_wu_helped_registered": 42, "rpt_wu_helped_achieved": 42, "rpt_wu_helped_poor": 21, "rpt_wu_helped_out_of_poverty": 21,
        "rpt_wu_5k3s_sessions": 232, "rpt_wu_5k3s_participants": 12035, "rpt_wu_stage_communes": 4, "rpt_wu_pilot_models": 2,
        "rpt_wu_uncle_ho_model_pct": 80, "rpt_wu_health_sessions": 1862, "rpt_wu_health_participants": 57022,
        "rpt_wu_child_families": 8045, "rpt_wu_child_families_reached": 7544, "rpt_wu_women_reached": 8385,
        "rpt_wu_bookcase_units": 15, "rpt_wu_bookcase_communes": 15, "rpt_wu_books_per_year": 2, "rpt_wu_classes": 16, "rpt_wu_class_participants": 1869,
    }, {"approx__rpt_wu_members_3std_pct": "trên", "approx__rpt_wu_members_excellent_pct": "trên", "approx__rpt_wu_members_advanced_pct": "trên",
        "approx__rpt_wu_uncle_ho_model_pct": "khoảng"}),
    ("study_promotion_association", "study_promotion_association", {
        "rpt_spa_literate_pct": 90, "rpt_spa_learning_clans": 15, "rpt_spa_clans_recognised": 6,
        "rpt_spa_families_registered_pct": 70, "rpt_spa_units_recognised_pct": 95,
    }, {"approx__rpt_spa_literate_pct": "trên", "approx__rpt_spa_families_registered_pct": "trên", "approx__rpt_spa_units_recognised_pct": "trên"}),
    ("culture_office", "culture_office", {"rpt_co_news": 350, "rpt_co_articles": 46}, {"approx__rpt_co_news": "ước khoảng"}),
    ("culture_media_centre", "culture_media_centre", {"rpt_cmc_news": 123, "rpt_cmc_features": 6}, {}),
    ("labour_federation", "labour_federation", {"rpt_lf_conferences": 2, "rpt_lf_workers_reached": 60}, {}),
]
# The labour office's report of the vocational scheme's first phase (QĐ 1956/QĐ-TTg, 2010–2015): the seed's
# "4 lớp học nghề phi nông nghiệp, 96 lớp học nghề nông nghiệp".
EARLIER_PHASE_REPORTS: list[tuple[str, str, str, dict[str, object]]] = [("labour_office", "labour_office", "2010-2015", {"rpt_lab_nonfarm_classes": 4, "rpt_lab_farm_classes": 96})]
# New-countryside criteria 5 (schools) and 14 (education) per commune, seed III.1.1 b: 4/20 and 20/20 communes.
NTM_CRITERION_5 = {"05115", "05113", "05102", "05111"}  # Nam Tuấn, Hồng Việt, Bế Triều, Hoàng Tung
PHASE_SUBMITTED, PHASE_APPROVED = "2020-08-25T09:00", "2020-08-28T15:00"
# The 2019 annual reports whose figures the seed dates to 2019: the women's union's "cuối năm 2019 bình xét có
# 8.898/9.080 … 6.833 gia đình đạt cả 8 tiêu chí (tăng thêm 1000 hộ so với năm 2018)", and the labour office's
# 2019 row of the vocational table (5 classes, 170 learners, 167 from ethnic minorities).
YEAR_2019_REPORTS: list[tuple[str, str, dict[str, object]]] = [
    ("womens_union", "womens_union", {
        "rpt_wu_member_families": 9080, "rpt_wu_families_5k3s": 8898, "rpt_wu_families_8criteria": 6833, "rpt_wu_families_8criteria_increase": 1000,
        "rpt_wu_branches": 21, "rpt_wu_branches_registered": 21, "rpt_wu_helped_registered": 42, "rpt_wu_helped_achieved": 42,
        "rpt_wu_helped_poor": 21, "rpt_wu_helped_out_of_poverty": 21}),
    ("labour_office", "labour_office", {"rpt_lab_classes": 5, "rpt_lab_learners": 170, "rpt_lab_learners_ethnic_minority": 167}),
]


def _play_texts(reporter: Reporter, form_code: str, period: str, values: dict[str, object], texts: dict[str, str]) -> None:
    form = get_catalogue().forms[form_code]
    if submission_find(form=form, reporter=reporter, period=period) is not None:
        return
    sub = _save(reporter, form_code, period, values, PHASE_SUBMITTED, texts)
    sub = submission_submit(actor=None, submission=sub, now=_at(PHASE_SUBMITTED), check_rights=False)
    submission_approve(actor=None, submission=sub, now=_at(PHASE_APPROVED), check_rights=False)


def load_phase_reports() -> None:
    """The offices', associations' and communes' 2016–2020 summary reports, approved (idempotent)."""
    with transaction.atomic():
        district = Unit.objects.get(code=DISTRICT)
        for kind, form_code, values, texts in PHASE_REPORTS:
            org = Organisation.objects.filter(unit=district, kind=kind).first()
            if org is not None:
                _play_texts(Reporter(district, org), form_code, PHASE, values, texts)
        for kind, form_code, period, values in EARLIER_PHASE_REPORTS:
            org = Organisation.objects.filter(unit=district, kind=kind).first()
            if org is not None:
                _play_texts(Reporter(district, org), form_code, period, values, {})
        for kind, form_code, values in YEAR_2019_REPORTS:
            org = Organisation.objects.filter(unit=district, kind=kind).first()
            if org is not None and submission_find(form=get_catalogue().forms[form_code], reporter=Reporter(district, org), period="2019") is None:
                sub = _save(Reporter(district, org), form_code, "2019", values, "2020-01-10T09:00")
                sub = submission_submit(actor=None, submission=sub, now=_at("2020-01-10T09:00"), check_rights=False)
                submission_approve(actor=None, submission=sub, now=_at("2020-01-14T10:00"), check_rights=False)
        for commune in Unit.objects.filter(parent=district).order_by("code"):
            rural = commune.kind != "township"
            values = {"rpt_ntm_commune": int(rural), "rpt_ntm_c5": int(commune.code in NTM_CRITERION_5), "rpt_ntm_c14": int(rural)}
            _play_texts(Reporter(commune), "commune_new_countryside", PHASE, values, {})
