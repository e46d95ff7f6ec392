"""A chart beside the learning-community classification table (issue 15, item 8)."""

from __future__ import annotations

from typing import Any

from xhht.demo.foundation import DISTRICT, NAM_TUAN


def test_classification_page_has_its_chart_and_names_the_unit(learning_models_demo: None, district_officer: Any, client_for: Any) -> None:
    html = client_for(district_officer).get(f"/mo-hinh-hoc-tap/don-vi/{DISTRICT}/xep-loai/").content.decode()
    chart = html.split('id="classification-chart"')[1].split("</figure>")[0]
    assert "<svg" in chart and "Khá" in chart and ">2019<" in chart
    assert "của huyện" not in html


def test_commune_opens_on_its_latest_year_with_data_and_no_dead_breadcrumb(learning_models_demo: None, nam_tuan_officer: Any,
                                                                          client_for: Any) -> None:
    from xhht.learning_models.selectors import commune_years_with_data
    from xhht.units.models import Unit

    client = client_for(nam_tuan_officer)
    latest = commune_years_with_data(commune=Unit.objects.get(code=NAM_TUAN))[-1]
    response = client.get("/mo-hinh-hoc-tap/")
    assert response.status_code == 302 and response["Location"].endswith(f"/don-vi/{NAM_TUAN}/{latest}/")
    html = client.get(response["Location"]).content.decode()
    assert f"/mo-hinh-hoc-tap/don-vi/{DISTRICT}/xep-loai/" not in html  # the officer may not open the district's page
    assert "tt44-2014" not in html.split("<main>")[1].replace('href="/mo-hinh-hoc-tap/bo-tieu-chi/tt44-2014', "")


def test_province_page_offers_no_district_only_buttons(learning_models_demo: None, province_officer: Any, client_for: Any) -> None:
    html = client_for(province_officer).get("/mo-hinh-hoc-tap/don-vi/04/xep-loai/").content.decode()
    assert "/doan-kiem-tra/" not in html and "/cong-nhan/commune_community/" not in html
