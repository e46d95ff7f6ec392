"""Issue 12, code health: one number reader. "1.234" was refused by reporting, read as 1234 by activities
and as 1,234 by learning models; now each reads every text the same way (xhht/core/numbers.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from xhht.activities import parsing
from xhht.core.numbers import NumberError, parse_number
from xhht.learning_models.services import LearningModelError, _dec


@pytest.mark.parametrize("text", ["1.234", "1,234"])
def test_an_ambiguous_group_is_refused_everywhere(text: str) -> None:
    with pytest.raises(NumberError, match="không rõ nghĩa"):
        parse_number(text, whole=True)
    with pytest.raises(ValueError, match="không rõ nghĩa"):
        parsing.parse_count(text)
    with pytest.raises(ValueError, match="không rõ nghĩa"):
        parsing.parse_money(text)
    with pytest.raises(LearningModelError, match="không rõ nghĩa"):
        _dec(text)


@pytest.mark.parametrize("text, value", [("1.234.567", 1234567), ("1,234,567", 1234567), ("1234", 1234), (" 7 844 ", 7844)])
def test_the_same_whole_number_everywhere(text: str, value: int) -> None:
    assert parse_number(text, whole=True) == value == parsing.parse_count(text) == parsing.parse_money(text) == _dec(text)


@pytest.mark.parametrize("text", ["127,5", "127.5"])
def test_a_decimal_score_reads_the_same_in_both_styles(text: str, db: Any) -> None:
    assert _dec(text) == parse_number(text, whole=False) == Decimal("127.5")
