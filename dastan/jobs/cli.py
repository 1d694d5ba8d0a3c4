"""`dastan worker` and `dastan jobs`."""

from __future__ import annotations

import argparse
import json
import threading
from typing import Any

from dastan.jobs.routing import ALL_CAPABILITIES, queues_for_worker


def register(sub: Any) -> None:
    p = sub.add_parser(
        "worker",
        help="run a job worker for the capabilities this machine has",
        description="Take jobs from the broker (DASTAN_BROKER_URL) for the named capabilities "
        "only, one at a time, renewing each job's lease while it runs. Also puts back jobs "
        "whose worker died. Example: `dastan worker --can transcode,asr --name studio-gpu-1`.",
    )
    p.add_argument("--can", default=",".join(ALL_CAPABILITIES),
                   help=f"comma-separated capabilities (default: {','.join(ALL_CAPABILITIES)})")
    p.add_argument("--name", default=None, help="worker name shown on jobs (default host:pid)")
    p.add_argument("--concurrency", type=int, default=1, help="jobs run at once (default 1)")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("jobs", help="list jobs with their state and progress",
                       description="The newest jobs first, with state, progress and any error.")
    p.add_argument("--state", default=None, help="only jobs in this state (queued, running, failed, ...)")
    p.add_argument("--limit", type=int, default=30)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_jobs)


def cmd_worker(args: argparse.Namespace) -> int:
    from django.conf import settings

    from dastan.celery import app
    from dastan.jobs.services import reap_stalled_jobs, resend_queued_jobs, worker_name

    caps = [c for c in args.can.split(",") if c.strip()]
    queues = queues_for_worker(caps)
    name = args.name or worker_name()
    stop = threading.Event()

    def sweep() -> None:
        from django.db import connection

        every = max(1.0, settings.DASTAN_JOB_LEASE_S / 4)
        while not stop.wait(every):
            try:
                reap_stalled_jobs()
                resend_queued_jobs(older_than_s=max(60, settings.DASTAN_JOB_LEASE_S))
            finally:
                connection.close()

    threading.Thread(target=sweep, name="job-sweeper", daemon=True).start()
    print(f"worker {name} taking jobs for: {', '.join(caps) or 'default'}", flush=True)
    worker = app.Worker(
        queues=queues, concurrency=args.concurrency, pool="threads", hostname=f"{name}@dastan",
        loglevel="WARNING", without_gossip=True, without_mingle=True, without_heartbeat=True,
    )
    worker.start()
    stop.set()
    return int(worker.exitcode or 0)


def cmd_jobs(args: argparse.Namespace) -> int:
    from dastan.jobs.selectors import list_jobs

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
