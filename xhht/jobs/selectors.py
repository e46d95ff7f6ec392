"""Reads on jobs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from xhht.jobs.models import Job, WorkerBeat


def job_for_user(*, pk: int, user: Any, handler: str) -> Job | None:
    """The job ``pk`` if ``user`` started it and it runs ``handler``; None otherwise."""
    return Job.objects.filter(pk=pk, user=user, handler=handler).first()


def worker_last_beat() -> WorkerBeat | None:
    return WorkerBeat.objects.order_by("-beat_at").first()


def worker_alive(*, within: timedelta = timedelta(seconds=60)) -> bool:
    beat = worker_last_beat()
    return beat is not None and timezone.now() - beat.beat_at <= within
