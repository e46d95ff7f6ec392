"""Pages, forms, export and access: a commune officer sees and edits only their own centre's records."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from xhht.activities.models import ClcTopic, LifelongWeek, VocationalClass
from xhht.indicators.models import DataValue

pytestmark = pytest.mark.django_db

TOPIC = {"unit_code": "05115", "school_year": "2020/2021", "title": "Kỹ thuật nuôi gà thả vườn", "subject_area": "agriculture_forestry",
         "speaker_organisation": "Trạm Khuyến nông - Khuyến lâm huyện Hòa An", "classes": "2", "participants": "1050", "note": ""}


def _topic(unit_code: str) -> ClcTopic:
    topic = ClcTopic.objects.filter(unit_id=unit_code).first()
    assert topic is not None
    return topic


def test_every_register_page_renders_with_total_row(activities_demo: None, client_for: Any, district_officer: Any) -> None:
    client = client_for(district_officer)
    assert client.get("/hoat-dong/").status_code == 200
    for slug in ["chuyen-de", "can-bo-tthtcd", "day-nghe", "tuan-le-hoc-tap", "truyen-thong", "khen-thuong", "kinh-phi"]:
        response = client.get(f"/hoat-dong/{slug}/")
        assert response.status_code == 200, slug
        assert 'id="summary"' in response.content.decode()
    page = client.get("/hoat-dong/day-nghe/?don_vi=051").content.decode()
    assert "Cộng" in page and "3.358" in page and "3.204" in page
    page = client.get("/hoat-dong/kinh-phi/?don_vi=051").content.decode()
    assert "40.552.000 đ" in page and "15.552.000 đ" in page
    page = client.get("/hoat-dong/chuyen-de/?don_vi=051&ky=2017-2018").content.decode()
    assert "10.940" in page
    page = client.get("/hoat-dong/can-bo-tthtcd/?don_vi=051").content.decode()
    assert "21/21" in page and "100,00%" in page


def test_export_workbook_has_records_and_summary(activities_demo: None, client_for: Any, district_officer: Any) -> None:
    response = client_for(district_officer).get("/hoat-dong/day-nghe/xuat.xlsx?don_vi=051")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    data = workbook["Dữ liệu"]
    assert data.max_row == 1 + 125
    summary = [list(r) for r in workbook["Tổng hợp"].iter_rows(values_only=True)]
    assert ["Cộng", 125, 3358, 3204, 546, 65, 0] in summary
    row_2019 = next(r for r in summary if r[0] == "2019")
    assert row_2019 == ["2019", 5, 170, 167, None, None, None]


def test_commune_officer_sees_only_own_centre(activities_demo: None, client_for: Any, nam_tuan_officer: Any) -> None:
    client = client_for(nam_tuan_officer)
    page = client.get("/hoat-dong/chuyen-de/").content.decode()
    assert "Nam Tuấn" in page
    shown = client.get("/hoat-dong/chuyen-de/xuat.xlsx").content
    rows = list(load_workbook(io.BytesIO(shown))["Dữ liệu"].iter_rows(min_row=2, values_only=True))
    assert rows and {r[0] for r in rows} == {"05115"}
    # Another commune's record, a district record, another unit's list: all 404.
    assert client.get(f"/hoat-dong/chuyen-de/{_topic('05113').pk}/").status_code == 404
    week = LifelongWeek.objects.get(unit_id="051", year=2019)
    assert client.get(f"/hoat-dong/tuan-le-hoc-tap/{week.pk}/").status_code == 404
    assert client.get("/hoat-dong/chuyen-de/?don_vi=05113").status_code == 404
    assert client.get("/hoat-dong/chuyen-de/xuat.xlsx?don_vi=051").status_code == 404


def test_commune_officer_cannot_change_another_centre(activities_demo: None, client_for: Any, nam_tuan_officer: Any) -> None:
    client = client_for(nam_tuan_officer)
    other = _topic("05113")
    before = ClcTopic.objects.count()
    # Edit or delete someone else's record: 404 (it does not exist for them).
    assert client.post(f"/hoat-dong/chuyen-de/{other.pk}/", {**TOPIC, "unit_code": "05113"}).status_code == 404
    assert client.post(f"/hoat-dong/chuyen-de/{other.pk}/xoa/").status_code == 404
    # Create a record for another centre: 403, nothing written.
    assert client.post("/hoat-dong/chuyen-de/them/", {**TOPIC, "unit_code": "05113"}).status_code == 403
    # Move an own record to another centre: 403.
    own = _topic("05115")
    assert client.post(f"/hoat-dong/chuyen-de/{own.pk}/", {**TOPIC, "unit_code": "05113"}).status_code == 403
    # Enter a district-level record: 403.
    week = {"unit_code": "051", "year": "2021", "participants": "10"}
    assert client.post("/hoat-dong/tuan-le-hoc-tap/them/", week).status_code == 403
    assert ClcTopic.objects.count() == before
    assert ClcTopic.objects.get(pk=other.pk).unit_id == "05113"


def test_commune_officer_enters_edits_and_deletes_own_topic(activities_demo: None, client_for: Any, nam_tuan_officer: Any) -> None:
    client = client_for(nam_tuan_officer)
    response = client.post("/hoat-dong/chuyen-de/them/", TOPIC)
    assert response.status_code == 302
    topic = ClcTopic.objects.get(title=TOPIC["title"])
    assert (topic.unit_id, topic.school_year, topic.participants, topic.centre.name) == ("05115", "2020-2021", 1050, "Trung tâm học tập cộng đồng xã Nam Tuấn")
    value = DataValue.objects.get(element="clc_participants", unit_id="05115", period="2020-2021", disaggregation="")
    assert value.value == 1050 and value.source == "computed"
    assert client.post(f"/hoat-dong/chuyen-de/{topic.pk}/", {**TOPIC, "participants": "1100"}).status_code == 302
    assert DataValue.objects.get(element="clc_participants", unit_id="05115", period="2020-2021").value == 1100
    assert client.post(f"/hoat-dong/chuyen-de/{topic.pk}/xoa/").status_code == 302
    assert not ClcTopic.objects.filter(pk=topic.pk).exists()
    assert not DataValue.objects.filter(element="clc_participants", unit_id="05115", period="2020-2021").exists()


def test_form_errors_are_shown_in_vietnamese(activities_demo: None, client_for: Any, nam_tuan_officer: Any) -> None:
    client = client_for(nam_tuan_officer)
    response = client.post("/hoat-dong/chuyen-de/them/", {**TOPIC, "school_year": "2020-2022", "participants": "-5"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "hai năm phải liền nhau" in page and "không được âm" in page
    response = client.post("/hoat-dong/day-nghe/them/", {
        "unit_code": "05115", "year": "2009", "name": "Lớp A", "trade": "May", "sector": "non_farm", "level": "short_course",
        "funding_source": "state_budget", "learners": "20", "ethnic_minority": "25"})
    page = response.content.decode()
    assert response.status_code == 400 and "ngoài thời gian của chương trình (2010–2030)" in page
    response = client.post("/hoat-dong/day-nghe/them/", {
        "unit_code": "05115", "year": "2020", "name": "Lớp A", "trade": "May", "sector": "non_farm", "level": "short_course",
        "funding_source": "state_budget", "learners": "20", "ethnic_minority": "25"})
    assert response.status_code == 400 and "lớn hơn số người học" in response.content.decode()
    assert not VocationalClass.objects.filter(name="Lớp A").exists()


def test_viewer_reads_but_cannot_write(activities_demo: None, client_for: Any, viewer: Any) -> None:
    client = client_for(viewer)
    assert client.get("/hoat-dong/chuyen-de/").status_code == 200
    assert client.get("/hoat-dong/chuyen-de/them/").status_code == 403
    assert client.get("/hoat-dong/chuyen-de/nhap/").status_code == 403
    topic = _topic("05115")
    assert client.get(f"/hoat-dong/chuyen-de/{topic.pk}/").status_code == 200
    assert client.post(f"/hoat-dong/chuyen-de/{topic.pk}/", TOPIC).status_code == 403
    assert client.post(f"/hoat-dong/chuyen-de/{topic.pk}/xoa/").status_code == 403


def test_anonymous_is_sent_to_login(client: Any, demo: None) -> None:
    response = client.get("/hoat-dong/chuyen-de/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_changes_are_audited(activities_demo: None, client_for: Any, nam_tuan_officer: Any) -> None:
    from xhht.audit.models import AuditEntry

    client = client_for(nam_tuan_officer)
    assert client.post("/hoat-dong/chuyen-de/them/", TOPIC).status_code == 302
    topic = ClcTopic.objects.get(title=TOPIC["title"])
    entry = AuditEntry.objects.filter(action="clc_topic_create", object_id=str(topic.pk)).get()
    assert entry.actor == nam_tuan_officer and entry.unit_code == "05115" and entry.changes["participants"] == [None, 1050]
    assert AuditEntry.objects.filter(action="data_values_write", object_id="05115/2020-2021", actor=nam_tuan_officer).exists()


def test_duplicate_week_is_refused_on_the_form(activities_demo: None, client_for: Any, district_officer: Any) -> None:
    response = client_for(district_officer).post("/hoat-dong/tuan-le-hoc-tap/them/", {"unit_code": "051", "year": "2019", "participants": "1"})
    assert response.status_code == 400 and "đã có bản ghi này" in response.content.decode()
    assert LifelongWeek.objects.filter(unit_id="051", year=2019).count() == 1


def test_organisation_officer_changes_only_own_organisation_items(activities_demo: None, client_for: Any) -> None:
    from xhht.accounts.models import Role
    from xhht.accounts.services import user_create_or_update
    from xhht.activities.models import CommunicationItem
    from xhht.organisations.models import Organisation

    office = Organisation.objects.get(unit_id="051", name="Phòng Văn hóa và Thông tin huyện Hòa An")
    centre = Organisation.objects.get(unit_id="051", name="Trung tâm Văn hóa và Truyền thông huyện Hòa An")
    officer = user_create_or_update(actor=None, username="vhtt.hoaan", password="van-hoa-thong-tin-2020", role=Role.ORGANISATION_OFFICER, organisation=office)
    client = client_for(officer)
    own = CommunicationItem.objects.get(organisation=office, kind="news_item")
    other = CommunicationItem.objects.get(organisation=centre, kind="news_item")
    form = {"unit_code": "051", "organisation": str(office.pk), "period": "2012–2020", "channel": "district_radio_tv", "kind": "news_item",
            "count": "351", "estimated": "1"}
    assert client.post(f"/hoat-dong/truyen-thong/{own.pk}/", form).status_code == 302
    own.refresh_from_db()
    assert own.count == 351 and own.estimated
    assert client.post(f"/hoat-dong/truyen-thong/{other.pk}/", {**form, "organisation": str(centre.pk)}).status_code == 403
    assert client.post("/hoat-dong/truyen-thong/them/", {**form, "organisation": str(centre.pk), "kind": "article"}).status_code == 403
    # Nor may they write the district's other registers.
    assert client.post("/hoat-dong/kinh-phi/them/", {"unit_code": "051", "period": "2021", "source": "state_budget", "purpose": "other", "amount": "1"}).status_code == 403
    other.refresh_from_db()
    assert other.count == 123


def test_bad_filters_are_ignored_not_errors(activities_demo: None, client_for: Any, district_officer: Any) -> None:
    client = client_for(district_officer)
    for slug in ["chuyen-de", "can-bo-tthtcd", "day-nghe", "tuan-le-hoc-tap", "truyen-thong", "khen-thuong", "kinh-phi"]:
        for value in ["abc", "2019-2021", "<script>", "9999999999"]:
            response = client.get(f"/hoat-dong/{slug}/?ky={value}")
            assert response.status_code == 200, (slug, value)
            assert client.get(f"/hoat-dong/{slug}/xuat.xlsx?ky={value}").status_code == 200
    page = client.get("/hoat-dong/chuyen-de/?don_vi=051&ky=2017/2018").content.decode()
    assert "10.940" in page and "8.247" not in page
    assert client.get("/hoat-dong/khong-co/").status_code == 404
    assert client.get("/hoat-dong/chuyen-de/?don_vi=99999").status_code == 404


def test_huge_ids_answer_404(activities_demo: None, client_for: Any, district_officer: Any) -> None:
    client = client_for(district_officer)
    huge = "9" * 25
    assert client.get(f"/hoat-dong/chuyen-de/{huge}/").status_code == 404
    assert client.post(f"/hoat-dong/chuyen-de/{huge}/xoa/").status_code == 404
    assert client.get(f"/hoat-dong/day-nghe/{huge}/hoc-vien/").status_code == 404
    response = client.post("/hoat-dong/truyen-thong/them/", {"unit_code": "051", "organisation": huge, "period": "2020", "channel": "other", "kind": "article", "count": "1"})
    assert response.status_code == 400


def test_template_guidance_sheet_lists_allowed_values_and_an_example(activities_demo: None, client_for: Any, district_officer: Any) -> None:
    """The template (?mau=1) explains itself: a "Hướng dẫn" sheet with each column's rules, the closed lists read from the
    catalogue the import checks against, one example row; drop-downs on the data sheet use the same lists."""
    from xhht.activities.definitions import catalogue

    response = client_for(district_officer).get("/hoat-dong/day-nghe/xuat.xlsx?mau=1&don_vi=05115")
    assert response.status_code == 200
    assert 'filename="day-nghe-mau.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Dữ liệu", "Hướng dẫn"]
    data = workbook["Dữ liệu"]
    header = [c.value for c in data[1]]
    assert data.max_row == 1 and "Nguồn kinh phí" in header  # no rows: an untouched template imports nothing
    funding = [label for _, label in catalogue().choices("funding_source")]
    assert "Ngân sách nhà nước" in funding and "Xã hội hóa" in funding
    rows = list(workbook["Hướng dẫn"].iter_rows(values_only=True))
    by_column = {r[0]: r for r in rows if r[0] in header and r[1] in {"Có", "Không"}}
    assert set(by_column) == set(header)
    assert by_column["Nguồn kinh phí"][1] == "Có" and by_column["Nguồn kinh phí"][3].split("\n") == funding
    assert by_column["Lao động thuộc hộ nghèo"][1] == "Không" and by_column["Lao động thuộc hộ nghèo"][3] is None
    assert "2010–2030" in by_column["Năm"][2] and "4 chữ số" in by_column["Năm"][2]
    example_at = next(i for i, r in enumerate(rows) if list(r[: len(header)]) == header) + 1
    example = dict(zip(header, rows[example_at], strict=False))
    assert example["Mã đơn vị"] == "05115" and example["Năm"] == "2021" and example["Nguồn kinh phí"] == funding[0]
    assert example["Số người học"] == 25 and example["Tên lớp"]
    # The drop-down of "Nguồn kinh phí" (column H) reads the same list, written in the guidance sheet.
    column = "ABCDEFGHIJKLMN"[header.index("Nguồn kinh phí")]
    validation = next(v for v in data.data_validations.dataValidation if f"{column}2:{column}1001" in str(v.sqref))
    assert validation.type == "list"
    sheet_name, cells = validation.formula1.split("!")
    assert sheet_name == "'Hướng dẫn'"
    listed = [r[0] for r in workbook["Hướng dẫn"][cells.replace("$", "")]]
    assert [c.value for c in listed] == funding


def test_export_with_records_has_no_guidance_sheet(activities_demo: None, client_for: Any, district_officer: Any) -> None:
    workbook = load_workbook(io.BytesIO(client_for(district_officer).get("/hoat-dong/kinh-phi/xuat.xlsx?don_vi=051").content))
    assert workbook.sheetnames == ["Dữ liệu", "Tổng hợp"]
    assert not workbook["Dữ liệu"].data_validations.dataValidation
