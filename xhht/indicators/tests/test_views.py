"""Indicator pages: scope (404 outside it), the appendix and its charts, the export, bad input."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook

from xhht.indicators.exports import FIRST_DATA_ROW


def test_anonymous_is_sent_to_login(client: Any, demo: None) -> None:
    response = client.get("/chi-tieu/051/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_a_commune_officer_cannot_see_another_communes_indicators(client_for: Any, nam_tuan_officer: Any) -> None:
    client = client_for(nam_tuan_officer)
    assert client.get("/chi-tieu/05115/").status_code == 200
    assert client.get("/chi-tieu/05113/").status_code == 404  # Hồng Việt
    assert client.get("/chi-tieu/05113/phu-luc.xlsx").status_code == 404
    assert client.get("/chi-tieu/051/").status_code == 404  # nor the district's
    assert client.get("/chi-tieu/99999/").status_code == 404


def test_index_redirects_to_the_users_unit(client_for: Any, nam_tuan_officer: Any) -> None:
    response = client_for(nam_tuan_officer).get("/chi-tieu/")
    assert response.status_code == 302 and response["Location"].endswith("/chi-tieu/05115/")


def test_district_page_shows_the_appendix_statuses_and_charts(client_for: Any, district_officer: Any, indicators_demo: None) -> None:
    response = client_for(district_officer).get("/chi-tieu/051/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Số người trong độ tuổi từ 15-25 biết chữ" in html
    assert "7.817" in html and "98,75" in html and "99,48" in html
    assert 'class="badge exceeded"' in html
    assert html.count("<svg") == 7  # one chart per indicator row with data (I.1–I.4, II, II.1, II.4)
    assert "chưa có số liệu để vẽ biểu đồ" in html  # II.5: no data
    assert 'class="target"' in html  # the target line
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")  # nothing fetched from elsewhere
    assert "https://" not in html
    # Commune pages under the district are open to the district officer.
    assert client_for(district_officer).get("/chi-tieu/05115/").status_code == 200


def test_trend_proposals_are_marked_and_the_method_stated(client_for: Any, district_officer: Any, indicators_demo: None) -> None:
    html = client_for(district_officer).get("/chi-tieu/051/?chuong_trinh=qd89-2012-2020&tu_nam=2016&den_nam=2020&de_xuat=1").content.decode()
    assert "đề xuất</span>" in html and "bình phương tối thiểu" in html


def test_export_is_the_appendix_xlsx(client_for: Any, district_officer: Any, indicators_demo: None) -> None:
    response = client_for(district_officer).get("/chi-tieu/051/phu-luc.xlsx?chuong_trinh=qd89-2012-2020&tu_nam=2016&den_nam=2020")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content))["Phụ lục"]
    assert ws.cell(FIRST_DATA_ROW + 1, 4).value == 8182


def test_bad_year_or_programme_answers_with_a_message(client_for: Any, district_officer: Any) -> None:
    client = client_for(district_officer)
    response = client.get("/chi-tieu/051/?tu_nam=2020&den_nam=2016")
    assert response.status_code == 400 and "Năm bắt đầu (2020) sau năm kết thúc (2016)" in response.content.decode()
    response = client.get("/chi-tieu/051/?tu_nam=abc")
    assert response.status_code == 400 and "Năm phải là số" in response.content.decode()
    response = client.get("/chi-tieu/051/?chuong_trinh=khong-co")
    assert response.status_code == 400 and "Không có chương trình" in response.content.decode()
    assert client.get("/chi-tieu/051/phu-luc.xlsx?tu_nam=1800&den_nam=1801").status_code == 400


def test_qd1373_programme_page(client_for: Any, province_officer: Any) -> None:
    response = client_for(province_officer).get("/chi-tieu/04/?chuong_trinh=qd1373-2021-2030&tu_nam=2021&den_nam=2025")
    assert response.status_code == 200
    assert "Người từ 15 tuổi trở lên được đào tạo chuyên môn kỹ thuật" in response.content.decode()


def test_the_unit_enters_its_projections(client_for: Any, nam_tuan_officer: Any) -> None:
    from xhht.audit.models import AuditEntry
    from xhht.indicators.models import DataValue

    client = client_for(nam_tuan_officer)
    url = "/chi-tieu/05115/du-kien/?chuong_trinh=qd89-2012-2020&tu_nam=2016&den_nam=2020"
    assert client.get(url).status_code == 200
    response = client.post(url, {"I.1|2021-2025": "99,5", "I.1|2026-2030": ""})
    assert response.status_code == 302
    value = DataValue.objects.get(unit_id="05115", element="literacy_level2_rate", period="2021-2025", disaggregation="age_band=15-25")
    assert value.value == Decimal("99.5") and value.source == "projected"
    assert AuditEntry.objects.filter(unit_code="05115", action="data_values_write").exists()
    html = client.get("/chi-tieu/05115/").content.decode()
    assert "99,50" in html and '<span class="badge">dự kiến</span>' in html
    response = client.post(url, {"I.1|2021-2025": "120"})
    assert response.status_code == 400 and "0–100" in response.content.decode()
    response = client.post(url, {"I.1|2021-2025": "nhiều"})
    assert response.status_code == 400 and "không phải là số" in response.content.decode()


def test_projections_of_another_unit_are_refused(client_for: Any, nam_tuan_officer: Any, viewer: Any) -> None:
    assert client_for(nam_tuan_officer).post("/chi-tieu/05113/du-kien/", {"I.1|2021-2025": "50"}).status_code == 404
    assert client_for(viewer).post("/chi-tieu/051/du-kien/", {"I.1|2021-2025": "50"}).status_code == 403
