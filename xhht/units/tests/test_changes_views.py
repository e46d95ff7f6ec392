"""Web: the administrator's import of unit changes, and each unit's lineage on its page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xhht.accounts.models import User
from xhht.demo.foundation import NAM_TUAN, XA_HOA_AN, XA_NAM_TUAN, reforms_load
from xhht.jobs.models import Job, JobState
from xhht.jobs.runner import Progress, job_run
from xhht.jobs.services import job_claim
from xhht.units.jobs import HANDLER
from xhht.units.models import Unit, UnitChange

GOOD = ("effective_date,basis,code,name,kind,parent_code,from_code,from_villages,from_share,end\n"
        "2024-01-01,Nghị quyết thử,05113,Hồng Việt Mới,,,05104,,,\n").encode()


def upload(client: Any, content: bytes, name: str = "thay-doi.csv") -> Any:
    return client.post("/don-vi/thay-doi-dia-gioi/", {"file": SimpleUploadedFile(name, content, content_type="text/csv")})


def test_only_administrators_import_changes(client_for: Any, district_officer: Any, province_officer: Any) -> None:
    for user in (district_officer, province_officer):
        assert client_for(user).get("/don-vi/thay-doi-dia-gioi/").status_code == 403
        assert "/don-vi/thay-doi-dia-gioi/" not in client_for(user).get("/don-vi/").content.decode()
        assert upload(client_for(user), GOOD).status_code == 403
    assert not UnitChange.objects.exists()


@pytest.fixture
def inline_jobs(settings: Any, tmp_path: Path) -> None:
    settings.XHHT_JOBS_INLINE = True  # the job runs in the request here; in a worker: the next test
    settings.DATA_DIR = tmp_path


def test_administrator_imports_and_a_bad_file_is_refused_whole(client_for: Any, demo: None, inline_jobs: None) -> None:
    client = client_for(User.objects.get(username="quantri"))
    assert "/don-vi/thay-doi-dia-gioi/" in client.get("/don-vi/").content.decode()
    bad = GOOD.replace(b"05104,,,", b"05104,,0.9999,")
    response = upload(client, bad)
    assert response.status_code == 302 and "/don-vi/thay-doi-dia-gioi/nhap/" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "thay-doi.csv, dòng 2, cột from_share" in page and "phải đúng bằng 1" in page and "không ghi dữ liệu nào" in page
    assert not UnitChange.objects.exists()
    response = upload(client, GOOD)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Đã áp dụng: 01/01/2024" in page
    assert "Nghị quyết thử" in client.get("/don-vi/thay-doi-dia-gioi/").content.decode()
    assert Unit.objects.get(code="05113").name == "Hồng Việt Mới" and Unit.objects.get(code="05104").valid_to is not None
    assert "0 đơn vị mới, 0 thay đổi, 0 chấm dứt; 1 đợt đã có" in client.get(upload(client, GOOD)["Location"]).content.decode()
    # Nobody else reads an administrator's import job.
    job = Job.objects.filter(handler=HANDLER).order_by("-id").first()
    assert job is not None and not Path(job.upload).exists()  # the upload is removed when the job ends
    other = User.objects.create_user(username="qt2", password="x", role=User.objects.get(username="quantri").role)
    assert client_for(other).get(f"/don-vi/thay-doi-dia-gioi/nhap/{job.pk}/").status_code == 404


class _Recorded(Progress):
    """The worker's progress, remembering every report."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[int, str]] = []

    def __call__(self, done_units: int, phase: str) -> None:
        super().__call__(done_units, phase)
        self.seen.append((done_units, phase))


def test_import_is_a_job_the_worker_runs_with_progress_on_its_page(client_for: Any, demo: None, settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    client = client_for(User.objects.get(username="quantri"))
    response = upload(client, GOOD + "2025-01-01,Nghị quyết khác,05113,,,,99999,,,\n".encode())
    job_url = response["Location"]
    page = client.get(job_url).content.decode()
    assert "Đang chờ đến lượt xử lý" in page and 'hx-get="' in page  # queued: the request wrote nothing
    assert not UnitChange.objects.exists()
    # A second file while the first waits is refused at once, and saves nothing.
    again = upload(client, GOOD)
    assert again.status_code == 400 and "đang được nhập" in again.content.decode()
    job = job_claim(worker="test")
    assert job is not None and job.handler == HANDLER
    progress = _Recorded()
    assert job_run(job=job, worker="test", progress=progress) == JobState.REJECTED
    assert progress.seen == [(2, "checking")]
    status = client.get(job_url + "trang-thai").content.decode()
    assert 'hx-get="' not in status and "dòng 3, cột from_code" in status and "không ghi dữ liệu nào" in status
    assert not UnitChange.objects.exists()
    # The same file without the bad row: applied, with the phases reported.
    response = upload(client, GOOD)
    job = job_claim(worker="test")
    progress = _Recorded()
    assert job is not None and job_run(job=job, worker="test", progress=progress) == JobState.DONE
    assert progress.seen == [(1, "checking"), (1, "writing")]
    assert "Đã áp dụng: 01/01/2024" in client.get(response["Location"]).content.decode()
    assert UnitChange.objects.count() == 1


def test_unit_page_shows_lineage_with_dates_basis_and_illustrative_marks(client_for: Any, demo: None) -> None:
    reforms_load()
    client = client_for(User.objects.get(username="quantri"))
    page = client.get(f"/don-vi/{XA_HOA_AN}/").content.decode()
    assert 'id="lineage"' in page and "01/07/2025" in page and "Nghị quyết 1657/NQ-UBTVQH15" in page
    assert "Tiếp nhận toàn bộ" in page and "thị trấn Nước Hai" in page
    old = client.get(f"/don-vi/{NAM_TUAN}/").content.decode()
    assert "Chuyển toàn bộ sang" in old and f"/don-vi/{XA_NAM_TUAN}/" in old
    nuoc_hai = client.get("/don-vi/05100/").content.decode()
    assert "Nghị quyết 864/NQ-UBTVQH14" in nuoc_hai and "minh họa" in nuoc_hai and "01/02/2020" in nuoc_hai
    # The new commune's officer sees their own commune.
    assert client_for(User.objects.get(username="xa.hoaan")).get(f"/don-vi/{XA_HOA_AN}/").status_code == 200
