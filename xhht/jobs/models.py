"""Durable jobs: one row per piece of long work, claimed and run by ``xhht worker``.

The row is the job's whole truth: its parameters, state, progress, attempts, the worker holding it and
its last heartbeat, and its outcome. Nothing lives in memory or in side files, so a web restart loses
nothing and a dead worker's job is found and retried (or failed with its reason) by the next worker.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class JobState(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang chạy"
    DONE = "done", "Xong"
    REJECTED = "rejected", "Bị từ chối"
    FAILED = "failed", "Lỗi"


ACTIVE = (JobState.QUEUED, JobState.RUNNING)


class Job(models.Model):
    # The dotted path of the function that runs the job: ``handler(job=Job, report=Callable)``.
    handler = models.CharField(max_length=200)
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED, db_index=True)
    params = models.JSONField(default=dict)
    result = models.JSONField(default=dict, blank=True)
    # Progress, written by the worker from outside the job's own transaction.
    phase = models.CharField(max_length=40, blank=True)
    done_units = models.BigIntegerField(default=0)
    # While a job with a lock key is queued or running, no other may be: the database refuses it.
    lock_key = models.CharField(max_length=200, blank=True)
    # Jobs of one group run one after another (e.g. person imports of one survey year).
    group = models.CharField(max_length=200, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    unit_code = models.CharField(max_length=20, blank=True)
    # A file the job owns (an upload); removed when the job ends, whatever the outcome.
    upload = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=2)
    worker = models.CharField(max_length=120, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["lock_key"], condition=Q(state__in=["queued", "running"]) & ~Q(lock_key=""),
                                    name="jobs_one_active_per_lock_key"),
            models.UniqueConstraint(fields=["group"], condition=Q(state="running") & ~Q(group=""),
                                    name="jobs_one_running_per_group"),
        ]
        indexes = [models.Index(fields=["state", "id"], name="jobs_state_id")]

    def __str__(self) -> str:
        return f"{self.handler}#{self.pk} ({self.state})"

    @property
    def active(self) -> bool:
        return self.state in ACTIVE


class WorkerBeat(models.Model):
    """One row per running ``xhht worker``; /healthz reads the newest beat."""

    name = models.CharField(max_length=120, unique=True)
    host = models.CharField(max_length=120)
    pid = models.IntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.name
