"""Recognition authorities and the province's criteria per year, each at its boundary (authorities.yaml)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from xhht.literacy.authorities import AUTHORITIES_FILE, parse, recognition_authority, rule_set_on
from xhht.literacy.catalogue import CatalogueError, rules
from xhht.literacy.engine import share_level
from xhht.literacy.selectors import unit_results
from xhht.literacy.services import attestation_set, persons_import
from xhht.units.models import Unit
from xhht.units.services import unit_import

BEFORE, AFTER = date(2025, 6, 30), date(2025, 7, 1)


def test_rule_set_changes_on_1_july_2025() -> None:
    assert rule_set_on(date(2014, 5, 15)).id == "nd20-2014"
    assert rule_set_on(BEFORE).id == "nd20-2014" and rule_set_on(BEFORE).province_over == "districts"
    assert rule_set_on(AFTER).id == "nd143-2025" and rule_set_on(AFTER).province_over == "communes"
    assert "143/2025/NĐ-CP" in rule_set_on(AFTER).document


@pytest.mark.parametrize(("on", "recognition", "level", "expected"), [
    (BEFORE, "literacy", 1, "Bộ trưởng Bộ Giáo dục và Đào tạo"),
    (AFTER, "literacy", 1, "Chủ tịch UBND cấp tỉnh"),
    (AFTER, "literacy", 2, "Bộ trưởng Bộ Giáo dục và Đào tạo"),
    (BEFORE, "primary", 2, "Bộ trưởng Bộ Giáo dục và Đào tạo"),
    (AFTER, "primary", 2, "Chủ tịch UBND cấp tỉnh"),
    (AFTER, "primary", 3, "Bộ trưởng Bộ Giáo dục và Đào tạo"),
    (AFTER, "lower_secondary", 1, "Chủ tịch UBND cấp tỉnh"),
    (AFTER, "lower_secondary", 3, "Bộ trưởng Bộ Giáo dục và Đào tạo"),
])
def test_province_authority_by_date(on: date, recognition: str, level: int, expected: str) -> None:
    authority = recognition_authority(on=on, unit_level="province", recognition=recognition, level=level)
    assert authority.text == expected
    # Read in the press quoting the decree, or from memory before it: never shown as verified text.
    assert authority.label.endswith("(chưa kiểm chứng)")


def test_commune_authority_before_and_after_the_reform() -> None:
    before = recognition_authority(on=BEFORE, unit_level="commune", recognition="literacy", level=2)
    assert before.text == "Chủ tịch UBND cấp huyện" and before.verified is False
    after = recognition_authority(on=AFTER, unit_level="commune", recognition="literacy", level=2)
    assert after.text is None and after.label == "chưa xác định" and "cấp huyện" in after.note
    # No district level after the reform: nothing is invented for it.
    assert recognition_authority(on=AFTER, unit_level="district", recognition="primary", level=1).text is None


def test_province_shares_of_communes_are_marked_unverified() -> None:
    after = rule_set_on(AFTER)
    for recognition, shares in after.province_shares.items():
        assert shares, recognition
        assert all(s.verified is False and s.note for s in shares.values())
    assert after.share_of_communes("literacy") == {1: Decimal("0.90"), 2: Decimal("0.90")}
    assert after.share_of_communes("lower_secondary")[2] is None  # Điều 15 unread: not checked
    assert rule_set_on(BEFORE).province_shares == {}


@pytest.mark.parametrize(("reached", "total", "expected"), [(9, 10, 2), (8, 9, 1), (18, 20, 2), (17, 20, 1)])
def test_province_of_communes_xmc2_boundary_pure(reached: int, total: int, expected: int) -> None:
    children = [2] * reached + [1] * (total - reached)
    shares = rule_set_on(AFTER).share_of_communes("literacy")
    level, counts = share_level(rules().recognitions["literacy"], children, of="districts", attested=3, attestation_required=True, shares=shares)
    assert level == expected and counts[2] == (reached, total)


@pytest.mark.parametrize(("reached", "expected"), [(10, 3), (9, 2)])
def test_province_of_communes_thcs3_needs_every_commune_pure(reached: int, expected: int) -> None:
    children = [3] * reached + [2] * (10 - reached)
    shares = rule_set_on(AFTER).share_of_communes("lower_secondary")
    level, _ = share_level(rules().recognitions["lower_secondary"], children, of="districts", attested=3, attestation_required=True, shares=shares)
    assert level == expected  # level 2's share is unverified (None): decided by the attestation alone


def _rows(year: int, commune: str, literate: int, total: int, start: int) -> Iterator[tuple[int, dict[str, str | None]]]:
    for i in range(total):
        n = start + i
        yield n, {
            "commune_code": commune, "village": "Xóm 1", "household_id": f"H{n // 4:05d}", "person_id": f"P{n:06d}",
            "full_name": f"Người {n}", "sex": "F" if n % 2 else "M", "birth_date": str(year - 40), "ethnicity": "Tày",
            "disability": "0", "highest_grade_completed": "5" if i < literate else "0", "enrolled_grade": None,
            "literacy_phase_completed": "0", "primary_completion_year": None, "lower_secondary_completion_year": None,
        }


@pytest.mark.django_db
def test_a_province_of_communes_is_judged_by_the_rules_of_its_year(tmp_path: Path) -> None:
    """Ten communes directly under a province, nine with everyone at level 2: XMC 2 needs 100% of the
    "districts" under Nghị định 20/2014 (2024), 90% of the communes under the 2025 reading (2025)."""
    lines = ["code,name,kind,parent_code,valid_from,valid_to,special_difficulty", "T6,Tỉnh Sáu,province,,,,0"]
    codes = [f"T6{i:02d}" for i in range(10)]
    lines += [f"{c},Xã {c},commune,T6,,,0" for c in codes]
    path = tmp_path / "units.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    unit_import(actor=None, path=path)
    for year in (2024, 2025):
        start = 1
        rows: list[tuple[int, dict[str, str | None]]] = []
        for i, code in enumerate(codes):
            rows += list(_rows(year, code, 0 if i == 9 else 100, 100, start))
            start += 100
        persons_import(actor=None, year=year, rows=iter(rows), display_name="test", publish=False)
        for code in [*codes, "T6"]:
            for recognition in ("literacy", "primary", "lower_secondary"):
                attestation_set(actor=None, unit=Unit.objects.get(code=code), year=year, recognition=recognition, level=3)
    r2024 = unit_results(unit=Unit.objects.get(code="T6"), year=2024)
    r2025 = unit_results(unit=Unit.objects.get(code="T6"), year=2025)
    assert r2024.shares["literacy"][2] == r2025.shares["literacy"][2] == (9, 10)
    assert r2024.standards["literacy"] == 1
    assert r2025.standards["literacy"] == 2


def test_a_gap_between_rule_sets_is_refused() -> None:
    data = yaml.safe_load(AUTHORITIES_FILE.read_text(encoding="utf-8"))
    data["rule_sets"][1]["from"] = "2025-07-02"
    with pytest.raises(CatalogueError, match="nối tiếp"):
        parse(data)
    data = yaml.safe_load(AUTHORITIES_FILE.read_text(encoding="utf-8"))
    del data["rule_sets"][1]["province_share_of_communes"]["primary"]
    with pytest.raises(CatalogueError, match="province_share_of_communes"):
        parse(data)


@pytest.mark.django_db
def test_results_page_names_the_authority_of_its_year(tmp_path: Path, client: object) -> None:
    from xhht.accounts.models import Role, User

    test_a_province_of_communes_is_judged_by_the_rules_of_its_year(tmp_path)
    officer = User.objects.create(username="t6.tinh", role=Role.PROVINCE_OFFICER, unit_id="T6")
    client.force_login(officer)  # type: ignore[attr-defined]
    page_2024 = client.get("/xoa-mu-chu/T6/2024/").content.decode()  # type: ignore[attr-defined]
    page_2025 = client.get("/xoa-mu-chu/T6/2025/").content.decode()  # type: ignore[attr-defined]
    assert "Nghị định 20/2014/NĐ-CP" in page_2024 and "Bộ trưởng Bộ Giáo dục và Đào tạo (chưa kiểm chứng)" in page_2024
    assert 'id="province-note"' not in page_2024
    assert "143/2025/NĐ-CP" in page_2025 and "mức 1: Chủ tịch UBND cấp tỉnh (chưa kiểm chứng)" in page_2025
    assert 'id="province-note"' in page_2025 and "cách đọc chưa kiểm chứng" in page_2025
