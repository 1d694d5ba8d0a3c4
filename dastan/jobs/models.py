"""The Job row: what a unit of work is for, its state, progress, attempts and lease."""

from __future__ import annotations

import uuid

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from dastan.i18n import render


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
    # The message and hint as their message ids and named parameters (dastan.i18n.describe),
    # so a page says them in its viewer's language; error_message/error_hint keep the
    # English text, for logs and the rows written before these were kept.
    error_message_i18n = models.JSONField(default=dict, blank=True)
    error_hint_i18n = models.JSONField(default=dict, blank=True)

    parents = models.ManyToManyField("self", symmetrical=False, related_name="children", blank=True)
    created_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL)
    # Whose work it is (a pool's workers serve their organisation and those it shares with).
    organisation = models.ForeignKey("catalog.Organisation", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "lease_expires_at"]),
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["kind", "state"]),
            # The queue in claim order (scheduling._candidates): a schedule call reads its
            # first rows instead of sorting every queued job (20 ms → 0.1 ms at 20 000 queued).
            models.Index(fields=["-priority", "queued_at", "id"], condition=models.Q(state="queued"),
                         name="jobs_job_claim_order"),
            # Each organisation's queue in claim order: a schedule call reads the first rows of
            # every organisation it serves, however long another's queue in front of them is.
            models.Index(fields=["organisation", "-priority", "queued_at", "id"],
                         condition=models.Q(state="queued"), name="jobs_job_org_claim_order"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} [{self.state} {self.progress}%]"

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED_STATES

    def shown_error(self) -> tuple[str, str]:
        """The error's message and hint in the active language (as stored for old rows)."""
        return render(self.error_message_i18n, self.error_message), render(self.error_hint_i18n, self.error_hint)


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


# --- compute across organisations: remote workers, their pools, what they gave ----------------------

class RemoteWorker(models.Model):
    """A machine that joined over HTTPS with its own key: it never sees the database or
    the broker, only the node's signed schedule API. ``name`` is the worker name on jobs."""

    class State(models.TextChoices):
        ACTIVE = "active", "Taking jobs"
        DRAINING = "draining", "Finishing its jobs, taking no new ones"
        PAUSED = "paused", "Paused"
        QUARANTINED = "quarantined", "Quarantined: its output failed verification"
        REVOKED = "revoked", "Revoked: its key is refused"

    name = models.CharField(max_length=200, unique=True)
    organisation = models.ForeignKey("catalog.Organisation", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="+",
                                     help_text="whose machine it is; none for the node's own")
    key_id = models.CharField(max_length=200, unique=True)
    public_key_pem = models.TextField()
    algorithm = models.CharField(max_length=30, default="ed25519")
    state = models.CharField(max_length=12, choices=State.choices, default=State.ACTIVE)
    capabilities = models.JSONField(default=list, blank=True)
    facts = models.JSONField(default=dict, blank=True, help_text="what it detected: encoders, GPUs, cores")
    slots = models.PositiveSmallIntegerField(default=1)
    # Verification: every result is sampled until this many passed, then a small share.
    good_results = models.PositiveIntegerField(default=0)
    trusted = models.BooleanField(default=False, help_text="may re-do other workers' work to verify it")
    # The account its resumable uploads belong to (tus uploads have an owner).
    upload_user = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    enrolled_at = models.DateTimeField(auto_now_add=True)
    last_heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} [{self.state}]"


class EnrolmentToken(models.Model):
    """A one-time, expiring secret an operator hands to a machine that should join; only
    its hash is kept."""

    token_sha256 = models.CharField(max_length=64, unique=True)
    organisation = models.ForeignKey("catalog.Organisation", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    worker = models.ForeignKey(RemoteWorker, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")


class WorkerAudit(models.Model):
    """Every action on a remote worker, and what the node did to it (quarantine)."""

    worker = models.ForeignKey(RemoteWorker, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="audit")
    worker_name = models.CharField(max_length=200)
    organisation = models.ForeignKey("catalog.Organisation", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=30)  # enrolled, renamed, drained, ..., quarantined
    detail = models.TextField(blank=True, default="")
    # An operator must look at it (a quarantine): shown as a notice until acknowledged.
    notify = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at", "-id"]


class SharingAgreement(models.Model):
    """``lender``'s workers also serve ``borrower``'s jobs, up to a monthly cap."""

    lender = models.ForeignKey("catalog.Organisation", on_delete=models.CASCADE, related_name="+")
    borrower = models.ForeignKey("catalog.Organisation", on_delete=models.CASCADE, related_name="+")
    cap_hours_per_month = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lender", "borrower"], name="jobs_one_agreement")]


class ComputeRecord(models.Model):
    """One remote attempt's accepted output: checksums, what it is worth, and whether it
    was verified. Credit counts only ``ACCEPTED`` and ``PASSED`` records."""

    class Verification(models.TextChoices):
        ACCEPTED = "accepted", "Checksums matched; not sampled"
        PENDING = "pending", "Sampled: being re-done on a trusted worker"
        PASSED = "passed", "Re-done and matched"
        FAILED = "failed", "Re-done and did not match"
        VOIDED = "voided", "Its worker was quarantined before it was verified"

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="compute_records")
    attempt = models.PositiveSmallIntegerField()
    worker = models.ForeignKey(RemoteWorker, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="records")
    worker_name = models.CharField(max_length=200)
    giver = models.ForeignKey("catalog.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    receiver = models.ForeignKey("catalog.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    kind = models.CharField(max_length=80)
    outputs = models.JSONField(default=dict, help_text="name → {storage, sha256, bytes}")
    unit = models.CharField(max_length=30, default="", help_text="encoded, transcribed, synthesized")
    minutes = models.FloatField(default=0.0, help_text="weighted minutes, measured on the output")
    busy_s = models.FloatField(default=0.0)
    verification = models.CharField(max_length=10, choices=Verification.choices,
                                    default=Verification.ACCEPTED)
    verify_job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    verify_detail = models.TextField(blank=True, default="")
    verify_s = models.FloatField(default=0.0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class ServeMark(models.Model):
    """When an organisation's jobs were last given to a pool worker: the least recently
    served organisation goes first (fair share)."""

    organisation = models.OneToOneField("catalog.Organisation", null=True, on_delete=models.CASCADE,
                                        related_name="+")
    last_served_at = models.DateTimeField()
