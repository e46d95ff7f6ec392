"""The last of what the web allows on learning models and activity registers, through the API (issue 17): a district's
inspection team, an evaluation's evidence file, a whole register imported from a file, a vocational class's learner
list. Each through the web's own service or helper, refused as the web refuses (another unit's token, a viewer,
anonymous, bad input) with nothing written, each write audited with the token's owner, each personal read logged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xhht.api.tests.refusals import audit_count, refused

NT, HV, DISTRICT = "05115", "05113", "051"
WEEK = "tuan-le-hoc-tap"


@pytest.mark.django_db
def test_inspection_team_set_as_the_web_page_does(demo: None, district_officer: Any, province_officer: Any, nam_tuan_officer: Any,
                                                   viewer: Any, token_for: Any, api: Any) -> None:
    from xhht.accounts.models import Role, User
    from xhht.accounts.services import user_create_or_update
    from xhht.audit.models import AuditEntry
    from xhht.learning_models.models import InspectionTeam
    from xhht.units.models import Unit

    other_district = Unit.objects.create(code="052", kind="district", name="Huyện Khác", parent=Unit.objects.get(code=DISTRICT).parent)
    stranger = user_create_or_update(actor=None, username="pgd.khac", password="Kiem-tra-huyen-khac-7", role=Role.DISTRICT_OFFICER, unit=other_district)
    colleague = user_create_or_update(actor=None, username="pgd.hoaan2", password="Kiem-tra-dong-nghiep-7", role=Role.DISTRICT_OFFICER,
                                      unit=Unit.objects.get(code=DISTRICT))
    gone = user_create_or_update(actor=None, username="pgd.nghi", password="Kiem-tra-da-nghi-7", role=Role.DISTRICT_OFFICER,
                                 unit=Unit.objects.get(code=DISTRICT))
    User.objects.filter(pk=gone.pk).update(is_active=False)
    district, foreign, commune, look = token_for(district_officer), token_for(stranger), token_for(nam_tuan_officer), token_for(viewer)
    url = f"learning-models/{DISTRICT}/2021/inspection-team"
    body = {"members": [district_officer.pk, "pgd.hoaan2"], "decision_number": "12/QĐ-PGDĐT"}

    before = audit_count()
    refused(api("put", url, foreign, json=body), 404)  # another district's token: as absent
    refused(api("put", url, commune, json=body), 404)  # a commune's token does not see its district
    refused(api("put", url, look, json=body), 403)  # the district's viewer sees the page, may not set it
    refused(api("put", url, None, json=body), 401, "Authorization")
    refused(api("put", f"learning-models/{NT}/2021/inspection-team", district, json=body), 404)  # only a district has one
    refused(api("put", f"learning-models/{DISTRICT}/3000/inspection-team", district, json=body), 400, "year")
    refused(api("put", url, district, json={"members": ["khong.co"]}), 400, "members")
    refused(api("put", url, district, json={"members": [nam_tuan_officer.pk]}), 400, "members")  # not the district's account
    refused(api("put", url, district, json={"members": ["xa.namtuan"]}), 400, "members")
    refused(api("put", url, district, json={"members": [stranger.pk]}), 400, "members")
    refused(api("put", url, district, json={"members": ["pgd.nghi"]}), 400, "members")  # inactive: not on the web's list
    refused(api("put", url, district, json={"members": [district_officer.pk], "decision_number": "x" * 61}), 400, "decision_number")
    refused(api("put", url, district, json={"members": "pgd.hoaan"}), 400, "members")
    refused(api("put", url, district, json={"decision_number": "1"}), 400, "members")
    assert audit_count() == before and not InspectionTeam.objects.filter(district_id=DISTRICT, year=2021).exists()

    r = api("put", url, district, json=body)
    assert r.status_code == 200, r.content
    assert [m["username"] for m in r.json()["members"]] == ["pgd.hoaan", "pgd.hoaan2"] and r.json()["decision_number"] == "12/QĐ-PGDĐT"
    assert {"pgd.hoaan", "pgd.hoaan2", "xem.hoaan"} <= {c["username"] for c in r.json()["candidates"]}
    assert "pgd.nghi" not in {c["username"] for c in r.json()["candidates"]}
    team = InspectionTeam.objects.get(district_id=DISTRICT, year=2021)
    assert set(team.members.all()) == {district_officer, colleague}
    entry = AuditEntry.objects.filter(action="learning_inspection_team_set").order_by("-pk").first()
    assert entry is not None and entry.actor == district_officer and entry.unit_code == DISTRICT and "qua API" in entry.note
    assert entry.changes["members"] == [[], ["pgd.hoaan", "pgd.hoaan2"]]
    # Read by whoever sees the district (its viewer too), as the web's page; the province's officer may set it.
    assert api("get", url, look).json()["members"] == r.json()["members"]
    refused(api("get", url, foreign), 404)
    r = api("put", url, token_for(province_officer), json={"members": ["pgd.hoaan"]})  # the number already recorded stays
    assert r.status_code == 200 and [m["username"] for m in r.json()["members"]] == ["pgd.hoaan"], r.content
    assert r.json()["decision_number"] == "12/QĐ-PGDĐT"


@pytest.mark.django_db
def test_web_team_page_refuses_a_number_too_long_and_writes_nothing(demo: None, district_officer: Any, client_for: Any) -> None:
    from xhht.learning_models.models import InspectionTeam

    client = client_for(district_officer)
    r = client.post(f"/mo-hinh-hoc-tap/don-vi/{DISTRICT}/2021/doan-kiem-tra/", {"members": [str(district_officer.pk)], "decision_number": "x" * 61})
    assert r.status_code == 302
    assert not InspectionTeam.objects.filter(district_id=DISTRICT, year=2021).exists()


@pytest.mark.django_db
def test_evidence_downloaded_as_from_the_web(demo: None, nam_tuan_officer: Any, hong_viet_officer: Any, viewer: Any, token_for: Any,
                                             api: Any, client_for: Any, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    commune, neighbour, look = token_for(nam_tuan_officer), token_for(hong_viet_officer), token_for(viewer)
    reg = api("post", f"learning-models/{NT}/2020/registrations", commune, json={"kind": "family", "name": "Hộ bà Lục Thị G"}).json()
    ev = api("post", f"learning-models/participants/{reg['participant_id']}/2020/evaluation", commune).json()
    up = api("post", f"learning-models/evaluations/{ev['id']}/evidence", commune,
             data={"file": SimpleUploadedFile("biên bản.pdf", b"%PDF-1.4 minh chung G", "application/pdf"), "indicator": "c1_1"})
    assert up.status_code == 201, up.content
    listed = api("get", f"learning-models/evaluations/{ev['id']}", commune).json()["evidence"]
    assert [(e["id"], e["name"], e["indicator"]) for e in listed] == [(up.json()["id"], "biên bản.pdf", "c1_1")]
    url = f"learning-models/evaluations/{ev['id']}/evidence/{up.json()['id']}"
    other = api("post", f"learning-models/{NT}/2020/registrations", commune, json={"kind": "family", "name": "Hộ ông Lục Văn H"}).json()
    ev2 = api("post", f"learning-models/participants/{other['participant_id']}/2020/evaluation", commune).json()

    before = audit_count()
    r = api("get", url, commune)
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"%PDF-1.4 minh chung G"
    assert r["Content-Type"] == "application/octet-stream" and r["Content-Disposition"].startswith("attachment")
    web = client_for(nam_tuan_officer).get(f"/mo-hinh-hoc-tap/danh-gia/{ev['id']}/minh-chung/{up.json()['id']}/")
    assert web.status_code == 200 and (web["Content-Type"], web["Content-Disposition"]) == (r["Content-Type"], r["Content-Disposition"])
    assert b"".join(web.streaming_content) == b"%PDF-1.4 minh chung G"  # read through the client (closing it by hand closes the database)
    client_for(nam_tuan_officer).logout()  # the API below is called with a token or nothing, not the web's session
    assert api("get", url, look).status_code == 200  # the district's viewer sees the evaluation, as on the web
    refused(api("get", url, neighbour), 404)
    refused(api("get", url, None), 401, "Authorization")
    refused(api("get", f"learning-models/evaluations/{ev['id']}/evidence/999999", commune), 404)
    refused(api("get", f"learning-models/evaluations/{ev2['id']}/evidence/{up.json()['id']}", commune), 404)  # not this evaluation's
    assert audit_count() == before  # downloads log nothing, as on the web
    from xhht.learning_models.models import Evidence

    Path(Evidence.objects.get(pk=up.json()["id"]).file.path).unlink()
    refused(api("get", url, commune), 404)  # a file gone from the disk: 404, not a server error


def _week_file(rows: list[str], name: str = "tuan-le.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("unit_code,year,theme,participants\n" + "\n".join(rows) + "\n").encode())


def job_refused(r: Any) -> dict[str, Any]:
    """A file accepted for import (202, the job's reference) whose job refused it whole: every problem, nothing written."""
    assert r.status_code == 202, r.content
    body = r.json()
    assert body["state"] == "rejected" and body["problems"] and body["url"].endswith(f"/{body['job']}"), body
    assert all(p["message"] in text for p, text in zip(body["places"], body["problems"], strict=True))
    return dict(body)


@pytest.mark.django_db
def test_register_imported_whole_as_the_web_import_page_does(demo: None, nam_tuan_officer: Any, hong_viet_officer: Any, viewer: Any,
                                                              token_for: Any, api: Any, settings: Any) -> None:
    from xhht.activities.models import LifelongWeek
    from xhht.audit.models import AuditEntry

    settings.XHHT_JOBS_INLINE = True  # the import's job runs in the request here (the worker's, in production)
    commune, neighbour, look = token_for(nam_tuan_officer), token_for(hong_viet_officer), token_for(viewer)
    url = f"activities/{WEEK}/import"
    stored = lambda: sorted(LifelongWeek.objects.filter(unit_id__in=(NT, HV)).values_list("unit_id", "year", "participants"))  # noqa: E731
    start, before = stored(), audit_count()
    refused(api("post", url, look, data={"file": _week_file([f"{NT},2019,Học tập,50"])}), 403)
    refused(api("post", url, None, data={"file": _week_file([f"{NT},2019,Học tập,50"])}), 401, "Authorization")
    refused(api("post", "activities/khong-co/import", commune, data={"file": _week_file([f"{NT},2019,Học tập,50"])}), 404, "slug")
    refused(api("post", url, commune, data={}), 400, "file")
    body = job_refused(api("post", url, neighbour, data={"file": _week_file([f"{NT},2019,Học tập,50"])}))
    assert [(p["row"], p["file"]) for p in body["places"]] == [(2, "tuan-le.csv")]  # another commune's rows: refused whole
    body = job_refused(api("post", url, commune, data={"file": _week_file([f"{NT},2019,Học tập,50", f"{NT},2018,Học tập,nhiều",
                                                                          f"{HV},2019,Học tập,40"])}))
    assert [(p["row"], p["column"]) for p in body["places"]][:1] == [(3, "Người tham gia")] and len(body["places"]) == 2
    assert all(set(p) == {"message", "file", "sheet", "row", "column"} and p["message"] for p in body["places"])
    body = job_refused(api("post", url, commune, data={"file": SimpleUploadedFile("x.csv", b"ma,nam\n1,2\n")}))
    assert body["places"] and body["places"][0]["row"] == 1
    limit, settings.XHHT_MAX_UPLOAD_BYTES = settings.XHHT_MAX_UPLOAD_BYTES, 20  # the web's bound, refused before the file is kept
    body = job_refused(api("post", url, commune, data={"file": _week_file([f"{NT},2019,Học tập,50"])}))
    assert "quá lớn" in body["problems"][0] and body["file"] == "tuan-le.csv"
    settings.XHHT_MAX_UPLOAD_BYTES = limit
    assert stored() == start and audit_count() == before

    r = api("post", url, commune, data={"file": _week_file([f"{NT},2017,Học tập suốt đời,70", f"{NT},2016,Đọc sách,55"])})
    assert r.status_code == 202, r.content
    body = r.json()
    assert {k: body[k] for k in ("register", "state", "rows", "scopes", "changed_scopes", "problems")} == {
        "register": WEEK, "state": "done", "rows": 2, "scopes": 2, "changed_scopes": 2, "problems": []}
    assert body["url"] == f"/api/v1/{url}/{body['job']}"
    assert api("get", f"{url}/{body['job']}", commune).json() == body  # followed at its URL, the same answer
    assert {(y, p) for u, y, p in stored() if u == NT} >= {(2017, 70), (2016, 55)}
    entry = AuditEntry.objects.filter(unit_code=NT, note__contains="tuan-le.csv").order_by("-pk").first()
    assert entry is not None and entry.actor == nam_tuan_officer and "qua API" in entry.note  # the token, kept by the job
    # The job is its sender's alone: the neighbour commune's token, the district's viewer, anonymous see nothing.
    refused(api("get", f"{url}/{body['job']}", neighbour), 404, "job")
    refused(api("get", f"{url}/{body['job']}", look), 404, "job")
    refused(api("get", f"{url}/{body['job']}", None), 401, "Authorization")
    refused(api("get", f"activities/chuyen-de/import/{body['job']}", commune), 404, "job")  # not an import of that register


@pytest.mark.django_db
def test_register_import_waits_for_the_worker(demo: None, nam_tuan_officer: Any, token_for: Any, api: Any, settings: Any,
                                              tmp_path: Path) -> None:
    """Without a worker nothing is written: the job waits, queued; a worker claims it and the import is done."""
    from xhht.activities.models import LifelongWeek
    from xhht.audit.models import AuditEntry
    from xhht.jobs.runner import job_run
    from xhht.jobs.services import job_claim, uploads_dir

    settings.DATA_DIR = tmp_path
    commune = token_for(nam_tuan_officer)
    url = f"activities/{WEEK}/import"
    r = api("post", url, commune, data={"file": _week_file([f"{NT},2014,Tuần lễ chờ,33"])})
    assert r.status_code == 202 and r.json()["state"] == "running" and r.json()["queued"] is True
    assert not LifelongWeek.objects.filter(unit_id=NT, year=2014).exists()
    assert len(list(uploads_dir().iterdir())) == 1  # the upload, owned by the job
    claimed = job_claim(worker="test")
    assert claimed is not None and claimed.pk == r.json()["job"]
    job_run(job=claimed, worker="test")
    assert api("get", f"{url}/{r.json()['job']}", commune).json()["state"] == "done"
    assert LifelongWeek.objects.get(unit_id=NT, year=2014).participants == 33
    assert list(uploads_dir().iterdir()) == []  # removed when the job ended
    # Run by the worker, outside the request, the job's audit rows still name the token it came through.
    entry = AuditEntry.objects.filter(unit_code=NT, note__contains="tuan-le.csv").order_by("-pk").first()
    assert entry is not None and entry.actor == nam_tuan_officer and "qua API, khóa #" in entry.note


@pytest.mark.django_db
def test_learner_list_read_and_exported_each_logged_as_on_the_web(demo: None, district_officer: Any, nam_tuan_officer: Any,
                                                                  hong_viet_officer: Any, viewer: Any, token_for: Any, api: Any,
                                                                  client_for: Any) -> None:
    from openpyxl import load_workbook

    from xhht.activities.models import VocationalClass, VocationalLearner
    from xhht.audit.models import AuditEntry
    from xhht.audit.services import PERSON_RECORDS_EXPORT, PERSON_RECORDS_READ
    from xhht.units.models import Unit

    klass = VocationalClass.objects.create(unit=Unit.objects.get(code=NT), year=2019, name="Lớp trồng chè", trade="Trồng chè",
                                           sector="agriculture", level="so_cap", funding_source="state", learners=2)
    VocationalLearner.objects.create(vocational_class=klass, full_name="Nông Văn A", birth_year=1985, sex="M", ethnicity="Tày",
                                     ethnic_minority=True)
    VocationalLearner.objects.create(vocational_class=klass, full_name="Hoàng Thị B", birth_year=1990, sex="F", poor_household=True)
    commune, neighbour, look = token_for(nam_tuan_officer), token_for(hong_viet_officer), token_for(viewer)
    url = f"activities/day-nghe/{klass.pk}/learners"

    def last(action: str) -> Any:
        return AuditEntry.objects.filter(action=action).order_by("-pk").first()

    before = audit_count()
    refused(api("get", url, neighbour), 404, "record")
    refused(api("get", url + ".xlsx", neighbour), 404, "record")
    refused(api("get", url, None), 401, "Authorization")
    refused(api("get", url + ".xlsx", None), 401, "Authorization")
    refused(api("get", f"activities/chuyen-de/{klass.pk}/learners", commune), 404, "slug")
    refused(api("get", "activities/day-nghe/99999999/learners", commune), 404, "record")
    assert audit_count() == before  # a refused read logs nothing

    r = api("get", url, commune)
    assert r.status_code == 200, r.content
    assert [(p["full_name"], p["birth_year"], p["sex"], p["ethnic_minority"], p["poor_household"]) for p in r.json()["items"]] == [
        ("Nông Văn A", 1985, "M", True, False), ("Hoàng Thị B", 1990, "F", False, True)]
    assert (r.json()["unit"], r.json()["count"]) == (NT, 2)
    api_read = last(PERSON_RECORDS_READ)
    assert client_for(nam_tuan_officer).get(f"/hoat-dong/day-nghe/{klass.pk}/hoc-vien/").status_code == 200
    web_read = last(PERSON_RECORDS_READ)
    client_for(nam_tuan_officer).logout()
    assert api_read.pk != web_read.pk and api_read.actor == nam_tuan_officer and "qua API" in api_read.note
    fields = ("action", "object_type", "object_id", "object_repr", "unit_code", "changes")
    assert [getattr(api_read, f) for f in fields] == [getattr(web_read, f) for f in fields]
    assert api_read.changes == {"count": [None, 2]} and api_read.unit_code == NT

    r = api("get", url + ".xlsx", look)  # the district's viewer sees the class, as on the web
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    import io

    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0][0] == "Họ và tên" and [row[0] for row in rows[1:]] == ["Nông Văn A", "Hoàng Thị B"]
    api_export = last(PERSON_RECORDS_EXPORT)
    assert client_for(viewer).get(f"/hoat-dong/day-nghe/{klass.pk}/hoc-vien.xlsx").status_code == 200
    web_export = last(PERSON_RECORDS_EXPORT)
    assert api_export.actor == viewer and [getattr(api_export, f) for f in fields] == [getattr(web_export, f) for f in fields]
    assert audit_count() == before + 4


