"""Reading jobs."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext

from dastan.accounts.permissions import is_operator
from dastan.jobs.models import Job, WorkerNode


@dataclass(frozen=True, slots=True)
class JobView:
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

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _view(job: Job) -> JobView:
    target = f"{job.target_type.model}:{job.target_id}" if job.target_type is not None else ""
    error_message, error_hint = job.shown_error()  # in the viewer's language
    return JobView(
        id=job.pk, kind=job.kind, state=job.state, progress=job.progress, message=job.message,
        attempts=job.attempts, max_attempts=job.max_attempts, worker=job.worker, needs=list(job.needs),
        target=target, created_at=job.created_at, started_at=job.started_at,
        finished_at=job.finished_at, error_code=job.error_code, error_message=error_message,
        error_hint=error_hint, parent_ids=[p.pk for p in job.parents.all()],
    )


def visible_jobs(*, viewer: Any = None) -> Any:
    """Jobs ``viewer`` may see: all for the node's operators (and the CLI, which passes no
    viewer), otherwise the jobs that person started."""
    qs = Job.objects.all()
    if viewer is None or is_operator(viewer):
        return qs
    return qs.filter(created_by=viewer)


def list_jobs(*, state: str | None = None, kind: str | None = None, target: Any = None,
              limit: int = 50, viewer: Any = None) -> list[JobView]:
    qs = visible_jobs(viewer=viewer).select_related("target_type").prefetch_related("parents")
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if target is not None:
        from django.contrib.contenttypes.models import ContentType

        qs = qs.filter(target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk))
    return [_view(j) for j in qs[: max(1, min(limit, 500))]]


def list_jobs_by_target(*, targets: list[Any], kinds: tuple[str, ...] | None = None,
                        limit_each: int = 20) -> dict[Any, list[JobView]]:
    """The newest ``limit_each`` jobs of each of ``targets`` (models of one kind), keyed by
    target pk, in two queries whatever the number of targets (a list page's rows)."""
    if not targets:
        return {}
    from django.contrib.contenttypes.models import ContentType

    qs = Job.objects.filter(target_type=ContentType.objects.get_for_model(targets[0]),
                            target_id__in=[str(t.pk) for t in targets])
    if kinds:
        qs = qs.filter(kind__in=kinds)
    by_target: dict[Any, list[JobView]] = {t.pk: [] for t in targets}
    pks = {str(t.pk): t.pk for t in targets}
    for job in qs.select_related("target_type").prefetch_related("parents").order_by("-created_at", "-id"):
        views = by_target[pks[job.target_id]]
        if len(views) < limit_each:
            views.append(_view(job))
    return by_target


def get_job(*, job_id: int, viewer: Any = None) -> JobView:
    """One job; NotFound also for a job ``viewer`` may not see, so ids reveal nothing."""
    from dastan.errors import NotFound

    job = (visible_jobs(viewer=viewer).select_related("target_type").prefetch_related("parents")
           .filter(pk=job_id).first())
    if job is None:
        raise NotFound(gettext("There is no job #%(job)s.") % {"job": job_id},
                       gettext("`dastan jobs` lists the jobs there are."))
    return _view(job)


@dataclass(frozen=True, slots=True)
class WorkerView:
    name: str
    state: str  # "live" when seen within one lease period, else "gone"
    capabilities: list[str]
    host: str
    started_at: datetime
    last_seen_at: datetime
    jobs_done: int
    jobs_failed: int
    busy_s: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def list_workers() -> list[WorkerView]:
    """Every worker that ever reported, live ones first, with its compute ledger."""
    from dastan.jobs.workers import live_workers

    live = {w.name for w in live_workers()}
    views = [
        WorkerView(name=w.name, state="live" if w.name in live else "gone",
                   capabilities=list(w.capabilities), host=w.host, started_at=w.started_at,
                   last_seen_at=w.last_seen_at, jobs_done=w.jobs_done, jobs_failed=w.jobs_failed,
                   busy_s=round(w.busy_s, 1))
        for w in WorkerNode.objects.all()
    ]
    return sorted(views, key=lambda v: (v.state != "live", v.name))
