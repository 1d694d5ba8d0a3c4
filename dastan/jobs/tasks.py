"""The one Celery task: it carries a job id to :func:`dastan.jobs.services.run_job`."""

from __future__ import annotations

# Bound to Dastan's app, not @shared_task: a process that only submits jobs (the web
# server, a script) would otherwise send them with Celery's default app, to amqp://localhost.
from dastan.celery import app
from dastan.jobs import services


@app.task(name=services.RUN_JOB_TASK, ignore_result=True)
def run_job_task(job_id: int) -> str:
    return services.run_job(job_id=job_id)
