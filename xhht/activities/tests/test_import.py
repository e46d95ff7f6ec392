"""Excel/CSV import: all or nothing, every problem listed, exact numbers, scoped to the importer's units."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from xhht.activities.models import BudgetLine, ClcTopic, LifelongWeek, VocationalClass
from xhht.activities.services import activity_records_import
from xhht.audit.models import AuditEntry
from xhht.core.tabular import Rejected
from xhht.indicators.models import DataValue

pytestmark = pytest.mark.django_db

VOCATIONAL_HEADER = "Mã đơn vị;Năm;Tên lớp;Nghề;Nhóm nghề;Trình độ;Cơ sở tổ chức;Nguồn kinh phí;Số người học;Người dân tộc thiểu số;Lao động thuộc hộ nghèo;Lao động là đối tượng chính sách;Lao động là người tàn tật;Ghi chú"


def _csv(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def _xlsx(tmp_path: Path, name: str, rows: list[list[Any]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def _state() -> tuple[int, ...]:
    return (ClcTopic.objects.count(), VocationalClass.objects.count(), BudgetLine.objects.count(), LifelongWeek.objects.count(),
            DataValue.objects.count(), AuditEntry.objects.count())


def test_good_vocational_file_is_imported_and_feeds_indicators(activities_demo: None, district_officer: Any, tmp_path: Path) -> None:
    path = _csv(tmp_path, "day-nghe.csv", [
        VOCATIONAL_HEADER.replace("Lao động là người tàn tật", "Lao động là người khuyết tật"),
        "05115;2020;Lớp 01/2020: Trồng cây thuốc lá;Trồng cây thuốc lá;Nông nghiệp;Dưới 3 tháng;Viện Kinh tế kỹ thuật thuốc lá;Ngân sách nhà nước;30;30;;;;",
        "05115;2020;Lớp 02/2020: May dân dụng;May dân dụng;phi nong nghiep;short_course;Trường Trung cấp nghề cơ sở 2;state_budget;1030;1000;12;0;0;",
    ])
    result = activity_records_import(actor=district_officer, register="vocational_class", path=path)
    assert (result.rows, result.scopes, result.changed_scopes) == (2, 1, 1)
    classes = list(VocationalClass.objects.filter(unit_id="05115", year=2020).order_by("name"))
    assert [(c.learners, c.ethnic_minority, c.poor_household, c.sector) for c in classes] == [(30, 30, None, "farm"), (1030, 1000, 12, "non_farm")]
    assert DataValue.objects.get(element="vocational_learners", unit_id="05115", period="2020", disaggregation="").value == 1060
    assert DataValue.objects.get(element="vocational_learners", unit_id="05115", period="2020", disaggregation="sector=non_farm").value == 1030
    assert DataValue.objects.get(element="vocational_learners_poor_household", unit_id="05115", period="2020").value == 12
    # The same file again changes nothing.
    before = _state()
    again = activity_records_import(actor=district_officer, register="vocational_class", path=path)
    assert again.changed_scopes == 0 and _state() == before


def test_bad_vocational_file_is_refused_whole_with_every_problem(activities_demo: None, district_officer: Any, tmp_path: Path) -> None:
    path = _csv(tmp_path, "day-nghe.csv", [
        VOCATIONAL_HEADER,
        "05115;2020;Lớp tốt;May;Phi nông nghiệp;Sơ cấp;;Ngân sách nhà nước;20;20;;;;",  # fine on its own
        "05115;2020;Lớp âm;May;Phi nông nghiệp;Sơ cấp;;Ngân sách nhà nước;-5;;;;;",
        "05115;2020;Lớp vượt;May;Phi nông nghiệp;Sơ cấp;;Ngân sách nhà nước;20;21;25;;;",
        "05115;2009;Lớp sớm;May;Phi nông nghiệp;Sơ cấp;;Ngân sách nhà nước;20;;;;;",
        "99999;2020;Lớp lạ;May;Dịch vụ;Sơ cấp;;Ngân sách nhà nước;2,5;;;;;",
    ])
    before = _state()
    with pytest.raises(Rejected) as caught:
        activity_records_import(actor=district_officer, register="vocational_class", path=path)
    text = [str(p) for p in caught.value.problems]
    assert any("dòng 3" in t and "không được âm" in t for t in text)
    assert any("dòng 4" in t and "người dân tộc thiểu số (21) lớn hơn số người học (20)" in t for t in text)
    assert any("dòng 4" in t and "thuộc hộ nghèo (25) lớn hơn" in t for t in text)
    assert any("dòng 5" in t and "2009 nằm ngoài thời gian của chương trình (2010–2030)" in t for t in text)
    assert any("dòng 6" in t and "không có đơn vị mã «99999»" in t for t in text)
    assert any("dòng 6" in t and "«Dịch vụ» không có trong danh mục" in t for t in text)
    assert any("dòng 6" in t and "phải là số nguyên" in t for t in text)
    assert _state() == before
    assert not VocationalClass.objects.filter(name="Lớp tốt").exists()


def test_school_year_forms_on_import(activities_demo: None, nam_tuan_officer: Any, tmp_path: Path) -> None:
    header = ["Mã xã", "Năm học", "Tên chuyên đề", "Lĩnh vực", "Báo cáo viên (cơ quan)", "Số lớp", "Người tham gia", "Ghi chú"]
    good = _xlsx(tmp_path, "cd.xlsx", [
        header,
        ["05115", "2020–2021", "Luật Đất đai", "Pháp luật, chính sách", "Cán bộ Tư pháp xã", 1, 40, None],
        ["05115", "2020/2021", "An toàn thực phẩm", "health", "Trạm Y tế xã", 0, 35, None],
        ["05115", "2020-2021", "Tin học", "Tin học, Internet", None, 1, 20, None],
    ])
    result = activity_records_import(actor=nam_tuan_officer, register="clc_topic", path=good)
    assert result.scopes == 1
    assert sorted(ClcTopic.objects.filter(unit_id="05115", school_year="2020-2021").values_list("title", flat=True)) == ["An toàn thực phẩm", "Luật Đất đai", "Tin học"]
    bad = _xlsx(tmp_path, "cd-sai.xlsx", [
        header,
        ["05115", "2020-2022", "A", "law", None, 1, 40, None],
        ["05115", "2020", "B", "law", None, 1, 40, None],
        ["05115", "20/21", "C", "law", None, 1, 40, None],
        ["05115", "2031-2032", "D", "law", None, 1, 40, None],
    ])
    with pytest.raises(Rejected) as caught:
        activity_records_import(actor=nam_tuan_officer, register="clc_topic", path=bad)
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "dòng 2, cột Năm học: năm học «2020-2022» không hợp lệ: hai năm phải liền nhau" in text
    assert "dòng 3, cột Năm học: năm học «2020» không hợp lệ: ghi dạng 2019-2020" in text
    assert "dòng 4, cột Năm học" in text
    assert "dòng 5, cột Năm học: năm học 2031-2032 nằm ngoài thời gian của chương trình" in text


def test_commune_officer_file_touching_another_commune_is_refused(activities_demo: None, nam_tuan_officer: Any, tmp_path: Path) -> None:
    path = _csv(tmp_path, "cd.csv", [
        "unit_code,school_year,title,subject_area,classes,participants",
        "05115,2020-2021,Luật Đất đai,law,1,40",
        "05113,2020-2021,Luật Đất đai,law,1,40",
    ])
    before = _state()
    with pytest.raises(Rejected) as caught:
        activity_records_import(actor=nam_tuan_officer, register="clc_topic", path=path)
    assert [p.row for p in caught.value.problems] == [3]
    assert "không có quyền nhập dữ liệu cho xã Hồng Việt" in str(caught.value.problems[0])
    assert _state() == before


def test_money_is_read_exactly_in_both_conventions(activities_demo: None, district_officer: Any, tmp_path: Path) -> None:
    path = _xlsx(tmp_path, "kinh-phi.xlsx", [
        ["Mã đơn vị", "Năm hoặc giai đoạn", "Nguồn", "Nội dung chi", "Số tiền (đồng)", "Đơn vị sử dụng", "Ghi chú"],
        ["051", "2021", "Ngân sách nhà nước", "Hoạt động thường xuyên", "25.000.000", None, None],
        ["051", "2021", "state_budget", "allowances", "15,552,000 đ", None, None],
        ["051", "2021", "Xã hội hóa", "Khác", 123456789012345, None, None],
    ])
    activity_records_import(actor=district_officer, register="budget_line", path=path)
    amounts = sorted(BudgetLine.objects.filter(unit_id="051", period="2021").values_list("amount", flat=True))
    assert amounts == [Decimal("15552000"), Decimal("25000000"), Decimal("123456789012345")]
    assert DataValue.objects.get(element="budget_amount", unit_id="051", period="2021", disaggregation="").value == Decimal("123456829564345")
    bad = _csv(tmp_path, "kinh-phi-sai.csv", [
        "unit_code,period,source,purpose,amount",
        '051,2021,state_budget,allowances,"40.552,5"',
        '051,2021,state_budget,allowances,"40.552,000"',
        "051,2021,state_budget,allowances,-1000",
        "051,2019-2020,state_budget,allowances,1000",
    ])
    with pytest.raises(Rejected) as caught:
        activity_records_import(actor=district_officer, register="budget_line", path=bad)
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "dòng 2, cột Số tiền (đồng): số tiền (đồng) tính bằng đồng, không có phần lẻ" in text
    assert "dòng 3, cột Số tiền (đồng)" in text and "không trộn dấu chấm và dấu phẩy" in text
    assert "dòng 4, cột Số tiền (đồng): số tiền (đồng) không được âm" in text
    assert "dòng 5, cột Năm hoặc giai đoạn" in text


def test_duplicate_rows_of_a_unique_register_are_refused(activities_demo: None, district_officer: Any, tmp_path: Path) -> None:
    path = _csv(tmp_path, "tuan-le.csv", ["unit_code,year,theme,participants", "05115,2021,Học tập suốt đời,100", "05115,2021,Học tập suốt đời,120"])
    with pytest.raises(Rejected) as caught:
        activity_records_import(actor=district_officer, register="lifelong_week", path=path)
    assert "dòng 3: trùng với dòng 2" in str(caught.value.problems[0])


def test_unknown_column_and_missing_required_column(activities_demo: None, district_officer: Any, tmp_path: Path) -> None:
    path = _csv(tmp_path, "tuan-le.csv", ["unit_code,theme,guests", "05115,Học tập,3"])
    with pytest.raises(Rejected) as caught:
        activity_records_import(actor=district_officer, register="lifelong_week", path=path)
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "cột không được biết: «guests»" in text and "thiếu cột bắt buộc «year»" in text


def test_web_import_shows_problems_and_writes_nothing(activities_demo: None, client_for: Any, nam_tuan_officer: Any, tmp_path: Path,
                                                      settings: Any) -> None:
    """The page queues the file for the worker; the job's page shows it waiting, then refused with every problem."""
    from xhht.jobs.runner import job_run
    from xhht.jobs.services import job_claim

    settings.DATA_DIR = tmp_path
    client = client_for(nam_tuan_officer)
    assert client.get("/hoat-dong/chuyen-de/nhap/").status_code == 200
    path = _csv(tmp_path, "cd.csv", ["unit_code,school_year,title,subject_area,classes,participants", "05115,2020-2021,Luật,law,-1,40"])
    before = _state()
    with path.open("rb") as handle:
        response = client.post("/hoat-dong/chuyen-de/nhap/", {"tep": handle})
    assert response.status_code == 302 and "/hoat-dong/chuyen-de/nhap/" in response.url
    waiting = client.get(response.url).content.decode()
    assert "Đang chờ đến lượt xử lý" in waiting and "hx-get" in waiting and _state() == before
    job = job_claim(worker="test")
    assert job is not None
    job_run(job=job, worker="test")
    html = client.get(response.url + "trang-thai/").content.decode()
    assert "không ghi dữ liệu nào" in html and "cd.csv, dòng 2, cột Số lớp: số lớp không được âm" in html and "hx-get" not in html
    assert _state() == before
    settings.XHHT_JOBS_INLINE = True  # the job runs in the request from here
    good = _csv(tmp_path, "cd2.csv", ["unit_code,school_year,title,subject_area,classes,participants", "05115,2020/2021,Luật,law,1,40"])
    with good.open("rb") as handle:
        response = client.post("/hoat-dong/chuyen-de/nhap/", {"tep": handle}, follow=True)
    assert response.status_code == 200 and "Đã nhập 1 dòng" in response.content.decode()
    assert ClcTopic.objects.filter(unit_id="05115", school_year="2020-2021", title="Luật").exists()
    assert client.post("/hoat-dong/chuyen-de/nhap/", {}).status_code == 400  # no file chosen


