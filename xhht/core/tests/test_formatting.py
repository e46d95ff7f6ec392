from decimal import Decimal
from fractions import Fraction

from xhht.core.formatting import format_money, format_number, format_rate, rate
from xhht.core.text import fold


def test_vietnamese_figures() -> None:
    assert format_rate(7817, 7916) == "98,75%"
    assert format_rate(7844, 7916) == "99,09%"
    assert format_rate(1, 0) == ""
    assert format_money(40552000) == "40.552.000 đ"
    assert format_number(3358) == "3.358"
    assert format_number(Decimal("-1234.5"), 1) == "-1.234,5"
    assert format_number(None) == ""


def test_rounding_is_half_up_from_exact_values() -> None:
    assert format_number(Fraction(1, 8) * 100, 1) == "12,5"
    assert format_number(Decimal("0.125"), 2) == "0,13"  # banker's rounding would give 0,12
    assert rate(11, 21) == Fraction(1100, 21)


def test_fold_strips_diacritics() -> None:
    assert fold("Nguyễn  Văn Đức") == "nguyen van duc"


def test_vietnamese_alphabetical_order() -> None:
    from xhht.core.text import vietnamese_sort_key

    names = ["Đức Long", "Bình Dương", "Bạch Đằng", "Bế Triều", "Dân Chủ", "Đại Tiến", "Hà Trì", "Hoàng Tung", "Hồng Nam", "Ngũ Lão", "Nguyễn Huệ", "Nam Tuấn"]
    assert sorted(names, key=vietnamese_sort_key) == [
        "Bạch Đằng", "Bế Triều", "Bình Dương", "Dân Chủ", "Đại Tiến", "Đức Long", "Hà Trì", "Hoàng Tung", "Hồng Nam", "Nam Tuấn", "Ngũ Lão", "Nguyễn Huệ",
    ]
