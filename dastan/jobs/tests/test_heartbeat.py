"""The heartbeat renews a running attempt's lease from a thread of its own, and that thread
ends with the attempt: none is left beating into whatever runs next."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.utils import timezone

from dastan.jobs.context import Heartbeat, JobContext
from dastan.jobs.models import Job, JobState
from dastan.jobs.registry import job_handler
from dastan.jobs.services import claim_job, run_job, submit_job

SEEN: dict[int, list[str]] = {}


def _heartbeats() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("heartbeat-")]


@job_handler("test.look_for_heartbeat")
def _look_for_heartbeat(ctx: JobContext) -> dict[str, Any]:
    """Notes which heartbeat threads run while the handler does."""
    SEEN[ctx.job_id] = _heartbeats()
    return {}


@pytest.mark.django_db
def test_an_attempt_run_inside_the_callers_transaction_starts_no_heartbeat() -> None:
    # The claim is not committed: no other connection sees the job, so there is no lease
    # to renew, and a beat would wait on this transaction's own lock past the attempt's end
    # (SQLite) or find no row and stop the handler as if its lease were lost (PostgreSQL).
    job = submit_job(kind="test.look_for_heartbeat")

    assert run_job(job_id=job.pk, worker="here") == JobState.SUCCEEDED

    assert SEEN.pop(job.pk) == []
    assert _heartbeats() == []


@pytest.mark.django_db(transaction=True)
def test_a_committed_attempt_beats_while_its_handler_runs_and_the_beating_ends_with_it() -> None:
    job = submit_job(kind="test.look_for_heartbeat")

    assert run_job(job_id=job.pk, worker="here") == JobState.SUCCEEDED

    assert SEEN.pop(job.pk) == [f"heartbeat-{job.pk}"]
    assert _heartbeats() == []


@pytest.mark.django_db(transaction=True)
def test_a_heartbeat_renews_the_lease_until_its_block_ends() -> None:
    job = submit_job(kind="test.look_for_heartbeat")
    ctx = claim_job(job_id=job.pk, worker="here", lease_s=60)
    assert ctx is not None
    claimed_until = Job.objects.get(pk=job.pk).lease_expires_at
    assert claimed_until is not None

    with Heartbeat(ctx, every_s=0.01) as heartbeat:
        deadline = time.monotonic() + 30
        while Job.objects.get(pk=job.pk).lease_expires_at == claimed_until:
            assert time.monotonic() < deadline, "the heartbeat never renewed the lease"
            time.sleep(0.01)  # polling another thread's write, not waiting for time to pass

    assert heartbeat.started and not heartbeat.lost.is_set()
    assert _heartbeats() == []
    renewed = Job.objects.get(pk=job.pk)
    assert renewed.heartbeat_at is not None and renewed.heartbeat_at <= timezone.now()
