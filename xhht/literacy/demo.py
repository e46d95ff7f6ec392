"""Synthetic household-survey records for Hòa An's 21 communes, survey year 2019.

The generator first allocates exact counts per commune (largest remainder, so they sum to the
seed's district totals), then makes persons that realise those counts: ages, sex, ethnic group,
schooling and literacy phase consistent with each other. The records then go through the real
importer and engine; nothing here types a total. Fixed seed: every run makes the same persons.

Seed (Báo cáo Hòa An 2020, III.1.1.a): 15–25: 7844/7916 at level 1, 7817/7916 at level 2;
15–35: 19925/20126 and 19776/20126; 15–60: 39127/39564 and 38091/39564.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from django.db import transaction

from xhht.literacy.models import CommuneAggregate, Recognition
from xhht.units.models import Unit

YEAR = 2019
SEED = 20191231
DISTRICT = "051"
# (population, level 1, level 2) of the three disjoint bands the seed's figures imply.
BANDS = {
    (15, 25): (7916, 7844, 7817),
    (26, 35): (12210, 12081, 11959),
    (36, 60): (19438, 19202, 18315),
}
ATTESTED = {Recognition.LITERACY: 2, Recognition.PRIMARY: 3, Recognition.LOWER_SECONDARY: 2}
ATTESTATION_NOTE = "Demo: Phòng GD&ĐT xác nhận điều kiện bảo đảm năm 2019 (giáo viên, phòng học, người dạy XMC)."

FAMILY = ["Nông", "Hoàng", "Lương", "Đàm", "Lục", "Nguyễn", "Bế", "Triệu", "Lý", "Đinh", "Hà", "Mã", "Lưu", "Vi", "Đoàn", "La"]
MIDDLE = {"M": ["Văn", "Đức", "Minh", "Quang", "Thanh", "Hữu"], "F": ["Thị", "Thị", "Thu", "Ngọc", "Minh", "Hồng"]}
GIVEN = {"M": ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phong", "Sơn", "Tuấn", "Việt", "Thắng"],
         "F": ["Anh", "Chi", "Dung", "Hà", "Hằng", "Hoa", "Lan", "Linh", "Mai", "Nga", "Phương", "Thảo", "Trang", "Yến"]}
ETHNIC = [("Tày", 55), ("Nùng", 25), ("Kinh", 14), ("Dao", 4), ("H'Mông", 2)]
ETHNIC_TOWN = [("Kinh", 45), ("Tày", 40), ("Nùng", 13), ("Dao", 2)]
VILLAGES = ["Nà Rị", "Bản Chang", "Cốc Lùng", "Pác Giao", "Nà Mè", "Khuổi Ma", "Bó Hoa", "Lũng Mười", "Nặm Lìn", "Đông Sy"]


def apportion(total: int, weights: list[Fraction] | list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` exactly (largest remainder; ties to the earlier)."""
    w = [Fraction(x) for x in weights]
    s = sum(w)
    if total == 0 or s == 0:
        return [0] * len(w)
    quotas = [total * x / s for x in w]
    parts = [math.floor(q) for q in quotas]
    rest = total - sum(parts)
    order = sorted(range(len(w)), key=lambda i: (-(quotas[i] - parts[i]), i))
    for i in order[:rest]:
        parts[i] += 1
    return parts


def communes() -> list[Unit]:
    return list(Unit.objects.filter(parent_id=DISTRICT, kind__in=["commune", "ward", "township"]).order_by("code"))


class _Maker:
    """Makes the rows of one commune."""

    def __init__(self, rng: random.Random, code: str, town: bool):
        self.rng, self.code, self.town = rng, code, town
        self.rows: list[dict[str, str | None]] = []
        self.household = 0
        self.left_in_household = 0
        self.villages = rng.sample(VILLAGES, rng.randint(6, 10))

    def person(self, age: int, grade: int, *, enrolled: int | None = None, phase: int = 0, disability: int = 0) -> None:
        rng = self.rng
        if self.left_in_household <= 0:
            self.household += 1
            self.left_in_household = rng.randint(2, 6)
            self.village = rng.choice(self.villages)
        self.left_in_household -= 1
        sex = "M" if rng.random() < 0.5 else "F"
        ethnic = rng.choices([e for e, _ in (ETHNIC_TOWN if self.town else ETHNIC)], [w for _, w in (ETHNIC_TOWN if self.town else ETHNIC)])[0]
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"
        birth_year = YEAR - age
        born = date(birth_year, 1, 1) + timedelta(days=rng.randrange(365))
        n = len(self.rows) + 1
        self.rows.append({
            "commune_code": self.code, "village": self.village, "household_id": f"H{self.household:05d}",
            "person_id": f"{self.code}-{n:06d}", "full_name": name, "sex": sex,
            "birth_date": born.isoformat() if rng.random() < 0.9 else str(birth_year), "ethnicity": ethnic,
            "disability": str(disability), "highest_grade_completed": str(grade),
            "enrolled_grade": None if enrolled is None else str(enrolled), "literacy_phase_completed": str(phase),
            "primary_completion_year": str(birth_year + 11) if grade >= 5 and birth_year + 11 <= YEAR else None,
            "lower_secondary_completion_year": str(birth_year + 15) if grade >= 9 and birth_year + 15 <= YEAR else None,
        })

    # Schooling for each literacy group, plausible for the age.
    def illiterate(self, age: int) -> None:
        self.person(age, self.rng.choice([0, 0, 1, 2]))

    def level1_only(self, age: int) -> None:
        if self.rng.random() < 0.6:
            self.person(age, self.rng.choice([3, 4]), phase=self.rng.choice([0, 1]))
        else:
            self.person(age, self.rng.choice([0, 1, 2]), phase=1)

    def level2(self, age: int) -> None:
        top = min(12, age - 6)
        if age >= 36 and self.rng.random() < 0.15:
            self.person(age, self.rng.choice([2, 3, 4]), phase=2)
        else:
            self.person(age, self.rng.randint(5, top) if top >= 5 else 5)


