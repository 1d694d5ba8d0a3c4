"""The Job row: what a unit of work is for, its state, progress, attempts and lease."""

from __future__ import annotations

import uuid

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class JobState(models.TextChoices):
    WAITING = "waiting", "Waiting for earlier jobs"
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


FINISHED_STATES = (JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED)


class Job(models.Model):
    kind = models.CharField(max_length=80, help_text="handler name, e.g. 'media.transcode'")
    # The object the job serves (a film, a subtitle track, ...), if any.
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    target_id = models.CharField(max_length=64, blank=True, default="")
    target = GenericForeignKey("target_type", "target_id")
    params = models.JSONField(default=dict, blank=True)
    needs = models.JSONField(default=list, blank=True, help_text="capabilities, e.g. ['transcode']")
    queue = models.CharField(max_length=120, default="default")
    priority = models.SmallIntegerField(default=0)

    state = models.CharField(max_length=12, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True, default="")
    result = models.JSONField(default=dict, blank=True)

    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    lease_token = models.UUIDField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True, default="")
    # Workers that failed this job; they are kept off it (Flamenco's block list).
    failed_on_workers = models.JSONField(default=list, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    error_code = models.CharField(max_length=60, blank=True, default="")
    error_message = models.TextField(blank=True, default="")
    error_hint = models.TextField(blank=True, default="")

    parents = models.ManyToManyField("self", symmetrical=False, related_name="children", blank=True)
    created_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "lease_expires_at"]),
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["kind", "state"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} [{self.state} {self.progress}%]"

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED_STATES


class JobEvent(models.Model):
    """The job's log: attempts, stalls, failures, in the order they happened."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    attempt = models.PositiveSmallIntegerField(default=0)
    worker = models.CharField(max_length=200, blank=True, default="")
    kind = models.CharField(max_length=30)  # queued, started, progress, stalled, failed, ...
    message = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["at", "id"]


def new_token() -> uuid.UUID:
    return uuid.uuid4()


class WorkerNode(models.Model):
    """A worker as it reported itself: what it can do, when it was last seen, and what it
    contributed (the compute ledger: jobs done and seconds spent on them)."""

    name = models.CharField(max_length=200, unique=True)
    host = models.CharField(max_length=200, blank=True, default="")
    pid = models.PositiveIntegerField(default=0)
    capabilities = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    jobs_done = models.PositiveIntegerField(default=0)
    jobs_failed = models.PositiveIntegerField(default=0)
    busy_s = models.FloatField(default=0.0, help_text="seconds spent running jobs")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({', '.join(self.capabilities) or 'default'})"

    def can_do(self, needs: list[str]) -> bool:
        return set(needs) <= set(self.capabilities)
