"""Hòa An demo: the commune learning-community evaluations of 2017–2019 and the recognised clans.

The seed (Báo cáo 298/BC-UBND, III.1.1.d) gives only the district's distribution: 2017 one pilot commune,
Trung bình; 2018 Tốt 0 / Khá 14 / Trung bình 4 / Không đạt 3; 2019 4 / 11 / 4 / 2 of 21. Which commune had
which class, the scores and the decision numbers are NOT in the seed: they are illustrative, chosen so that the
engine, scoring indicator by indicator with the TT 44 rubric, reproduces the distribution. Two communes in 2019
self-evaluate one class higher and are corrected by the inspection team (the seed: "đa số đúng theo kết quả tự
kiểm tra đánh giá"). Clans: the six of Hồng Nam recognised by the commune in 2019 (seed III.1.7) and the Bùi
Duy clan of Hoàng Tung (recognition year 2019 assumed). Running twice changes nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from xhht.accounts.models import User
from xhht.learning_models.models import Evaluation, ModelKind, Recognition, Status
from xhht.learning_models.rubrics import rubric_for
from xhht.learning_models.scoring import enterable
from xhht.learning_models.services import (
    DecisionInfo,
    evaluation_review,
    evaluation_self_score,
    evaluation_start,
    evaluation_submit,
    inspection_team_set,
    participant_register,
    recognition_create,
    village_households_set,
)
from xhht.units.models import Unit

DISTRICT = "051"
PILOT_2017 = "05115"  # Nam Tuấn: illustrative; the seed does not name the pilot commune

# Illustrative classes per commune (the seed gives only the counts).
CLASSES = {
    2018: {
        "kha": ["05100", "05101", "05102", "05103", "05104", "05105", "05106", "05108", "05109", "05111", "05112", "05113", "05115", "05116"],
        "trung_binh": ["05107", "05110", "05117", "05119"],
        "khong_dat": ["05114", "05118", "05120"],
    },
    2019: {
        "tot": ["05100", "05111", "05112", "05115"],
        "kha": ["05101", "05102", "05103", "05104", "05105", "05106", "05108", "05109", "05113", "05116", "05119"],
        "trung_binh": ["05107", "05110", "05117", "05118"],
        "khong_dat": ["05114", "05120"],
    },
}
# Target totals (of 150) per class; the i-th commune of a class gets the i-th (cycled).
TOTALS = {"tot": [131, 128, 135, 129], "kha": [112, 118, 106, 124, 109, 115, 121], "trung_binh": [88, 96, 79, 102], "khong_dat": [64, 71, 58]}
# 2019: self-evaluated Khá, corrected to Trung bình by the inspection team (commune → (self total, reviewed total)).
CORRECTED_2019 = {"05110": (108, 103), "05118": (106, 101)}

HONG_NAM, HOANG_TUNG = "05112", "05111"
CLANS_2019 = [
    (HONG_NAM, "xóm Kẹm Coong", "Dòng họ Đoàn"),
    (HONG_NAM, "xóm Kẹm Coong", "Dòng họ Hoàng"),
    (HONG_NAM, "xóm Kẹm Coong", "Dòng họ Đàm"),
    (HONG_NAM, "xóm Kẹm Coong", "Dòng họ Đình"),
    (HONG_NAM, "xóm Nà Tổng", "Dòng họ Nông"),
    (HONG_NAM, "xóm Khuổi Linh", "Dòng họ Đình"),
    (HOANG_TUNG, "", "Dòng họ Bùi Duy"),
]
# Illustrative households and registered families (seed: "trên 70% số gia đình ... đăng ký").
VILLAGES_2019 = [("xóm Kẹm Coong", 64, 47), ("xóm Nà Tổng", 52, 38), ("xóm Khuổi Linh", 41, 30)]


def _spread(total: int, codes: list[str], offset: int) -> dict[str, Decimal]:
    """Points per criterion (0–10 each) adding up to ``total``, varied by ``offset``."""
    n = len(codes)
    base, rem = divmod(total, n)
    points = [base + (1 if i < rem else 0) for i in range(n)]
    # move a point between criteria to vary the sheets while keeping the total and the 0–10 range
    i, j = offset % n, (offset * 7 + 3) % n
    if i != j and points[i] < 10 and points[j] > 0:
        points[i] += 1
        points[j] -= 1
    return {code: Decimal(p) for code, p in zip(codes, points, strict=True)}


def _evaluate_commune(actor: Any, commune: Unit, year: int, self_total: int, reviewed_total: int | None, offset: int) -> Evaluation:
    registration = participant_register(actor=actor, kind=ModelKind.COMMUNE, commune=commune, name=commune.full_name, year=year,
                                        registered_on=date(year, 1, 10))
    participant = registration.participant
    evaluation = evaluation_start(actor=actor, participant=participant, year=year)
    if evaluation.status == Status.DRAFT:
        rubric = rubric_for(subject=ModelKind.COMMUNE, year=year)
        assert rubric is not None
        graded = [i.code for i in rubric.indicators if i.judgement == "graded" and enterable(i)]
        values: dict[str, Any] = _spread(self_total, graded, offset)
        for ind in rubric.indicators:
            if ind.is_yes_no:
                values[ind.code] = 1  # conditions met (the computed one is replaced by the data where present)
        evaluation_self_score(actor=actor, participant=participant, year=year, values=values,
                              note="Tự đánh giá theo kế hoạch của Hội Khuyến học xã (minh họa).")
        evaluation = evaluation_submit(actor=actor, evaluation=Evaluation.objects.get(pk=evaluation.pk))
    if evaluation.status == Status.SUBMITTED:
        changes = {}
        if reviewed_total is not None and reviewed_total != self_total:
            row = evaluation.scores.get(indicator="c8")
            assert row.self_value is not None
            new = row.self_value - (self_total - reviewed_total)
            changes["c8"] = (new, "Minh chứng về học tập thường xuyên của người lao động chưa đầy đủ (đoàn kiểm tra điều chỉnh).")
        evaluation = evaluation_review(actor=actor, evaluation=evaluation, changes=changes, note="Đoàn kiểm tra huyện thẩm định.")
    return evaluation


def load(*, actor: Any = None) -> None:
    district = Unit.objects.get(code=DISTRICT)
    team_members = list(User.objects.filter(username="pgd.hoaan"))
    with transaction.atomic():
        for year in (2017, 2018, 2019):
            inspection_team_set(actor=actor, district=district, year=year, members=team_members,
                                decision_number="3850/QĐ-UBND" if year == 2019 else "")
        plan: dict[int, list[tuple[str, int, int | None]]] = {2017: [(PILOT_2017, 92, None)]}
        for year, classes in CLASSES.items():
            plan[year] = []
            for cls, codes in classes.items():
                for i, code in enumerate(codes):
                    total = TOTALS[cls][i % len(TOTALS[cls])]
                    if year == 2019 and code in CORRECTED_2019:
                        plan[year].append((code, *CORRECTED_2019[code]))
                    else:
                        plan[year].append((code, total, None))
        for year, rows in plan.items():
            evaluations = []
            for offset, (code, self_total, reviewed) in enumerate(sorted(rows)):
                evaluations.append(_evaluate_commune(actor, Unit.objects.get(code=code), year, self_total, reviewed, offset))
            number = f"{year}/QĐ-UBND (minh họa)"
            if not Recognition.objects.filter(unit=district, number=number, year=year).exists():
                recognition_create(actor=actor, unit=district, kind=ModelKind.COMMUNE, year=year, evaluations=evaluations,
                                   decision=DecisionInfo(number=number, decided_on=date(year, 12, 30), signer="Chủ tịch UBND huyện (minh họa)",
                                                         signer_title="Chủ tịch UBND huyện Hòa An"))
        # Clans recognised in 2019, by their commune.
        by_commune: dict[str, list[Evaluation]] = {}
        for commune_code, village, name in CLANS_2019:
            commune = Unit.objects.get(code=commune_code)
            reg = participant_register(actor=actor, kind=ModelKind.CLAN, commune=commune, name=name, village=village, year=2019,
                                       registered_on=date(2019, 1, 20))
            ev = evaluation_start(actor=actor, participant=reg.participant, year=2019)
            if ev.status == Status.DRAFT:
                ev = evaluation_submit(actor=actor, evaluation=ev)
            if ev.status == Status.SUBMITTED:
                ev = evaluation_review(actor=actor, evaluation=ev, note="UBND xã bình xét (bảng điểm QĐ 448 cho dòng họ chưa mã hóa).")
            by_commune.setdefault(commune_code, []).append(ev)
        for commune_code, evs in by_commune.items():
            commune = Unit.objects.get(code=commune_code)
            number = f"DHHT-2019/QĐ-UBND (minh họa) {commune.name}"
            if not Recognition.objects.filter(unit=commune, number=number, year=2019).exists():
                recognition_create(actor=actor, unit=commune, kind=ModelKind.CLAN, year=2019, evaluations=evs,
                                   decision=DecisionInfo(number=number, decided_on=date(2019, 12, 20), signer="Chủ tịch UBND xã (minh họa)",
                                                         signer_title=f"Chủ tịch UBND {commune.full_name}", authority=f"UBND {commune.full_name}"))
        # Registration shares in Hồng Nam (illustrative counts).
        hong_nam = Unit.objects.get(code=HONG_NAM)
        for village, households, registered in VILLAGES_2019:
            village_households_set(actor=actor, commune=hong_nam, village=village, year=2019, households=households)
            for k in range(1, registered + 1):
                participant_register(actor=actor, kind=ModelKind.FAMILY, commune=hong_nam, village=village, name=f"Hộ số {k:02d}", year=2019,
                                     registered_on=date(2019, 1, 25))
