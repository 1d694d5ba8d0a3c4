"""/api/v1/jobs: jobs with their state and progress."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Router, Schema

from dastan.accounts.permissions import NodeAction, check_node
from dastan.accounts.tokens import TokenAuth
from dastan.errors import PermissionDenied
from dastan.jobs import selectors, services

router = Router(tags=["jobs"], auth=TokenAuth())


def _viewer(request: HttpRequest) -> Any:
    """The authenticated user; never None, which selectors read as "the operator, sees all"."""
    user = getattr(request, "auth", None)
    if user is None:
        raise PermissionDenied(gettext("This request is not signed in."),
                               gettext("Send 'Authorization: Bearer <token>'."))
    return user


class JobOut(Schema):
    id: int
    kind: str
    state: str
    progress: int
    message: str
    attempts: int
    max_attempts: int
    worker: str
    needs: list[str]
    target: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error_code: str
    error_message: str
    error_hint: str
    parent_ids: list[int]


@router.get("/", response=list[JobOut], summary="List jobs, newest first")
def list_jobs(request: HttpRequest, state: str | None = None, kind: str | None = None,
              limit: int = 50) -> list[selectors.JobView]:
    return selectors.list_jobs(state=state, kind=kind, limit=limit, viewer=_viewer(request))


class WorkerOut(Schema):
    name: str
    state: str
    capabilities: list[str]
    host: str
    started_at: datetime
    last_seen_at: datetime
    jobs_done: int
    jobs_failed: int
    busy_s: float


@router.get("/workers", response=list[WorkerOut],
            summary="Workers with their capabilities and what they contributed")
def list_workers(request: HttpRequest) -> list[selectors.WorkerView]:
    check_node(user=_viewer(request), action=NodeAction.MANAGE_WORKERS)
    return selectors.list_workers()


@router.get("/{job_id}", response=JobOut, summary="One job")
def get_job(request: HttpRequest, job_id: int) -> selectors.JobView:
    return selectors.get_job(job_id=job_id, viewer=_viewer(request))


@router.post("/{job_id}/retry", response=JobOut, summary="Queue a failed or cancelled job again")
def retry_job(request: HttpRequest, job_id: int) -> selectors.JobView:
    selectors.get_job(job_id=job_id, viewer=_viewer(request))
    services.retry_job(job_id=job_id)
    return selectors.get_job(job_id=job_id, viewer=_viewer(request))


@router.post("/{job_id}/cancel", response=JobOut, summary="Cancel a job and what waits for it")
def cancel_job(request: HttpRequest, job_id: int) -> selectors.JobView:
    selectors.get_job(job_id=job_id, viewer=_viewer(request))
    services.cancel_job(job_id=job_id)
    return selectors.get_job(job_id=job_id, viewer=_viewer(request))
