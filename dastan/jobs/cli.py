"""`dastan worker` and `dastan jobs`."""

from __future__ import annotations

import argparse
import json
import logging
import threading
from typing import Any

from django.utils.translation import gettext

from dastan.jobs.routing import ALL_CAPABILITIES, broker_queue, queues_for_worker

log = logging.getLogger(__name__)


def register(sub: Any) -> None:
    p = sub.add_parser(
        "worker",
        help=gettext("run a job worker for the capabilities this machine has"),
        description=gettext("Take jobs from the broker (DASTAN_BROKER_URL) for the named capabilities "
        "only, one at a time, renewing each job's lease while it runs, and record them in the "
        "database (DASTAN_DATABASE_URL, shared by every worker). Every worker also puts back "
        "jobs whose worker died. A worker that failed a job leaves the retry to another one. "
        "`dastan jobs --workers` shows each worker's jobs and busy time. Example: "
        "`dastan worker --can transcode,asr --name studio-gpu-1`."),
    )
    p.add_argument("--can", default=None,
                   help=gettext("comma-separated capabilities, only narrowing what the machine has "
                                "(default: what it detects, of %(capabilities)s)")
                   % {"capabilities": ",".join(ALL_CAPABILITIES)})
    p.add_argument("--remote", default=None, metavar="URL",
                   help=gettext("join the node at URL over HTTPS (no database or broker access needed)"))
    p.add_argument("--enrol", default=None, metavar="TOKEN", help=gettext("one-time enrolment token (first start only)"))
    p.add_argument("--home", default=None, help=gettext("the remote worker's own folder: key, identity "
                   "(default $DASTAN_HOME/remote-worker)"))
    p.add_argument("--slots", type=int, default=1, help=gettext("remote: jobs run at once (default 1)"))
    p.add_argument("--chunk-mib", type=int, default=64, help=gettext("remote: upload chunk size, at most 64 MiB"))
    p.add_argument("--name", default=None, help=gettext("worker name shown on jobs and in the ledger; keep it across restarts "
                   "(default host:pid)"))
    p.add_argument("--concurrency", type=int, default=1, help=gettext("jobs run at once (default 1)"))
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("jobs", help=gettext("list jobs with their state and progress"),
                       description=gettext("The newest jobs first, with state, progress and any error."))
    p.add_argument("--state", default=None, help=gettext("only jobs in this state (queued, running, failed, ...)"))
    p.add_argument("--limit", type=int, default=30, help=gettext("at most this many jobs (default 30)"))
    p.add_argument("--json", action="store_true", help=gettext("print JSON"))
    p.add_argument("--workers", action="store_true",
                   help=gettext("list the workers instead: capabilities, last seen, jobs done and time spent"))
    act = p.add_mutually_exclusive_group()
    act.add_argument("--retry", type=int, metavar="ID", help=gettext("queue a failed or cancelled job again"))
    act.add_argument("--cancel", type=int, metavar="ID", help=gettext("cancel a job and the jobs waiting for it"))
    p.set_defaults(func=cmd_jobs)

    # Translators: the words after the colon name the subcommands' actions; drain: finish the running jobs and take no new ones.
    p = sub.add_parser("workers", help=gettext("remote workers: enrolment tokens, rename, drain, pause, revoke, share, ledger"),
                       description=gettext("Manage the machines that joined this node over HTTPS. Example: "
                       "`dastan workers enrol-token --org lahore-films --ttl 2h`."))
    wsub = p.add_subparsers(dest="action", required=True)
    t = wsub.add_parser("enrol-token", help=gettext("make a one-time enrolment token"))
    t.add_argument("--org", default="", help=gettext("organisation slug whose machine joins (default: the node's own)"))
    t.add_argument("--ttl", default="1h", help=gettext("how long it is valid: 900, 15m, 2h, 1d (default 1h)"))
    wsub.add_parser("list", help=gettext("the remote workers and their state"))
    for action, what in (
        ("drain", gettext("drain a remote worker: it finishes its jobs and takes no new ones")),
        ("pause", gettext("pause a remote worker")),
        ("resume", gettext("resume a paused remote worker")),
        ("revoke", gettext("revoke a remote worker's key: it can no longer connect")),
        ("delete", gettext("delete a remote worker")),
    ):
        a = wsub.add_parser(action, help=what)
        a.add_argument("worker", help=gettext("worker name"))
    r = wsub.add_parser("rename", help=gettext("rename a remote worker"))
    r.add_argument("worker", help=gettext("worker name"))
    r.add_argument("new_name", help=gettext("the worker's new name"))
    sh = wsub.add_parser("share", help=gettext("let one organisation's workers serve another's jobs"))
    sh.add_argument("lender", help=gettext("slug of the organisation whose workers serve the jobs"))
    sh.add_argument("borrower", help=gettext("slug of the organisation whose jobs they serve"))
    sh.add_argument("--cap-hours", type=float, default=None, help=gettext("at most this many hours a month"))
    led = wsub.add_parser("ledger", help=gettext("compute given and received per organisation and month"))
    led.add_argument("--csv", action="store_true", help=gettext("print CSV"))
    p.set_defaults(func=cmd_workers)


