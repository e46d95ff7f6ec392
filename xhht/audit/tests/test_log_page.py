"""The change log reads as Vietnamese sentences (issue 15, item 2): who, when, which object, each field by
its label, old → new formatted for a Vietnamese reader; filterable; exportable to .xlsx."""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

from openpyxl import load_workbook

from xhht.audit.models import AuditEntry
from xhht.audit.services import audit_record
from xhht.audit.sentences import ACTIONS, action_sentences, sentence
from xhht.demo.foundation import HONG_VIET, NAM_TUAN
from xhht.units.models import Unit

SNAKE = re.compile(r"(?<![\w@./-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@.-])")


def _entries(actor: Any) -> None:
    unit = Unit.objects.get(code=NAM_TUAN)
    audit_record(actor=actor, action="budget_line_replace", object_type="activities.budgetline", object_id=f"unit={NAM_TUAN}, period=2020",
                 object_repr=f"Kinh phí: unit={NAM_TUAN}, period=2020", unit_code=NAM_TUAN,
                 changes={"records": [0, 2], "added": ["('05115', '2020', 'mixed')", "('05115', '2020', 'state')"], "removed": []})
    audit_record(actor=actor, action="vocational_class_update", object_type="activities.vocationalclass", object_id="7",
                 object_repr="Lớp may công nghiệp", unit_code=NAM_TUAN,
                 changes={"budget_amount": ["600000.0000", "999999999999"], "unit_id": [None, NAM_TUAN], "is_active": [True, False]})
    audit_record(actor=actor, action="report_submit", object_type="reporting.submission", object_id="1", object_repr="Báo cáo xã Nam Tuấn 2020",
                 unit_code=NAM_TUAN, changes={"status": ["draft", "submitted"]})
    audit_record(actor=actor, action="data_values_write", object_type="indicators.datavalue", object_id=f"{NAM_TUAN}/2020",
                 object_repr="Số liệu", unit_code=NAM_TUAN, changes={"vocational_learners": [None, "1475"]})
    audit_record(actor=None, action="person_records_read", object_type="literacy.surveyperson", object_id=f"{HONG_VIET}/2019",
                 object_repr="Phiếu điều tra xã Hồng Việt năm 2019", unit_code=HONG_VIET)
    assert unit


def test_each_change_is_a_vietnamese_sentence(nam_tuan_officer: Any, district_officer: Any, client_for: Any) -> None:
    _entries(nam_tuan_officer)
    html = client_for(district_officer).get("/nhat-ky/").content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    for code in ["budget_line_replace", "data_values_write", "report_submit", "budget_amount", "unit_id", "records", "True", "None",
                 "600000.0000", "999999999999", "draft", "submitted", "vocational_learners", "person_records_read"]:
        assert code not in text, code
    assert "cập nhật toàn bộ dòng kinh phí" in text
    assert "Kinh phí: 05115, 2020" in text
    assert "600.000 đ" in text and "999.999.999.999 đ" in text  # money, the Vietnamese way
    assert "Đang soạn" in text and "Đã nộp, chờ duyệt" in text  # the states by their names
    assert "1.475" in text
    assert "xem danh sách người trong phiếu điều tra" in text  # reads of personal data have their sentence too
    assert "Hệ thống" in text
    assert not SNAKE.search(text.split("<main>")[-1] if "<main>" in text else text)


def test_sentence_text_names_who_when_what(nam_tuan_officer: Any) -> None:
    _entries(nam_tuan_officer)
    # the entry just written (tests that ran before in the same process may have left other submissions' entries)
    s = sentence(AuditEntry.objects.filter(action="report_submit", actor=nam_tuan_officer).latest("pk"))
    assert s.who == "Cán bộ xã Nam Tuấn"
    assert re.match(r"\d{2}:\d{2} ngày \d{2}/\d{2}/\d{4}, Cán bộ xã Nam Tuấn nộp báo cáo định kỳ: Báo cáo xã Nam Tuấn 2020\. "
                    r"trạng thái: Đang soạn → Đã nộp, chờ duyệt\.$", s.text), s.text


def test_every_registered_action_has_a_sentence_and_new_ones_are_one_line() -> None:
    merged = action_sentences()
    assert set(ACTIONS) <= set(merged)
    assert {"person_records_read", "person_records_export", "report_submit", "learning_self_score"} <= set(merged)
    assert all(v and not SNAKE.search(v) for v in merged.values())


def test_log_filters_by_unit_person_object_and_date(nam_tuan_officer: Any, district_officer: Any, client_for: Any) -> None:
    _entries(nam_tuan_officer)
    client = client_for(district_officer)

    def listed(params: dict[str, str]) -> str:
        return client.get("/nhat-ky/", params).content.decode().split('<ol id="audit"')[1]

    html = listed({"don_vi": HONG_VIET})
    assert "phiếu điều tra" in html and "dòng kinh phí" not in html
    html = listed({"nguoi": str(nam_tuan_officer.pk), "doi_tuong": "reporting.submission"})
    assert "nộp báo cáo định kỳ" in html and "dòng kinh phí" not in html and "phiếu điều tra" not in html
    html = listed({"tu": "01/01/2000", "den": "31/12/2000"})
    assert "Chưa có thay đổi nào" in html
    html = client.get("/nhat-ky/", {"tu": "abc"}).content.decode()
    assert "«Từ ngày» không đọc được" in html


def test_log_exports_xlsx_in_scope(nam_tuan_officer: Any, hong_viet_officer: Any, client_for: Any) -> None:
    _entries(nam_tuan_officer)
    response = client_for(hong_viet_officer).get("/nhat-ky/", {"xuat": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Thời điểm"
    texts = " ".join(str(r[7]) for r in rows[1:])
    assert "xem danh sách người trong phiếu điều tra" in texts
    assert "dòng kinh phí" not in texts  # Nam Tuấn's changes are not Hồng Việt's to read


def test_every_model_named_in_the_log_has_a_vietnamese_noun() -> None:
    from django.apps import apps

    from xhht.audit.sentences import object_noun

    for model in apps.get_models():
        if model.__module__.startswith("xhht."):
            noun = object_noun(model._meta.label_lower)
            assert noun and noun.isascii() is False or noun == "dữ liệu", (model, noun)
