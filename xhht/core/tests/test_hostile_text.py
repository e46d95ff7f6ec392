"""Hostile text typed by a (confused or malicious) commune officer: shown back escaped in pages,
written as plain text — never as a formula — into the spreadsheet exports."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from xhht.core.tests.test_access_audit import all_demos  # noqa: F401  (session fixture)

SCRIPT = '<script>alert("xhht")</script>'
FORMULA = '=HYPERLINK("http://evil.example/","Bấm")'


def _cells(content: bytes) -> list[Any]:
    book = load_workbook(io.BytesIO(content))
    return [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row]


def _assert_text_not_formula(content: bytes, text: str) -> None:
    cells = [c for c in _cells(content) if isinstance(c.value, str) and text in c.value]
    assert cells, f"{text!r} not in the export"
    assert all(c.data_type == "s" for c in cells), [(c.coordinate, c.data_type) for c in cells]
    assert not any(c.data_type == "f" for c in _cells(content))


def test_formulas_as_text_keeps_the_characters() -> None:
    from openpyxl import Workbook

    from xhht.core.xlsx import formulas_as_text

    book = Workbook()
    book.active.append([FORMULA, "+1", "-2", "@SUM(A1)", 3])
    buffer = io.BytesIO()
    formulas_as_text(book).save(buffer)
    values = [(c.value, c.data_type) for c in _cells(buffer.getvalue())]
    assert values == [(FORMULA, "s"), ("+1", "s"), ("-2", "s"), ("@SUM(A1)", "s"), (3, "n")]


@pytest.mark.django_db
def test_activity_topic_title_escaped_and_exported_as_text(all_demos: None, nam_tuan_officer: Any, client_for: Any) -> None:  # noqa: F811
    c = client_for(nam_tuan_officer)
    title = FORMULA + SCRIPT
    r = c.post("/hoat-dong/chuyen-de/them/", {"unit_code": "05115", "school_year": "2029-2030", "title": title, "subject_area": "law",
                                              "speaker_organisation": SCRIPT, "classes": "1", "participants": "20", "note": "-1+" + SCRIPT})
    assert r.status_code == 302, r.content.decode()[:3000]
    page = c.get("/hoat-dong/chuyen-de/?don_vi=05115&ky=2029-2030").content.decode()
    assert SCRIPT not in page and "&lt;script&gt;alert(" in page
    export = c.get("/hoat-dong/chuyen-de/xuat.xlsx?don_vi=05115&ky=2029-2030")
    assert export.status_code == 200
    _assert_text_not_formula(export.content, FORMULA)


@pytest.mark.django_db
def test_learning_model_name_escaped_and_exported_as_text(all_demos: None, nam_tuan_officer: Any, client_for: Any) -> None:  # noqa: F811
    c = client_for(nam_tuan_officer)
    name = FORMULA + SCRIPT
    r = c.post("/mo-hinh-hoc-tap/don-vi/05115/2020/dang-ky/", {"kind": "family", "name": name, "village": SCRIPT, "head_name": "=1+1"})
    assert r.status_code == 302
    page = c.get("/mo-hinh-hoc-tap/don-vi/05115/2020/").content.decode()
    assert SCRIPT not in page and "&lt;script&gt;alert(" in page
    export = c.get("/mo-hinh-hoc-tap/don-vi/05115/2020/?dinh-dang=xlsx")
    assert export.status_code == 200
    _assert_text_not_formula(export.content, FORMULA)


@pytest.mark.django_db
def test_organisation_name_exported_as_text(all_demos: None, nam_tuan_officer: Any, client_for: Any) -> None:  # noqa: F811
    from xhht.organisations.models import Organisation

    org = Organisation.objects.filter(unit_id="05115").first()
    assert org is not None
    Organisation.objects.filter(pk=org.pk).update(name=FORMULA)
    c = client_for(nam_tuan_officer)
    page = c.get("/don-vi/05115/").content.decode()
    assert "HYPERLINK" in page
    _assert_text_not_formula(c.get("/don-vi/05115/export.xlsx").content, FORMULA)


@pytest.mark.django_db
def test_report_section_and_title_render_escaped(all_demos: None, district_officer: Any, client_for: Any) -> None:  # noqa: F811
    from xhht.official_reports.models import Report

    report = Report.objects.filter(unit_id="051").order_by("pk").first()
    assert report is not None
    section = report.sections.order_by("pk").first()
    c = client_for(district_officer)
    r = c.post(f"/bao-cao/{report.pk}/muc/{section.pk}/", {"text": "Đoạn thử " + SCRIPT + ' <img src=x onerror="alert(1)">'})
    assert r.status_code == 302, r.content.decode()[-2000:]
    page = c.get(f"/bao-cao/{report.pk}/").content.decode()
    assert SCRIPT not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(" in page
    trace = c.get(f"/bao-cao/{report.pk}/nguon/", {"f": SCRIPT})
    assert trace.status_code in {200, 400, 404}
    assert SCRIPT not in trace.content.decode()
