"""The checker's reading and its four kinds of finding, each with true and false cases (issue 16)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xhht.report_checker.documents import Document, Paragraph, Table, text_blocks
from xhht.report_checker.engine import Context, Result, check_document, read_numbers, vn_value


def check(text: str, context: Context | None = None) -> Result:
    return check_document(text_blocks(text, "bao-cao.txt"), context=context)


def kinds(text: str, context: Context | None = None) -> list[tuple[str, str, str]]:
    return [(f.kind, f.stated, f.computed) for f in check(text, context).findings]


# ---------------------------------------------------------------- reading numbers


@pytest.mark.parametrize("text, value, places", [
    ("1.234", Decimal(1234), 0), ("98,75", Decimal("98.75"), 2), ("01", Decimal(1), 0), ("40.552.000", Decimal(40552000), 0),
    ("1.234,5", Decimal("1234.5"), 1), ("99,0", Decimal("99.0"), 1), ("7844", Decimal(7844), 0), ("0,5", Decimal("0.5"), 1),
])
def test_vietnamese_numbers(text: str, value: Decimal, places: int) -> None:
    assert vn_value(text) == (value, places)


def test_percent_with_a_space_and_units() -> None:
    numbers = read_numbers("có 7817/7916 người đạt 98,75 % và 02 xã")
    assert [(n.text, n.percent, n.unit) for n in numbers] == [("7817", False, ""), ("7916", False, "người"), ("98,75", True, "và"),
                                                               ("02", False, "xã")]


@pytest.mark.parametrize("text", [
    "Thực hiện Quyết định số 89/QĐ-TTg ngày 09/01/2013 của Thủ tướng Chính phủ",
    "Thông tư số 31/2017/TT-BGDĐT ngày 28/12/2017 của Bộ Giáo dục và Đào tạo",
    "Kế hoạch số 453/KH- BGDĐT ngày 30/07/2010; Số: 298/BC-UBND",
    "thời điểm tháng 12/2019, ngày 08 tháng 7 năm 2020",
    "Đề án giai đoạn 2016–2020 và giai đoạn 2012 - 2020",
    "thanh niên 15–35 tuổi, trẻ từ 0-16 tuổi, độ tuổi từ 15 đến 25",
    "Tiêu chí số 5. Trường học và Tiêu chí số 14",
    "1.1. Phòng giáo dục và Đào tạo",
    "Cuộc vận động “Xây dựng gia đình 5 không, 3 sạch” (2016)",
])
def test_dates_document_numbers_ranges_and_titles_are_not_statements(text: str) -> None:
    assert read_numbers(text) == []
    assert check(text).findings == []


def test_a_target_without_figures_is_not_a_statement() -> None:
    assert check("Phấn đấu đạt 90% số xã đạt chuẩn; mục tiêu chiếm 105%.").findings == []
    assert check("Hiện có 50/100 xã đạt chuẩn, phấn đấu đạt 90% vào năm 2025.").findings == []
    assert check("Khai giảng 4/4 lớp cho 120 học viên đạt 120% kế hoạch năm 2020.").findings == []


# ---------------------------------------------------------------- rate


@pytest.mark.parametrize("text", [
    "Số người biết chữ là 7844/7916 đạt 99,09%.",
    "Tổng số người biết chữ mức độ 2 trong độ tuổi từ 15 đến 35 là 19776/20126 đạt 98,26%.",
    "8.385/9.080 đạt 92% hội viên được bồi dưỡng.",
    "Xếp loại khá 14/21 xã, chiếm 66,7%.",
    "7817/7916 đạt 98,75 %.",
    "21/21 = 100%.",
    "đạt 98% (8.898/9.080) gia đình.",
    "có 1.234 trên 1.500 người, đạt 82,27%.",
    "có 120 trong tổng số 150 hộ, chiếm 80%.",
    "39127/39564 đạt 98,89%.",  # cut, not rounded, at the precision printed: accepted
    "có 93/100 hộ, đạt trên 90%.",
    "có 88/100 hộ, đạt khoảng 90%.",
    "8.898/9.080 đạt gia đình 5 không 3 sạch bằng 98%",
    "Có 15/21 xã (71,43%) đạt chuẩn; đạt 71,4% (15/21 xã).",
    "Tính đến 30/6/2020, có 1.200/1.500 hộ (80%) đăng ký.",
    "Có 12/15 xã đạt, tăng 2 xã so với năm 2019, đạt 85%.",  # a change against last year, not the quotient
])
def test_rates_that_hold_are_not_flagged(text: str) -> None:
    result = check(text)
    assert result.findings == [], result.findings
    assert result.statements_checked >= 1


@pytest.mark.parametrize("text, stated, computed", [
    ("Xếp loại khá 11/21 xã, đạt 52,5%.", "52,5%", "52,38%"),
    ("Có 7.544/8.045 đạt 90% hộ gia đình có trẻ.", "90%", "93,77%"),
    ("Kết quả 2.910/4.035 đạt 60,08%.", "60,08%", "72,12%"),
    ("… 1.234/1.500 người, đạt 85,27% …", "85,27%", "82,27%"),
    ("đạt 98% (7844/7916).", "98%", "99,09%"),
    ("có 1.234 trên 1.500 người, đạt 85,27%.", "85,27%", "82,27%"),
    ("có 80/100 hộ, đạt trên 90%.", "trên 90%", "80,00%"),
    ("có 60/100 hộ, đạt khoảng 90%.", "khoảng 90%", "60,00%"),
    ("7844/7916 đạt 99,10%.", "99,10%", "99,09%"),
])
def test_rates_that_do_not_hold_are_flagged(text: str, stated: str, computed: str) -> None:
    findings = check(text).findings
    assert [(f.kind, f.stated, f.computed) for f in findings] == [("rate", stated, computed)]
    assert findings[0].where == "đoạn 1" and findings[0].message.endswith(f"không phải {stated}")


def test_a_finding_names_its_paragraph_and_quotes_it() -> None:
    result = check("Mở đầu.\n\nPhần hai.\n\nCó 7.544/8.045 đạt 90% hộ gia đình.")
    finding = result.findings[0]
    assert finding.where == "đoạn 3" and "7.544/8.045 đạt 90%" in finding.text
    assert finding.as_dict() == {"kind": "rate", "where": "đoạn 3", "text": "Có 7.544/8.045 đạt 90% hộ gia đình.", "stated": "90%",
                                 "computed": "93,77%", "message": "7.544/8.045 = 93,77%, không phải 90%"}


# ---------------------------------------------------------------- ratio


def test_a_part_above_its_whole_is_flagged() -> None:
    assert kinds("Có 22/21 xã đạt chuẩn.") == [("ratio", "22/21", "104,76%")]
    assert kinds("Có 21/21 xã đạt chuẩn; 0/5 lớp.") == []
    assert kinds("Tổng số 100 lớp, trong đó 120 lớp học nghề nông nghiệp.") == [("ratio", "120", "tổng 100")]
    assert kinds("Tổng số 100 lớp, trong đó 20 lớp học nghề nông nghiệp.") == []
    assert kinds("trực 24/7 tại trạm y tế") == []
    assert kinds("Nhân Ngày Nhà giáo Việt Nam 20/11, Ngày 30/4 và 1/5, tặng 15 suất quà.") == []
    assert kinds("Có 9/8 xã đạt chuẩn.") == [("ratio", "9/8", "112,50%")]


# ---------------------------------------------------------------- sum


@pytest.mark.parametrize("text, expected", [
    ("Tổng số 122 người, trong đó nam 60 người, nữ 61 người.", [("sum", "122", "121")]),
    ("Tổng số 122 người, trong đó nam 60, nữ 62.", []),
    ("Mở được 100 lớp dạy nghề. Trong đó có 4 lớp học nghề phi nông nghiệp, 96 lớp học nghề nông nghiệp (gồm các lớp trồng trọt).", []),
    ("Mở được 100 lớp dạy nghề. Trong đó có 4 lớp học nghề phi nông nghiệp, 86 lớp học nghề nông nghiệp.", [("sum", "100", "90")]),
    ("Có 42 cán bộ, gồm 21 chủ tịch và 20 kế toán.", [("sum", "42", "41")]),
    ("Có 42 cán bộ, gồm 21 chủ tịch và 21 kế toán.", []),
    # "trong đó" names a subset unless its parts exhaust the whole: no sum is required.
    ("Có 722 người học nghề, trong đó 100 người dân tộc thiểu số, 50 người thuộc hộ nghèo.", []),
    ("Đạt 100% cán bộ, trên 90% hội viên, trong đó có 100% cán bộ Hội xuất sắc, trên 15% hội viên xuất sắc.", []),
])
def test_totals_and_their_parts_in_a_sentence(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert kinds(text) == expected


def _table(rows: list[list[str]]) -> Document:
    return Document("bang.docx", [Paragraph(1, "Kết quả cụ thể:"), Table(1, rows)])


def test_a_total_row_is_checked_against_the_rows_above() -> None:
    rows = [["Năm", "Số lớp", "Số người học", "Ghi chú"], ["2018", "4", "122", ""], ["2019", "5", "170", ""], ["Cộng", "9", "290", ""]]
    findings = check_document(_table(rows)).findings
    assert [(f.kind, f.where, f.stated, f.computed) for f in findings] == [("sum", "bảng 1, dòng 4, cột 3", "290", "292")]
    rows[-1][2] = "292"
    assert check_document(_table(rows)).findings == []


def test_a_total_column_and_a_rate_column_beside_its_numerator_and_denominator() -> None:
    rows = [["Đơn vị", "Tổng số", "Đạt", "Tỷ lệ %"], ["Xã A", "200", "150", "75"], ["Xã B", "300", "200", "66,7"],
            ["Xã C", "100", "90", "80"]]
    findings = check_document(_table(rows)).findings
    assert [(f.kind, f.where, f.stated, f.computed) for f in findings] == [("rate", "bảng 1, dòng 4, cột 4", "80%", "90,00%")]
    rows = [["Đơn vị", "Nam", "Nữ", "Cộng"], ["Xã A", "100", "120", "220"], ["Xã B", "90", "80", "160"]]
    assert [(f.kind, f.stated, f.computed) for f in check_document(_table(rows)).findings] == [("sum", "160", "170")]


def test_rate_columns_of_a_row_whose_counts_make_one_whole() -> None:
    """The seed's learning-community table: each rate is its count over the row's total (21 communes)."""
    header = ["Năm", "Tốt", "Tỷ lệ %", "Khá", "Tỷ lệ %", "Trung bình", "Tỷ lệ %", "Không đạt", "Tỷ lệ %", "Ghi chú"]
    good = ["2018", "0", "0", "14", "66,7", "4", "19", "3", "14,3", ""]
    slip = ["2019", "4", "19", "11", "52,5", "4", "19", "2", "9,5", ""]
    findings = check_document(_table([header, good, slip])).findings
    assert [(f.kind, f.where, f.stated, f.computed) for f in findings] == [("rate", "bảng 1, dòng 3, cột 5", "52,5%", "52,38%")]
    assert check_document(_table([header, good])).findings == []


# ---------------------------------------------------------------- implausible


def test_implausible_counts() -> None:
    assert kinds("Dân số toàn huyện là 150.000.000 người.")[0][0] == "implausible"
    assert kinds("Dân số toàn huyện là 150.000 người.") == []
    assert kinds("Có 60.704 lượt người tham gia.") == []
    assert kinds("Xã có 1.200 hộ với 1.000 nhân khẩu.") == [("implausible", "1.200 hộ / 1.000 người", "số hộ ≤ số người")]
    assert kinds("Xã có 1.200 hộ với 4.800 nhân khẩu.") == []
    assert kinds("Phòng học kiên cố chiếm 120%.") == [("implausible", "120%", "tối đa 100%")]
    assert kinds("Phòng học kiên cố chiếm 62,32%, số lớp tăng 150% so với năm trước.") == []
    assert kinds("Tỷ lệ giải ngân đạt 120% kế hoạch; tỷ lệ so với cùng kỳ đạt 110%.") == []


def test_more_communes_than_the_unit_has_when_xhht_knows_it() -> None:
    context = Context(commune_count=21, unit_name="Huyện Hòa An")
    assert kinds("Có 25 xã đạt chuẩn.", context) == [("implausible", "25 xã", "21 xã")]
    assert kinds("Có 21/21 xã đạt chuẩn.", context) == []
    assert kinds("Có 25 xã đạt chuẩn.") == []  # unit not known: nothing to compare with


def test_a_rate_column_above_100_is_implausible() -> None:
    rows = [["Đơn vị", "Tổng số", "Đạt", "Tỷ lệ %"], ["Xã A", "200", "250", "125"]]
    assert ("implausible", "125%") in [(f.kind, f.stated) for f in check_document(_table(rows)).findings]