def cmd_worker(args: argparse.Namespace) -> int:
    from dastan.jobs.capabilities import detect, narrow

    found = detect()
    caps = narrow(found, args.can)
    if args.remote or args.home:
        return _remote_worker(args, caps, found.facts())
    from dastan.celery import app
    from dastan.config import check_database_ready
    from dastan.jobs.registry import declared_needs
    from dastan.jobs.services import personal_queue, worker_name
    from dastan.jobs.workers import register_worker

    check_database_ready()
    # The node's own workers are trusted: they re-do remote workers' sampled output.
    caps = sorted({*caps, "trusted"})
    name = args.name or worker_name()
    register_worker(name=name, capabilities=caps)
    queues = [broker_queue(q) for q in [*queues_for_worker(caps, declared=declared_needs()),
                                        personal_queue(name)]]
    stop = threading.Event()
    threading.Thread(target=_sweep, args=(name, stop), name="job-sweeper", daemon=True).start()
    _stop_attempts_on_shutdown()
    print(f"worker {name} taking jobs for: {', '.join(caps) or 'default'}", flush=True)
    worker = app.Worker(
        queues=queues, concurrency=args.concurrency, pool="threads", hostname=f"{name}@dastan",
        loglevel="WARNING", without_gossip=True, without_mingle=True, without_heartbeat=True,
        quiet=True,  # our own line above says what the worker takes; no Celery banner
    )
    worker.start()
    stop.set()
    return int(worker.exitcode or 0)


def _remote_worker(args: argparse.Namespace, caps: list[str], facts: dict[str, Any]) -> int:
    import socket
    from pathlib import Path

    from django.conf import settings

    from dastan.jobs.remote import client

    home = Path(args.home) if args.home else Path(settings.DASTAN_HOME) / "remote-worker"
    return client.run(node=args.remote, token=args.enrol, home=home, name=args.name or socket.gethostname(),
                      capabilities=caps, facts=facts, slots=args.slots,
                      chunk_bytes=max(1, min(args.chunk_mib, 64)) * 1024 * 1024)


def _stop_attempts_on_shutdown() -> None:
    """On SIGTERM or Ctrl-C Celery waits for running tasks to end ("warm shutdown"): kill
    their child processes and give their jobs back, so the wait is short and the jobs run
    again at once. (SIGKILL needs no hook: children die with the worker through
    PR_SET_PDEATHSIG, and the job returns when its lease lapses.)"""
    from celery.signals import worker_shutting_down

    from dastan.jobs.services import stop_running_attempts

    def on_shutdown(sig: str = "", how: str = "", **_: Any) -> None:
        stopped = stop_running_attempts(reason=f"{sig or 'signal'}, {how.lower() or 'warm'} shutdown")
        if stopped:
            print(f"stopping: job(s) {', '.join(f'#{i}' for i in stopped)} go back to the queue", flush=True)

    worker_shutting_down.connect(on_shutdown, weak=False)


def sweep_interval_s(lease_s: float) -> float:
    """How often each worker sweeps: a quarter lease, so a dead worker's job is queued
    again within 1.25 leases of its last heartbeat."""
    return max(1.0, lease_s / 4)


def _sweep(name: str, stop: threading.Event) -> None:
    """Every quarter lease: say this worker is alive, put back jobs whose worker died,
    and re-send jobs that waited too long for their message. Every worker sweeps; each
    step is a conditional update, so many sweepers never take a job back twice."""
    from django.conf import settings
    from django.db import DatabaseError, connection

    from dastan.jobs.services import reap_stalled_jobs, resend_queued_jobs
    from dastan.jobs.workers import mark_worker_seen

    every = sweep_interval_s(settings.DASTAN_JOB_LEASE_S)
    while not stop.wait(every):
        try:
            mark_worker_seen(name=name)
            reap_stalled_jobs()
            resend_queued_jobs(older_than_s=settings.DASTAN_JOB_RESEND_S)
        except DatabaseError as exc:  # the database is away for a moment: try next round
            log.warning("job sweep failed (%s); trying again in %.0f s", exc, every)
        finally:
            connection.close()


