"""The administrator's web import of unit changes (format 4) runs as a durable job (xhht.jobs) in ``xhht worker``.

A national reform is ~10,000 rows: checked and written outside the web request. The upload is saved under the data
folder's job-uploads/; the job row carries the file's name, the progress the import reports (checking, writing) and
its outcome: the reorganisations applied and the counts, or every refusal with its file, row, column and reason.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile

from xhht.jobs.models import Job
from xhht.jobs.runner import Report, job_sender
from xhht.jobs.selectors import job_page_state
from xhht.jobs.services import JobBusy
from xhht.jobs.uploads import upload_job_start

HANDLER = "xhht.units.jobs.unit_changes_import_job"
LOCK = "units.unit_changes_import"  # one reorganisation file at a time: each is checked against the tree the last left
MAX_FILE_BYTES = 20 * 1024 * 1024  # a national reform's CSV is ~1 MB
SUFFIXES = {".csv", ".xlsx", ".txt"}


def unit_changes_import_job(*, job: Job, report: Report) -> dict[str, Any]:
    """The job: import the saved upload as the administrator who sent it (all or nothing)."""
    from xhht.units.changes import unit_changes_import

    result = unit_changes_import(actor=job_sender(job), path=Path(job.upload), display_name=job.params["file"], progress=report)
    return {"applied": [d.isoformat() for d in result.applied], "unchanged": [d.isoformat() for d in result.unchanged],
            "created": result.created, "changed": result.changed, "ended": result.ended}


def changes_import_start(*, user: Any, upload: UploadedFile) -> int:
    """Save the upload and queue its import; returns the job id to follow.

    Raises :class:`JobBusy` while another changes import is queued or running. A file too big is recorded as a
    refused job at once, so its page says why.
    """
    return upload_job_start(handler=HANDLER, params={"file": Path(upload.name or "tệp").name}, user=user, upload=upload,
                            prefix="unit-changes", limit=MAX_FILE_BYTES, suffixes=SUFFIXES, lock_key=LOCK, max_attempts=1)


PHASES = {"checking": "Đang kiểm tra", "writing": "Đang ghi"}


def changes_job_state(job: str, *, user: Any) -> dict[str, Any] | None:
    """What the job's page shows, read from the job's own row; None unless ``user`` started it."""
    found = job_page_state(job=job, user=user, handler=HANDLER)
    if found is None:
        return None
    row, state = found
    return {**state, "phase": PHASES.get(row.phase, "Đang kiểm tra"), "rows": row.done_units,
            "applied": [_shown(d) for d in row.result.get("applied", [])], "unchanged": row.result.get("unchanged", []),
            "created": row.result.get("created", 0), "changed": row.result.get("changed", 0), "ended": row.result.get("ended", 0)}


def _shown(iso: str) -> str:
    """2024-01-01 → 01/01/2024."""
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


__all__ = ["HANDLER", "JobBusy", "changes_import_start", "changes_job_state", "unit_changes_import_job"]