def test_exported_workbook_imports_back_unchanged(activities_demo: None, client_for: Any, district_officer: Any, tmp_path: Path) -> None:
    content = client_for(district_officer).get("/hoat-dong/chuyen-de/xuat.xlsx?don_vi=05115").content
    path = tmp_path / "cd.xlsx"
    path.write_bytes(content)
    before = _state()
    result = activity_records_import(actor=district_officer, register="clc_topic", path=path)
    assert result.changed_scopes == 0 and result.scopes == 4
    assert _state() == before


def test_import_command(activities_demo: None, tmp_path: Path) -> None:
    bad = _csv(tmp_path, "kp.csv", ["unit_code,period,source,purpose,amount", "051,2021,state_budget,allowances,12.5"])
    with pytest.raises(CommandError, match="không ghi dữ liệu nào"):
        call_command("import_activities", "kinh-phi", str(bad))
    good = _csv(tmp_path, "kp2.csv", ["unit_code,period,source,purpose,amount", "051,2021,state_budget,allowances,12500"])
    call_command("import_activities", "budget_line", str(good), "--user", "pgd.hoaan")
    assert BudgetLine.objects.get(unit_id="051", period="2021").amount == Decimal(12500)


def _template(client: Any, slug: str, tmp_path: Path, query: str = "") -> tuple[Path, Any]:
    from openpyxl import load_workbook

    response = client.get(f"/hoat-dong/{slug}/xuat.xlsx?mau=1{query}")
    assert response.status_code == 200
    path = tmp_path / f"{slug}-mau.xlsx"
    path.write_bytes(response.content)
    return path, load_workbook(path)


