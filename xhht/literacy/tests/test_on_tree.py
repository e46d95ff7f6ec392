"""A year's survey read on a later tree (format 4, ``--on``): the held-out check of the format's example.

A province's 2019 survey read on its 2025 tree must give, for each new commune, exactly the counts of the
persons living in its territory (its whole sources, and the villages it took of a split one), counted here
directly from the person records, independently of the aggregates.
"""

from __future__ import annotations

import json
import random
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xhht.core.tabular import Rejected
from xhht.literacy.catalogue import rules
from xhht.literacy.models import SurveyPerson
from xhht.literacy.selectors import UnitNotInPeriod, unit_results
from xhht.literacy.services import persons_import
from xhht.units.changes import unit_changes_import
from xhht.units.models import Unit
from xhht.units.services import unit_import

YEAR = 2019
ON = date(2025, 7, 1)
UNITS = """code,name,kind,parent_code,valid_from,valid_to,special_difficulty
97,Thử Tỉnh,province,,,,0
971,Huyện Một,district,97,,,0
972,Huyện Hai,district,97,,,0
97104,Một Bốn,commune,971,,,0
97203,Hai Ba,commune,972,,,0
97204,Hai Bốn,commune,972,,,0
97205,Hai Năm,commune,972,,,1
"""
VILLAGES = {"97104": ["Xóm A", "Xóm B"], "97203": ["Thôn 1", "Thôn 2", "Thôn 3", "Thôn 4", "Thôn 5"],
            "97204": ["Bản X"], "97205": ["Bản Y", "Bản Z"]}
B = "Nghị quyết 1/NQ-THU"
CHANGES = f"""effective_date,basis,code,name,kind,parent_code,from_code,from_villages,from_share,end
2025-07-01,{B},97302,Sông Cầu,commune,97,97104,,,
2025-07-01,{B},97302,,,,97203,Thôn 1;Thôn 2,0.4,
2025-07-01,{B},97204,Đồi Thông,commune,97,97205,,,
2025-07-01,{B},97204,,,,97203,Thôn 3;Thôn 4;Thôn 5,0.6,
2025-07-01,{B},971,,,,,,,1
2025-07-01,{B},972,,,,,,,1
"""
TERRITORY = {"97302": [("97104", None), ("97203", {"Thôn 1", "Thôn 2"})],
             "97204": [("97204", None), ("97205", None), ("97203", {"Thôn 3", "Thôn 4", "Thôn 5"})]}


def _persons(rng: random.Random) -> list[tuple[int, dict[str, str | None]]]:
    rows = []
    n = 0
    for commune, villages in VILLAGES.items():
        for _ in range(rng.randint(150, 260)):
            n += 1
            age = rng.randint(0, 75)
            grade = max(0, min(rng.choice([0, 0, 2, 3, 5, 5, 9, 12]), age - 7))
            rows.append((n, {
                "commune_code": commune, "village": rng.choice(villages), "household_id": f"H{n // 4:05d}", "person_id": f"P{n:06d}",
                "full_name": f"Người {n}", "sex": rng.choice("MF"), "birth_date": str(YEAR - age), "ethnicity": rng.choice(["Tày", "Kinh", "Nùng"]),
                "disability": "0", "highest_grade_completed": str(grade), "enrolled_grade": None,
                "literacy_phase_completed": str(rng.choice([0, 0, 1, 2])), "primary_completion_year": None,
                "lower_secondary_completion_year": None,
            }))
    return rows


@pytest.fixture
def province(db: None, tmp_path: Path) -> Unit:
    path = tmp_path / "units.csv"
    path.write_text(UNITS, encoding="utf-8")
    unit_import(actor=None, path=path)
    persons_import(actor=None, year=YEAR, rows=_persons(random.Random(18)), display_name="test", publish=False)
    changes = tmp_path / "changes.csv"
    changes.write_text(CHANGES, encoding="utf-8")
    unit_changes_import(actor=None, path=changes)
    return Unit.objects.get(code="97")


def _expected(territory: list[tuple[str, set[str] | None]]) -> dict[str, dict[str, int]]:
    """Band counts straight from the person records of the territory (not from the aggregates)."""
    r = rules()
    persons = [p for commune, villages in territory for p in SurveyPerson.objects.filter(year=YEAR, commune_id=commune)
               if villages is None or p.village in villages]
    bands = {}
    for band, a, b in r.bands:
        inside = [p for p in persons if a <= YEAR - p.birth_year <= b]

        def level(p: SurveyPerson, need: tuple[int, int]) -> bool:
            return p.literacy_phase >= need[0] or p.highest_grade >= need[1]

        bands[band] = {"population": len(inside), "level1": sum(level(p, r.level1) for p in inside),
                       "level2": sum(level(p, r.level2) for p in inside)}
    return bands


def test_province_2019_on_its_2025_tree_gives_the_persons_of_each_territory(province: Unit) -> None:
    result = unit_results(unit=province, year=YEAR, on=ON)
    assert result.remapped and [c.code for c in result.children] == ["97204", "97302"]
    for child in result.children:
        assert child.remapped
        assert {band: counts.total for band, counts in child.bands.items()} == _expected(TERRITORY[child.code]), child.code
    # Nothing lost or counted twice: the province's total is the same on both trees.
    own = unit_results(unit=province, year=YEAR)
    assert not own.remapped and [c.code for c in own.children] == ["971", "972"]
    assert {b: c.total for b, c in result.bands.items()} == {b: c.total for b, c in own.bands.items()}
    assert result.persons == own.persons == SurveyPerson.objects.filter(year=YEAR, commune_id__in=VILLAGES).count()
    # Sex and ethnic parts add up as well.
    for band, counts in result.bands.items():
        assert sum(counts.parts["M"][m] + counts.parts["F"][m] for m in counts.total) == sum(counts.total.values())


