"""Submitting, running, finishing and recovering jobs.

Guarantees:
- A job runs under a lease: ``claim_job`` sets a fresh token; every later write of that
  attempt is conditional on it, so a worker that was presumed dead and comes back can
  neither report nor publish (OpenCue #2438: one frame silently ran on two hosts).
- A running job whose lease lapsed is put back in the queue by ``reap_stalled_jobs``,
  until ``max_attempts``; the broker's redelivery is never relied on. Workers sweep every
  quarter lease, so a dead worker's job is queued again at most 1.25 leases after its
  last heartbeat (25 s with the default 20 s lease).
- A cancelled job stops: its heartbeat finds the lease gone and kills the handler's child
  processes; a worker told to stop kills them too and gives its jobs back at once.
- A job waits for its parents, is released when all of them succeeded, and is cancelled
  with the reason when one of them failed.
"""

from __future__ import annotations

import json
import logging
import threading
import traceback
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from dastan.celery import app as celery_app
from dastan.errors import DastanError, InvalidInput
from dastan.i18n import describe, gettext, in_english
from dastan.jobs.context import Heartbeat, JobContext, attempt_scope
from dastan.jobs.errors import (
    JobCancelled,
    JobNotRetryable,
    LeaseLost,
    RetryableJobError,
    WorkerStopping,
)
from dastan.jobs.models import FINISHED_STATES, Job, JobEvent, JobState, new_token
from dastan.jobs.registry import declared_needs, get_handler
from dastan.jobs.routing import broker_queue, is_routable, queue_for
from dastan.jobs.workers import current_worker_name, live_workers, record_attempt, should_step_aside

log = logging.getLogger(__name__)


def worker_name() -> str:
    return current_worker_name()


def _event(job_id: int, kind: str, message: str = "", *, attempt: int = 0, worker: str = "") -> None:
    JobEvent.objects.create(job_id=job_id, kind=kind, message=message[:2000], attempt=attempt, worker=worker)


# --- submitting ---------------------------------------------------------------------------------

def submit_job(
    *,
    kind: str,
    target: models.Model | None = None,
    params: dict[str, Any] | None = None,
    needs: Iterable[str] | None = None,
    parents: Iterable[Job] = (),
    max_attempts: int | None = None,
    priority: int = 0,
    created_by: Any = None,
    organisation: Any = None,
) -> Job:
    """Record a job and queue it once the surrounding transaction commits.

    ``needs`` defaults to what the handler declared. With ``parents`` the job waits
    until all of them succeeded. ``organisation`` (default: the target's owner) decides
    which pools may run it. Raises UnknownJobKind for a kind with no handler.
    """
    spec = get_handler(kind)
    need_list = sorted(set(needs if needs is not None else spec.needs))
    if not is_routable(need_list, declared=declared_needs()):
        raise InvalidInput(
            f"No worker takes jobs that need {' and '.join(need_list)} together: no handler "
            "declares that combination, so no worker listens to its queue.",
            f"Declare it on the handler (job_handler('{kind}', needs={tuple(need_list)!r})) or "
            "submit the job with one need.",
            field="needs",
        )
    parent_list = list(parents)
    waiting = any(p.state != JobState.SUCCEEDED for p in parent_list)
    job = Job.objects.create(
        kind=kind,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        params=params or {},
        needs=need_list,
        queue=queue_for(need_list),
        priority=priority,
        max_attempts=max_attempts or spec.max_attempts or settings.DASTAN_JOB_MAX_ATTEMPTS,
        state=JobState.WAITING if waiting else JobState.QUEUED,
        queued_at=None if waiting else timezone.now(),
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
        organisation=organisation if organisation is not None else getattr(target, "owner", None),
        message=waiting_message(need_list),
    )
    if parent_list:
        job.parents.set(parent_list)
        failed = [p for p in parent_list if p.state in (JobState.FAILED, JobState.CANCELLED)]
        if failed:
            _cancel_for_parent(job.pk, failed[0])
            job.refresh_from_db()
            return job
    _event(job.pk, "waiting" if waiting else "queued")
    if not waiting:
        dispatch(job)
    return job


def waiting_message(needs: list[str]) -> str:
    """What a queued job says while no live worker, local or remote, can do it: it waits
    visibly ("waiting for a GPU worker") instead of failing or landing on a machine that
    only claims the capability."""
    if not needs or any(node.can_do(needs) for node in live_workers()):
        return ""
    what = "GPU" if "gpu" in needs else " + ".join(needs)
    return f"waiting for a {what} worker"


