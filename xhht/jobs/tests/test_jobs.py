"""The job queue in-process: claim, lock keys, groups, recovery of dead workers' jobs, /healthz."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from xhht.jobs.models import Job, JobState, WorkerBeat
from xhht.jobs.runner import job_run
from xhht.jobs.services import JobBusy, job_claim, job_enqueue, jobs_recover, worker_beat

SLEEPY = "xhht.jobs.tests.handlers.sleepy"
pytestmark = pytest.mark.django_db


def test_a_lock_key_admits_one_active_job_and_frees_when_it_ends(tmp_path: Path) -> None:
    upload = tmp_path / "second.csv"
    upload.write_text("x")
    first = job_enqueue(handler=SLEEPY, params={"steps": 1, "pause": 0}, lock_key="k")
    with pytest.raises(JobBusy):
        job_enqueue(handler=SLEEPY, params={}, lock_key="k", upload=upload)
    assert not upload.exists()
    claimed = job_claim(worker="w")
    assert claimed is not None and claimed.pk == first.pk
    assert job_run(job=claimed, worker="w") == JobState.DONE
    job_enqueue(handler=SLEEPY, params={}, lock_key="k")  # free again


def test_jobs_of_one_group_run_one_after_another() -> None:
    a = job_enqueue(handler=SLEEPY, params={}, group="g")
    job_enqueue(handler=SLEEPY, params={}, group="g")
    c = job_enqueue(handler=SLEEPY, params={}, group="other")
    assert job_claim(worker="w1").pk == a.pk  # type: ignore[union-attr]
    assert job_claim(worker="w2").pk == c.pk  # type: ignore[union-attr]
    assert job_claim(worker="w3") is None


def test_a_failing_job_keeps_its_reason_and_removes_its_upload(tmp_path: Path) -> None:
    upload = tmp_path / "u.csv"
    upload.write_text("x")
    job_enqueue(handler=SLEEPY, params={"steps": 1, "pause": 0, "fail": True}, upload=upload)
    job = job_claim(worker="w")
    assert job is not None and job_run(job=job, worker="w") == JobState.FAILED
    job.refresh_from_db()
    assert "RuntimeError" in job.error and not upload.exists()


def test_a_dead_workers_job_is_retried_then_failed_with_its_reason(tmp_path: Path) -> None:
    upload = tmp_path / "u.csv"
    upload.write_text("x")
    job = job_enqueue(handler=SLEEPY, params={}, upload=upload, max_attempts=2)
    assert job_claim(worker="elsewhere:1:aa") is not None
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    assert jobs_recover() == [job.pk]
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and "dừng đột ngột" in job.error and upload.exists()
    assert job_claim(worker="elsewhere:2:bb") is not None
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    jobs_recover()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "2 lần" in job.error and not upload.exists()


def test_a_live_workers_job_is_left_alone() -> None:
    job = job_enqueue(handler=SLEEPY, params={})
    import os
    import socket

    assert job_claim(worker=f"{socket.gethostname()}:{os.getpid()}:cc") is not None
    assert jobs_recover() == []
    assert Job.objects.get(pk=job.pk).state == JobState.RUNNING


def test_healthz_needs_a_beating_worker(client: Any, settings: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"]["ok"] and not body["checks"]["worker"]["ok"]
    worker_beat(name="h:1:aa", started_at=timezone.now())
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"
    assert response["X-Request-ID"]
    settings.XHHT_HEALTH_MIN_FREE_BYTES = 10**18
    response = client.get("/healthz")
    assert response.status_code == 503 and not response.json()["checks"]["disk"]["ok"]
    WorkerBeat.objects.update(beat_at=timezone.now() - timedelta(minutes=5))
    settings.XHHT_HEALTH_MIN_FREE_BYTES = 0
    assert client.get("/healthz").status_code == 503


def test_finished_jobs_are_kept_for_a_while_then_pruned(settings: Any) -> None:
    settings.XHHT_JOB_KEEP_DAYS = 30
    old = job_enqueue(handler=SLEEPY, params={})
    recent = job_enqueue(handler=SLEEPY, params={})
    Job.objects.filter(pk=old.pk).update(state=JobState.DONE, finished_at=timezone.now() - timedelta(days=31))
    Job.objects.filter(pk=recent.pk).update(state=JobState.DONE, finished_at=timezone.now() - timedelta(days=29))
    jobs_recover()
    assert list(Job.objects.values_list("pk", flat=True)) == [recent.pk]
