"""Running one claimed job, in ``xhht worker`` (or inline, when XHHT_JOBS_INLINE is set in tests)."""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from xhht.audit.services import audit_channel
from xhht.core.tabular import Rejected
from xhht.jobs.models import Job, JobState
from xhht.jobs.services import job_claim, job_finish, job_progress

log = logging.getLogger("xhht.jobs")


class Report(Protocol):
    def __call__(self, done_units: int, phase: str) -> None: ...


class JobRefused(Exception):
    """A job's expected refusal (a message for the user, no traceback): it ends ``rejected``.

    ``result``: more of the job's outcome to keep with the refusal (e.g. an exchange import's summary, its own
    ``problems`` replacing the message)."""

    def __init__(self, message: str, *, result: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.result = result or {}


SENDER_GONE = "Tài khoản đã gửi dữ liệu này không còn hoạt động: chưa ghi gì."


def job_sender(job: Job) -> Any:
    """The user who queued ``job``, still active: a job writes as them, with their rights at the time it runs. Raises
    :class:`JobRefused` when the account was deleted or disabled meanwhile."""
    user = job.user
    if user is None or not user.is_active:
        raise JobRefused(SENDER_GONE)
    return user


def problem_places(problems: list[Any]) -> list[dict[str, Any]]:
    """Each problem of a refused file with where it is (file, sheet, row, column), as the API's refusals list them."""
    return [{"message": getattr(p, "message", str(p)), "file": getattr(p, "file", ""), "sheet": getattr(p, "sheet", None),
             "row": getattr(p, "row", None), "column": getattr(p, "column", None)} for p in problems]


class Progress:
    """The running job's progress, set by the job and written to its row by the worker's heartbeat thread
    (its own connection: the job's transaction could not show it to others)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.job_id: int | None = None
        self.phase = ""
        self.done_units = 0
        self.dirty = False

    def start(self, job_id: int) -> None:
        with self.lock:
            self.job_id, self.phase, self.done_units, self.dirty = job_id, "", 0, True

    def __call__(self, done_units: int, phase: str) -> None:
        with self.lock:
            self.done_units, self.phase, self.dirty = done_units, phase, True

    def stop(self) -> None:
        with self.lock:
            self.job_id = None


def worker_priority_lower() -> int:
    """Lower this process's scheduling priority by ``XHHT_WORKER_NICE`` (POSIX ``nice``), for the job worker: its
    long work (a report's .xlsx and LibreOffice's PDF, which inherits it; imports) then takes the cores only when page
    views leave them free. Returns the niceness now in force."""
    if not hasattr(os, "nice"):  # not POSIX
        return 0
    return os.nice(max(int(getattr(settings, "XHHT_WORKER_NICE", 10)), 0))


def job_run(*, job: Job, worker: str, progress: Progress | None = None) -> str:
    """Run ``job`` (already claimed by ``worker``) to its end; returns its final state. Never raises."""
    progress = progress or Progress()
    progress.start(job.pk)
    started = time.monotonic()
    state = JobState.FAILED
    try:
        handler = import_string(job.handler)
        with audit_channel(job.params.get("audit_channel", "")):  # the API's token, when queued through the API
            result = handler(job=job, report=progress)
        state = JobState.DONE
        job_finish(job=job, state=state, result=result or {})
    except Rejected as exc:
        state = JobState.REJECTED
        job_finish(job=job, state=state, result={"problems": [str(p) for p in exc.problems], "places": problem_places(exc.problems)})
    except JobRefused as exc:
        state = JobState.REJECTED
        job_finish(job=job, state=state, result={"problems": [str(exc)], **exc.result})
    except Exception as exc:  # noqa: BLE001 - any failure ends the job with its reason; the traceback goes to the log
        log.exception("job failed", extra={"action": "job_run", "job": job.pk, "handler": job.handler, "unit": job.unit_code})
        job_finish(job=job, state=state,
                   error=f"Lỗi hệ thống ({exc.__class__.__name__}) ở tác vụ số {job.pk}; chi tiết đã ghi vào nhật ký máy chủ.")
    finally:
        progress.stop()
        log.info("job ran", extra={"action": "job_run", "job": job.pk, "handler": job.handler, "state": state,
                                   "duration": round(time.monotonic() - started, 3), "unit": job.unit_code})
    return state


def job_run_inline(job: Job) -> None:
    """Tests only (XHHT_JOBS_INLINE): claim and run ``job`` at once in this process."""
    claimed = job_claim(worker="inline")
    if claimed is not None:
        job_run(job=claimed, worker="inline")


def inline() -> bool:
    return bool(getattr(settings, "XHHT_JOBS_INLINE", False))


def job_start(job: Job) -> Job:
    """A job just queued: left to ``xhht worker``, or run at once when XHHT_JOBS_INLINE is set (tests)."""
    if inline():
        job_run_inline(job)
        job.refresh_from_db()
    return job


def progress_flush(progress: Progress, *, worker: str) -> None:
    with progress.lock:
        job_id, phase, done = progress.job_id, progress.phase, progress.done_units
        progress.dirty = False
    if job_id is not None:  # also the job's own heartbeat
        job_progress(job_id=job_id, worker=worker, phase=phase, done_units=done)


__all__: list[Any] = ["JobRefused", "Progress", "Report", "job_run", "job_run_inline", "job_sender", "job_start", "inline", "problem_places",
                      "progress_flush"]