def _ages(rng: random.Random, first: int, last: int, n: int) -> list[int]:
    weights = [rng.randint(80, 120) for _ in range(first, last + 1)]
    counts = apportion(n, weights)
    return [age for age, c in zip(range(first, last + 1), counts, strict=True) for _ in range(c)]


def generate() -> Iterator[tuple[int, dict[str, str | None]]]:
    """Rows (row number, format-2 record) of all 21 communes, deterministic."""
    rng = random.Random(SEED)
    units = communes()
    weights = [Fraction(rng.randint(60, 160)) * (2 if u.kind == "township" else 1) for u in units]
    shares: dict[tuple[int, int], list[tuple[int, int, int]]] = {}
    for band, (pop, l1, l2) in BANDS.items():
        pops = apportion(pop, weights)
        lacking = apportion(pop - l1, pops)
        partial = apportion(l1 - l2, pops)
        shares[band] = list(zip(pops, lacking, partial, strict=True))
    number = 1
    for i, unit in enumerate(units):
        maker = _Maker(rng, unit.code, unit.kind == "township")
        # Children 0–14: everyone enters grade 1 at 6; about 4% of 11-year-olds one grade behind (still in primary).
        children = shares[(15, 25)][i][0] * 14 // 11
        child_ages = _ages(rng, 0, 14, children)
        elevens = [a for a in child_ages if a == 11]
        behind = len(elevens) * 4 // 100
        for age in child_ages:
            if age <= 5:
                maker.person(age, 0)
            elif age == 11 and behind > 0:
                behind -= 1
                maker.person(age, 4, enrolled=5)
            else:
                maker.person(age, age - 6, enrolled=age - 5)
        for (first, last), split in shares.items():
            band_pop, not_l1, l1_only = split[i]
            ages = _ages(rng, first, last, band_pop)
            rng.shuffle(ages)
            # The few who are not at level 2 among the young are 19+ (15–18 are all in or past lower secondary).
            if first == 15:
                ages.sort(key=lambda a: (a < 19, rng.random()))
            for age in ages[:not_l1]:
                maker.illiterate(age)
            for age in ages[not_l1:not_l1 + l1_only]:
                maker.level1_only(age)
            rest = ages[not_l1 + l1_only:]
            teens = [a for a in rest if a <= 18]
            diploma = math.ceil(len(teens) * Fraction(93, 100))
            studying = len(teens) * 65 // 100
            teens.sort(key=lambda a: (a == 18, rng.random()))  # the studying come first among 15–17
            for k, age in enumerate(teens):
                if k < diploma and k < studying and age <= 17:
                    maker.person(age, age - 6, enrolled=age - 5)
                elif k < diploma:
                    maker.person(age, 9 if age < 18 else 12)
                else:
                    maker.person(age, rng.choice([6, 7, 8]))
            for age in rest:
                if age > 18:
                    maker.level2(age)
        # People outside the bands, and a few disabled people unable to learn (out of the denominators).
        for age in _ages(rng, 61, 85, shares[(36, 60)][i][0] * 2 // 5):
            maker.person(age, rng.choice([0, 2, 3, 4, 5, 7, 9]), phase=rng.choice([0, 0, 1, 2]))
        for _ in range(rng.randint(1, 4)):
            maker.person(rng.randint(15, 60), 0, disability=2)
        for row in maker.rows:
            yield number, row
            number += 1


def load(*, actor: Any = None) -> None:
    """Import the synthetic survey (once), attest the conditions, publish the computed values."""
    from xhht.literacy.services import attestation_set, literacy_values_publish, persons_import

    units = communes()
    if not units:
        return
    with transaction.atomic():
        have = set(CommuneAggregate.objects.filter(year=YEAR, commune__in=units).values_list("commune_id", flat=True).distinct())
        if have != {u.code for u in units}:
            persons_import(actor=actor, year=YEAR, rows=generate(), display_name="demo-hoa-an-2019", publish=False)
        for unit in [*units, Unit.objects.get(code=DISTRICT)]:
            for recognition, level in ATTESTED.items():
                attestation_set(actor=actor, unit=unit, year=YEAR, recognition=recognition, level=level, note=ATTESTATION_NOTE)
        literacy_values_publish(actor=actor, year=YEAR, unit=Unit.objects.get(code=DISTRICT))
