"""Registration lists from a file: the template round-trips; bad rows are named by row and column and
nothing is written; re-importing duplicates nothing; only the commune's own officer (or above) imports."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook, load_workbook

from xhht.audit.models import AuditEntry
from xhht.core.tabular import Rejected
from xhht.learning_models.models import ModelKind, Participant, Registration
from xhht.learning_models.selectors import registration_shares
from xhht.learning_models.services import registrations_import
from xhht.units.models import Unit

pytestmark = pytest.mark.django_db
YEAR = 2021  # a year the demo leaves empty
HEADER = ["Loại", "Tên", "Thôn, xóm", "Chủ hộ / người đứng đầu", "Ngày đăng ký"]


def _xlsx(tmp_path: Path, rows: list[list[Any]], header: list[str] = HEADER, name: str = "dang-ky.xlsx") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    path = tmp_path / name
    wb.save(path)
    return path


def _count(code: str = "05115") -> int:
    return Registration.objects.filter(participant__commune_id=code, year=YEAR).count()


def test_the_template_filled_in_registers_families_clans_villages_and_units(client_for: Any, nam_tuan_officer: Any, tmp_path: Path) -> None:
    response = client_for(nam_tuan_officer).get(f"/mo-hinh-hoc-tap/don-vi/05115/{YEAR}/dang-ky/mau.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["Đăng ký"]
    assert [c.value for c in ws[1]] == HEADER
    assert "Hướng dẫn" in wb.sheetnames
    ws.delete_rows(2, 2)  # the two example rows
    for row in (["Gia đình", "Hộ ông Nông Văn Kiên", "Nà Rị", "Nông Văn Kiên", f"15/01/{YEAR}"],
                ["gia dinh", "Hộ bà Hoàng Thị Mai", "Nà Rị", "Hoàng Thị Mai", None],
                ["Gia đình học tập", "Hộ ông Lương Văn Tư", "Bản Chang", "", f"{YEAR}-02-01"],
                ["Dòng họ", "Dòng họ Nông", "Nà Rị", "Nông Văn Kiên", None],
                ["Thôn", "Thôn Nà Rị", "Nà Rị", "", None],
                ["Đơn vị", "Trường Tiểu học Nam Tuấn", "", "", None]):
        ws.append(row)
    path = tmp_path / "filled.xlsx"
    wb.save(path)
    result = registrations_import(actor=nam_tuan_officer, commune=Unit.objects.get(code="05115"), year=YEAR, path=path)
    assert (result.rows, result.created, result.existing) == (6, 6, 0)
    kinds = sorted(Registration.objects.filter(participant__commune_id="05115", year=YEAR).values_list("participant__kind", flat=True))
    assert kinds == sorted([ModelKind.FAMILY] * 3 + [ModelKind.CLAN, ModelKind.VILLAGE, ModelKind.UNIT])
    shares, total = registration_shares(commune=Unit.objects.get(code="05115"), year=YEAR)
    assert {s.village: s.registered for s in shares} == {"Nà Rị": 2, "Bản Chang": 1} and total.registered == 3
    tu = Registration.objects.get(participant__name="Hộ ông Lương Văn Tư", year=YEAR)
    assert tu.registered_on.isoformat() == f"{YEAR}-02-01" and tu.registered_by == nam_tuan_officer
    assert AuditEntry.objects.filter(action="learning_registration_create", unit_code="05115", actor=nam_tuan_officer).count() >= 6
    # The same file again: nothing is registered twice.
    again = registrations_import(actor=nam_tuan_officer, commune=Unit.objects.get(code="05115"), year=YEAR, path=path)
    assert (again.rows, again.created, again.existing) == (6, 0, 6) and _count() == 6


BAD = [
    ("unknown kind", ["Câu lạc bộ", "CLB Dưỡng sinh", "Nà Rị", "", None], "Loại", "không hợp lệ"),
    ("missing name", ["Gia đình", None, "Nà Rị", "", None], "Tên", "thiếu tên"),
    ("name too long", ["Gia đình", "H" * 201, "Nà Rị", "", None], "Tên", "dài quá 200"),
    ("future date", ["Gia đình", "Hộ A", "Nà Rị", "", "01/01/2999"], "Ngày đăng ký", "ở tương lai"),
    ("impossible date", ["Gia đình", "Hộ A", "Nà Rị", "", f"31/02/{YEAR}"], "Ngày đăng ký", "không có thật"),
    ("date of another year", ["Gia đình", "Hộ A", "Nà Rị", "", "15/01/2015"], "Ngày đăng ký", f"không thuộc năm {YEAR}"),
    ("not a date", ["Gia đình", "Hộ A", "Nà Rị", "", "tháng giêng"], "Ngày đăng ký", "không đúng dạng"),
]


@pytest.mark.parametrize(("case", "row", "column", "reason"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_row_is_named_and_nothing_is_written(demo: None, tmp_path: Path, case: str, row: list[Any], column: str, reason: str) -> None:
    good = ["Gia đình", "Hộ ông Nông Văn Kiên", "Nà Rị", "", None]
    path = _xlsx(tmp_path, [good, row])
    with pytest.raises(Rejected) as info:
        registrations_import(actor=None, commune=Unit.objects.get(code="05115"), year=YEAR, path=path)
    problems = [str(p) for p in info.value.problems]
    assert any("dang-ky.xlsx" in p and "dòng 3" in p and column in p and reason in p for p in problems), problems
    assert _count() == 0 and not Participant.objects.filter(name="Hộ ông Nông Văn Kiên").exists()


def test_duplicates_formulas_and_an_empty_file_are_refused(demo: None, tmp_path: Path) -> None:
    commune = Unit.objects.get(code="05115")
    dup = _xlsx(tmp_path, [["Gia đình", "Hộ ông Nông Văn Kiên", "Nà Rị", "", None], ["gia đình", "Hộ Ông Nông Văn Kiên", "Na Ri", "", None]])
    with pytest.raises(Rejected) as info:
        registrations_import(actor=None, commune=commune, year=YEAR, path=dup)
    assert any("dòng 3" in str(p) and "trùng với dòng 2" in str(p) for p in info.value.problems)
    formula = _xlsx(tmp_path, [["Gia đình", "=HYPERLINK(\"http://x\",\"Hộ A\")", "Nà Rị", "", None]], name="cong-thuc.xlsx")
    with pytest.raises(Rejected) as info:
        registrations_import(actor=None, commune=commune, year=YEAR, path=formula)
    assert any("công thức" in str(p) for p in info.value.problems)
    header_only = _xlsx(tmp_path, [], name="trong.xlsx")
    with pytest.raises(Rejected) as info:
        registrations_import(actor=None, commune=commune, year=YEAR, path=header_only)
    assert any("không có dòng dữ liệu" in str(p) for p in info.value.problems)
    unknown_column = _xlsx(tmp_path, [["Gia đình", "Hộ A", "", "", None, "x"]], header=[*HEADER, "Ghi chú riêng"], name="cot-la.xlsx")
    with pytest.raises(Rejected) as info:
        registrations_import(actor=None, commune=commune, year=YEAR, path=unknown_column)
    assert any("Ghi chú riêng" in str(p) for p in info.value.problems)
    assert _count() == 0


def test_script_in_a_name_stays_text(client_for: Any, nam_tuan_officer: Any, tmp_path: Path) -> None:
    path = _xlsx(tmp_path, [["Gia đình", "<script>alert(1)</script>", "Nà Rị", "", None]])
    registrations_import(actor=nam_tuan_officer, commune=Unit.objects.get(code="05115"), year=YEAR, path=path)
    page = client_for(nam_tuan_officer).get(f"/mo-hinh-hoc-tap/don-vi/05115/{YEAR}/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_page_imports_through_htmx_and_scope_is_enforced(client_for: Any, nam_tuan_officer: Any, viewer: Any, client: Any,
                                                              tmp_path: Path) -> None:
    path = _xlsx(tmp_path, [["Gia đình", "Hộ ông Nông Văn Kiên", "Nà Rị", "", None]])
    officer = client_for(nam_tuan_officer)
    page = officer.get(f"/mo-hinh-hoc-tap/don-vi/05115/{YEAR}/").content.decode()
    assert "Tải tệp mẫu (.xlsx)" in page and "Nhập danh sách" in page
    with path.open("rb") as f:
        response = officer.post(f"/mo-hinh-hoc-tap/don-vi/05115/{YEAR}/dang-ky/nhap/", {"tep": f}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "1 đăng ký mới" in response.content.decode()
    bad = _xlsx(tmp_path, [["Câu lạc bộ", "X", "", "", None]], name="sai.xlsx")
    with bad.open("rb") as f:
        response = officer.post(f"/mo-hinh-hoc-tap/don-vi/05115/{YEAR}/dang-ky/nhap/", {"tep": f}, HTTP_HX_REQUEST="true")
    assert "Tệp bị từ chối" in response.content.decode() and "sai.xlsx" in response.content.decode()
    assert officer.post(f"/mo-hinh-hoc-tap/don-vi/05115/{YEAR}/dang-ky/nhap/", {}).status_code == 400  # no file
    # Another commune's list: not even visible. A viewer sees, may not import. Anonymous: to the login page.
    with path.open("rb") as f:
        assert officer.post(f"/mo-hinh-hoc-tap/don-vi/05113/{YEAR}/dang-ky/nhap/", {"tep": f}).status_code == 404
    assert officer.get(f"/mo-hinh-hoc-tap/don-vi/05113/{YEAR}/dang-ky/mau.xlsx").status_code == 404
    with path.open("rb") as f:
        assert client_for(viewer).post(f"/mo-hinh-hoc-tap/don-vi/05115/{YEAR}/dang-ky/nhap/", {"tep": f}).status_code == 403
    client.logout()
    assert client.post(f"/mo-hinh-hoc-tap/don-vi/05115/{YEAR}/dang-ky/nhap/").status_code == 302
    with pytest.raises(PermissionDenied):
        registrations_import(actor=nam_tuan_officer, commune=Unit.objects.get(code="05113"), year=YEAR, path=path)
    assert _count() == 1 and _count("05113") == 0
