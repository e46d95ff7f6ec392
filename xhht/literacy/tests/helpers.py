"""Hand-made survey fixtures: a district of N communes whose persons realise chosen counts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from xhht.literacy.services import attestation_set, persons_import
from xhht.units.models import Unit
from xhht.units.services import unit_import

YEAR = 2019


def make_district(tmp_path: Path, code: str = "099", communes: int = 20, special: set[int] | None = None) -> list[str]:
    special = special or set()
    lines = ["code,name,kind,parent_code,valid_from,valid_to,special_difficulty", "04,Cao Bằng,province,,,,0",
             f"{code},Thử Nghiệm,district,04,,,0"]
    codes = []
    for i in range(1, communes + 1):
        c = f"{code}{i:02d}"
        codes.append(c)
        lines.append(f"{c},Xã Thử {i},commune,{code},,,{1 if i in special else 0}")
    path = tmp_path / f"units-{code}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    unit_import(actor=None, path=path)
    return codes


def person_rows(commune: str, *, groups: list[tuple[int, int, int, int]], start: int = 1) -> Iterator[tuple[int, dict[str, str | None]]]:
    """``groups``: (age, how many, highest grade, literacy phase)."""
    n = start
    for age, count, grade, phase in groups:
        for _ in range(count):
            yield n, {
                "commune_code": commune, "village": "Xóm 1", "household_id": f"H{n // 4:05d}", "person_id": f"P{n:06d}",
                "full_name": f"Người {n}", "sex": "F" if n % 2 else "M", "birth_date": str(YEAR - age), "ethnicity": "Tày",
                "disability": "0", "highest_grade_completed": str(grade), "enrolled_grade": None,
                "literacy_phase_completed": str(phase), "primary_completion_year": None, "lower_secondary_completion_year": None,
            }
            n += 1


def literate_commune(commune: str, *, level2: int, total: int, age: int = 40) -> list[tuple[int, int, int, int]]:
    """``total`` people of ``age``, ``level2`` of them at literacy level 2, the rest illiterate."""
    return [(age, level2, 5, 0), (age, total - level2, 0, 0)]


def load(commune: str, groups: list[tuple[int, int, int, int]], actor: Any = None) -> None:
    persons_import(actor=actor, year=YEAR, rows=person_rows(commune, groups=groups), display_name="test", publish=False)


def attest_all(codes: list[str], level: int = 3) -> None:
    for code in codes:
        unit = Unit.objects.get(code=code)
        for recognition in ("literacy", "primary", "lower_secondary"):
            attestation_set(actor=None, unit=unit, year=YEAR, recognition=recognition, level=level)
