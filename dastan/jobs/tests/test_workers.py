"""Workers in the database: the block list hand-off and the compute ledger."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from dastan.jobs.models import Job, JobState, WorkerNode
from dastan.jobs.services import run_job, submit_job
from dastan.jobs.workers import register_worker, should_step_aside

pytestmark = pytest.mark.django_db


def _seen(name: str, *, capabilities: list[str], ago_s: float = 0) -> WorkerNode:
    node = register_worker(name=name, capabilities=capabilities)
    WorkerNode.objects.filter(pk=node.pk).update(last_seen_at=timezone.now() - timedelta(seconds=ago_s))
    return node


def test_a_worker_that_failed_a_job_hands_the_retry_to_a_live_worker_that_did_not() -> None:
    _seen("gpu-a", capabilities=["asr"])
    _seen("gpu-b", capabilities=["asr"])
    job = submit_job(kind="test.flaky", needs=["asr"])
    assert run_job(job_id=job.pk, worker="gpu-a") == JobState.QUEUED  # attempt 1 failed

    assert run_job(job_id=job.pk, worker="gpu-a") == "deferred"
    assert job.events.filter(kind="deferred", message__contains="handed to gpu-b").exists()
    assert run_job(job_id=job.pk, worker="gpu-b") == JobState.SUCCEEDED
    job.refresh_from_db()
    assert (job.attempts, job.worker) == (2, "gpu-b")


def test_a_blocked_worker_takes_the_job_when_no_other_fitting_worker_is_alive() -> None:
    _seen("gpu-a", capabilities=["asr"])
    _seen("cpu-b", capabilities=["transcode"])  # alive, but cannot do asr
    _seen("gpu-c", capabilities=["asr"], ago_s=3600)  # can, but gone
    job = submit_job(kind="test.flaky", needs=["asr"])
    run_job(job_id=job.pk, worker="gpu-a")

    assert not should_step_aside(job_id=job.pk, worker="gpu-a")
    assert run_job(job_id=job.pk, worker="gpu-a") == JobState.SUCCEEDED


def test_a_blocked_worker_stops_deferring_once_the_job_waited_a_whole_lease() -> None:
    _seen("gpu-a", capabilities=[])
    _seen("gpu-b", capabilities=[])
    job = submit_job(kind="test.flaky")
    run_job(job_id=job.pk, worker="gpu-a")
    assert should_step_aside(job_id=job.pk, worker="gpu-a")

    job.refresh_from_db()
    job.queued_at = timezone.now() - timedelta(hours=1)  # gpu-b never took it
    job.save(update_fields=["queued_at"])
    assert not should_step_aside(job_id=job.pk, worker="gpu-a")


def test_the_ledger_counts_each_workers_finished_and_failed_attempts_and_busy_time() -> None:
    _seen("gpu-a", capabilities=[])
    flaky = submit_job(kind="test.flaky")
    run_job(job_id=flaky.pk, worker="gpu-a")
    WorkerNode.objects.filter(name="gpu-a").update(last_seen_at=timezone.now() - timedelta(hours=1))
    run_job(job_id=flaky.pk, worker="gpu-a")  # the only worker: it takes its own retry

    node = WorkerNode.objects.get(name="gpu-a")
    assert (node.jobs_done, node.jobs_failed) == (1, 1)
    assert node.busy_s >= 0


def test_a_job_waiting_too_long_is_sent_again_only_when_a_live_worker_can_do_it() -> None:
    from dastan.jobs.services import resend_queued_jobs

    _seen("cpu-1", capabilities=["transcode"])
    asr = submit_job(kind="test.asr")
    transcode = submit_job(kind="test.transcode")
    long_ago = timezone.now() - timedelta(minutes=5)
    Job.objects.update(queued_at=long_ago)

    assert resend_queued_jobs(older_than_s=60) == [transcode.pk]
    _seen("gpu-1", capabilities=["asr", "gpu"])
    assert resend_queued_jobs(older_than_s=60) == [asr.pk]  # transcode was just re-sent
