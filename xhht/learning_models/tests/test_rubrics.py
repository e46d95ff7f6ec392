"""Rubric files: the shipped ones load and validate; bad ones are refused, naming file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from xhht.learning_models.rubrics import RUBRIC_DIR, RubricError, load_rubrics, parse_rubric_text, rubric_for

TT22 = (RUBRIC_DIR / "tt22-2020-unit.yaml").read_text(encoding="utf-8")


def test_shipped_rubrics_validate() -> None:
    rubrics = load_rubrics()
    assert {"tt44-2014", "tt25-2023-commune", "tt25-2023-district", "tt25-2023-province", "qd448-2015-family", "qd448-2015-clan",
            "qd448-2015-village", "qd448-2015-unit", "tt22-2020-unit"} <= set(rubrics)
    for rubric in rubrics.values():
        assert rubric.document_number and rubric.from_year


def test_every_unknown_number_is_null_with_a_note() -> None:
    for rubric in load_rubrics().values():
        for ind in rubric.indicators:
            if ind.title is None or (rubric.scoring == "points" and ind.max_points is None):
                assert ind.note, f"{rubric.code}/{ind.code} has an unknown number without a note"
        for band in rubric.bands:
            if band.min is None or band.upper is None:
                assert not band.verified


def test_year_picks_the_text_in_force() -> None:
    assert rubric_for(subject="commune_community", year=2017).code == "tt44-2014"  # type: ignore[union-attr]
    assert rubric_for(subject="commune_community", year=2023).code == "tt44-2014"  # type: ignore[union-attr]
    assert rubric_for(subject="commune_community", year=2024).code == "tt25-2023-commune"  # type: ignore[union-attr]
    assert rubric_for(subject="clan", year=2019).code == "qd448-2015-clan"  # type: ignore[union-attr]
    assert rubric_for(subject="clan", year=2022) is None
    assert rubric_for(subject="commune_community", year=2014) is None


def _refused(text: str) -> str:
    with pytest.raises(RubricError) as info:
        parse_rubric_text(text, "bad.yaml")
    return str(info.value)


def _line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_overlapping_bands_refused_with_line() -> None:
    text = TT22.replace("{code: kha, label: \"Khá\", passing: true, min: 70, below: 85", "{code: kha, label: \"Khá\", passing: true, min: 70, below: 86")
    message = _refused(text)
    assert "chồng lên" in message and "bad.yaml" in message
    assert f"dòng {_line_of(text, 'code: tot')}" in message


def test_band_gap_refused() -> None:
    text = TT22.replace("min: 50, below: 70", "min: 50, below: 65")
    message = _refused(text)
    assert "khoảng trống" in message
    assert re.search(r"bad\.yaml, dòng \d+", message)


def test_bands_not_starting_at_zero_or_not_reaching_the_top_refused() -> None:
    assert "để trống khoảng từ 0" in _refused(TT22.replace("min: 0, below: 50", "min: 10, below: 50"))
    assert "khác mức tối đa" in _refused(TT22.replace("min: 85, max: 100", "min: 85, max: 99"))


def test_points_not_adding_up_refused_with_line() -> None:
    text = TT22.replace('title: "Có quy định khuyến khích thành viên học tập", judgement: graded, max_points: 10',
                        'title: "Có quy định khuyến khích thành viên học tập", judgement: graded, max_points: 12')
    message = _refused(text)
    assert "cộng lại 32" in message
    crit_line = _line_of(text, "max_points: 30")
    assert f"dòng {crit_line}" in message


def test_total_maximum_mismatch_refused() -> None:
    text = (RUBRIC_DIR / "tt44-2014-commune.yaml").read_text(encoding="utf-8").replace("max_points: 150", "max_points: 140")
    message = _refused(text)
    assert "khác tổng điểm tối đa 140" in message
    assert f"dòng {_line_of(text, 'max_points: 140')}" in message


def test_no_year_covered_refused() -> None:
    message = _refused(TT22.replace("applies: {from_year: 2020, to_year: null", "applies: {from_year: null, to_year: null"))
    assert "không áp dụng cho năm nào" in message
    message = _refused(TT22.replace("applies: {from_year: 2020, to_year: null", "applies: {from_year: 2020, to_year: 2019"))
    assert "không có năm nào" in message


def test_schema_errors_name_the_line() -> None:
    text = TT22.replace("judgement: graded, max_points: 5", "judgement: maybe, max_points: 5")
    message = _refused(text)
    assert "maybe" in message
    assert f"dòng {_line_of(text, 'judgement: maybe')}" in message


def test_unreadable_yaml_refused() -> None:
    assert "bad.yaml, dòng" in _refused("code: [unclosed\n")


def test_two_files_for_one_subject_and_year_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(TT22, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(TT22.replace("code: tt22-2020-unit", "code: tt22-copy"), encoding="utf-8")
    with pytest.raises(RubricError) as info:
        load_rubrics(tmp_path)
    assert "b.yaml" in str(info.value) and "đã do a.yaml quy định" in str(info.value)
