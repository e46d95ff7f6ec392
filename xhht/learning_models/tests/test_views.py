"""Pages, forms, print and Excel exports, and the refusals of the web layer."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from xhht.learning_models.models import Evaluation, Evidence, ModelKind, Status
from xhht.learning_models.tests.test_scoring import tt44_values

pytestmark = pytest.mark.django_db
BASE = "/mo-hinh-hoc-tap"


def test_classification_page_and_excel(learning_models_demo: None, district_officer: Any, client_for: Any) -> None:
    client = client_for(district_officer)
    page = client.get(f"{BASE}/don-vi/051/xep-loai/?tu=2017&den=2019").content.decode()
    assert "66,67%" in page and "52,38%" in page and "01 xã đánh giá (thí điểm)" in page
    response = client.get(f"{BASE}/don-vi/051/xep-loai/?tu=2017&den=2019&dinh-dang=xlsx")
    ws = load_workbook(BytesIO(response.content)).active
    rows = [list(r) for r in ws.iter_rows(min_row=4, values_only=True)]
    assert rows[1][:5] == [2018, "44/2014/TT-BGDĐT", 21, 0, 0] and rows[1][5] == 14
    assert str(rows[2][6]) == "52.38" and rows[2][5] == 11 and rows[0][7] == 1


def test_recognised_clan_list_print_and_excel(learning_models_demo: None, district_officer: Any, client_for: Any) -> None:
    client = client_for(district_officer)
    page = client.get(f"{BASE}/don-vi/05112/2019/danh-sach/clan/").content.decode()
    assert "Dòng họ Đình" in page and "xóm Khuổi Linh" in page and "print.css" in page and 'id="count">6<' in page
    ws = load_workbook(BytesIO(client.get(f"{BASE}/don-vi/051/2019/danh-sach/clan/?dinh-dang=xlsx").content)).active
    names = [r[1] for r in ws.iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)]
    assert len(names) == 7 and "Dòng họ Bùi Duy" in names


def test_neighbour_cannot_see_or_change(learning_models_demo: None, hong_viet_officer: Any, client_for: Any) -> None:
    client = client_for(hong_viet_officer)
    ev = Evaluation.objects.get(registration__participant__kind=ModelKind.COMMUNE, registration__participant__commune_id="05115", registration__year=2019)
    assert client.get(f"{BASE}/don-vi/05115/2019/").status_code == 404
    assert client.get(f"{BASE}/danh-gia/{ev.pk}/").status_code == 404
    assert client.post(f"{BASE}/don-vi/05115/2019/dang-ky/", {"kind": "family", "name": "Hộ X"}).status_code == 404
    assert client.get(f"{BASE}/don-vi/05113/2019/").status_code == 200


def test_commune_officer_self_evaluates_on_the_web(demo: None, nam_tuan_officer: Any, district_officer: Any, client_for: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = client_for(nam_tuan_officer)
    response = client.post(f"{BASE}/don-vi/05115/2021/dang-ky/", {"kind": "commune_community", "start": "1"})
    ev = Evaluation.objects.get(registration__participant__commune_id="05115", registration__year=2021)
    assert response.status_code == 302 and response["Location"].endswith(f"/danh-gia/{ev.pk}/")
    data = {f"v_{k}": str(v) for k, v in tt44_values(110).items() if k != "c5_xmc2"}
    data["v_c5_xmc2"] = "1"
    client.post(f"{BASE}/danh-gia/{ev.pk}/", {"action": "save", **data})
    bad = client.post(f"{BASE}/danh-gia/{ev.pk}/", {"action": "save", "v_c1": "11"}, follow=True).content.decode()
    assert "vượt điểm tối đa" in bad
    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    client.post(f"{BASE}/danh-gia/{ev.pk}/", {"action": "upload", "indicator": "c1", "file": upload})
    evidence = Evidence.objects.get(evaluation=ev)
    download = client.get(f"{BASE}/danh-gia/{ev.pk}/minh-chung/{evidence.pk}/")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 demo" and "attachment" in download["Content-Disposition"]
    client.post(f"{BASE}/danh-gia/{ev.pk}/", {"action": "submit"})
    ev.refresh_from_db()
    assert (ev.status, ev.self_outcome) == (Status.SUBMITTED, "kha")
    # The commune officer cannot review; a district officer not on the team neither.
    client.post(f"{BASE}/danh-gia/{ev.pk}/", {"action": "review", "r_c1": "0", "reason_c1": "x"})
    ev.refresh_from_db()
    assert ev.status == Status.SUBMITTED
    district = client_for(district_officer)
    assert district.post(f"{BASE}/danh-gia/{ev.pk}/", {"action": "review"}).status_code == 403
    district.post(f"{BASE}/don-vi/051/2021/doan-kiem-tra/", {"members": [district_officer.pk], "decision_number": "99/QĐ-UBND"})
    district.post(f"{BASE}/danh-gia/{ev.pk}/", {"action": "review", "r_c2": "2", "reason_c2": "Thiếu minh chứng kinh phí"})
    ev.refresh_from_db()
    assert (ev.status, ev.total) == (Status.REVIEWED, 102) and ev.outcome == "trung_binh"
    sheet = district.get(f"{BASE}/danh-gia/{ev.pk}/in/").content.decode()
    assert "Thiếu minh chứng kinh phí" in sheet and "Trung bình" in sheet and "@media print" not in sheet and "print.css" in sheet


def test_rubric_pages_show_undefined(demo: None, viewer: Any, client_for: Any) -> None:
    client = client_for(viewer)
    page = client.get(f"{BASE}/bo-tieu-chi/qd448-2015-family/").content.decode()
    assert "chưa xác định" in page and "Trẻ em ở độ tuổi phổ cập" in page
    assert "chưa xác minh" in client.get(f"{BASE}/bo-tieu-chi/tt44-2014/").content.decode()
    assert client.get(f"{BASE}/bo-tieu-chi/").status_code == 200


def test_viewer_cannot_register(demo: None, viewer: Any, client_for: Any) -> None:
    client = client_for(viewer)
    assert client.post(f"{BASE}/don-vi/05115/2021/dang-ky/", {"kind": "family", "name": "Hộ Y"}).status_code == 403


def test_registration_list_excel(learning_models_demo: None, district_officer: Any, client_for: Any) -> None:
    wb = load_workbook(BytesIO(client_for(district_officer).get(f"{BASE}/don-vi/05112/2019/?dinh-dang=xlsx").content))
    rows = [r for r in wb["Đăng ký"].iter_rows(min_row=4, values_only=True)]
    assert len(rows) == 6 + 115 and rows[0][1] in ("Dòng họ học tập", "Gia đình học tập")
    shares = {r[0]: r for r in wb["Tỷ lệ đăng ký"].iter_rows(min_row=4, values_only=True)}
    assert shares["Toàn xã"][1:3] == (115, 157) and str(shares["Toàn xã"][3]) == "73.25"


def test_index_sends_each_user_to_their_unit(demo: None, nam_tuan_officer: Any, district_officer: Any, viewer: Any, client_for: Any) -> None:
    assert client_for(nam_tuan_officer).get(f"{BASE}/?nam=2019")["Location"] == f"{BASE}/don-vi/05115/2019/"
    assert client_for(district_officer).get(f"{BASE}/")["Location"] == f"{BASE}/don-vi/051/xep-loai/"
    page = client_for(viewer).get(f"{BASE}/don-vi/051/xep-loai/").content.decode()
    assert "Quyết định công nhận năm" not in page  # a viewer reads, does not decide
    assert client_for(viewer).get(f"{BASE}/don-vi/051/xep-loai/?tu=2019&den=2010").status_code == 404