def cmd_jobs(args: argparse.Namespace) -> int:
    from dastan.jobs.selectors import list_jobs

    if args.workers:
        return _print_workers(as_json=args.json)
    if args.retry is not None:
        return _act_on_job(job_id=args.retry, retry=True)
    if args.cancel is not None:
        return _act_on_job(job_id=args.cancel, retry=False)
    jobs = list_jobs(state=args.state, limit=args.limit)
    if args.json:
        print(json.dumps([j.as_dict() for j in jobs], ensure_ascii=False, indent=2, default=str))
        return 0
    if not jobs:
        print("No jobs yet.")
        return 0
    print(f"{'id':>6}  {'kind':24} {'state':10} {'progress':>8}  {'attempts':8} message")
    for j in jobs:
        line = f"{j.id:>6}  {j.kind:24} {j.state:10} {j.progress:>7}%  {j.attempts}/{j.max_attempts:<6} {j.message}"
        print(line)
        if j.error_message:
            print(f"{'':8}error: {j.error_message}\n{'':8}fix: {j.error_hint}")
    return 0


def _print_workers(*, as_json: bool) -> int:
    from dastan.jobs.selectors import list_workers

    workers = list_workers()
    if as_json:
        print(json.dumps([w.as_dict() for w in workers], ensure_ascii=False, indent=2, default=str))
        return 0
    if not workers:
        print("No worker has started yet. Start one with `dastan worker --can transcode,asr`.")
        return 0
    print(f"{'name':28} {'state':6} {'capabilities':28} {'last seen':20} {'done':>5} {'failed':>6} {'busy':>9}")
    for w in workers:
        seen = w.last_seen_at.strftime("%Y-%m-%d %H:%M:%S")
        print(f"{w.name:28} {w.state:6} {','.join(w.capabilities) or 'default':28} {seen:20} "
              f"{w.jobs_done:>5} {w.jobs_failed:>6} {w.busy_s:>8.1f}s")
    return 0


def _act_on_job(*, job_id: int, retry: bool) -> int:
    """Retry or cancel one job, the same services the API calls."""
    from dastan.jobs import services
    from dastan.jobs.selectors import get_job

    get_job(job_id=job_id)  # NotFound, in the user's terms, for an unknown id
    if retry:
        services.retry_job(job_id=job_id)
    else:
        services.cancel_job(job_id=job_id)
    view = get_job(job_id=job_id)
    print(f"job #{view.id} {view.kind} is {view.state} now.")
    return 0


def cmd_workers(args: argparse.Namespace) -> int:
    """The same functions as the compute pages, as the node's own command line."""
    from dastan.catalog.models import Organisation
    from dastan.errors import NotFound
    from dastan.jobs.models import RemoteWorker
    from dastan.jobs.remote import enrolment, ledger, pages, sharing

    def org(slug: str) -> Organisation | None:
        if not slug:
            return None
        found = Organisation.objects.filter(slug=slug).first()
        if found is None:
            raise NotFound(gettext("No organisation %(slug)s.") % {"slug": repr(slug)},
                           gettext("`dastan manage shell` lists them; use its slug."))
        return found

    def worker_id(name: str) -> int:
        found = RemoteWorker.objects.filter(name=name).first()
        if found is None:
            raise NotFound(gettext("No remote worker %(name)s.") % {"name": repr(name)},
                           gettext("`dastan workers list` shows them."))
        return found.pk

    if args.action == "enrol-token":
        token = enrolment.make_enrolment_token(user=None, organisation=org(args.org), ttl_s=pages.parse_ttl(args.ttl))
        print(token)
        return 0
    if args.action == "list":
        for w in enrolment.managed_workers(user=None):
            print(f"{w.name:28} {w.state:12} {(w.organisation.slug if w.organisation else '-'):16} "
                  f"{','.join(w.capabilities):28} {w.last_heartbeat_at:%Y-%m-%d %H:%M:%S}")
        return 0
    if args.action == "rename":
        enrolment.rename_worker(user=None, worker_id=worker_id(args.worker), name=args.new_name)
    elif args.action == "delete":
        enrolment.delete_worker(user=None, worker_id=worker_id(args.worker))
    elif args.action in pages.ACTIONS:
        enrolment.set_worker_state(user=None, worker_id=worker_id(args.worker), state=pages.ACTIONS[args.action])
    elif args.action == "share":
        sharing.share_workers(user=None, lender=org(args.lender), borrower=org(args.borrower),
                              cap_hours_per_month=args.cap_hours)
    elif args.action == "ledger":
        rows = ledger.monthly()
        print(ledger.as_csv(rows) if args.csv else "\n".join(
            f"{r.month} {r.organisation:20} given {r.given_minutes:>8} min  received {r.received_minutes:>8} min"
            for r in rows) or "No verified work yet.")
        return 0
    print(f"{args.action}: done")
    return 0
