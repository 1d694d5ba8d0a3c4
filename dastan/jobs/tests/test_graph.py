"""Jobs run in-process: success, failure with the error kept, and a graph of parents."""

from __future__ import annotations

from typing import Any

import pytest

from dastan.errors import DastanError
from dastan.jobs.context import JobContext
from dastan.jobs.models import Job, JobState
from dastan.jobs.registry import job_handler
from dastan.jobs.services import run_queued_jobs, submit_job

ORDER: list[str] = []


@job_handler("test.record", needs=("transcode",))
def _record(ctx: JobContext) -> dict[str, Any]:
    ctx.progress(50, "half way")
    ORDER.append(ctx.params["name"])
    return {"name": ctx.params["name"]}


@job_handler("test.refuse", max_attempts=2)
def _refuse(ctx: JobContext) -> None:
    raise DastanError("The film has no audio track.", "Upload a master with sound.", code="no_audio")


pytestmark = pytest.mark.django_db


def test_a_child_waits_for_both_parents_and_runs_after_them() -> None:
    ORDER.clear()
    a = submit_job(kind="test.record", params={"name": "a"})
    b = submit_job(kind="test.record", params={"name": "b"})
    c = submit_job(kind="test.record", params={"name": "c"}, parents=[a, b])
    assert c.state == JobState.WAITING
    assert a.queue == "transcode"
    run_queued_jobs(worker="test")
    assert ORDER == ["a", "b", "c"]
    c.refresh_from_db()
    assert (c.state, c.progress, c.result) == (JobState.SUCCEEDED, 100, {"name": "c"})


def test_a_domain_error_is_kept_for_a_person_and_children_are_cancelled_with_the_reason() -> None:
    bad = submit_job(kind="test.refuse")
    child = submit_job(kind="test.record", params={"name": "x"}, parents=[bad])
    run_queued_jobs(worker="test")
    bad.refresh_from_db()
    child.refresh_from_db()
    assert bad.state == JobState.FAILED
    assert bad.attempts == 1  # a domain error is not retried: it would fail the same way
    assert bad.error_message == "The film has no audio track."
    assert bad.error_hint == "Upload a master with sound."
    assert child.state == JobState.CANCELLED
    assert f"job #{bad.pk}" in child.error_message


def test_an_unexpected_exception_is_retried_up_to_max_attempts() -> None:
    calls: list[int] = []

    @job_handler("test.crash", max_attempts=3)
    def _crash(ctx: JobContext) -> None:
        calls.append(ctx.attempt)
        raise RuntimeError("disk on fire")

    job = submit_job(kind="test.crash")
    run_queued_jobs(worker="test")
    job.refresh_from_db()
    assert calls == [1, 2, 3]
    assert job.state == JobState.FAILED
    assert "RuntimeError: disk on fire" in job.error_message
    assert Job.objects.get(pk=job.pk).events.filter(kind="traceback").count() == 3
