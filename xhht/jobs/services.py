"""Writes on jobs: enqueue, claim, report progress, finish, recover the jobs of dead workers.

A small claim-rows queue in the style of healthchecks' ``sendalerts``: a job is a row, a worker claims the
oldest queued row with a conditional UPDATE, and the database's constraints keep one active job per lock
key and one running job per group. It works the same on SQLite and PostgreSQL; docs/deployment.md says
why no queue library is used.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from xhht.audit.services import audit_channel_current
from xhht.jobs.models import ACTIVE, Job, JobState, WorkerBeat

log = logging.getLogger("xhht.jobs")

UPLOADS_DIR_NAME = "job-uploads"


class JobBusy(Exception):
    """Another job with the same lock key is queued or running."""

    def __init__(self, lock_key: str) -> None:
        super().__init__(lock_key)
        self.lock_key = lock_key


def uploads_dir() -> Path:
    path = Path(settings.DATA_DIR) / UPLOADS_DIR_NAME
    path.mkdir(parents=True, exist_ok=True)
    return path


def stale_after() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "XHHT_JOB_STALE_SECONDS", 300)))


def job_enqueue(*, handler: str, params: dict[str, Any], user: Any = None, unit_code: str = "", lock_key: str = "",
                group: str = "", upload: Path | None = None, max_attempts: int = 2) -> Job:
    """Queue a job. Raises :class:`JobBusy` (and removes ``upload``) when ``lock_key`` is already active.

    Queued within an API request, the job keeps the request's audit channel (``params["audit_channel"]``: the token
    used), so the audit rows it writes in the worker name it as the request's own would."""
    channel = audit_channel_current()
    if channel:
        params = {**params, "audit_channel": channel}
    try:
        with transaction.atomic():
            job = Job.objects.create(handler=handler, params=params, user=user, unit_code=unit_code, lock_key=lock_key,
                                     group=group, upload=str(upload or ""), max_attempts=max_attempts)
    except IntegrityError:
        if lock_key and Job.objects.filter(lock_key=lock_key, state__in=ACTIVE).exists():
            if upload is not None:
                upload.unlink(missing_ok=True)
            raise JobBusy(lock_key) from None
        raise
    log.info("job queued", extra={"action": "job_enqueue", "job": job.pk, "handler": handler, "unit": unit_code})
    return job


def job_claim(*, worker: str) -> Job | None:
    """Take the oldest queued job whose group has nothing running; None when there is none (or another worker won)."""
    now = timezone.now()
    busy_groups = Job.objects.filter(state=JobState.RUNNING).exclude(group="").values("group")
    candidates = (Job.objects.filter(state=JobState.QUEUED).exclude(group__in=busy_groups)
                  .order_by("id").values_list("id", flat=True)[:5])
    for pk in list(candidates):
        try:
            with transaction.atomic():
                won = Job.objects.filter(pk=pk, state=JobState.QUEUED).update(
                    state=JobState.RUNNING, worker=worker, attempts=F("attempts") + 1, started_at=now, heartbeat_at=now,
                    phase="", done_units=0)
        except IntegrityError:  # another worker started a job of the same group meanwhile
            continue
        if won:
            return Job.objects.get(pk=pk)
    return None


def job_progress(*, job_id: int, worker: str, phase: str, done_units: int) -> None:
    Job.objects.filter(pk=job_id, worker=worker, state=JobState.RUNNING).update(
        phase=phase, done_units=done_units, heartbeat_at=timezone.now())


def _remove_upload(job: Job) -> None:
    if job.upload:
        Path(job.upload).unlink(missing_ok=True)


def job_finish(*, job: Job, state: str, result: dict[str, Any] | None = None, error: str = "") -> None:
    """End ``job`` (done, rejected or failed) and remove its upload. An earlier note (a retry) stays unless replaced."""
    fields: dict[str, Any] = {"error": error} if error else {}
    Job.objects.filter(pk=job.pk).update(state=state, result=result or {}, finished_at=timezone.now(),
                                         heartbeat_at=timezone.now(), **fields)
    _remove_upload(job)
    log.info("job finished", extra={"action": "job_finish", "job": job.pk, "handler": job.handler, "state": state,
                                    "unit": job.unit_code})