LEARNERS = "Họ và tên,Năm sinh,Giới tính,Dân tộc,Dân tộc thiểu số,Hộ nghèo,Đối tượng chính sách,Người khuyết tật\n"


def _learner_file(rows: list[str], name: str = "hoc-vien.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (LEARNERS + "\n".join(rows) + "\n").encode())


@pytest.mark.django_db
def test_learner_list_imported_as_the_web_learner_page_does(demo: None, nam_tuan_officer: Any, hong_viet_officer: Any, viewer: Any,
                                                            token_for: Any, api: Any, settings: Any) -> None:
    from xhht.activities.models import VocationalClass, VocationalLearner
    from xhht.audit.models import AuditEntry
    from xhht.units.models import Unit

    settings.XHHT_JOBS_INLINE = True  # the import's job runs in the request here (the worker's, in production)
    klass = VocationalClass.objects.create(unit=Unit.objects.get(code=NT), year=2019, name="Lớp trồng chè", trade="Trồng chè",
                                           sector="agriculture", level="so_cap", funding_source="state", learners=1)
    VocationalLearner.objects.create(vocational_class=klass, full_name="Người cũ", birth_year=1970)
    commune, neighbour, look = token_for(nam_tuan_officer), token_for(hong_viet_officer), token_for(viewer)
    url = f"activities/day-nghe/{klass.pk}/learners/import"
    good = ["Nông Văn A,1985,Nam,Tày,,1,,", "Hoàng Thị B,1990,Nữ,Nùng,,,1,"]
    stored = lambda: list(VocationalLearner.objects.filter(vocational_class=klass).order_by("pk").values_list("full_name", flat=True))  # noqa: E731
    before = audit_count()
    refused(api("post", url, neighbour, data={"file": _learner_file(good)}), 404, "record")  # another commune's class
    refused(api("post", url, look, data={"file": _learner_file(good)}), 403)  # the district's viewer sees it, may not change it
    refused(api("post", url, None, data={"file": _learner_file(good)}), 401, "Authorization")
    refused(api("post", f"activities/chuyen-de/{klass.pk}/learners/import", commune, data={"file": _learner_file(good)}), 404, "slug")
    refused(api("post", "activities/day-nghe/99999999/learners/import", commune, data={"file": _learner_file(good)}), 404, "record")
    refused(api("post", url, commune, data={}), 400, "file")
    body = job_refused(api("post", url, commune, data={"file": _learner_file([good[0], "Hoàng Thị B,năm nào,Nữ,Nùng,,,1,"])}))
    assert [(p["file"], p["row"], p["column"]) for p in body["places"]] == [("hoc-vien.csv", 3, "Năm sinh")]
    assert all(set(p) == {"message", "file", "sheet", "row", "column"} and p["message"] for p in body["places"])
    body = job_refused(api("post", url, commune, data={"file": SimpleUploadedFile("x.csv", b"ma,nam\n1,2\n")}))
    assert body["places"] and body["places"][0]["row"] == 1
    limit, settings.XHHT_MAX_UPLOAD_BYTES = settings.XHHT_MAX_UPLOAD_BYTES, 20  # the web's bound, refused before the file is kept
    body = job_refused(api("post", url, commune, data={"file": _learner_file(good)}))
    assert "quá lớn" in body["problems"][0]
    settings.XHHT_MAX_UPLOAD_BYTES = limit
    klass.refresh_from_db()
    assert stored() == ["Người cũ"] and klass.learners == 1 and audit_count() == before

    r = api("post", url, commune, data={"file": _learner_file(good)})
    assert r.status_code == 202, r.content
    body = r.json()
    assert {k: body[k] for k in ("class", "unit", "state", "count", "learners")} == {"class": klass.pk, "unit": NT, "state": "done", "count": 2,
                                                                                     "learners": 2}
    assert api("get", f"{url}/{body['job']}", commune).json() == body and body["url"] == f"/api/v1/{url}/{body['job']}"
    refused(api("get", f"{url}/{body['job']}", look), 404, "job")  # sees the class, not another's import
    refused(api("get", f"{url}/{body['job']}", neighbour), 404, "record")
    klass.refresh_from_db()
    assert stored() == ["Nông Văn A", "Hoàng Thị B"] and (klass.learners, klass.ethnic_minority, klass.poor_household) == (2, 2, 1)
    entry = AuditEntry.objects.filter(action="vocational_learners_replace", object_id=str(klass.pk)).get()
    assert entry.actor == nam_tuan_officer and entry.unit_code == NT and "qua API" in entry.note
    assert entry.changes["learner_list"] == [1, 2]
