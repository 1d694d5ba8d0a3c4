"""Leases: a stalled attempt is taken back and retried, attempts are bounded, and an
attempt that lost its lease can neither report, publish nor complete."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from dastan.jobs.context import JobContext
from dastan.jobs.errors import LeaseLost
from dastan.jobs.models import Job, JobState
from dastan.jobs.registry import job_handler
from dastan.jobs.services import claim_job, reap_stalled_jobs, run_job, submit_job

pytestmark = pytest.mark.django_db


def _after_lease() -> Any:
    return timezone.now() + timedelta(seconds=settings.DASTAN_JOB_LEASE_S + 1)


def _take_over(job_id: int, *, worker: str) -> JobContext:
    """What another worker's sweeper and claim do once this attempt's lease lapsed."""
    assert reap_stalled_jobs(now=_after_lease()) == [job_id]
    ctx = claim_job(job_id=job_id, worker=worker)
    assert ctx is not None
    return ctx


LATE: dict[str, Any] = {}


@job_handler("test.overtaken")
def _overtaken(ctx: JobContext) -> dict[str, Any]:
    """Runs as attempt 1 while the job is taken over under it, then tries to report."""
    LATE["second"] = _take_over(ctx.job_id, worker="fast")
    for name, step in (("progress", lambda: ctx.progress(90, "almost")),
                       ("publish", lambda: ctx.publish(lambda: LATE.setdefault("published", ctx.attempt)))):
        with pytest.raises(LeaseLost) as caught:
            step()
        LATE[name] = str(caught.value)
    return {"from": "attempt 1"}


def test_an_attempt_that_lost_its_lease_cannot_report_publish_or_complete() -> None:
    LATE.clear()
    job = submit_job(kind="test.overtaken")

    assert run_job(job_id=job.pk, worker="slow") == "lost"

    job.refresh_from_db()
    assert "published" not in LATE
    assert LATE["progress"].startswith(f"Job #{job.pk} attempt 1 on slow lost its lease")
    assert "Nothing from this attempt is published" in LATE["publish"]
    assert (job.state, job.attempts, job.worker, job.result) == (JobState.RUNNING, 2, "fast", {})
    second: JobContext = LATE["second"]
    second.progress(50, "carrying on")  # the current attempt still reports
    assert Job.objects.get(pk=job.pk).progress == 50


def test_a_job_whose_worker_stops_heartbeating_is_marked_stalled_and_queued_again() -> None:
    job = submit_job(kind="test.transcode")
    claim_job(job_id=job.pk, worker="gpu-3")

    assert reap_stalled_jobs() == []  # the lease still holds
    assert reap_stalled_jobs(now=_after_lease()) == [job.pk]

    job.refresh_from_db()
    assert (job.state, job.attempts, job.message) == (JobState.QUEUED, 1, "requeued after stall")
    assert job.error_message.startswith("Worker gpu-3 stopped reporting on attempt 1")
    assert "gpu-3" in job.failed_on_workers
    stalled = job.events.get(kind="stalled")
    assert (stalled.attempt, stalled.worker) == (1, "gpu-3")


def test_a_job_that_stalls_on_every_attempt_fails_after_max_attempts_with_the_last_error_kept() -> None:
    job = submit_job(kind="test.transcode", max_attempts=2)
    for attempt, worker in ((1, "gpu-1"), (2, "gpu-2")):
        claim_job(job_id=job.pk, worker=worker)
        reap_stalled_jobs(now=_after_lease() + timedelta(seconds=attempt))

    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.FAILED, 2)
    assert claim_job(job_id=job.pk, worker="gpu-3") is None
    assert job.error_code == "worker_lost"
    assert job.error_message.startswith("Worker gpu-2 stopped reporting on attempt 2")
    assert "check that worker's log" in job.error_hint
    assert job.events.filter(kind="stalled").count() == 2


def test_a_job_cancelled_while_it_runs_stops_its_attempt_at_the_next_report() -> None:
    from dastan.jobs.errors import JobCancelled
    from dastan.jobs.services import cancel_job

    job = submit_job(kind="test.transcode")
    ctx = claim_job(job_id=job.pk, worker="gpu-1")
    assert ctx is not None
    cancel_job(job_id=job.pk)
    with pytest.raises(JobCancelled, match=f"Job #{job.pk} was cancelled"):
        ctx.progress(10)