@contextmanager
def job_held(*, handler: str, params: dict[str, Any], user: Any = None, unit_code: str = "", lock_key: str = "",
             group: str = "") -> Iterator[Job]:
    """Hold a job's locks while this process does the work itself (the CLI): a running row, never retried.

    Raises :class:`JobBusy` when the lock key is active or the group has a running job.
    """
    now = timezone.now()
    try:
        with transaction.atomic():
            job = Job.objects.create(handler=handler, params=params, user=user, unit_code=unit_code, lock_key=lock_key,
                                     group=group, state=JobState.RUNNING, worker=worker_name(), attempts=1, max_attempts=1,
                                     started_at=now, heartbeat_at=now)
    except IntegrityError:
        raise JobBusy(lock_key or group) from None
    try:
        yield job
    except BaseException as exc:
        job_finish(job=job, state=JobState.FAILED, error=f"{exc.__class__.__name__}: {exc}"[:2000])
        raise
    job_finish(job=job, state=JobState.DONE)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{os.urandom(3).hex()}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _worker_dead(job: Job, *, now: Any) -> bool:
    """On this host the holder's process tells; elsewhere its heartbeat (silent for XHHT_JOB_STALE_SECONDS)."""
    host, _, rest = job.worker.partition(":")
    pid = rest.partition(":")[0]
    if host == socket.gethostname() and pid.isdigit():
        return not _pid_alive(int(pid))
    return job.heartbeat_at is None or now - job.heartbeat_at > stale_after()


DIED = "Tiến trình xử lý (xhht worker) đã dừng đột ngột khi đang chạy tác vụ này"


def jobs_recover() -> list[int]:
    """Requeue (or fail, after ``max_attempts``) the running jobs whose worker is dead. Returns their ids."""
    now = timezone.now()
    recovered = []
    for job in Job.objects.filter(state=JobState.RUNNING):
        if not _worker_dead(job, now=now):
            continue
        if job.attempts < job.max_attempts:
            updated = Job.objects.filter(pk=job.pk, state=JobState.RUNNING, worker=job.worker).update(
                state=JobState.QUEUED, worker="", error=f"{DIED} (lần {job.attempts}); chạy lại.")
            if updated:
                log.warning("job requeued: its worker died", extra={"action": "job_retry", "job": job.pk, "worker": job.worker})
        else:
            updated = Job.objects.filter(pk=job.pk, state=JobState.RUNNING, worker=job.worker).update(
                state=JobState.FAILED, finished_at=now,
                error=f"{DIED} ({job.attempts} lần); đã dừng, không chạy lại. Xin thử lại sau hoặc báo quản trị.")
            if updated:
                _remove_upload(job)
                log.error("job failed: its worker died", extra={"action": "job_fail", "job": job.pk, "worker": job.worker})
        if updated:
            recovered.append(job.pk)
    _sweep_uploads()
    keep = timedelta(days=int(getattr(settings, "XHHT_JOB_KEEP_DAYS", 90)))
    Job.objects.exclude(state__in=ACTIVE).filter(finished_at__lt=now - keep).delete()
    return recovered


def _sweep_uploads() -> None:
    """Remove uploads no active job owns (left by a crash between saving and queueing), after an hour."""
    owned = set(Job.objects.filter(state__in=ACTIVE).exclude(upload="").values_list("upload", flat=True))
    cutoff = timezone.now().timestamp() - 3600
    for path in uploads_dir().iterdir():
        if str(path) not in owned and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def worker_beat(*, name: str, started_at: Any) -> None:
    now = timezone.now()
    host, _, rest = name.partition(":")
    WorkerBeat.objects.update_or_create(name=name, defaults={"host": host, "pid": int(rest.partition(":")[0]),
                                                             "started_at": started_at, "beat_at": now})
    WorkerBeat.objects.filter(beat_at__lt=now - timedelta(days=1)).delete()


def worker_leave(*, name: str) -> None:
    WorkerBeat.objects.filter(name=name).delete()


def job_refused(*, handler: str, params: dict[str, Any], user: Any, unit_code: str, problems: list[str]) -> Job:
    """Record a job refused before it could be queued (e.g. a file too big), so its page can say why."""
    return Job.objects.create(handler=handler, params=params, user=user, unit_code=unit_code, state=JobState.REJECTED,
                              result={"problems": problems}, finished_at=timezone.now())