RUN_JOB_TASK = "jobs.run"  # the one Celery task's name (dastan/jobs/tasks.py)


def personal_queue(worker: str) -> str:
    """The queue only ``worker`` listens to, for a job handed to it by name."""
    return f"worker.{worker}"


def dispatch(job: Job, *, queue: str | None = None) -> None:
    """Hand the job id to the broker after commit, on the queue of its needs (or ``queue``)."""
    if settings.DASTAN_JOBS_DISPATCH == "none":
        return  # jobs are run in this process by run_queued_jobs (CLI --here, tests)
    job_id, queue = job.pk, broker_queue(queue or job.queue)

    def send() -> None:
        if celery_app.conf.task_always_eager:
            # DASTAN_JOBS_EAGER (debugging): run the job here and now, as Celery's eager
            # mode would run its task.
            run_job(job_id=job_id)
            return
        try:
            # By name: the task (dastan/jobs/tasks.py) calls this module, not the reverse.
            celery_app.send_task(RUN_JOB_TASK, args=[job_id], queue=queue)
        except (KombuOperationalError, OSError) as exc:
            # The broker is down: the row stays queued and a worker's sweep re-sends it.
            log.warning("could not send job #%s to the broker (%s); it stays queued", job_id, exc)

    transaction.on_commit(send)


# --- running ------------------------------------------------------------------------------------

def claim_job(*, job_id: int, worker: str, lease_s: float | None = None, note: str = "") -> JobContext | None:
    """Take a queued job for one attempt; None if it is not queued any more. ``lease_s``
    overrides the lease (a remote worker's depends on its silence setting); ``note`` goes
    into the 'started' event."""
    token = new_token()
    now = timezone.now()
    # Inside a caller's transaction (a remote schedule call claims several), no savepoint:
    # two round trips saved per claim; an error here undoes the caller's transaction anyway.
    with transaction.atomic(savepoint=False):
        updated = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
            state=JobState.RUNNING,
            lease_token=token,
            lease_expires_at=now + timedelta(seconds=lease_s or settings.DASTAN_JOB_LEASE_S),
            heartbeat_at=now,
            worker=worker,
            attempts=models.F("attempts") + 1,
            started_at=now,
            message="started",
        )
        if not updated:
            return None
        job = Job.objects.get(pk=job_id)
        _event(job_id, "started", note.format(token=token), attempt=job.attempts, worker=worker)
    return JobContext(job=job, token=token, worker=worker)


@dataclass(frozen=True, slots=True)
class Claimed:
    """One attempt that ``claim_jobs`` started."""

    job_id: int
    token: uuid.UUID
    attempt: int
    kind: str
    params: dict[str, Any]
    organisation_id: int | None


def _loaded(value: Any) -> Any:
    # A raw cursor gives JSON columns as text (SQLite, Django's jsonb loader) or parsed.
    return json.loads(value) if isinstance(value, str | bytes) else value


