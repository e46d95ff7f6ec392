from __future__ import annotations

from decimal import Decimal

import pytest

from xhht.activities import parsing


@pytest.mark.parametrize("text", ["2019-2020", "2019–2020", "2019/2020", "2019 - 2020", "Năm học 2019-2020", "2019—2020"])
def test_school_year_forms_are_normalised(text: str) -> None:
    assert parsing.parse_school_year(text, first=2012, last=2030) == "2019-2020"


@pytest.mark.parametrize("text, message", [
    ("2019-2021", "liền nhau"), ("2019", "dạng 2019-2020"), ("19-20", "dạng 2019-2020"), ("2008-2009", "ngoài thời gian"), ("", "dạng"),
])
def test_bad_school_years_are_refused_clearly(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parsing.parse_school_year(text, first=2012, last=2030)


@pytest.mark.parametrize("text", ["40.552.000", "40,552,000", "40552000", "40.552.000 đ", "40.552.000đ", "40 552 000", "40,552,000 VND", "40.552.000 đồng"])
def test_money_with_either_separator_is_exact(text: str) -> None:
    value = parsing.parse_money(text)
    assert value == Decimal(40552000) and isinstance(value, Decimal)


def test_large_money_stays_exact() -> None:
    assert parsing.parse_money("9.007.199.254.740.993") == Decimal("9007199254740993")  # beyond float precision


@pytest.mark.parametrize("text, message", [
    ("40.552,5", "không có phần lẻ"), ("40,552.50", "không có phần lẻ"), ("40.552,000", "không trộn"), ("-25.000.000", "không được âm"),
    ("4e7", "không đọc được"), ("", "thiếu"),
])
def test_bad_money_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parsing.parse_money(text)


def test_counts() -> None:
    # The one number reader's rule (xhht/core/numbers.py, issue 12): a lone thousands group is ambiguous
    # ("3.358" is 3358 to a Vietnamese reader, 3,358 to an English one) and refused with its reading.
    assert parsing.parse_count("3358") == 3358
    assert parsing.parse_count("3.358.000") == 3358000 and parsing.parse_count("3,358,000") == 3358000
    for ambiguous in ["3.358", "3,358"]:
        with pytest.raises(ValueError, match="không rõ nghĩa.*3358"):
            parsing.parse_count(ambiguous)
    assert parsing.parse_count(" 12 ") == 12
    assert parsing.parse_count("", required=False) is None
    for bad, message in [("-3", "không được âm"), ("2,5", "số nguyên"), ("mười", "không phải là số"), ("", "thiếu")]:
        with pytest.raises(ValueError, match=message):
            parsing.parse_count(bad)


def test_years_and_phases() -> None:
    assert parsing.parse_year("2015", first=2010, last=2030) == 2015
    with pytest.raises(ValueError, match="ngoài thời gian"):
        parsing.parse_year("2009", first=2010, last=2030)
    assert parsing.parse_year_or_phase("2016–2020", first=2012, last=2030) == "2016-2020"
    assert parsing.parse_year_or_phase("2020", first=2012, last=2030) == "2020"
    with pytest.raises(ValueError, match="không phải một năm"):
        parsing.parse_year_or_phase("2019-2020", first=2012, last=2030)


def test_choices_by_code_or_label() -> None:
    choices = [("farm", "Nông nghiệp"), ("non_farm", "Phi nông nghiệp")]
    assert parsing.parse_choice("phi nong nghiep", choices, what="nhóm nghề") == "non_farm"
    assert parsing.parse_choice("farm", choices, what="nhóm nghề") == "farm"
    with pytest.raises(ValueError, match="không có trong danh mục"):
        parsing.parse_choice("dịch vụ", choices, what="nhóm nghề")
