from __future__ import annotations

from decimal import Decimal

import pytest

from xhht.reporting.numbers import NumberError, parse_number


@pytest.mark.parametrize("text, whole, expected", [
    ("1234", True, 1234), ("1.234.567", True, 1234567), ("1,234,567", True, 1234567),
    (" 7 844 ", True, 7844), ("12,5", False, Decimal("12.5")), ("12.5", False, Decimal("12.5")), ("1.234,5", False, Decimal("1234.5")),
    ("1,234.5", False, Decimal("1234.5")), (12.0, True, 12), (7817, True, 7817), ("", True, None), (None, True, None),
])
def test_accepted(text: object, whole: bool, expected: object) -> None:
    assert parse_number(text, whole=whole) == expected


@pytest.mark.parametrize("text, whole, fragment", [
    ("1.234", False, "không rõ nghĩa"), ("1,234", False, "không rõ nghĩa"),
    ("1.234", True, "kiểu Việt Nam"), ("1,234", True, "kiểu tiếng Anh"), ("1.23.4", True, "không đúng chỗ"), ("1,2345", True, "số nguyên"),
    ("abc", True, "không phải là số"), ("-5", True, "số âm"), ("12,5", True, "số nguyên"), (12.5, True, "số nguyên"),
    ("1.234,5.6", True, "không đúng chỗ"), ("=SUM(A1)", True, "không phải là số"), (True, True, "đúng/sai"),
])
def test_refused_with_its_own_message(text: object, whole: bool, fragment: str) -> None:
    with pytest.raises(NumberError) as info:
        parse_number(text, whole=whole)
    assert fragment in str(info.value)