def _example_row(workbook: Any) -> list[Any]:
    """The guidance sheet's example row: the row under the repeated header of the data sheet."""
    header = [c.value for c in workbook["Dữ liệu"][1]]
    rows = list(workbook["Hướng dẫn"].iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if list(r[: len(header)]) == header)
    return list(rows[at + 1][: len(header)])


def test_untouched_template_imports_nothing(activities_demo: None, client_for: Any, nam_tuan_officer: Any, tmp_path: Path) -> None:
    path, _ = _template(client_for(nam_tuan_officer), "chuyen-de", tmp_path)
    before = _state()
    with pytest.raises(Rejected) as refused:
        activity_records_import(actor=nam_tuan_officer, register="clc_topic", path=path)
    assert [p.message for p in refused.value.problems] == ["tệp không có dòng dữ liệu nào."]
    assert refused.value.problems[0].sheet == "Dữ liệu"
    assert _state() == before


def test_filled_template_with_guidance_sheet_imports(activities_demo: None, client_for: Any, nam_tuan_officer: Any, tmp_path: Path) -> None:
    """A commune officer copies the guidance sheet's example row into the data sheet: the file imports, the guidance
    sheet is not read, not even when the officer moved it in front of the data sheet."""
    path, workbook = _template(client_for(nam_tuan_officer), "chuyen-de", tmp_path)
    example = _example_row(workbook)
    unit_code = nam_tuan_officer.unit_id
    assert example[0] == unit_code
    workbook["Dữ liệu"].append(example)
    workbook["Dữ liệu"].append([unit_code, example[1], "Luật giao thông đường bộ", "Pháp luật, chính sách", None, 1, 40, None])
    workbook.save(path)
    result = activity_records_import(actor=nam_tuan_officer, register="clc_topic", path=path)
    assert (result.rows, result.scopes, result.changed_scopes) == (2, 1, 1)
    topics = ClcTopic.objects.filter(unit_id=unit_code, school_year=example[1]).order_by("title")
    assert [(t.title, t.subject_area, t.classes, t.participants) for t in topics] == [
        ("Kỹ thuật nuôi gà thả vườn", "law", 25, 25), ("Luật giao thông đường bộ", "law", 1, 40)]
    workbook.move_sheet("Hướng dẫn", offset=-1)
    assert workbook.sheetnames == ["Hướng dẫn", "Dữ liệu"]
    workbook.save(path)
    before = _state()
    again = activity_records_import(actor=nam_tuan_officer, register="clc_topic", path=path)
    assert (again.rows, again.changed_scopes) == (2, 0) and _state() == before


def test_template_example_rows_pass_the_import_checks(activities_demo: None, client_for: Any, district_officer: Any, tmp_path: Path) -> None:
    """Every register's example row is read by the same rules as an import (only the example organisation's name,
    which a commune names its own way, may be unknown)."""
    from xhht.activities.registers import BY_SLUG, RowInvalid, parse_row

    client = client_for(district_officer)
    for slug, spec in BY_SLUG.items():
        _, workbook = _template(client, slug, tmp_path, "&don_vi=05115")
        raw = {c.name: None if v is None else str(v) for c, v in zip(spec.columns, _example_row(workbook), strict=True)}
        try:
            parse_row(spec, raw, user=district_officer)
        except RowInvalid as exc:
            assert {column for column, _ in exc.problems} == {"organisation"}, (slug, exc.problems)
