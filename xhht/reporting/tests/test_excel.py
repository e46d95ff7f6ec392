from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from xhht.core.tabular import Rejected
from xhht.reporting.catalogue import get_catalogue
from xhht.reporting.demo import commune_values
from xhht.reporting.excel import Expected, IDENT_SHEET, import_workbook, template_workbook
from xhht.reporting.models import Submission
from xhht.reporting.selectors import Reporter, form_values
from xhht.units.models import Unit

pytestmark = pytest.mark.django_db
PERIOD = "2020"


def _nam_tuan() -> Reporter:
    return Reporter(Unit.objects.get(code="05115"))


def _template(tmp_path: Path, reporters: list[Reporter] | None = None, period: str = PERIOD, name: str = "mau.xlsx") -> Path:
    form = get_catalogue().forms["commune"]
    path = tmp_path / name
    path.write_bytes(template_workbook(form=form, reporters=reporters or [_nam_tuan()], period=period))
    return path


def _fill(path: Path, values: dict[str, object], sheet: int = 0, texts: dict[str, str] | None = None) -> None:
    wb = load_workbook(path)
    ws = wb.worksheets[sheet]
    for row in ws.iter_rows(min_row=9):
        key = row[0].value
        if key in values:
            row[4].value = values[key]
        if texts and key in texts:
            row[4].value = texts[key]
    wb.save(path)


def _problems(exc: pytest.ExceptionInfo[Rejected]) -> list[str]:
    return [str(p) for p in exc.value.problems]


def _expected(reporter: str = "05115", period: str = PERIOD) -> Expected:
    return Expected("commune", period, (reporter,))


def test_template_is_prefilled_and_protected(tmp_path: Path, reporting_demo: None) -> None:
    path = _template(tmp_path)
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    assert "Nam Tuấn" in ws["B2"].value and "năm 2020" in ws["B3"].value and ws["B4"].value == "15/01/2021"
    assert ws.protection.sheet is True
    rows = {row[0].value: row for row in ws.iter_rows(min_row=9)}
    # Last period's values (the approved 2019 report) for reference, input cells unlocked, the rest locked.
    assert rows["rpt_clc_topics"][3].value == commune_values(15, 2019)["rpt_clc_topics"]
    assert rows["rpt_clc_topics"][4].protection.locked is False
    assert rows["rpt_clc_topics"][1].protection.locked is True
    assert rows["rpt_clc_participants"][4].value.startswith("=SUM(") and rows["rpt_clc_participants"][4].protection.locked is True
    assert wb[IDENT_SHEET].sheet_state == "veryHidden"


def test_round_trip_stores_values(tmp_path: Path, nam_tuan_officer: Any) -> None:
    path = _template(tmp_path)
    values = commune_values(15, 2020) | {"rpt_households": "1234", "rpt_clc_funding_state": "1,190,000"}
    _fill(path, values, texts={"difficulties": "=HYPERLINK(\"x\")"[1:]})
    results = import_workbook(path=path, actor=nam_tuan_officer, expected=_expected())
    assert len(results) == 1
    stored = form_values(form=get_catalogue().forms["commune"], unit_code="05115", period=PERIOD)
    assert stored["rpt_households"] == 1234 and stored["rpt_clc_funding_state"] == 1190000
    assert stored["rpt_clc_participants"] == (170 + 7 * 15) + (150 + 5 * 15)
    sub = Submission.objects.get(reporter_key="u:05115", period=PERIOD)
    assert sub.version == 1 and sub.events.get().action == "import"
    from xhht.indicators.models import DataValue
    assert DataValue.objects.filter(unit_id="05115", period=PERIOD, element="rpt_households").get().source == "imported"
    # The same template again is now stale: refused, nothing changes.
    with pytest.raises(Rejected) as info:
        import_workbook(path=path, actor=nam_tuan_officer, expected=_expected())
    assert "phiên bản 0" in _problems(info)[0] and "phiên bản 1" in _problems(info)[0]


def test_every_cell_problem_is_listed_and_nothing_written(tmp_path: Path, nam_tuan_officer: Any) -> None:
    path = _template(tmp_path)
    values = commune_values(15, 2020) | {"rpt_clc_topics": "mười", "rpt_clc_classes": -3, "rpt_households": "=1+1",
                                        "rpt_villages": 12.5}
    _fill(path, values)
    with pytest.raises(Rejected) as info:
        import_workbook(path=path, actor=nam_tuan_officer, expected=_expected())
    problems = _problems(info)
    assert len(problems) == 4, problems
    text = "\n".join(problems)
    assert "«mười» không phải là số" in text and "số âm" in text and "công thức" in text and "số nguyên" in text
    assert all("trang tính «05115 Nam Tuấn»" in p and "cột E" in p and "dòng" in p for p in problems)
    assert not Submission.objects.filter(reporter_key="u:05115", period=PERIOD).exists()


def test_single_thousands_separator_in_either_style_is_refused_with_its_own_message(tmp_path: Path, nam_tuan_officer: Any) -> None:
    path = _template(tmp_path)
    _fill(path, commune_values(15, 2020) | {"rpt_households": "1.234", "rpt_villages": "1,234"})
    with pytest.raises(Rejected) as info:
        import_workbook(path=path, actor=nam_tuan_officer, expected=_expected())
    problems = _problems(info)
    assert len(problems) == 2, problems
    assert any("«1.234»" in p and "kiểu Việt Nam" in p and "Hãy viết 1234" in p for p in problems)
    assert any("«1,234»" in p and "kiểu tiếng Anh" in p and "Hãy viết 1234" in p for p in problems)
    assert not Submission.objects.filter(reporter_key="u:05115", period=PERIOD).exists()


