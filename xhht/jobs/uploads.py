"""Starting a job on an uploaded file: the file is refused at once when too big (a refused job, so its page says why),
else saved under the data folder's job-uploads/ and owned by the queued job, which removes it when it ends."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from xhht.jobs.runner import job_start
from xhht.jobs.services import job_enqueue, job_refused, uploads_dir

MB = 1024 * 1024


def upload_path(*, prefix: str, suffix: str) -> Path:
    """A new file name under job-uploads/ for an upload of kind ``prefix``."""
    return uploads_dir() / f"{prefix}-{uuid.uuid4()}{suffix}"


def upload_save(*, upload: Any, prefix: str, suffixes: set[str] | None = None) -> Path:
    """Write ``upload`` under job-uploads/ keeping its extension (the readers tell CSV from XLSX by it); an extension
    not in ``suffixes`` (when given) or none is saved as .csv."""
    suffix = Path(upload.name or "").suffix.lower()[:6]
    if not suffix or (suffixes is not None and suffix not in suffixes):
        suffix = ".csv"
    path = upload_path(prefix=prefix, suffix=suffix)
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


def too_big(*, name: str, size: int, limit: int) -> str:
    return f"{name}: tệp quá lớn ({size // MB} MB; tối đa {limit // MB} MB)."


def upload_job_start(*, handler: str, params: dict[str, Any], user: Any, upload: Any, prefix: str, limit: int, unit_code: str = "",
                     lock_key: str = "", group: str = "", max_attempts: int = 2, suffixes: set[str] | None = None) -> int:
    """Queue ``handler`` on ``upload`` (``params["file"]`` is its name as shown); returns the job id to follow.

    A file above ``limit`` bytes is not saved: the job is recorded refused at once. Raises
    :class:`xhht.jobs.services.JobBusy` when ``lock_key`` is already active (the saved file is removed)."""
    if upload.size is not None and upload.size > limit:
        return job_refused(handler=handler, params=params, user=user, unit_code=unit_code,
                           problems=[too_big(name=params["file"], size=upload.size, limit=limit)]).pk
    path = upload_save(upload=upload, prefix=prefix, suffixes=suffixes)
    job = job_enqueue(handler=handler, params=params, user=user, unit_code=unit_code, upload=path, lock_key=lock_key, group=group,
                      max_attempts=max_attempts)
    return job_start(job).pk
