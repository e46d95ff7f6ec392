"""The web pages: results with chart, persons for the commune officer, audited edits, refusals, upload with progress."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from xhht.audit.models import AuditEntry
from xhht.demo.foundation import NAM_TUAN
from xhht.literacy.models import CommuneAggregate, SurveyPerson


def test_results_page_of_the_district(survey: None, client_for: Any, district_officer: Any) -> None:
    response = client_for(district_officer).get("/xoa-mu-chu/051/2019/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("7.844", "7.916", "99,09%", "98,75%", "96,28%", "<svg", "xã Nam Tuấn", "21/21", "mức độ 2", "mức độ 3"):
        assert text in html, text
    assert "http://" not in html.split("<svg", 1)[1].split("</svg>", 1)[0].replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_results_page_of_a_commune_shows_the_checks(survey: None, client_for: Any, nam_tuan_officer: Any) -> None:
    html = client_for(nam_tuan_officer).get("/xoa-mu-chu/05115/2019/").content.decode()
    assert "Các tiêu chí tính từ phiếu điều tra" in html and "chưa kiểm chứng" in html and "Danh sách người" in html


def test_other_communes_answer_404(survey: None, client_for: Any, nam_tuan_officer: Any) -> None:
    client = client_for(nam_tuan_officer)
    person = SurveyPerson.objects.filter(commune_id="05113", year=2019).first()
    assert person is not None
    assert client.get("/xoa-mu-chu/05113/2019/").status_code == 404
    assert client.get("/xoa-mu-chu/05113/2019/nguoi/").status_code == 404
    assert client.get(f"/xoa-mu-chu/05113/2019/nguoi/{person.person_id}/").status_code == 404
    assert client.post(f"/xoa-mu-chu/05113/2019/nguoi/{person.person_id}/", {"full_name": "x"}).status_code == 404
    # A person of another commune through one's own commune's URL: 404 too.
    assert client.get(f"/xoa-mu-chu/05115/2019/nguoi/{person.person_id}/").status_code == 404


def test_anonymous_is_sent_to_login(survey: None, client: Any) -> None:
    response = client.get("/xoa-mu-chu/051/2019/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_person_search_without_diacritics(survey: None, client_for: Any, nam_tuan_officer: Any) -> None:
    client = client_for(nam_tuan_officer)
    html = client.get("/xoa-mu-chu/05115/2019/nguoi/", {"q": "nguyen van"}).content.decode()
    names = SurveyPerson.objects.filter(commune_id="05115", year=2019, full_name__startswith="Nguyễn Văn")
    assert names.exists()
    assert names.first().full_name in html
    assert "Hoàng Thị" not in html
    partial = client.get("/xoa-mu-chu/05115/2019/nguoi/", {"q": "NGUYỄN văn"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and names.first().full_name in partial


def test_person_edit_is_audited_and_recomputes(survey: None, client_for: Any, nam_tuan_officer: Any) -> None:
    client = client_for(nam_tuan_officer)
    person = SurveyPerson.objects.filter(commune_id="05115", year=2019, highest_grade=0, literacy_phase=0,
                                         birth_year__lte=2019 - 20, birth_year__gte=2019 - 60, disability=0).first()
    assert person is not None
    level2_before = sum(CommuneAggregate.objects.filter(commune_id="05115", year=2019).values_list("level2", flat=True))
    form = {"full_name": person.full_name, "sex": person.sex, "birth_date": str(person.birth_year), "ethnicity": person.ethnicity,
            "village": person.village, "household_code": person.household_code, "disability": "0", "highest_grade": "5",
            "enrolled_grade": "", "literacy_phase": "0", "primary_completion_year": "", "lower_secondary_completion_year": ""}
    response = client.post(f"/xoa-mu-chu/05115/2019/nguoi/{person.person_id}/", form)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.highest_grade == 5
    level2_after = sum(CommuneAggregate.objects.filter(commune_id="05115", year=2019).values_list("level2", flat=True))
    assert level2_after == level2_before + 1
    entry = AuditEntry.objects.filter(action="survey_person_update", object_id=f"05115/2019/{person.person_id}").latest("id")
    assert entry.changes["highest_grade"] == [0, 5] and entry.actor == nam_tuan_officer and entry.unit_code == "05115"


def test_person_edit_refuses_impossible_values(survey: None, client_for: Any, nam_tuan_officer: Any) -> None:
    client = client_for(nam_tuan_officer)
    person = SurveyPerson.objects.filter(commune_id="05115", year=2019, birth_year=2012).first()
    assert person is not None
    form = {"full_name": "x", "sex": "M", "birth_date": "2012", "ethnicity": "", "village": "", "household_code": "H1",
            "disability": "0", "highest_grade": "9", "enrolled_grade": "", "literacy_phase": "0",
            "primary_completion_year": "", "lower_secondary_completion_year": ""}
    response = client.post(f"/xoa-mu-chu/05115/2019/nguoi/{person.person_id}/", form)
    assert response.status_code == 200 and "7 tuổi mà đã hoàn thành lớp 9" in response.content.decode()
    person.refresh_from_db()
    assert person.highest_grade != 9


def test_viewer_cannot_edit(survey: None, client_for: Any, viewer: Any) -> None:
    client = client_for(viewer)
    person = SurveyPerson.objects.filter(commune_id="05115", year=2019).first()
    assert client.get("/xoa-mu-chu/05115/2019/nguoi/").status_code == 200
    assert client.get(f"/xoa-mu-chu/05115/2019/nguoi/{person.person_id}/").status_code == 403
    assert client.get("/xoa-mu-chu/nhap/").status_code == 403


def test_attestation_by_the_education_office_only(survey: None, client_for: Any, district_officer: Any, nam_tuan_officer: Any) -> None:
    assert client_for(nam_tuan_officer).get("/xoa-mu-chu/05115/2019/xac-nhan/").status_code == 403
    client = client_for(district_officer)
    response = client.post("/xoa-mu-chu/05115/2019/xac-nhan/", {"literacy": "1", "primary": "3", "lower_secondary": "2", "note": "biên bản"})
    assert response.status_code == 302
    from xhht.literacy.selectors import unit_results
    from xhht.units.models import Unit

    assert unit_results(unit=Unit.objects.get(code="05115"), year=2019).standards["literacy"] == 1
    assert AuditEntry.objects.filter(action="literacy_attestation_set", unit_code="05115").exists()


@pytest.fixture
def inline_import(settings: Any, tmp_path: Path) -> None:
    settings.XHHT_JOBS_INLINE = True
    settings.DATA_DIR = tmp_path


def test_upload_shows_progress_then_result(survey: None, client_for: Any, nam_tuan_officer: Any, inline_import: None) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_import import GOOD, HEADER

    client = client_for(nam_tuan_officer)
    body = ("\n".join([HEADER, *GOOD]) + "\n").encode()
    response = client.post("/xoa-mu-chu/nhap/", {"year": "2019", "file": SimpleUploadedFile("xa.csv", body, "text/csv")})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Đã nhập 4 người của 1 xã" in page.content.decode()
    job = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    status = client.get(f"/xoa-mu-chu/nhap/{job}/trang-thai")
    assert status.status_code == 200 and "hx-get" not in status.content.decode()
    assert SurveyPerson.objects.filter(commune_id="05115", year=2019).count() == 4


def test_upload_rejected_lists_problems_and_keeps_data(survey: None, client_for: Any, nam_tuan_officer: Any, hong_viet_officer: Any,
                                                        inline_import: None) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_import import GOOD, HEADER

    before = SurveyPerson.objects.filter(commune_id="05115", year=2019).count()
    client = client_for(hong_viet_officer)
    body = ("\n".join([HEADER, *GOOD]) + "\n").encode()
    response = client.post("/xoa-mu-chu/nhap/", {"year": "2019", "file": SimpleUploadedFile("xa.csv", body, "text/csv")})
    html = client.get(response["Location"]).content.decode()
    assert "Tệp bị từ chối" in html and "nằm ngoài đơn vị" in html and "dòng 2" in html
    assert SurveyPerson.objects.filter(commune_id="05115", year=2019).count() == before
    # Another user cannot see the job.
    assert client_for(nam_tuan_officer).get(response["Location"]).status_code == 404


def test_running_job_polls(survey: None, client_for: Any, nam_tuan_officer: Any, settings: Any, tmp_path: Path) -> None:
    from xhht.jobs.services import job_claim, job_enqueue, job_progress
    from xhht.literacy import jobs

    settings.DATA_DIR = tmp_path
    job = job_enqueue(handler=jobs.HANDLER, params={"year": 2019, "file": "x.csv"}, user=nam_tuan_officer, unit_code=NAM_TUAN)
    html = client_for(nam_tuan_officer).get(f"/xoa-mu-chu/nhap/{job.pk}/trang-thai").content.decode()
    assert "hx-get" in html and "Đang chờ đến lượt" in html
    # No worker has been heard from (none runs in the tests): the page says why the file waits, and that it may be closed.
    assert 'id="worker-silent"' in html and "Có thể đóng trang này" in html
    assert job_claim(worker="w") is not None
    job_progress(job_id=job.pk, worker="w", phase="checking", done_units=12345)
    html = client_for(nam_tuan_officer).get(f"/xoa-mu-chu/nhap/{job.pk}/trang-thai").content.decode()
    assert "hx-get" in html and "12.345" in html and "<progress" in html and 'id="worker-silent"' not in html  # running: not waiting


def test_second_import_of_the_same_commune_and_year_is_refused_clearly(survey: None, client_for: Any, nam_tuan_officer: Any,
                                                                          settings: Any, tmp_path: Path) -> None:
    """The attack: two uploads of one commune at once ended in an IntegrityError traceback."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xhht.jobs.models import Job
    from xhht.jobs.services import uploads_dir

    from .test_import import GOOD, HEADER

    settings.DATA_DIR = tmp_path
    body = ("\n".join([HEADER, *GOOD]) + "\n").encode()
    client = client_for(nam_tuan_officer)
    first = client.post("/xoa-mu-chu/nhap/", {"year": "2019", "file": SimpleUploadedFile("a.csv", body, "text/csv")})
    assert first.status_code == 302
    second = client.post("/xoa-mu-chu/nhap/", {"year": "2019", "file": SimpleUploadedFile("b.csv", body, "text/csv")})
    assert second.status_code == 200
    assert "Một lượt nhập khác của xã Nam Tuấn năm 2019 đang chạy" in second.content.decode()
    assert Job.objects.filter(unit_code=NAM_TUAN).count() == 1
    assert len(list(uploads_dir().iterdir())) == 1  # the refused file is not kept
    # Another year is another import.
    assert client.post("/xoa-mu-chu/nhap/", {"year": "2020", "file": SimpleUploadedFile("c.csv", body, "text/csv")}).status_code == 302


