"""What the trace pages and the "Nguồn số liệu" sheet say instead of the store's codes (issue 15)."""

from __future__ import annotations

from typing import Any

from xhht.indicators.labels import disaggregation_label, element_label, moment_label, rule_label


def test_codes_become_names() -> None:
    assert element_label("vocational_learners") != "vocational_learners" and "_" not in element_label("vocational_learners")
    assert element_label("no_such_element") == "chỉ số chưa xác định"
    assert rule_label("form:labour_office") == "Biểu báo cáo định kỳ của Phòng Lao động - Thương binh và Xã hội"
    assert rule_label("literacy:nd20-2014").startswith("Tính từ phiếu điều tra")
    assert rule_label("activities.vocational_learners").startswith("Tính từ sổ hoạt động")
    assert rule_label("seed:298/BC-UBND phụ lục I.3") == "Số liệu gốc: 298/BC-UBND phụ lục I.3"
    assert "_" not in rule_label("some_internal_rule")


def test_disaggregations_and_times_read_in_vietnamese(db: Any) -> None:
    assert disaggregation_label("sector=non_farm") == "Phi nông nghiệp"
    assert disaggregation_label("age_band=15-25") in {"15–25 tuổi", "15-25"}
    assert moment_label("2026-12-01T03:09:00+00:00") == "01/12/2026 10:09"  # Vietnam's time
    assert moment_label("") == ""
