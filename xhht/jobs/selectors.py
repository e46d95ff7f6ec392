"""Reads on jobs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from xhht.jobs.models import Job, JobState, WorkerBeat


def job_for_user(*, pk: int, user: Any, handler: str) -> Job | None:
    """The job ``pk`` if ``user`` started it and it runs ``handler``; None otherwise."""
    return Job.objects.filter(pk=pk, user=user, handler=handler).first()


def job_page_state(*, job: str, user: Any, handler: str) -> tuple[Job, dict[str, Any]] | None:
    """The job named by ``job`` (a page's path argument) if ``user`` started it and it runs ``handler``, with what
    every job page shows of it: ``state`` (running / done / rejected), ``queued``, ``failed`` (rejected because the
    job itself broke, not the file), ``worker_silent`` (queued while no worker has been heard from lately: the page says
    why it waits), ``file`` and ``problems`` (a failed job's reason last). None for anything else, so a page answers
    404. The templates ``jobs/_waiting_note.html`` and ``jobs/_refused.html`` show the shared parts."""
    if not job.isdigit() or len(job) > 18:
        return None
    row = job_for_user(pk=int(job), user=user, handler=handler)
    if row is None:
        return None
    shown: dict[str, str] = {JobState.QUEUED: "running", JobState.RUNNING: "running", JobState.DONE: "done"}
    problems = list(row.result.get("problems", []))
    if row.state == JobState.FAILED:
        problems.append(row.error)
    queued = row.state == JobState.QUEUED
    return row, {"state": shown.get(row.state, "rejected"), "queued": queued, "failed": row.state == JobState.FAILED,
                 "worker_silent": queued and not worker_alive(), "file": row.params.get("file"), "problems": problems}


def worker_last_beat() -> WorkerBeat | None:
    return WorkerBeat.objects.order_by("-beat_at").first()


def worker_alive(*, within: timedelta = timedelta(seconds=60)) -> bool:
    beat = worker_last_beat()
    return beat is not None and timezone.now() - beat.beat_at <= within
