"""One schedule call: heartbeat, assignment and cancel at once.

A remote worker says which attempts it runs (job, lease token, progress) and how many
slots are free; the node renews the lease of each attempt that is still current, tells
it to stop every one that is not (taken back after silence, cancelled, its worker
quarantined), takes back jobs of workers that went silent, and hands out work that
fits: kinds a remote worker may run, needs the worker *has*, its organisation's pool,
the block list, fair share between organisations.

Leases: a remote attempt's lease lapses ``silence - interval`` seconds after its last
heartbeat and every schedule call (from any worker) reaps lapsed leases, at most once
a second per web process; local workers' sweeps reap too. So a silent worker's job is
queued again within ``DASTAN_REMOTE_WORKER_SILENCE_S`` of its last heartbeat while any
worker polls.

Fair share: among the organisations whose jobs a worker may take, the one least
recently served goes first (``ServeMark``); inside one organisation, higher priority
first, then the oldest.

Cost: the queue is read in claim order through a partial index (``jobs_job_claim_order``),
and a call claims with ``SELECT … FOR UPDATE SKIP LOCKED`` (PostgreSQL), so concurrent
calls take different jobs instead of waiting for each other's candidates; a call commits
once, whatever it wrote.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from dastan.jobs.models import (
    ComputeRecord,
    Job,
    JobState,
    RemoteWorker,
    ServeMark,
    SharingAgreement,
    WorkerNode,
)
from dastan.jobs.registry import get_handler, remote_kinds
from dastan.jobs.services import claim_job, reap_stalled_jobs

CANDIDATES = 100


@dataclass(frozen=True, slots=True)
class Running:
    job_id: int
    lease: str
    progress: int = 0
    message: str = ""


@dataclass(frozen=True, slots=True)
class Assignment:
    job_id: int
    lease: str
    attempt: int
    kind: str
    params: dict[str, Any]
    inputs: tuple[str, ...]


@dataclass
class Answer:
    state: str
    interval_s: float
    assign: list[Assignment] = field(default_factory=list)
    cancel: list[dict[str, Any]] = field(default_factory=list)


def interval_s() -> float:
    return float(settings.DASTAN_REMOTE_WORKER_INTERVAL_S)


def lease_s() -> float:
    silence = float(settings.DASTAN_REMOTE_WORKER_SILENCE_S)
    return max(1.0, silence - min(interval_s(), silence / 2))


_last_reap = [0.0]
_reap_lock = threading.Lock()


def reap_now_and_then() -> list[int]:
    """Take back lapsed leases, at most once a second in this process."""
    with _reap_lock:
        now = time.monotonic()
        if now - _last_reap[0] < 1.0:
            return []
        _last_reap[0] = now
    return reap_stalled_jobs()


def _renew(worker: RemoteWorker, running: list[Running], now: datetime) -> list[dict[str, Any]]:
    cancel = []
    expires = now + timedelta(seconds=lease_s())
    quarantined = worker.state == RemoteWorker.State.QUARANTINED
    for r in running:
        try:
            token = uuid.UUID(r.lease)
        except ValueError:
            token = None
        updated = 0 if quarantined or token is None else Job.objects.filter(
            pk=r.job_id, lease_token=token, state=JobState.RUNNING, worker=worker.name).update(
            heartbeat_at=now, lease_expires_at=expires, progress=max(0, min(100, r.progress)),
            message=r.message[:300])
        if not updated:
            why = ("this worker is quarantined" if quarantined else
                   "this attempt is no longer current (taken back after silence, cancelled, or given to another worker)")
            cancel.append({"job": r.job_id, "lease": r.lease, "reason": why})
    return cancel


def served_organisations(worker: RemoteWorker, *, now: datetime) -> list[int | None] | None:
    """Organisations whose jobs ``worker`` may take: None for the node's own workers (all);
    else its own and those it shares with whose monthly cap is not used up."""
    if worker.organisation_id is None:
        return None
    orgs: list[int | None] = [worker.organisation_id]
    month = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    for agreement in SharingAgreement.objects.filter(lender_id=worker.organisation_id):
        if agreement.cap_hours_per_month is not None:
            used_s = ComputeRecord.objects.filter(
                giver_id=worker.organisation_id, receiver_id=agreement.borrower_id, created_at__gte=month,
            ).exclude(verification__in=("failed", "voided")).aggregate(s=Sum("busy_s"))["s"] or 0.0
            if used_s >= agreement.cap_hours_per_month * 3600:
                continue
        orgs.append(agreement.borrower_id)
    return orgs


def _candidates(kinds: list[str], orgs: list[int | None] | None) -> list[tuple[int, list[str], int | None, list[str]]]:
    """Queued jobs of ``kinds`` (and ``orgs``), best first: one indexed query, written in SQL
    because building it through the ORM cost more than running it on every call."""
    where = ["state = %s", f"kind IN ({', '.join(['%s'] * len(kinds))})"]
    params: list[Any] = [JobState.QUEUED, *kinds]
    if orgs is not None:
        ids = [o for o in orgs if o is not None]
        if not ids:
            return []
        where.append(f"organisation_id IN ({', '.join(['%s'] * len(ids))})")
        params += ids
    sql = (f"SELECT id, needs, organisation_id, failed_on_workers FROM {Job._meta.db_table} "
           f"WHERE {' AND '.join(where)} ORDER BY priority DESC, queued_at, id LIMIT {CANDIDATES}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()

    def listed(value: Any) -> list[str]:
        return list(json.loads(value) if isinstance(value, str | bytes) else value or [])

    return [(pk, listed(needs), org, listed(failed)) for pk, needs, org, failed in rows]


def pick_jobs(worker: RemoteWorker, *, count: int, now: datetime) -> list[tuple[int, int | None]]:
    """(id, organisation id) of the queued jobs ``worker`` may take, fairest first: the
    first ``count`` are wanted, the rest are spares for those another call claims first."""
    kinds = remote_kinds()
    if not kinds or count <= 0:
        return []
    caps = set(worker.capabilities)
    rows = [(pk, org) for pk, needs, org, failed in _candidates(kinds, served_organisations(worker, now=now))
            if set(needs) <= caps and worker.name not in failed]
    if not rows:
        return []
    by_org: dict[int | None, list[int]] = {}
    for pk, org in rows:
        by_org.setdefault(org, []).append(pk)
    known = [o for o in by_org if o is not None]
    marks = dict(ServeMark.objects.filter(organisation_id__in=known).values_list(
        "organisation_id", "last_served_at")) if len(known) > 1 else {}
    epoch = datetime(1970, 1, 1, tzinfo=now.tzinfo)
    order = sorted(by_org, key=lambda o: (marks.get(o, epoch) if o is not None else epoch, o or 0))
    picked: list[tuple[int, int | None]] = []
    while len(picked) < len(rows):
        for org in order:
            if by_org[org]:
                picked.append((by_org[org].pop(0), org))
        if not any(by_org.values()):
            break
    return picked


def _mark_served(organisation_id: int | None, now: datetime) -> None:
    if organisation_id is None:
        return
    if not ServeMark.objects.filter(organisation_id=organisation_id).update(last_served_at=now):
        ServeMark.objects.get_or_create(organisation_id=organisation_id, defaults={"last_served_at": now})


def lock_free(picked: list[tuple[int, int | None]], *, count: int) -> list[tuple[int, int | None]]:
    """The first ``count`` of ``picked`` (in its order) that are still queued and that no
    other schedule call is claiming right now, locked until the surrounding transaction
    ends. PostgreSQL skips rows another call has locked (``FOR UPDATE SKIP LOCKED``), so
    concurrent calls never wait behind each other's candidates; SQLite writes one
    transaction at a time anyway. Asks for ``count`` at a time: one query when nobody
    competes."""
    skip = connection.features.has_select_for_update_skip_locked
    free: list[tuple[int, int | None]] = []
    rest = list(picked)
    while rest and len(free) < count:
        batch, rest = rest[:count - len(free)], rest[count - len(free):]
        locked = set(Job.objects.select_for_update(skip_locked=skip).filter(
            pk__in=[job_id for job_id, _ in batch], state=JobState.QUEUED).order_by().values_list("pk", flat=True))
        free += [p for p in batch if p[0] in locked]
    return free


def schedule(*, worker: RemoteWorker, running: list[Running], free_slots: int,
             capabilities: list[str] | None = None) -> Answer:
    """The node's answer to one schedule call (see the module's docstring).

    A call's writes (seen, leases renewed, jobs claimed, their events, the fair-share
    marks) commit together: one commit per call, which is what a call costs on a database
    that flushes every commit to disk. A call with nothing to write opens no transaction
    (on SQLite every transaction takes the write lock)."""
    now = timezone.now()
    updates: dict[str, Any] = {}
    if capabilities is not None and sorted(capabilities) != worker.capabilities:
        updates["capabilities"] = sorted(capabilities)
    # "Seen" is written at most once a second per worker: it only tells people and the
    # block list who is alive; the job leases are renewed on every call.
    seen_due = bool(updates) or worker.last_heartbeat_at is None or now - worker.last_heartbeat_at > timedelta(seconds=1)
    assigning = free_slots > 0 and worker.state == RemoteWorker.State.ACTIVE
    with transaction.atomic() if seen_due or running or assigning else contextlib.nullcontext():
        if seen_due:
            RemoteWorker.objects.filter(pk=worker.pk).update(last_heartbeat_at=now, **updates)
            WorkerNode.objects.filter(name=worker.name).update(last_seen_at=now, **updates)
            worker.last_heartbeat_at = now
            for key, value in updates.items():
                setattr(worker, key, value)
        answer = Answer(state=worker.state, interval_s=interval_s(), cancel=_renew(worker, running, now))
        reap_now_and_then()  # after renewing this worker's leases: a late caller keeps its jobs
        if assigning:
            _assign(worker, answer, free_slots=free_slots, now=now)
    return answer


def _assign(worker: RemoteWorker, answer: Answer, *, free_slots: int, now: datetime) -> None:
    for job_id, organisation_id in lock_free(pick_jobs(worker, count=free_slots, now=now), count=free_slots):
        # The fencing token goes into the job's log: which attempt a late request belongs to.
        ctx = claim_job(job_id=job_id, worker=worker.name, lease_s=lease_s(), note="lease {token}")
        if ctx is None:
            continue
        _mark_served(organisation_id, now)
        answer.assign.append(Assignment(job_id=job_id, lease=str(ctx.token), attempt=ctx.attempt, kind=ctx.kind,
                                        params=ctx.params, inputs=get_handler(ctx.kind).inputs))
