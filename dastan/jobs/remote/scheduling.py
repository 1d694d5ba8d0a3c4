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
recently served goes first (``ServeMark``, read with the candidates); inside one
organisation, higher priority first, then the oldest.

Cost: a call sends the same queries whatever the queue, the workers and the
organisations (test_remote_schedule_cost.py counts them): the queue is read in claim order
through a partial index (``jobs_job_claim_order``) with the fair-share marks joined in;
one ``UPDATE … RETURNING`` claims (on PostgreSQL ``FOR UPDATE SKIP LOCKED``, so concurrent
calls take different jobs instead of waiting for each other's), one ``INSERT`` logs the
claims, one upsert moves the marks; one ``UPDATE`` renews every running attempt's lease;
sharing agreements and their caps' use are remembered ``DASTAN_REMOTE_SCHEDULE_CACHE_S``;
"seen" is written every ``SEEN_EVERY_S``; a call commits once, whatever it wrote.
"""

from __future__ import annotations

import contextlib
import functools
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery, Sum
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
from dastan.jobs.services import claim_jobs, reap_stalled_jobs

CANDIDATES = 100
SEEN_EVERY_S = 5.0


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
    """Renew the lease of each of ``running`` that is still current, in one statement
    (a worker runs up to 16 attempts); the others are told to stop."""
    quarantined = worker.state == RemoteWorker.State.QUARANTINED
    current: dict[int, Running] = {}
    tokens: dict[int, uuid.UUID] = {}
    for r in running:
        with contextlib.suppress(ValueError):
            tokens[r.job_id] = uuid.UUID(r.lease)
    renewed: set[int] = set()
    if tokens and not quarantined:
        current = {r.job_id: r for r in running if r.job_id in tokens}
        pg = connection.vendor == "postgresql"
        row = ("SELECT %s::integer AS id, %s::uuid AS token, %s::integer AS progress, %s::text AS message" if pg
               else "SELECT %s AS id, %s AS token, %s AS progress, %s AS message")
        params: list[Any] = []
        for job_id, r in current.items():
            params += [job_id, str(tokens[job_id]) if pg else tokens[job_id].hex, max(0, min(100, r.progress)),
                       r.message[:300]]
        at = connection.ops.adapt_datetimefield_value
        table = Job._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET heartbeat_at = %s, lease_expires_at = %s, progress = v.progress, "
                f"message = v.message FROM ({' UNION ALL '.join([row] * len(current))}) AS v "
                f"WHERE {table}.id = v.id AND {table}.lease_token = v.token AND {table}.state = %s "
                f"AND {table}.worker = %s RETURNING {table}.id",
                [at(now), at(now + timedelta(seconds=lease_s())), *params, JobState.RUNNING, worker.name])
            renewed = {job_id for (job_id,) in cursor.fetchall()}
    why = ("this worker is quarantined" if quarantined else
           "this attempt is no longer current (taken back after silence, cancelled, or given to another worker)")
    return [{"job": r.job_id, "lease": r.lease, "reason": why} for r in running if r.job_id not in renewed]


# Sharing agreements and what each cap has used, per lender, kept this long in each
# process: a schedule call reads them from memory instead of the database. A change made
# in this process (an agreement, accepted work) clears them at once; one made in another
# process is seen within this many seconds. A cap may so be overrun by a few seconds'
# assignments, on top of the length of the jobs already running (counted when they end).
_pools: dict[int, tuple[float, datetime, list[tuple[int, float | None, float]]]] = {}
_pools_lock = threading.Lock()


def forget_pools(*_args: Any, instance: Any = None, **_kwargs: Any) -> None:
    """Drop the remembered agreements and cap use: of the lender an agreement or a record
    of accepted work (``instance``, a signal's) is about, or all."""
    lender = getattr(instance, "lender_id", getattr(instance, "giver_id", None)) if instance is not None else None
    with _pools_lock:
        _queued_orgs[0] = None
        if lender is None:
            _pools.clear()
        else:
            _pools.pop(lender, None)


def _agreements(lender_id: int, month: datetime) -> list[tuple[int, float | None, float]]:
    """(borrower, cap in hours, seconds used this month) of ``lender_id``'s agreements: one
    query, remembered for ``DASTAN_REMOTE_SCHEDULE_CACHE_S``."""
    ttl = float(settings.DASTAN_REMOTE_SCHEDULE_CACHE_S)
    with _pools_lock:
        kept = _pools.get(lender_id)
    if kept is not None and kept[1] == month and time.monotonic() - kept[0] < ttl:
        return kept[2]
    used = ComputeRecord.objects.filter(
        giver_id=OuterRef("lender_id"), receiver_id=OuterRef("borrower_id"), created_at__gte=month,
    ).exclude(verification__in=("failed", "voided")).order_by().values("giver_id").annotate(s=Sum("busy_s")).values("s")
    rows = [(borrower, cap, used_s or 0.0) for borrower, cap, used_s in SharingAgreement.objects.filter(
        lender_id=lender_id).annotate(used_s=Subquery(used)).values_list("borrower_id", "cap_hours_per_month",
                                                                         "used_s")]
    if ttl > 0:
        with _pools_lock:
            _pools[lender_id] = (time.monotonic(), month, rows)
    return rows


def served_organisations(worker: RemoteWorker, *, now: datetime) -> list[int | None] | None:
    """Organisations whose jobs ``worker`` may take: None for the node's own workers (all);
    else its own and those it shares with whose monthly cap is not used up."""
    if worker.organisation_id is None:
        return None
    month = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    orgs: list[int | None] = [worker.organisation_id]
    orgs += [borrower for borrower, cap, used_s in _agreements(worker.organisation_id, month)
             if cap is None or used_s < cap * 3600]
    return orgs


def _queued_organisations() -> list[int | None]:
    """Organisations with queued jobs (None: jobs of no organisation), for the node's own
    workers, which serve everyone: one query, remembered ``DASTAN_REMOTE_SCHEDULE_CACHE_S``
    like the agreements (an organisation that starts queueing is seen within that; until
    then its jobs still come up at the head of the whole queue, read on every call)."""
    ttl = float(settings.DASTAN_REMOTE_SCHEDULE_CACHE_S)
    with _pools_lock:
        kept = _queued_orgs[0]
    if kept is not None and time.monotonic() - kept[0] < ttl:
        return kept[1]
    orgs: list[int | None] = list(Job.objects.filter(state=JobState.QUEUED).order_by()
                                  .values_list("organisation_id", flat=True).distinct())
    with _pools_lock:
        _queued_orgs[0] = (time.monotonic(), orgs)
    return orgs


_queued_orgs: list[tuple[float, list[int | None]] | None] = [None]


def forget_queued_organisations(*_args: Any, created: bool = False, **_kwargs: Any) -> None:
    """A job queued in this process (a signal's ``created``): its organisation counts at once."""
    if created:
        _queued_orgs[0] = None


def _fits_sql(worker: RemoteWorker) -> tuple[str, list[Any]]:
    """The SQL condition that a job's needs are all among ``worker``'s capabilities and that
    it did not fail on ``worker`` before: unfit jobs take no place in a slice."""
    caps = sorted(set(worker.capabilities))
    if connection.vendor == "postgresql":
        return ("j.needs <@ %s::jsonb AND NOT j.failed_on_workers @> %s::jsonb",
                [json.dumps(caps), json.dumps([worker.name])])
    outside = f"WHERE n.value NOT IN ({', '.join(['%s'] * len(caps))})" if caps else ""
    sql = (f"NOT EXISTS (SELECT 1 FROM json_each(j.needs) n {outside}) AND NOT EXISTS "
           "(SELECT 1 FROM json_each(j.failed_on_workers) f WHERE f.value = %s)")
    return sql, [*caps, worker.name]


def _candidates(kinds: list[str], orgs: list[int | None] | None, worker: RemoteWorker, *,
                count: int) -> list[tuple[int, list[str], int | None, list[str], Any]]:
    """Queued jobs of ``kinds`` that ``worker`` can run, each with when its organisation was
    last served: the first few of every organisation it serves (``orgs``; None: all), so
    that one organisation's long queue never hides another's jobs behind it, and the head
    of the whole queue. One query of indexed, limited slices, written in SQL because
    building it through the ORM cost more than running it on every call."""
    job, mark = Job._meta.db_table, ServeMark._meta.db_table
    fits, fits_params = _fits_sql(worker)
    base = f"j.state = %s AND j.kind IN ({', '.join(['%s'] * len(kinds))}) AND {fits}"
    base_params: list[Any] = [JobState.QUEUED, *kinds, *fits_params]
    served = orgs if orgs is not None else _queued_organisations()
    # Enough per organisation for the wanted jobs and spares (concurrent calls skip each
    # other's), fewer each when there are many organisations.
    each = max(count + 1, min(4 * count + 4, CANDIDATES // max(1, len(served))))
    order = "ORDER BY j.priority DESC, j.queued_at, j.id"
    slices, params = [], []
    for org in served:
        if org is None:
            slices.append(f"SELECT * FROM (SELECT j.id FROM {job} j WHERE {base} AND j.organisation_id IS NULL "
                          f"{order} LIMIT {each}) s")
            params += base_params
        else:
            slices.append(f"SELECT * FROM (SELECT j.id FROM {job} j WHERE {base} AND j.organisation_id = %s "
                          f"{order} LIMIT {each}) s")
            params += [*base_params, org]
    if orgs is None:
        slices.append(f"SELECT * FROM (SELECT j.id FROM {job} j WHERE {base} {order} LIMIT {each}) s")
        params += base_params
    if not slices:
        return []
    sql = (f"SELECT j.id, j.needs, j.organisation_id, j.failed_on_workers, m.last_served_at FROM {job} j "
           f"LEFT JOIN {mark} m ON m.organisation_id = j.organisation_id "
           f"WHERE j.id IN ({' UNION '.join(slices)}) {order}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()

    return [(pk, _listed(needs), org, _listed(failed), served_at) for pk, needs, org, failed, served_at in rows]


@functools.lru_cache(maxsize=4096)
def _decoded(text: str | bytes) -> tuple[str, ...]:
    return tuple(json.loads(text))


def _listed(value: Any) -> list[str]:
    # The same few lists ('[]', '["transcode"]') come back on every row: decoded once.
    return list(_decoded(value) if isinstance(value, str | bytes) else value or [])


def pick_jobs(worker: RemoteWorker, *, count: int, now: datetime) -> list[tuple[int, int | None]]:
    """(id, organisation id) of the queued jobs ``worker`` may take, fairest first: the
    first ``count`` are wanted, the rest are spares for those another call claims first."""
    kinds = remote_kinds()
    if not kinds or count <= 0:
        return []
    caps = set(worker.capabilities)
    rows = [(pk, org, served) for pk, needs, org, failed, served
            in _candidates(kinds, served_organisations(worker, now=now), worker, count=count)
            if set(needs) <= caps and worker.name not in failed]
    if not rows:
        return []
    by_org: dict[int | None, list[int]] = {}
    marks: dict[int | None, Any] = {}
    for pk, org, served in rows:
        by_org.setdefault(org, []).append(pk)
        marks[org] = served if org is not None else None
    # Never served (or the node's own jobs) first, then the least recently served.
    order = sorted(by_org, key=lambda o: (marks[o] is not None, marks[o] or 0, o or 0))
    picked: list[tuple[int, int | None]] = []
    while len(picked) < len(rows):
        for org in order:
            if by_org[org]:
                picked.append((by_org[org].pop(0), org))
        if not any(by_org.values()):
            break
    return picked


def _mark_served(organisation_ids: set[int | None], now: datetime) -> None:
    """Record that these organisations were served now: one statement.

    On PostgreSQL a mark that a concurrent call holds is skipped (``SKIP LOCKED``): that
    call is marking the same organisation served at the same moment, and waiting for it
    would hold every call serving that organisation behind the other's commit."""
    ids = sorted(o for o in organisation_ids if o)
    if not ids:
        return
    mark = ServeMark._meta.db_table
    at = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH locked AS (SELECT id FROM {mark} WHERE organisation_id = ANY(%s) FOR UPDATE SKIP LOCKED), "
                f"moved AS (UPDATE {mark} m SET last_served_at = %s FROM locked WHERE m.id = locked.id) "
                f"INSERT INTO {mark} (organisation_id, last_served_at) SELECT o, %s FROM unnest(%s::bigint[]) o "
                f"WHERE NOT EXISTS (SELECT 1 FROM {mark} e WHERE e.organisation_id = o) "
                f"ON CONFLICT (organisation_id) DO NOTHING", [ids, at, at, ids])
        else:  # one writer at a time: nothing to skip
            cursor.execute(
                f"INSERT INTO {mark} (organisation_id, last_served_at) VALUES "
                f"{', '.join(['(%s, %s)'] * len(ids))} ON CONFLICT (organisation_id) "
                f"DO UPDATE SET last_served_at = excluded.last_served_at", [v for o in ids for v in (o, at)])


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
    # "Seen" is written at most every SEEN_EVERY_S per worker: it only tells people and
    # the block list who is alive (live_workers looks back a whole lease); the job leases
    # are renewed on every call.
    seen_due = bool(updates) or worker.last_heartbeat_at is None or \
        now - worker.last_heartbeat_at > timedelta(seconds=SEEN_EVERY_S)
    assigning = free_slots > 0 and worker.state == RemoteWorker.State.ACTIVE
    # Inside the signed door's transaction (its nonce), no savepoint: two round trips less.
    with transaction.atomic(savepoint=False) if seen_due or running or assigning else contextlib.nullcontext():
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
    picked = pick_jobs(worker, count=free_slots, now=now)
    # The fencing token goes into the job's log: which attempt a late request belongs to.
    claimed = claim_jobs(job_ids=[job_id for job_id, _ in picked], count=free_slots, worker=worker.name,
                         lease_s=lease_s(), note="lease {token}")
    if claimed:
        _mark_served({c.organisation_id for c in claimed}, now)
    for c in claimed:
        answer.assign.append(Assignment(job_id=c.job_id, lease=str(c.token), attempt=c.attempt, kind=c.kind,
                                        params=c.params, inputs=get_handler(c.kind).inputs))