def claim_jobs(*, job_ids: list[int], count: int, worker: str, lease_s: float, note: str = "") -> list[Claimed]:
    """``claim_job`` for the first ``count`` of ``job_ids`` (in their order) that are still
    queued: the same state, lease and 'started' event, written in two statements at most whatever
    ``count`` is: one ``UPDATE … RETURNING`` claims them, one ``INSERT`` logs them (on
    PostgreSQL both in one statement, which skips rows that a concurrent call has locked,
    ``FOR UPDATE SKIP LOCKED``, instead of waiting for them; SQLite has one writer at a
    time). Call it inside the caller's transaction: its events commit with the claims."""
    if not job_ids or count <= 0:
        return []
    now = timezone.now()
    table = Job._meta.db_table
    expires = now + timedelta(seconds=lease_s)
    sets = ("state = %s, lease_expires_at = %s, heartbeat_at = %s, worker = %s, attempts = attempts + 1, "
            "started_at = %s, message = %s")
    at = connection.ops.adapt_datetimefield_value
    values: list[Any] = [JobState.RUNNING, at(expires), at(now), worker, at(now), "started"]
    returning = "RETURNING id, lease_token, attempts, kind, params, organisation_id"
    rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The locked rows are picked once, in a materialised CTE: as an IN (subquery) the
            # planner may run the LIMIT … SKIP LOCKED subquery more than once and claim more.
            # The 'started' events are written by the same statement (one round trip less).
            before, has_token, after = note.partition("{token}")
            message = "%s || claimed.lease_token::text || %s" if has_token else "%s"
            cursor.execute(
                f"WITH picked AS MATERIALIZED (SELECT id FROM {table} WHERE id = ANY(%s) AND state = %s "
                f"ORDER BY array_position(%s, id) LIMIT %s FOR UPDATE SKIP LOCKED), "
                f"claimed AS (UPDATE {table} SET lease_token = gen_random_uuid(), {sets} FROM picked "
                f"WHERE {table}.id = picked.id AND {table}.state = %s "
                f"{returning.replace('RETURNING id', f'RETURNING {table}.id')}), "
                f"logged AS (INSERT INTO {JobEvent._meta.db_table} (job_id, at, attempt, worker, kind, message) "
                f"SELECT claimed.id, %s, claimed.attempts, %s, %s, {message} FROM claimed) "
                f"SELECT id, lease_token, attempts, kind, params, organisation_id FROM claimed",
                [job_ids, JobState.QUEUED, job_ids, count, *values, JobState.QUEUED, at(now), worker, "started",
                 *((before, after) if has_token else (note,))])
            rows = cursor.fetchall()
        else:  # the token is a UUID's 32 hex digits, as Django stores one on SQLite
            ids = ", ".join(["%s"] * len(job_ids))
            position = f"CASE id {' '.join(['WHEN %s THEN %s'] * len(job_ids))} END"
            cursor.execute(
                f"UPDATE {table} SET lease_token = lower(hex(randomblob(16))), {sets} WHERE state = %s AND id IN ("
                f"SELECT id FROM {table} WHERE id IN ({ids}) AND state = %s ORDER BY {position} LIMIT %s) {returning}",
                [*values, JobState.QUEUED, *job_ids, JobState.QUEUED,
                 *[v for i, job_id in enumerate(job_ids) for v in (job_id, i)], count])
            rows = cursor.fetchall()
    order = {job_id: i for i, job_id in enumerate(job_ids)}
    claimed = sorted((Claimed(job_id=pk, token=token if isinstance(token, uuid.UUID) else uuid.UUID(str(token)),
                              attempt=attempts, kind=kind, params=dict(_loaded(params) or {}), organisation_id=org)
                      for pk, token, attempts, kind, params, org in rows), key=lambda c: order[c.job_id])
    if connection.vendor != "postgresql":
        JobEvent.objects.bulk_create([JobEvent(job_id=c.job_id, kind="started", message=note.format(token=c.token),
                                               attempt=c.attempt, worker=worker) for c in claimed])
    return claimed


def run_job(*, job_id: int, worker: str | None = None) -> str:
    """Claim and run one job; returns the state it ended this attempt in.

    Domain errors are recorded on the row for a person to read; an unexpected exception
    is recorded with its traceback in the job's log and counts as a failed attempt.
    """
    worker = worker or worker_name()
    if _stopping.is_set():
        # A stopping worker still executes messages it had already received; pass them on.
        job = Job.objects.filter(pk=job_id, state=JobState.QUEUED).first()
        if job is not None:
            dispatch(job)
        return "deferred"
    if should_step_aside(job_id=job_id, worker=worker) and _hand_to_another_worker(
            job_id=job_id, worker=worker):
        return "deferred"
    ctx = claim_job(job_id=job_id, worker=worker)
    if ctx is None:
        return "skipped"
    ctx.clean_earlier_staging()
    outcome = _run_claimed(ctx)
    # A lost attempt was already counted by whoever took it back; a released one was not
    # the job's fault.
    if outcome not in ("lost", "released"):
        record_attempt(name=worker, started_at=ctx.started_at, succeeded=outcome == JobState.SUCCEEDED)
    return outcome


# The attempts running in this process, for a worker that is told to stop.
_running: dict[int, JobContext] = {}
_running_lock = threading.Lock()
_stopping = threading.Event()