def test_finished_import_leaves_no_upload_behind(survey: None, client_for: Any, nam_tuan_officer: Any, inline_import: None) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xhht.jobs.services import uploads_dir

    from .test_import import GOOD, HEADER

    body = ("\n".join([HEADER, *GOOD]) + "\n").encode()
    client_for(nam_tuan_officer).post("/xoa-mu-chu/nhap/", {"year": "2019", "file": SimpleUploadedFile("a.csv", body, "text/csv")})
    assert list(uploads_dir().iterdir()) == []


def test_a_crashing_import_ends_failed_with_its_reason_and_traceback_logged(
        survey: None, client_for: Any, nam_tuan_officer: Any, inline_import: None, monkeypatch: Any, caplog: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xhht.literacy import services

    def boom(**kwargs: Any) -> None:
        raise ValueError("hỏng")

    monkeypatch.setattr(services, "persons_import", boom)
    client = client_for(nam_tuan_officer)
    response = client.post("/xoa-mu-chu/nhap/", {"year": "2019", "file": SimpleUploadedFile("a.csv", b"x", "text/csv")})
    html = client.get(response["Location"]).content.decode()
    assert "Lỗi hệ thống (ValueError)" in html and "đã ghi vào nhật ký" in html
    # The system's fault, said so: not "the file was refused" (the job pages share jobs/_refused.html).
    assert "lỗi của hệ thống (không phải do tệp)" in html and "Tệp bị từ chối" not in html
    failed = [r for r in caplog.records if r.name == "xhht.jobs" and r.levelname == "ERROR"]
    assert failed and failed[0].exc_info and "hỏng" in str(failed[0].exc_info[1])


def test_pcgd_figures_shown_for_the_district(survey: None, client_for: Any, district_officer: Any) -> None:
    from xhht.literacy.selectors import pcgd_rows, unit_results
    from xhht.units.models import Unit

    rows = pcgd_rows(unit_results(unit=Unit.objects.get(code="051"), year=2019))
    six = rows[0]
    assert six[1] == six[2] > 0  # every 6-year-old entered grade 1
    html = client_for(district_officer).get("/xoa-mu-chu/051/2019/").content.decode()
    assert "Trẻ 6 tuổi vào lớp 1" in html and "100,00%" in html


def test_upload_too_big_is_refused_before_saving(survey: None, client_for: Any, nam_tuan_officer: Any, inline_import: None,
                                                 settings: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.XHHT_MAX_PERSONS_FILE_BYTES = 100
    client = client_for(nam_tuan_officer)
    response = client.post("/xoa-mu-chu/nhap/", {"year": "2019", "file": SimpleUploadedFile("big.csv", b"x" * 1000, "text/csv")})
    assert "tệp quá lớn" in client.get(response["Location"]).content.decode()


def test_a_cli_import_and_a_web_import_of_one_year_never_run_together(survey: None, nam_tuan_officer: Any, tmp_path: Path,
                                                                       settings: Any) -> None:
    from django.core.management import CommandError, call_command

    from xhht.jobs.services import job_claim, job_enqueue, job_held
    from xhht.literacy import jobs

    from .test_import import GOOD, HEADER

    settings.DATA_DIR = tmp_path
    source = tmp_path / "xa.csv"
    source.write_text("\n".join([HEADER, *GOOD]) + "\n", encoding="utf-8")
    web = job_enqueue(handler=jobs.HANDLER, params={"year": 2019, "file": "a.csv"}, user=nam_tuan_officer, unit_code=NAM_TUAN,
                      group=f"{jobs.GROUP}2019")
    assert job_claim(worker="w") is not None  # the web import runs
    with pytest.raises(CommandError, match="Một lượt nhập phiếu điều tra khác của năm 2019 đang chạy"):
        call_command("import_persons", str(source), year=2019, verbosity=0)
    call_command("import_persons", str(source), year=2020, verbosity=0)  # another year goes ahead
    web.refresh_from_db()
    web.state = "done"
    web.save()
    # While the CLI holds the year, the worker leaves that year's web imports queued.
    job_enqueue(handler=jobs.HANDLER, params={"year": 2019, "file": "b.csv"}, user=nam_tuan_officer, unit_code=NAM_TUAN,
                group=f"{jobs.GROUP}2019")
    with job_held(handler="cli:import_persons", params={}, group=f"{jobs.GROUP}2019"):
        assert job_claim(worker="w") is None
    assert job_claim(worker="w") is not None


def test_an_import_whose_sender_was_disabled_before_the_worker_ran_it_writes_nothing(survey: None, client_for: Any, nam_tuan_officer: Any,
                                                                                     settings: Any, tmp_path: Path) -> None:
    """The job writes as its sender with their rights of now (jobs.runner.job_sender), as every import job does."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xhht.accounts.models import User
    from xhht.jobs.runner import SENDER_GONE, job_run
    from xhht.jobs.services import job_claim
    from xhht.literacy.models import SurveyPerson

    from .test_import import GOOD, HEADER

    settings.DATA_DIR = tmp_path
    before = SurveyPerson.objects.count()
    body = ("\n".join([HEADER, *GOOD]) + "\n").encode()
    assert client_for(nam_tuan_officer).post("/xoa-mu-chu/nhap/", {"year": "2019", "file": SimpleUploadedFile("a.csv", body, "text/csv")}).status_code == 302
    User.objects.filter(pk=nam_tuan_officer.pk).update(is_active=False)
    job = job_claim(worker="test")
    assert job is not None and job_run(job=job, worker="test") == "rejected"
    job.refresh_from_db()
    assert job.result["problems"] == [SENDER_GONE] and SurveyPerson.objects.count() == before
