"""Web imports of format-2 persons run as durable jobs (xhht.jobs) in ``xhht worker``, not in the web process.

The upload is saved under the data folder's job-uploads/, the job row carries the year, the file's name and
the progress the worker reports; the worker removes the upload when the job ends, whatever the outcome.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError

from xhht.jobs.models import Job
from xhht.jobs.runner import JobRefused, Report, job_sender
from xhht.jobs.selectors import job_page_state
from xhht.jobs.services import JobBusy
from xhht.jobs.uploads import upload_job_start

HANDLER = "xhht.literacy.jobs.persons_import_job"
GROUP = "literacy.persons_import:"  # + year: imports of one survey year run one after another (web and CLI)


def persons_import_job(*, job: Job, report: Report) -> dict[str, Any]:
    """The job: import the saved upload for its year as the user who sent it."""
    from xhht.literacy.services import persons_import

    params = job.params
    user = job_sender(job)
    try:
        result = persons_import(actor=user, year=int(params["year"]), path=Path(job.upload), display_name=params["file"],
                                progress=report)
    except IntegrityError as exc:  # another writer outside the queue replaced the same commune meanwhile
        raise JobRefused(busy_message(unit=getattr(user, "unit", None), year=int(params["year"]))) from exc
    return {"rows": result.persons, "communes": list(result.communes)}


def busy_message(*, unit: Any, year: int) -> str:
    where = unit.full_name if unit is not None else "đơn vị này"
    return (f"Một lượt nhập khác của {where} năm {year} đang chạy. Xin chờ lượt đó xong (xem trang tiến độ) "
            "rồi mới nhập lại; tệp vừa gửi chưa được ghi.")


def import_start(*, user: Any, year: int, upload: UploadedFile) -> int:
    """Save the upload and queue its import; returns the job id to poll.

    Raises :class:`JobBusy` when an import of the same unit and year is already queued or running.
    """
    from xhht.literacy.services import max_persons_file_bytes

    name = Path(upload.name or "tệp").name
    unit_code = getattr(user, "unit_id", None) or ""
    # One import per unit and year at a time (refused at once); imports of one year run one after another.
    return upload_job_start(handler=HANDLER, params={"year": year, "file": name}, user=user, upload=upload, prefix="persons",
                            limit=max_persons_file_bytes(), unit_code=unit_code,
                            lock_key=f"literacy.persons_import:{year}:{unit_code}", group=f"{GROUP}{year}")


def job_state(job: str, *, user: Any) -> dict[str, Any] | None:
    """What the progress page shows, read from the job's own row; None unless ``user`` started it."""
    found = job_page_state(job=job, user=user, handler=HANDLER)
    if found is None:
        return None
    row, state = found
    return {**state, "year": row.params.get("year"), "rows": row.result.get("rows", row.done_units), "phase": row.phase or "checking",
            "communes": row.result.get("communes", []), "retry": row.error if row.active else ""}


__all__ = ["HANDLER", "JobBusy", "busy_message", "import_start", "job_state", "persons_import_job"]