def stop_running_attempts(*, reason: str) -> list[int]:
    """Stop every attempt running in this process (their child processes are killed at
    once, their handlers end at their next report); each job goes back to the queue.
    Called by a worker on SIGTERM or Ctrl-C; from then on this process runs no new job
    but sends each one it receives back to the queue. Returns the job ids."""
    _stopping.set()
    with _running_lock:
        attempts = list(_running.values())
    for ctx in attempts:
        ctx.children.stop(WorkerStopping(
            f"Worker {ctx.worker} is stopping ({reason}); job #{ctx.job_id} goes back to the queue.",
            "Nothing from this attempt is published; another worker, or this one restarted, "
            "runs the job again."))
    return [ctx.job_id for ctx in attempts]


def _run_claimed(ctx: JobContext) -> str:
    job_id, worker = ctx.job_id, ctx.worker
    spec = get_handler(ctx.kind)
    with _running_lock:
        _running[job_id] = ctx
    try:
        with attempt_scope(ctx), Heartbeat(ctx):
            result = spec.func(ctx) or {}
            if spec.publish is not None:
                result = spec.publish(ctx, dict(ctx.outputs), result)
    except (LeaseLost, JobCancelled) as exc:
        log.warning("job #%s: %s", job_id, exc)
        ctx.clean_staging()
        return "lost"
    except WorkerStopping as exc:
        log.warning("job #%s: %s", job_id, exc)
        ctx.clean_staging()
        return _give_back(ctx, exc)
    except DastanError as exc:
        ctx.clean_staging()
        return _fail_attempt(ctx, exc, retryable=isinstance(exc, RetryableJobError))
    except Exception as exc:  # noqa: BLE001 -- any handler bug: kept on the row, then retried
        ctx.clean_staging()
        wrapped = DastanError(
            # Translators: %(kind)s is the job's kind (media.transcode); %(error)s is Python's
            # exception, as it printed itself (ValueError: ...).
            gettext("%(kind)s stopped with an unexpected error: %(error)s")
            % {"kind": ctx.kind, "error": f"{type(exc).__name__}: {exc}"},
            gettext("The job's log has the technical details; retry it, and report it if it fails again."),
            code="internal_error",
        )
        _event(job_id, "traceback", traceback.format_exc(), attempt=ctx.attempt, worker=worker)
        return _fail_attempt(ctx, wrapped, retryable=True)
    finally:
        with _running_lock:
            _running.pop(job_id, None)
    ctx.clean_staging()
    stopped = ctx.children.reason
    if isinstance(stopped, WorkerStopping):  # stopped after its last report: nothing counts
        return _give_back(ctx, stopped)
    if stopped is not None:
        return "lost"
    return _complete_attempt(ctx, result)


def _give_back(ctx: JobContext, reason: WorkerStopping) -> str:
    """Queue the job again now, its attempt not counted: the worker stopped, the job did
    not fail."""
    with transaction.atomic():
        updated = Job.objects.filter(pk=ctx.job_id, lease_token=ctx.token, state=JobState.RUNNING).update(
            state=JobState.QUEUED, queued_at=timezone.now(), message="given back by a stopping worker",
            lease_token=None, lease_expires_at=None, attempts=models.F("attempts") - 1)
        if not updated:
            return "lost"
        _event(ctx.job_id, "released", reason.message, attempt=ctx.attempt, worker=ctx.worker)
        dispatch(Job.objects.get(pk=ctx.job_id))
    return "released"


def _hand_to_another_worker(*, job_id: int, worker: str) -> str | None:
    """Send a job that ``worker`` failed before to a live fitting worker that did not
    (Flamenco's block list), through that worker's own queue. Returns its name, or None
    when there is none and ``worker`` should take the job after all.

    Sending it back to the shared queue would not do: on brokers that prefetch, the
    blocked worker itself would most likely receive it again."""
    job = Job.objects.get(pk=job_id)
    blocked = set(job.failed_on_workers)
    others = [n for n in live_workers() if n.name not in blocked and n.can_do(list(job.needs))]
    if not others:
        return None
    chosen = max(others, key=lambda n: n.last_seen_at)  # the likeliest to be alive
    _event(job_id, "deferred", f"{worker} failed this job before; handed to {chosen.name}",
           attempt=job.attempts, worker=worker)
    dispatch(job, queue=personal_queue(chosen.name))
    return chosen.name


