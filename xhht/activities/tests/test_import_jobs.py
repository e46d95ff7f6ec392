"""Imports of activity registers and of learner lists are jobs (xhht worker): the web queues them, the job's page
follows them; only the sender sees the job; a refused file writes nothing and names every problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from xhht.activities.models import ClcTopic, VocationalClass, VocationalLearner
from xhht.audit.models import AuditEntry
from xhht.indicators.models import DataValue
from xhht.jobs.models import Job

pytestmark = pytest.mark.django_db

TOPICS = "unit_code,school_year,title,subject_area,classes,participants\n"
LEARNERS = "Họ và tên,Năm sinh,Giới tính,Dân tộc\n"


@pytest.fixture
def jobs_inline(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    settings.XHHT_JOBS_INLINE = True  # each job runs in the request here (the worker's, in production)


def _state() -> tuple[int, ...]:
    return ClcTopic.objects.count(), VocationalLearner.objects.count(), DataValue.objects.count(), AuditEntry.objects.count()


def _topics(body: str, name: str = "cd.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (TOPICS + body).encode())


def test_another_communes_rows_refused_whole_and_the_job_is_the_senders_alone(
        activities_demo: None, client_for: Any, nam_tuan_officer: Any, hong_viet_officer: Any, district_officer: Any, viewer: Any,
        jobs_inline: None) -> None:
    before = _state()
    own = client_for(nam_tuan_officer)
    response = own.post("/hoat-dong/chuyen-de/nhap/", {"tep": _topics("05115,2021-2022,Luật,law,1,40\n05113,2021-2022,Luật,law,1,30\n")})
    assert response.status_code == 302
    page = own.get(response.url).content.decode()
    assert "Tệp bị từ chối, không ghi dữ liệu nào" in page and "cd.csv, dòng 3, cột Mã xã: bạn không có quyền nhập dữ liệu cho xã Hồng Việt." in page
    assert _state() == before  # all or nothing: the commune's own row is not written either
    job = response.url.rstrip("/").rsplit("/", 1)[1]
    # Nobody else sees the job: another commune's officer, the district above it, a viewer; anonymous logs in first.
    for other in (hong_viet_officer, district_officer, viewer):
        assert client_for(other).get(response.url).status_code == 404
        assert client_for(other).get(response.url + "trang-thai/").status_code == 404
    anonymous: Any = Client().get(response.url)
    assert anonymous.status_code == 302 and "/dang-nhap/" in anonymous.url
    own = client_for(nam_tuan_officer)  # (one test client, logged in as each in turn)
    assert own.get(f"/hoat-dong/tuan-le-hoc-tap/nhap/{job}/").status_code == 404  # not an import of that register
    assert own.get("/hoat-dong/chuyen-de/nhap/99999999/").status_code == 404
    assert own.get("/hoat-dong/chuyen-de/nhap/abc/").status_code == 404


def test_register_import_refusals_before_any_job(activities_demo: None, client_for: Any, viewer: Any, nam_tuan_officer: Any,
                                                jobs_inline: None, settings: Any) -> None:
    jobs = Job.objects.count()
    assert client_for(viewer).post("/hoat-dong/chuyen-de/nhap/", {"tep": _topics("05115,2021-2022,Luật,law,1,40\n")}).status_code == 403
    anonymous: Any = Client().post("/hoat-dong/chuyen-de/nhap/", {"tep": _topics("05115,2021-2022,Luật,law,1,40\n")})
    assert anonymous.status_code == 302 and "/dang-nhap/" in anonymous.url
    assert client_for(nam_tuan_officer).post("/hoat-dong/khong-co/nhap/", {"tep": _topics("05115,2021-2022,Luật,law,1,40\n")}).status_code == 404
    assert Job.objects.count() == jobs
    # A wrong file is the job's to refuse, named: an old Excel file, a file too big (refused before it is kept).
    own = client_for(nam_tuan_officer)
    response = own.post("/hoat-dong/chuyen-de/nhap/", {"tep": SimpleUploadedFile("cu.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 60)}, follow=True)
    assert "cu.xls: tệp Excel cũ (.xls)" in response.content.decode()
    settings.XHHT_MAX_UPLOAD_BYTES = 20
    response = own.post("/hoat-dong/chuyen-de/nhap/", {"tep": _topics("05115,2021-2022,Luật,law,1,40\n")}, follow=True)
    assert "cd.csv: tệp quá lớn" in response.content.decode()
    assert not list((Path(settings.DATA_DIR) / "job-uploads").iterdir())


def _class(unit_code: str = "05115") -> VocationalClass:
    klass = VocationalClass.objects.filter(unit_id=unit_code).order_by("pk").first()
    assert klass is not None and not klass.learner_list.exists()
    return klass


def test_learner_list_import_as_a_job(activities_demo: None, client_for: Any, nam_tuan_officer: Any, hong_viet_officer: Any, viewer: Any,
                                     jobs_inline: None) -> None:
    klass = _class()
    url = f"/hoat-dong/day-nghe/{klass.pk}/hoc-vien/"
    own = client_for(nam_tuan_officer)
    before = _state()
    bad = own.post(url, {"tep": SimpleUploadedFile("hv.csv", (LEARNERS + "Nông Văn A,1985,Nam,Tày\n,1990,Nữ,Nùng\nHoàng C,năm nào,Nữ,Kinh\n").encode())})
    assert bad.status_code == 302
    page = own.get(bad.url).content.decode()
    assert "hv.csv, dòng 3, cột Họ và tên: thiếu họ và tên." in page and "hv.csv, dòng 4, cột Năm sinh" in page
    assert _state() == before
    # The job is the sender's: the viewer sees the class, not the job; another commune sees neither.
    assert client_for(viewer).get(bad.url).status_code == 404
    assert client_for(hong_viet_officer).get(bad.url).status_code == 404
    own = client_for(nam_tuan_officer)  # (one test client, logged in as each in turn)
    other = VocationalClass.objects.filter(unit_id="05115").exclude(pk=klass.pk).first()
    if other is not None:  # the job of one class is not shown under another's address
        assert own.get(bad.url.replace(f"/day-nghe/{klass.pk}/", f"/day-nghe/{other.pk}/")).status_code == 404
    good = own.post(url, {"tep": SimpleUploadedFile("hv.csv", (LEARNERS + "Nông Văn A,1985,Nam,Tày\nHoàng Thị B,1990,Nữ,Nùng\n").encode())},
                    follow=True)
    assert "Đã nhập danh sách 2 học viên" in good.content.decode()
    klass.refresh_from_db()
    assert (klass.learners, klass.ethnic_minority) == (2, 2)
    assert AuditEntry.objects.filter(action="vocational_learners_replace", object_id=str(klass.pk), actor=nam_tuan_officer).exists()
    # Seen but not editable: refused before any job.
    jobs = Job.objects.count()
    assert client_for(viewer).post(url, {"tep": SimpleUploadedFile("hv.csv", (LEARNERS + "X,1980,Nam,Tày\n").encode())}).status_code == 403
    assert Job.objects.count() == jobs


def test_a_sender_gone_before_the_worker_runs_the_job_writes_nothing(activities_demo: None, client_for: Any, nam_tuan_officer: Any,
                                                                     settings: Any, tmp_path: Path) -> None:
    """The job writes as its sender with their rights of now: an account disabled meanwhile writes nothing."""
    from xhht.accounts.models import User
    from xhht.jobs.runner import job_run
    from xhht.jobs.services import job_claim

    settings.DATA_DIR = tmp_path
    response = client_for(nam_tuan_officer).post("/hoat-dong/chuyen-de/nhap/", {"tep": _topics("05115,2021-2022,Luật,law,1,40\n")})
    before = _state()
    User.objects.filter(pk=nam_tuan_officer.pk).update(is_active=False)
    job = job_claim(worker="test")
    assert job is not None and job_run(job=job, worker="test") == "rejected"
    job.refresh_from_db()
    assert job.result["problems"] == ["Tài khoản đã gửi dữ liệu này không còn hoạt động: chưa ghi gì."] and _state() == before
    assert response.status_code == 302


def test_a_job_that_broke_is_not_called_a_refused_file(activities_demo: None, client_for: Any, nam_tuan_officer: Any, settings: Any,
                                                       tmp_path: Path, monkeypatch: Any) -> None:
    """A crash in the worker is the system's fault: the job page says so (not "Tệp bị từ chối"), names the job for the
    administrator, and nothing was written."""
    from xhht.activities import services
    from xhht.jobs.runner import job_run
    from xhht.jobs.services import job_claim

    settings.DATA_DIR = tmp_path
    client = client_for(nam_tuan_officer)
    response = client.post("/hoat-dong/chuyen-de/nhap/", {"tep": _topics("05115,2021-2022,Luật,law,1,40\n")})
    assert response.status_code == 302
    before = _state()

    def broken(**_: Any) -> None:
        raise RuntimeError("disk gone")

    monkeypatch.setattr(services, "activity_records_import", broken)
    job = job_claim(worker="test")
    assert job is not None and job_run(job=job, worker="test") == "failed"
    html = client.get(response["Location"]).content.decode()
    assert "lỗi của hệ thống (không phải do tệp)" in html and "Tệp bị từ chối" not in html
    assert f"tác vụ số {job.pk}" in html and "disk gone" not in html and _state() == before
