"""Running a chain of jobs in this process while reporting their progress (the CLI's
bars, the demo's lines). The jobs may as well be taken by a worker: only one claim wins,
and the rows are followed whoever runs them."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

from dastan.jobs.models import Job, JobState


def run_here(job_ids: Sequence[int]) -> None:
    """Run the jobs in order in this process, each when its parents have finished; a job
    that waits for jobs submitted along the way (a long film's chunks) runs those first."""
    from django.db import connection

    from dastan.jobs.services import run_job

    try:
        for job_id in job_ids:
            deadline = time.monotonic() + 10
            while Job.objects.get(pk=job_id).state == JobState.WAITING and time.monotonic() < deadline:
                queued = queued_ancestors(job_id)
                if queued:
                    run_job(job_id=queued[0], worker="here")
                    deadline = time.monotonic() + 10
                else:
                    time.sleep(0.1)
            run_job(job_id=job_id, worker="here")
    finally:
        connection.close()


def queued_ancestors(job_id: int) -> list[int]:
    """The queued jobs that ``job_id`` waits for, directly or through others, oldest first."""
    found: set[int] = set()
    frontier = {job_id}
    while frontier:
        parents = set(Job.objects.filter(children__pk__in=frontier).values_list("pk", flat=True)) - found
        found |= parents
        frontier = parents
    return sorted(Job.objects.filter(pk__in=found, state=JobState.QUEUED).values_list("pk", flat=True))


def follow_jobs(job_ids: Sequence[int], *, report: Callable[[list[Job]], None], run: bool = True,
                every_s: float = 0.3) -> list[Job]:
    """Optionally run the jobs (in a thread), and call ``report`` with their rows until
    all are finished. Returns the finished rows."""
    if run:
        threading.Thread(target=run_here, args=(list(job_ids),), daemon=True).start()
    while True:
        rows = sorted(Job.objects.filter(pk__in=job_ids), key=lambda j: list(job_ids).index(j.pk))
        report(rows)
        if all(r.is_finished for r in rows):
            return rows
        time.sleep(every_s)