def _complete_attempt(ctx: JobContext, result: dict[str, Any]) -> str:
    with transaction.atomic():
        updated = Job.objects.filter(pk=ctx.job_id, lease_token=ctx.token, state=JobState.RUNNING).update(
            state=JobState.SUCCEEDED, progress=100, message="done", result=result,
            finished_at=timezone.now(), lease_token=None, lease_expires_at=None,
            error_code="", error_message="", error_hint="", error_message_i18n={}, error_hint_i18n={},
        )
        if not updated:
            return "lost"
        _event(ctx.job_id, "succeeded", attempt=ctx.attempt, worker=ctx.worker)
        release_children(job_id=ctx.job_id)
    return JobState.SUCCEEDED


def _fail_attempt(ctx: JobContext, error: DastanError, *, retryable: bool) -> str:
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(
            pk=ctx.job_id, lease_token=ctx.token, state=JobState.RUNNING).first()
        if job is None:
            return "lost"
        blocked = sorted(set(job.failed_on_workers) | {ctx.worker})
        _event(job.pk, "failed", f"{error.message} {error.hint}", attempt=ctx.attempt, worker=ctx.worker)
        again = retryable and job.attempts < job.max_attempts
        _record_error(job, error)
        job.failed_on_workers = blocked
        job.lease_token = None
        job.lease_expires_at = None
        if again:
            job.state, job.queued_at, job.message = JobState.QUEUED, timezone.now(), "retrying"
            job.save()
            dispatch(job)
            return JobState.QUEUED
        job.state, job.finished_at, job.message = JobState.FAILED, timezone.now(), "failed"
        job.save()
        cancel_descendants(job=job)
    return JobState.FAILED


def _record_error(job: Job, error: DastanError) -> None:
    """The error on the row: its text in English (the logs, old readers) and its message
    ids with their values, which pages say in their viewer's language (Job.shown_error)."""
    job.error_code = error.code
    job.error_message, job.error_message_i18n = in_english(error.message), describe(error.message)
    job.error_hint, job.error_hint_i18n = in_english(error.hint), describe(error.hint)


# --- graph --------------------------------------------------------------------------------------

def release_children(*, job_id: int) -> list[int]:
    """Queue each waiting child of ``job_id`` whose parents have all succeeded."""
    released = []
    for child in Job.objects.filter(parents__pk=job_id, state=JobState.WAITING):
        if child.parents.exclude(state=JobState.SUCCEEDED).exists():
            continue
        n = Job.objects.filter(pk=child.pk, state=JobState.WAITING).update(
            state=JobState.QUEUED, queued_at=timezone.now(), message="queued")
        if n:
            _event(child.pk, "queued", f"job #{job_id} finished")
            child.refresh_from_db()
            dispatch(child)
            released.append(child.pk)
    return released


def _cancel_for_parent(job_id: int, parent: Job) -> None:
    # Translators: %(job)s is a job's number, %(kind)s its kind (media.transcode).
    message = gettext("Not run: job #%(job)s (%(kind)s) it depends on did not succeed.") % {
        "job": parent.pk, "kind": parent.kind}
    hint = gettext("Fix and retry job #%(job)s; this job can then be retried.") % {"job": parent.pk}
    Job.objects.filter(pk=job_id).exclude(state__in=FINISHED_STATES).update(
        state=JobState.CANCELLED, finished_at=timezone.now(), message="cancelled",
        error_code="parent_failed", error_message=in_english(message), error_hint=in_english(hint),
        error_message_i18n=describe(message), error_hint_i18n=describe(hint),
    )
    _event(job_id, "cancelled", f"parent #{parent.pk} did not succeed")


def cancel_descendants(*, job: Job) -> None:
    for child in Job.objects.filter(parents__pk=job.pk).exclude(state__in=FINISHED_STATES):
        _cancel_for_parent(child.pk, job)
        cancel_descendants(job=child)


# --- people's actions -----------------------------------------------------------------------------

def cancel_job(*, job_id: int) -> Job:
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if not job.is_finished:
            job.state, job.finished_at, job.message = JobState.CANCELLED, timezone.now(), "cancelled"
            job.lease_token = None
            job.save()
            _event(job.pk, "cancelled", "cancelled by a person")
            cancel_descendants(job=job)
    return job