def test_levels_are_computed_not_inherited_and_labelled(province: Unit) -> None:
    new = Unit.objects.get(code="97302")
    result = unit_results(unit=new, year=YEAR, on=ON)
    data = result.as_format3(year=YEAR)
    assert data["standards_computed"] is True and data["on"] == "2025-07-01"
    assert result.predecessors == ["xã Một Bốn", "xã Hai Ba"]


def test_unit_that_did_not_exist_is_refused(province: Unit, tmp_path: Path) -> None:
    new = Unit.objects.get(code="97302")
    with pytest.raises(UnitNotInPeriod, match="không tồn tại vào ngày 31/12/2019"):
        unit_results(unit=new, year=YEAR)
    with pytest.raises(CommandError, match="không tồn tại vào ngày 31/12/2019"):
        call_command("literacy", "--unit", "97302", "--year", str(YEAR), "--format", "json")
    # An import of persons for a commune that did not exist that year is refused.
    rows = [(1, {**_persons(random.Random(1))[0][1], "commune_code": "97302"})]
    with pytest.raises(Rejected, match="không tồn tại trong năm 2019"):
        persons_import(actor=None, year=YEAR, rows=rows, display_name="test", publish=False)


def test_literacy_command_on(province: Unit) -> None:
    out = StringIO()
    call_command("literacy", "--unit", "97", "--year", str(YEAR), "--on", "2025-07-01", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["on"] == "2025-07-01" and [c["unit"] for c in data["children"]] == ["97204", "97302"]
    assert data["children"][1]["bands"] == _expected(TERRITORY["97302"])
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("literacy", "--unit", "97", "--year", str(YEAR), "--on", "01/07/2025")


def test_share_split_without_villages_apportions_persons(db: None, tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text(UNITS, encoding="utf-8")
    unit_import(actor=None, path=path)
    persons_import(actor=None, year=YEAR, rows=_persons(random.Random(7)), display_name="test", publish=False)
    changes = tmp_path / "changes.csv"
    changes.write_text("effective_date,basis,code,name,kind,parent_code,from_code,from_villages,from_share,end\n"
                       f"2021-01-01,{B},97301,Ba Một,commune,971,97104,,0.3333333333,\n"
                       f"2021-01-01,{B},97303,Ba Ba,commune,971,97104,,0.6666666667,\n", encoding="utf-8")
    unit_changes_import(actor=None, path=changes)
    result = unit_results(unit=Unit.objects.get(code="971"), year=YEAR, on=date(2021, 1, 1))
    whole = _expected([("97104", None)])
    a, b = (c for c in result.children if c.code in {"97301", "97303"})
    for band in whole:
        for measure, value in whole[band].items():
            assert a.bands[band].total[measure] + b.bands[band].total[measure] == value


def test_seed_figures_keep_their_own_tree_and_read_on_2025(survey: None) -> None:
    from xhht.demo.foundation import DISTRICT, REFORM_2025, XA_HOA_AN, reforms_load

    district = Unit.objects.get(code=DISTRICT)
    before = unit_results(unit=district, year=2019)
    reforms_load()
    after = unit_results(unit=district, year=2019)  # the tree at the end of 2019: the seed's 21 communes, unchanged
    assert after.as_format3(year=2019) == before.as_format3(year=2019) and len(after.children) == 21
    assert "xã Trung Vương" in [c.name for c in after.children]  # named as it was in 2019
    by_code = {c.code: c for c in before.children}
    hoa_an = unit_results(unit=Unit.objects.get(code=XA_HOA_AN), year=2019, on=REFORM_2025)
    assert hoa_an.remapped
    for band, counts in hoa_an.bands.items():
        for measure, value in counts.total.items():
            # Nước Hai with Bế Triều and Đức Xuân (2020, minh họa), Đại Tiến, Hồng Việt with Bình Long (2020, minh họa).
            parts = ["05100", "05102", "05109", "05107", "05113", "05104"]
            assert value == sum(by_code[c].bands[band].total[measure] for c in parts), (band, measure)


def test_results_page_of_a_new_commune_reads_its_past_and_refuses_what_did_not_exist(survey: None, client: Any) -> None:
    from xhht.accounts.models import User
    from xhht.demo.foundation import DISTRICT, XA_HOA_AN, reforms_load

    reforms_load()
    client.force_login(User.objects.get(username="xa.hoaan"))
    page = client.get(f"/xoa-mu-chu/{XA_HOA_AN}/2019/").content.decode()
    assert 'id="lineage-note"' in page and "theo địa giới ngày 01/07/2025" in page and "thị trấn Nước Hai" in page
    assert "tính từ số liệu, không phải công nhận" in page and "minh họa" in page
    client.force_login(User.objects.get(username="so.caobang"))
    response = client.get(f"/xoa-mu-chu/{DISTRICT}/2019/", {"theo_dia_gioi": "2025-07-01"})
    assert response.status_code == 404 and "không tồn tại vào ngày 01/07/2025" in response.content.decode()
    assert client.get(f"/xoa-mu-chu/{DISTRICT}/2019/", {"theo_dia_gioi": "hôm qua"}).status_code == 404
    page = client.get(f"/xoa-mu-chu/{DISTRICT}/2019/").content.decode()
    assert 'id="lineage-note"' not in page and "Trung Vương" in page
