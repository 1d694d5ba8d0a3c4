"""The one Celery task: it carries a job id to :func:`dastan.jobs.services.run_job`."""

from __future__ import annotations

from celery import shared_task

from dastan.jobs import services


@shared_task(name="jobs.run", ignore_result=True, acks_late=False)
def run_job_task(job_id: int) -> str:
    return services.run_job(job_id=job_id)