def retry_job(*, job_id: int) -> Job:
    """Queue a failed or cancelled job again with a fresh attempt budget, and the
    children it took down with it. Raises JobNotRetryable for a job in another state."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.state not in (JobState.FAILED, JobState.CANCELLED):
            raise JobNotRetryable(
                # Translators: %(state)s is the job's state as stored (queued, running, succeeded).
                gettext("Job #%(job)s is %(state)s; only a failed or cancelled job can be retried.")
                % {"job": job_id, "state": job.state},
                gettext("A queued or running job is already on its way; cancel it first to start it over."),
            )
        waiting = job.parents.exclude(state=JobState.SUCCEEDED).exists()
        job.state = JobState.WAITING if waiting else JobState.QUEUED
        job.attempts, job.progress, job.message = 0, 0, "retry requested"
        job.failed_on_workers = []
        job.finished_at = None
        job.queued_at = None if waiting else timezone.now()
        job.save()
        _event(job.pk, "retried", "retried by a person")
        if not waiting:
            dispatch(job)
        for child in Job.objects.filter(parents__pk=job.pk, state=JobState.CANCELLED,
                                        error_code="parent_failed"):
            retry_job(job_id=child.pk)
    return job


# --- recovery -------------------------------------------------------------------------------------

def reap_stalled_jobs(*, now: Any = None) -> list[int]:
    """Put back running jobs whose worker stopped renewing the lease.

    Safe to call from many processes at once: each job is taken back by one
    conditional update on its current token.
    """
    now = now or timezone.now()
    reaped = []
    for job in Job.objects.filter(state=JobState.RUNNING, lease_expires_at__lt=now):
        with transaction.atomic():
            current = Job.objects.select_for_update().filter(
                pk=job.pk, state=JobState.RUNNING, lease_token=job.lease_token,
                lease_expires_at__lt=now).first()
            if current is None:
                continue
            silent_s = int((now - (current.heartbeat_at or current.started_at or now)).total_seconds())
            error = DastanError(
                gettext("Worker %(worker)s stopped reporting on attempt %(attempt)s "
                        "(%(seconds)s s without a heartbeat).")
                % {"worker": current.worker, "attempt": current.attempts, "seconds": silent_s},
                gettext("The job was put back in the queue; if this repeats, check that worker's "
                        "log and free memory."),
                code="worker_lost",
            )
            _event(current.pk, "stalled", error.message, attempt=current.attempts, worker=current.worker)
            _record_error(current, error)
            # A job that takes its worker down (out of memory, a crashing codec) should not
            # keep landing on the same machine: stalling counts as failing it.
            current.failed_on_workers = sorted(set(current.failed_on_workers) | {current.worker})
            record_attempt(name=current.worker, started_at=current.started_at, succeeded=False)
            current.lease_token = None
            current.lease_expires_at = None
            if current.attempts < current.max_attempts:
                current.state, current.queued_at, current.message = JobState.QUEUED, now, "requeued after stall"
                current.save()
                dispatch(current)
            else:
                current.state, current.finished_at, current.message = JobState.FAILED, now, "failed"
                current.save()
                cancel_descendants(job=current)
            reaped.append(current.pk)
    return reaped


def resend_queued_jobs(*, older_than_s: int = 60) -> list[int]:
    """Send again jobs queued long ago that no worker took (broker down at submit time,
    a message lost with a broker restart, a message held back by a busy worker) when a
    live worker can do them. A duplicate message is harmless: only one claim can win."""
    cutoff = timezone.now() - timedelta(seconds=older_than_s)
    live = live_workers()
    ids = []
    for job in Job.objects.filter(state=JobState.QUEUED, queued_at__lt=cutoff):
        if not any(node.can_do(list(job.needs)) for node in live):
            # Its message waits in the queue of its needs until a fitting worker starts
            # (whose own sweep re-sends it then); re-sending now only piles up copies.
            continue
        Job.objects.filter(pk=job.pk).update(queued_at=timezone.now())
        dispatch(job)
        ids.append(job.pk)
    return ids


def run_queued_jobs(*, worker: str | None = None, limit: int = 1000) -> int:
    """Run every queued job in this process until none is left (the CLI's --here mode and
    tests); children released along the way run too. Returns how many ran."""
    ran = 0
    while ran < limit:
        job = Job.objects.filter(state=JobState.QUEUED).order_by("-priority", "queued_at", "pk").first()
        if job is None:
            return ran
        run_job(job_id=job.pk, worker=worker)
        ran += 1
    return ran
