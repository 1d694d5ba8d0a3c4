"""Workers as the database knows them: who is alive, what they can do, what they did.

A worker registers when it starts and is "seen" on every sweep; the compute ledger adds
each finished attempt's time to the worker that ran it. The block list rule (Flamenco's):
a worker that already failed a job steps aside when another fitting worker was seen
recently, so the retry runs elsewhere.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from dastan.jobs.models import Job, JobState, WorkerNode

_identity: dict[str, str] = {}


def current_worker_name() -> str:
    """This process's worker name: the one given to `dastan worker --name`, else host:pid."""
    return _identity.get("name") or f"{socket.gethostname()}:{os.getpid()}"


def register_worker(*, name: str, capabilities: list[str]) -> WorkerNode:
    """Record that a worker called ``name`` started here with ``capabilities``."""
    _identity["name"] = name
    now = timezone.now()
    node, _ = WorkerNode.objects.update_or_create(
        name=name,
        defaults={"host": socket.gethostname(), "pid": os.getpid(), "capabilities": sorted(capabilities),
                  "started_at": now, "last_seen_at": now},
    )
    return node


def mark_worker_seen(*, name: str) -> None:
    WorkerNode.objects.filter(name=name).update(last_seen_at=timezone.now())


def record_attempt(*, name: str, started_at: datetime | None, succeeded: bool) -> None:
    """Add one finished attempt to the worker's ledger (no row for in-process runs)."""
    busy_s = (timezone.now() - started_at).total_seconds() if started_at else 0.0
    counter = "jobs_done" if succeeded else "jobs_failed"
    WorkerNode.objects.filter(name=name).update(
        **{counter: F(counter) + 1}, busy_s=F("busy_s") + max(0.0, busy_s), last_seen_at=timezone.now())


def live_workers(*, within_s: float | None = None) -> list[WorkerNode]:
    """Workers seen within one lease period (or ``within_s``)."""
    window = within_s if within_s is not None else settings.DASTAN_JOB_LEASE_S
    since = timezone.now() - timedelta(seconds=window)
    return list(WorkerNode.objects.filter(last_seen_at__gte=since))


def should_step_aside(*, job_id: int, worker: str) -> bool:
    """True when ``worker`` already failed this queued job and another live worker that
    can do it has not. Only for one lease period after the job was queued: a job is never
    held back for long because the only other fitting worker is busy or gone."""
    job = Job.objects.filter(pk=job_id, state=JobState.QUEUED).first()
    if job is None or worker not in job.failed_on_workers:
        return False
    if job.queued_at and timezone.now() - job.queued_at > timedelta(seconds=settings.DASTAN_JOB_LEASE_S):
        return False
    blocked = set(job.failed_on_workers)
    return any(node.name not in blocked and node.can_do(list(job.needs)) for node in live_workers())
