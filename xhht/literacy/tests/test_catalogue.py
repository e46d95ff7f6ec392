from __future__ import annotations

from pathlib import Path

import pytest

from xhht.literacy.catalogue import RULES_FILE, RULES_SCHEMA, CatalogueError, check_catalogue, load_checked, rules


def test_catalogue_files_are_valid() -> None:
    check_catalogue()
    r = rules()
    assert r.level1 == (1, 3) and r.level2 == (2, 5)
    assert [b[0] for b in r.bands] == ["15-25", "15-35", "15-60", "26-35", "36-60"]
    xmc2 = r.recognitions["literacy"][1]
    assert xmc2.criteria[0].ages == (15, 60) and xmc2.criteria[0].special_ages == (15, 35)
    assert str(xmc2.district_share) == "0.90"
    assert str(xmc2.province_share) == "1"


def test_unverified_numbers_are_null_with_a_note() -> None:
    thcs2 = rules().recognitions["lower_secondary"][1]
    assert thcs2.verified is False
    assert thcs2.criteria[0].threshold is None and "UNVERIFIED" in thcs2.criteria[0].note
    assert thcs2.district_share is None


def test_a_bad_file_is_refused_with_file_and_line(tmp_path: Path) -> None:
    text = RULES_FILE.read_text(encoding="utf-8")
    bad = text.replace('threshold: "0.90", special_difficulty: {ages: [15, 25]', 'threshold: "ninety", special_difficulty: {ages: [15, 25]')
    assert bad != text
    target = tmp_path / "nd20-bad.yaml"
    target.write_text(bad, encoding="utf-8")
    line = next(i for i, row in enumerate(bad.splitlines(), start=1) if '"ninety"' in row)
    with pytest.raises(CatalogueError) as info:
        load_checked(target, RULES_SCHEMA)
    assert f"nd20-bad.yaml, dòng {line}" in str(info.value)


def test_levels_out_of_order_are_refused(tmp_path: Path) -> None:
    text = RULES_FILE.read_text(encoding="utf-8").replace("      - level: 2\n        article: \"Điều 21\"", "      - level: 3\n        article: \"Điều 21\"")
    target = tmp_path / "nd20-order.yaml"
    target.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError, match="mức độ phải lần lượt"):
        load_checked(target, RULES_SCHEMA)


def test_age_segments_align_with_every_range() -> None:
    r = rules()
    segments = r.age_segments()
    assert segments == [0, 6, 7, 11, 12, 14, 15, 19, 26, 36, 61]
    for _, a, b in [*r.bands, *r.criterion_ranges()]:
        assert a in segments and b + 1 in segments
