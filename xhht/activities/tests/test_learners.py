"""Person-level learner lists of vocational classes: counts come off the list and stay consistent."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from xhht.activities.learners import vocational_learners_import
from xhht.activities.models import VocationalClass, VocationalLearner
from xhht.activities.services import activity_records_import
from xhht.core.tabular import Rejected
from xhht.indicators.models import DataValue

pytestmark = pytest.mark.django_db

LIST = [
    "Họ và tên,Năm sinh,Giới tính,Dân tộc,Dân tộc thiểu số,Hộ nghèo,Đối tượng chính sách,Người khuyết tật",
    "Nông Văn A,1985,Nam,Tày,,1,,",
    "Hoàng Thị B,1990,Nữ,Nùng,,,1,",
    "Nguyễn Văn C,1979,nam,Kinh,,1,,1",
]


def _class(unit_code: str = "05115") -> VocationalClass:
    klass = VocationalClass.objects.filter(unit_id=unit_code, year=2016).first() or VocationalClass.objects.filter(unit_id=unit_code).first()
    assert klass is not None
    return klass


def _file(tmp_path: Path, lines: list[str], name: str = "hv.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_list_sets_the_class_counts_and_indicators(activities_demo: None, district_officer: Any, tmp_path: Path) -> None:
    klass = _class()
    others = sum(VocationalClass.objects.filter(unit_id=klass.unit_id, year=klass.year).exclude(pk=klass.pk).values_list("learners", flat=True))
    assert vocational_learners_import(actor=district_officer, vocational_class=klass, path=_file(tmp_path, LIST)) == 3
    klass.refresh_from_db()
    assert (klass.learners, klass.ethnic_minority, klass.poor_household, klass.policy_beneficiary, klass.disabled) == (3, 2, 2, 1, 1)
    assert DataValue.objects.get(element="vocational_learners", unit_id=klass.unit_id, period=str(klass.year), disaggregation="").value == others + 3


def test_bad_list_is_refused_whole(activities_demo: None, district_officer: Any, tmp_path: Path) -> None:
    klass = _class()
    before = (klass.learners, VocationalLearner.objects.count())
    bad = _file(tmp_path, [LIST[0], ",1985,Nam,Tày,,,,", "Lò Văn D,1850,X,Tày,,,,", "Lò Văn E,1990,Nam,Tày,,có thể,,"])
    with pytest.raises(Rejected) as caught:
        vocational_learners_import(actor=district_officer, vocational_class=klass, path=bad)
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "dòng 2, cột Họ và tên: thiếu họ và tên" in text
    assert "dòng 3, cột Năm sinh" in text and "dòng 3, cột Giới tính" in text
    assert "dòng 4, cột Hộ nghèo" in text
    klass.refresh_from_db()
    assert (klass.learners, VocationalLearner.objects.count()) == before


def test_listed_class_counts_follow_the_list(activities_demo: None, client_for: Any, nam_tuan_officer: Any, tmp_path: Path,
                                            settings: Any) -> None:
    settings.XHHT_JOBS_INLINE = True  # the import's job runs in the request here (the worker's, in production)
    client = client_for(nam_tuan_officer)
    klass = _class()
    with _file(tmp_path, LIST).open("rb") as handle:
        response = client.post(f"/hoat-dong/day-nghe/{klass.pk}/hoc-vien/", {"tep": handle})
    assert response.status_code == 302 and f"/hoat-dong/day-nghe/{klass.pk}/hoc-vien/nhap/" in response.url
    assert "Đã nhập danh sách 3 học viên" in client.get(response.url).content.decode()
    page = client.get(f"/hoat-dong/day-nghe/{klass.pk}/hoc-vien/").content.decode()
    assert "Hoàng Thị B" in page
    # The form refuses counts that disagree with the list.
    form = {"unit_code": "05115", "year": str(klass.year), "name": klass.name, "trade": klass.trade, "sector": klass.sector, "level": klass.level,
            "funding_source": klass.funding_source, "learners": "30", "ethnic_minority": "2", "poor_household": "2", "policy_beneficiary": "1", "disabled": "1"}
    response = client.post(f"/hoat-dong/day-nghe/{klass.pk}/", form)
    assert response.status_code == 400 and "số người học phải là 3 như danh sách" in response.content.decode()
    assert client.post(f"/hoat-dong/day-nghe/{klass.pk}/", {**form, "learners": "3", "organiser": "TTGDNN-GDTX"}).status_code == 302
    # Re-importing the commune's classes keeps the list when the class and its counts are there…
    export = client.get(f"/hoat-dong/day-nghe/xuat.xlsx?don_vi=05115&ky={klass.year}").content
    path = tmp_path / "lop.xlsx"
    path.write_bytes(export)
    result = activity_records_import(actor=nam_tuan_officer, register="vocational_class", path=path)
    assert result.changed_scopes == 0
    # …and refuses a file that drops the listed class.
    workbook = load_workbook(io.BytesIO(export))
    sheet = workbook["Dữ liệu"]
    for row in range(sheet.max_row, 1, -1):
        if sheet.cell(row=row, column=3).value == klass.name:
            sheet.delete_rows(row)
    if sheet.max_row == 1:
        sheet.append(["05115", klass.year, "Lớp khác", "May", "Phi nông nghiệp", "Dưới 3 tháng", None, "Ngân sách nhà nước", 10])
    workbook.save(path)
    with pytest.raises(Rejected, match="có danh sách học viên"):
        activity_records_import(actor=nam_tuan_officer, register="vocational_class", path=path)
    assert VocationalLearner.objects.filter(vocational_class_id=klass.pk).count() == 3
    assert VocationalClass.objects.get(pk=klass.pk).learners == 3


def test_learner_list_is_scoped(activities_demo: None, client_for: Any, hong_viet_officer: Any, viewer: Any, tmp_path: Path) -> None:
    klass = _class()
    assert client_for(hong_viet_officer).get(f"/hoat-dong/day-nghe/{klass.pk}/hoc-vien/").status_code == 404
    assert client_for(hong_viet_officer).get(f"/hoat-dong/day-nghe/{klass.pk}/hoc-vien.xlsx").status_code == 404
    client = client_for(viewer)
    assert client.get(f"/hoat-dong/day-nghe/{klass.pk}/hoc-vien/").status_code == 200
    with _file(tmp_path, LIST).open("rb") as handle:
        assert client.post(f"/hoat-dong/day-nghe/{klass.pk}/hoc-vien/", {"tep": handle}).status_code == 403
    assert not VocationalLearner.objects.filter(vocational_class_id=klass.pk).exists()


def test_learner_export_imports_back(activities_demo: None, client_for: Any, district_officer: Any, tmp_path: Path) -> None:
    klass = _class()
    vocational_learners_import(actor=district_officer, vocational_class=klass, path=_file(tmp_path, LIST))
    content = client_for(district_officer).get(f"/hoat-dong/day-nghe/{klass.pk}/hoc-vien.xlsx").content
    path = tmp_path / "hv.xlsx"
    path.write_bytes(content)
    assert vocational_learners_import(actor=district_officer, vocational_class=klass, path=path) == 3
    klass.refresh_from_db()
    assert (klass.learners, klass.ethnic_minority, klass.poor_household) == (3, 2, 2)


def test_reimport_with_renamed_rows_moves_list_to_same_named_class(activities_demo: None, district_officer: Any, tmp_path: Path) -> None:
    klass = _class()
    vocational_learners_import(actor=district_officer, vocational_class=klass, path=_file(tmp_path, LIST))
    header = "unit_code,year,name,trade,sector,level,funding_source,learners,ethnic_minority,poor_household,policy_beneficiary,disabled"
    path = _file(tmp_path, [header, f"05115,{klass.year},{klass.name},May,non_farm,elementary,state_budget,3,2,2,1,1"], "lop.csv")
    activity_records_import(actor=district_officer, register="vocational_class", path=path)
    new = VocationalClass.objects.get(unit_id="05115", year=klass.year)
    assert new.pk != klass.pk and new.level == "elementary"
    assert sorted(new.learner_list.values_list("full_name", flat=True)) == ["Hoàng Thị B", "Nguyễn Văn C", "Nông Văn A"]
