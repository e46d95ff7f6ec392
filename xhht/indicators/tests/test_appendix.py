"""The Hòa An appendix, exported from the demo, against the seed's PHỤ LỤC cell by cell."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from xhht.core.text import fold
from xhht.indicators.exports import FIRST_DATA_ROW, HEADER_ROW
from xhht.indicators.selectors import appendix_build, appendix_xlsx
from xhht.units.models import Unit

SEED = Path(__file__).parent / "data" / "seed_appendix.tsv"  # lines 693–706 of the seed, verbatim


def seed_lines() -> tuple[list[str], list[str], list[list[str]]]:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    header, years = lines[0].split("\t"), lines[1].split("\t")
    rows: list[list[str]] = []
    for line in lines[2:]:
        if not line.strip():
            continue  # the seed's text lost rows II.2 and II.3, leaving blank lines
        cells = line.split("\t")
        if rows and cells == rows[-1]:
            continue  # the seed repeats the group row "I Xóa mù chữ"
        rows.append(cells)
    return header, years, rows


def seed_value(text: str) -> Decimal | None:
    return Decimal(text.replace(",", ".")) if text.strip() else None


@pytest.fixture
def workbook(demo: None, indicators_demo: None) -> Any:
    appendix = appendix_build(unit=Unit.objects.get(code="051"), programme="qd89-2012-2020", years=range(2016, 2021))
    return load_workbook(io.BytesIO(appendix_xlsx(appendix)))


def sheet_row(ws: Any, row: int) -> list[Any]:
    return [ws.cell(row, c).value for c in range(1, 18)]


def test_header_matches_the_seed(workbook: Any) -> None:
    ws = workbook["Phụ lục"]
    header, years, _ = seed_lines()
    assert ws["A1"].value == "PHỤ LỤC"
    assert ws["A2"].value == "SỐ LIỆU TỔNG KẾT THỰC HIỆN ĐỀ ÁN “XÂY DỰNG XÃ HỘI HỌC TẬP GIAI ĐOẠN 2012-2020”"
    assert len(header) == 17
    assert sheet_row(ws, HEADER_ROW) == [h or None for h in header]
    assert [str(v) if v is not None else "" for v in sheet_row(ws, HEADER_ROW + 1)] == years
    merged = {str(r) for r in ws.merged_cells.ranges}
    # Two-row header: vertical merges for TT, CHỈ TIÊU, target, phase, projections, notes; a 2-column merge per year.
    assert {"A5:A6", "B5:B6", "C5:C6", "D5:M5", "D6:E6", "F6:G6", "H6:I6", "J6:K6", "L6:M6", "N5:N6", "O5:O6", "P5:P6", "Q5:Q6"} <= merged


def test_every_number_of_the_seed_appendix_cell_by_cell(workbook: Any) -> None:
    ws = workbook["Phụ lục"]
    _, _, rows = seed_lines()
    assert len(rows) == 9  # I, I.1–I.4, II, II.1, II.4, II.5
    checked = 0
    for offset, seed in enumerate(rows):
        got = sheet_row(ws, FIRST_DATA_ROW + offset)
        assert got[0] == seed[0], f"row {offset}: TT"
        assert fold(got[1]) == fold(seed[1]), f"row {seed[0]}: name"
        for col in range(2, 17):
            expected = seed_value(seed[col])
            value = got[col]
            if expected is None:
                assert value is None, f"row {seed[0]} {seed[1][:30]} column {col + 1}: seed empty, got {value!r}"
            else:
                assert value is not None and Decimal(str(value)) == expected, f"row {seed[0]} column {col + 1}: {value!r} ≠ {expected}"
                checked += 1
    # Every number the seed prints: I.1–I.4 (target, 5 × count and rate, phase, 2 projections = 14 each),
    # II (5 × count and rate), II.1 (target, 4 × count and rate), II.4 (target, 5 × count and rate, phase).
    assert checked == 4 * 14 + 10 + 9 + 12
    assert sheet_row(ws, FIRST_DATA_ROW + len(rows))[1] is None  # nothing after the last row


def test_formats_and_group_rows(workbook: Any) -> None:
    ws = workbook["Phụ lục"]
    first = FIRST_DATA_ROW
    assert ws.cell(first, 2).font.bold  # group row
    assert ws.cell(first + 1, 4).number_format == "#,##0" and ws.cell(first + 1, 5).number_format == "#,##0.00"
    assert not ws.cell(first + 1, 2).font.bold


def test_evaluation_sheet_gives_status_and_target_source(workbook: Any) -> None:
    ev = workbook["Đánh giá mục tiêu"]
    rows = {r[0]: r for r in ev.iter_rows(min_row=2, values_only=True)}
    assert rows["I.1"][2] == 97 and "Kế hoạch 33/KH-UBND" in rows["I.1"][3]
    assert rows["I.1"][-1] == "vượt" and rows["II.4"][-1] == "đạt"
    assert rows["II.1"][5:9] == ("vượt", "vượt", "vượt", "vượt")


def test_the_rule_of_each_stored_value_is_recorded(demo: None, indicators_demo: None) -> None:
    from xhht.indicators.models import DataValue

    values = DataValue.objects.filter(unit_id="051", element="pupils_life_skills")
    assert values.count() == 5
    assert {v.source for v in values} == {"imported"} and {v.rule for v in values} == {"Phụ lục BC 298/BC-UBND"}
    # Rows I.1–I.3: the column of 2020 is the survey of December 2019 (period "2019").
    assert DataValue.objects.get(unit_id="051", element="literacy_level2", period="2019", disaggregation="age_band=15-25").value == 7817
    assert DataValue.objects.get(unit_id="051", element="literacy_population", period="2019", disaggregation="age_band=15-25").value == 7916
    assert DataValue.objects.get(unit_id="051", element="literacy_level2_rate", period="2021-2025", disaggregation="age_band=15-25").source == "projected"


def test_demo_is_idempotent(demo: None, indicators_demo: None) -> None:
    from xhht.indicators.demo import load
    from xhht.indicators.models import DataValue, DataValueHistory

    before = (DataValue.objects.count(), DataValueHistory.objects.count())
    load()
    assert (DataValue.objects.count(), DataValueHistory.objects.count()) == before


# --- command line ----------------------------------------------------------------------------


def test_cli_formats(demo: None, indicators_demo: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("indicators", "--unit", "051", "--from", "2016", "--to", "2020", "--format", "table")
    out = capsys.readouterr().out
    assert "Số người trong độ tuổi từ 15-25 biết chữ" in out and "7.817 (98,75%)" in out
    call_command("indicators", "--unit", "051", "--from", "2016", "--to", "2020", "--format", "csv")
    lines = capsys.readouterr().out.splitlines()
    assert lines[2].startswith("1,Số người trong độ tuổi từ 15-25 biết chữ,97,8182,99.48,")
    call_command("indicators", "--unit", "051", "--from", "2016", "--to", "2020", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    i1 = next(r for r in data["rows"] if r["code"] == "I.1")
    assert i1["years"]["2020"] == {"count": "7817", "numerator": "7817", "denominator": "7916", "rate": "98.75", "rate_source": "computed", "status": "exceeded"}
    assert i1["years"]["2016"]["rate_source"] == "reported"
    out_file = tmp_path / "phu-luc.xlsx"
    call_command("indicators", "--unit", "051", "--from", "2016", "--to", "2020", "--format", "xlsx", "--out", str(out_file))
    assert load_workbook(out_file)["Phụ lục"].cell(FIRST_DATA_ROW + 1, 14).value == 98.75


@pytest.mark.parametrize("args, message", [
    (["--unit", "999", "--from", "2016", "--to", "2020"], "Không có đơn vị mã «999»"),
    (["--unit", "051", "--from", "2020", "--to", "2016"], "Năm bắt đầu (2020) sau năm kết thúc (2016)"),
    (["--unit", "051", "--from", "hai nghìn", "--to", "2016"], "Năm «hai nghìn» không hợp lệ"),
    (["--unit", "051", "--from", "2016", "--to", "2020", "--programme", "qd0"], "Không có chương trình «qd0»"),
    (["--unit", "051", "--from", "2016", "--to", "2020", "--format", "xlsx"], "cần --out"),
    (["--from", "2016", "--to", "2020"], "Cần --unit"),
    (["--unit", "051", "--from", "2016", "--to", "2099"], "tối đa 15 năm"),
])
def test_cli_bad_input_gives_a_clear_message(demo: None, args: list[str], message: str) -> None:
    with pytest.raises(CommandError) as info:
        call_command("indicators", *args)
    assert message in str(info.value)


def test_api_for_other_apps(demo: None, indicators_demo: None) -> None:
    """Official reports call appendix_build(unit=, period=), read header_rows and rows as strings, and appendix_xlsx(unit=, period=)."""
    from xhht.indicators.selectors import element_names

    district = Unit.objects.get(code="051")
    header, years, rows = seed_lines()
    for period in ("2016-2020", "2020"):
        built = appendix_build(unit=district, period=period)
        assert built.programme.id == "qd89-2012-2020" and built.years == [2016, 2017, 2018, 2019, 2020]
        assert built.header_rows == [header, years]
        i1 = list(built.row("I.1"))
        assert i1[:5] == ["1", "Số người trong độ tuổi từ 15-25 biết chữ", "97", "8.182", "99,48"] and len(i1) == 17
        assert [list(r)[0] for r in built.rows] == [r[0] for r in rows]
    ws = load_workbook(io.BytesIO(appendix_xlsx(unit=district, period="2016-2020")))["Phụ lục"]
    assert ws.cell(FIRST_DATA_ROW + 1, 4).value == 8182
    later = appendix_build(unit=district, period="2022")
    assert later.programme.id == "qd1373-2021-2030" and later.years == [2021, 2022]
    assert element_names()["literacy_level2_rate"].startswith("Tỷ lệ")