def test_ambiguous_or_malformed_separators_are_refused(tmp_path: Path, nam_tuan_officer: Any) -> None:
    path = _template(tmp_path)
    _fill(path, commune_values(15, 2020) | {"rpt_households": "1.23.4", "rpt_villages": "1,2345"})
    with pytest.raises(Rejected) as info:
        import_workbook(path=path, actor=nam_tuan_officer, expected=_expected())
    text = "\n".join(_problems(info))
    assert "phân cách" in text and "1,2345" in text


def test_template_of_another_period_unit_or_form_is_refused(tmp_path: Path, nam_tuan_officer: Any, district_officer: Any) -> None:
    path = _template(tmp_path, period="2019")
    _fill(path, commune_values(15, 2020))
    with pytest.raises(Rejected) as info:
        import_workbook(path=path, actor=nam_tuan_officer, expected=_expected())
    assert "mẫu của kỳ 2019, không phải kỳ 2020" in _problems(info)[0]
    other = _template(tmp_path, reporters=[Reporter(Unit.objects.get(code="05113"))], name="hv.xlsx")
    with pytest.raises(Rejected) as info:
        import_workbook(path=other, actor=district_officer, expected=_expected())
    assert "Hồng Việt" in _problems(info)[0] and "không phải của" in _problems(info)[0]
    with pytest.raises(Rejected) as info:  # a commune officer uploading another commune's template, no expectation
        import_workbook(path=other, actor=nam_tuan_officer)
    assert "không có quyền" in _problems(info)[0]
    with pytest.raises(Rejected) as info:
        import_workbook(path=path, actor=nam_tuan_officer, expected=Expected("education_office", "2019", ()))
    assert "không phải biểu" in _problems(info)[0]
    # Tampering with the hidden identification is detected.
    wb = load_workbook(path)
    wb[IDENT_SHEET]["A1"].value = wb[IDENT_SHEET]["A1"].value.replace("2019", "2020")
    wb.save(path)
    with pytest.raises(Rejected) as info:
        import_workbook(path=path, actor=nam_tuan_officer, expected=_expected())
    assert "bị sửa" in _problems(info)[0]


def test_hostile_files_are_refused_each_with_its_own_message(tmp_path: Path, nam_tuan_officer: Any) -> None:
    messages = {}
    pdf = tmp_path / "bao-cao.xlsx"
    pdf.write_bytes(b"%PDF-1.4 not a spreadsheet")
    csv = tmp_path / "bao-cao.csv"
    csv.write_text("a,b\n1,2\n", encoding="utf-8")
    big = tmp_path / "to.xlsx"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (30 * 1024 * 1024))
    macro = _template(tmp_path, name="macro.xlsm")
    with zipfile.ZipFile(macro, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00" * 100)
    xls = tmp_path / "cu.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000)
    not_ours = tmp_path / "khac.xlsx"
    from openpyxl import Workbook
    Workbook().save(not_ours)
    for label, path in [("pdf", pdf), ("csv", csv), ("big", big), ("bomb", bomb), ("macro", macro), ("xls", xls), ("not_ours", not_ours)]:
        with pytest.raises(Rejected) as info:
            import_workbook(path=path, actor=nam_tuan_officer, expected=_expected())
        messages[label] = _problems(info)[0].split(": ", 1)[1]
    assert "không phải bảng tính Excel" in messages["pdf"] and "không phải bảng tính Excel" in messages["csv"]
    assert "quá lớn (50 MB" in messages["big"]
    assert "zip bomb" in messages["bomb"]
    assert "macro" in messages["macro"]
    assert ".xls" in messages["xls"]
    assert "không phải mẫu báo cáo do XHHT tạo" in messages["not_ours"]
    assert len(set(messages.values())) == len(messages) - 1  # pdf and csv share "not a spreadsheet"
    assert not Submission.objects.filter(reporter_key="u:05115", period=PERIOD).exists()


def test_district_workbook_with_a_sheet_per_commune(tmp_path: Path, client_for: Any, district_officer: Any) -> None:
    client = client_for(district_officer)
    response = client.get("/bao-cao-dinh-ky/mau-nhieu-don-vi/commune/051/2020-H2/")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    sheets = [ws.title for ws in wb.worksheets if ws.title != IDENT_SHEET]
    assert len(sheets) == 21 and "05115 Nam Tuấn" in sheets
    for index, ws in enumerate(wb.worksheets[:21]):
        for row in ws.iter_rows(min_row=9):
            key = row[0].value
            values = commune_values(index, 2020)
            if key in values:
                row[4].value = values[key]
    path = tmp_path / "huyen.xlsx"
    wb.save(path)
    response = client.post("/bao-cao-dinh-ky/tai-len/", {"file": path.open("rb")})
    assert response.status_code == 200, response.content.decode()[:3000]
    assert Submission.objects.filter(period="2020-H2", form_code="commune").count() == 21
    assert form_values(form=get_catalogue().forms["commune"], unit_code="05115", period="2020-H2")["rpt_clc_topics"] == commune_values(15, 2020)["rpt_clc_topics"]


def test_web_upload_lists_problems(tmp_path: Path, client_for: Any, nam_tuan_officer: Any) -> None:
    path = _template(tmp_path, period="2019")
    response = client_for(nam_tuan_officer).post("/bao-cao-dinh-ky/bieu/commune/05115/2020/tai-len/", {"file": path.open("rb")})
    assert response.status_code == 400
    assert "mẫu của kỳ 2019, không phải kỳ 2020" in response.content.decode()
