"""Web imports run in the background; their progress is a small JSON file that any worker can read.

(The import's own transaction cannot show its progress to other connections, so the state lives
outside the database: ``<data dir>/literacy-imports/<job>.json``.)
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connection

from xhht.core.tabular import Rejected

JOB_DIR_NAME = "literacy-imports"


def _dir() -> Path:
    path = Path(settings.DATA_DIR) / JOB_DIR_NAME
    path.mkdir(parents=True, exist_ok=True)
    return path


def _write(job: str, state: dict[str, Any]) -> None:
    target = _dir() / f"{job}.json"
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, target)


def job_state(job: str) -> dict[str, Any] | None:
    try:
        uuid.UUID(job)
    except ValueError:
        return None
    path = _dir() / f"{job}.json"
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _run(job: str, user: Any, year: int, path: Path, name: str, state: dict[str, Any]) -> None:
    from xhht.literacy.services import persons_import

    def progress(rows: int, phase: str) -> None:
        state.update(rows=rows, phase=phase)
        _write(job, state)

    try:
        result = persons_import(actor=user, year=year, path=path, display_name=name, progress=progress)
        state.update(state="done", rows=result.persons, communes=result.communes, phase="done")
    except Rejected as exc:
        state.update(state="rejected", problems=[str(p) for p in exc.problems])
    except Exception as exc:  # noqa: BLE001 - the user must learn the import failed
        state.update(state="error", problems=[f"Lỗi hệ thống: {exc.__class__.__name__}"])
    finally:
        path.unlink(missing_ok=True)
        _write(job, state)


def import_start(*, user: Any, year: int, upload: UploadedFile) -> str:
    """Save the upload and start importing it; returns the job id to poll."""
    from xhht.literacy.services import max_persons_file_bytes

    job = str(uuid.uuid4())
    name = Path(upload.name or "tệp").name
    limit = max_persons_file_bytes()
    if upload.size is not None and upload.size > limit:
        _write(job, {"state": "rejected", "user": user.pk, "year": year, "file": name, "rows": 0, "phase": "checking",
                     "problems": [f"{name}: tệp quá lớn ({upload.size // (1024 * 1024)} MB; tối đa {limit // (1024 * 1024)} MB)."]})
        return job
    suffix = Path(upload.name or "").suffix.lower()[:6] or ".csv"
    path = _dir() / f"{job}{suffix}"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    state: dict[str, Any] = {"state": "running", "user": user.pk, "year": year, "file": name, "rows": 0, "phase": "checking", "problems": []}
    _write(job, state)
    if getattr(settings, "XHHT_LITERACY_IMPORT_INLINE", False):
        _run(job, user, year, path, name, state)
    else:
        def target() -> None:
            try:
                _run(job, user, year, path, name, state)
            finally:
                connection.close()

        threading.Thread(target=target, name=f"literacy-import-{job}", daemon=True).start()
    return job
