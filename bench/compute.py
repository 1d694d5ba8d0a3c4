"""Remote workers' schedule API: schedule calls and assignments per second with 50
simulated workers, on SQLite and on PostgreSQL, called in process (the domain call) and
through the signed HTTP door (sign, verify, schedule, answer: what a remote worker's
call costs); our candidate query (one indexed, limited query per call, fair share in
Python) beside the naive path (load every queued job per call); the signed door as
deployed (gunicorn started as ``dastan serve`` starts it, driven over HTTP by wrk with one
connection per simulated worker and calls signed beforehand); per call, the queries
sent (BEGIN/COMMIT not counted) and the node's CPU time, which a loaded machine changes
less than the wall clock; requeue latency after a worker goes silent (median, worst);
and what verification costs as a share of the work. ``--profile`` instead lists the
queries of one signed call that assigns a job and where such calls spend their CPU time.

Each database runs in a process of its own (Django's settings are per process).

Usage: python bench/compute.py [--db sqlite|postgres|both] [--workers 50] [--jobs 2000] [--naive-jobs 500]
       [--postgres postgresql://root@127.0.0.1:5432/test] [--served-s 10] [--served-rate 500]
       [--web-workers 2] [--profile]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
COMMAND = "python bench/compute.py"


def child(db: str, args: argparse.Namespace) -> None:
    """One database: set up Django on it, then measure."""
    home = tempfile.mkdtemp(prefix=f"dastan-bench-compute-{db}-")
    os.environ.update(DASTAN_HOME=home, DASTAN_JOBS_DISPATCH="none", DASTAN_JOB_MODULES="dastan_testing.job_handlers",
                      DJANGO_SETTINGS_MODULE="dastan.settings", DASTAN_LOG_LEVEL="ERROR",
                      DASTAN_ALLOWED_HOSTS="testserver,127.0.0.1",
                      DASTAN_REMOTE_WORKER_SILENCE_S=str(args.silence), DASTAN_REMOTE_WORKER_INTERVAL_S="0.25")
    pg_name = ""
    if db == "postgres":
        import psycopg

        pg_name = f"dastan_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{pg_name}"')
        os.environ["DASTAN_DATABASE_URL"] = f"{args.postgres.rsplit('/', 1)[0]}/{pg_name}"
    else:
        os.environ.pop("DASTAN_DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    try:
        measure(db, args)
    finally:
        if pg_name:
            from django.db import connections

            connections.close_all()
            import psycopg

            with psycopg.connect(args.postgres, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')


def measure(db: str, args: argparse.Namespace) -> None:
    from django.db import connection
    from django.test import Client

    from dastan.catalog.models import Organisation
    from dastan.jobs.models import Job, JobState, RemoteWorker
    from dastan.jobs.registry import remote_kinds
    from dastan.jobs.remote import enrolment, scheduling, sharing
    from dastan.jobs.remote.client import key_id_for
    from dastan.jobs.services import reap_stalled_jobs, submit_job
    from dastan.signing import keys, messages

    print(f"\n== {connection.vendor}: {args.workers} simulated workers, {args.jobs} jobs "
          f"from {args.orgs} organisations ==")
    orgs = [Organisation.objects.create(name=f"Org {i}", slug=f"org-{i}", kind="studio", country="PK")
            for i in range(args.orgs)]
    farm = orgs[0]
    for other in orgs[1:]:
        sharing.share_workers(user=None, lender=farm, borrower=other, cap_hours_per_month=None)
    private = {}
    workers = []
    for i in range(args.workers):
        key = keys.generate("k")
        public = key.public()
        public = keys.PublicKey(key_id_for(public.pem), public.algorithm, public.pem)
        token = enrolment.make_enrolment_token(user=None, organisation=farm, ttl_s=600)
        w = enrolment.enrol_worker(token=token, name=f"sim-{i}", public=public, capabilities=["transcode"], facts={})
        private[w.pk] = keys.PrivateKey(public.key_id, key.algorithm, key.pem)
        workers.append(w)

    def queue(n: int) -> None:
        for i in range(n):
            submit_job(kind="test.remote_digest", params={"source": "x", "final_dir": "/tmp"},
                       organisation=orgs[i % len(orgs)], priority=i % 3)

    def drain(pick: str) -> tuple[int, int, float]:
        """Every worker polls with one free slot until the queue is empty; each assignment
        is finished at once (so the next call has a free slot again). Also kept: the
        queries and this process's CPU time per call, which a loaded machine changes less
        than the wall clock."""
        calls = assigned = 0
        counted = [0]

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            counted[0] += 1
            return execute(sql, params, many, context)

        signing[0] = 0.0
        start, cpu = time.perf_counter(), time.process_time()
        while True:
            got = 0
            for w in workers:
                with connection.execute_wrapper(count):
                    if pick == "naive":
                        got += naive_assign(w)
                    elif pick == "signed":
                        got += signed_assign(w)
                    else:
                        got += len(scheduling.schedule(worker=w, running=[], free_slots=1).assign)
                calls += 1
            assigned += got
            Job.objects.filter(state=JobState.RUNNING).update(state=JobState.SUCCEEDED, lease_token=None)
            if not got:
                per_call[pick] = ((time.process_time() - cpu - signing[0]) / calls * 1000, counted[0] / calls)
                return calls, assigned, time.perf_counter() - start

    client = Client()
    url = "http://testserver/compute/schedule"
    signing = [0.0]

    def signed_assign(w: RemoteWorker) -> int:
        """What a remote worker's call costs the node: the signature checked (key, window,
        digest, nonce), the schedule answered, the answer written as JSON."""
        body = b'{"running":[],"free_slots":1}'
        began = time.process_time()
        headers = messages.sign("POST", url, key=private[w.pk], body=body)
        signing[0] += time.process_time() - began  # the worker's cost, not the node's
        response = client.post("/compute/schedule", body, content_type="application/json", headers=headers)
        assert response.status_code == 200, response.content
        return len(response.json()["assign"])

    def naive_assign(w: RemoteWorker) -> int:
        """The naive path: load every queued job, filter and order in Python, claim the first."""
        from dastan.jobs.services import claim_job

        kinds = set(remote_kinds())
        allowed = scheduling.served_organisations(w, now=django_now())
        queued = [j for j in Job.objects.filter(state=JobState.QUEUED)
                  if j.kind in kinds and set(j.needs) <= set(w.capabilities)
                  and (allowed is None or j.organisation_id in allowed) and w.name not in j.failed_on_workers]
        queued.sort(key=lambda j: (-j.priority, j.queued_at, j.pk))
        for j in queued:
            if claim_job(job_id=j.pk, worker=w.name) is not None:
                return 1
        return 0

    from django.test import override_settings
    from django.utils.timezone import now as django_now

    if args.profile:
        profile_one_call(queue, workers, private)
        return
    results = {}
    per_call: dict[str, tuple[float, float]] = {}
    # A long silence here: the throughput rounds must not reap their own assignments.
    with override_settings(DASTAN_REMOTE_WORKER_SILENCE_S=600):
        labels = {"ours": "ours   (domain call)", "signed": "ours   (signed HTTP call)",
                  "naive": "naive  (domain call)"}
        for pick in ("ours", "signed", "naive"):
            # The naive path loads the whole queue on every call: fewer jobs keep its run short
            # (its cost per call grows with the queue, so this flatters it).
            queue(min(args.jobs, args.naive_jobs) if pick == "naive" else args.jobs)
            calls, assigned, spent = drain(pick)
            results[pick] = assigned / spent
            cpu_ms, queries = per_call[pick]
            print(f"  {labels[pick]:26}: {calls:>5} calls, {assigned:>5} assignments in {spent:6.2f} s → "
                  f"{calls / spent:5.0f} calls/s, {assigned / spent:5.0f} assignments/s; per call "
                  f"{queries:4.1f} queries, {cpu_ms:5.2f} ms node CPU")
    print(f"  ours / naive assignments/s: {results['ours'] / results['naive']:.1f}×")
    if args.served_s > 0:
        served(args, queue, workers, private)

    # Idle polls (nothing queued): a heartbeat with one running attempt, the common call.
    Job.objects.all().delete()
    start = time.perf_counter()
    n = 0
    for _ in range(10):
        for w in workers:
            scheduling.schedule(worker=w, running=[], free_slots=1)
            n += 1
    spent = time.perf_counter() - start
    print(f"  idle heartbeat calls (domain only): {n / spent:8.0f} calls/s")

    # The signed door: sign, verify (signature, digest, nonce), schedule, answer.
    body = b'{"running":[],"free_slots":0}'
    start = time.perf_counter()
    n = 0
    for _ in range(4):
        for w in workers:
            headers = messages.sign("POST", url, key=private[w.pk], body=body)
            response = client.post("/compute/schedule", body, content_type="application/json",
                                   headers={k: v for k, v in headers.items()})
            assert response.status_code == 200, response.content
            n += 1
    spent = time.perf_counter() - start
    print(f"  signed HTTP schedule calls (sign + verify + answer, in process): {n / spent:8.0f} calls/s "
          f"({spent / n * 1000:.2f} ms each)")

    # Requeue latency: a worker takes a job and falls silent; another polls every interval.
    from django.conf import settings

    latencies = []
    silent, poller = workers[0], workers[1]
    for _ in range(args.requeues):
        Job.objects.all().delete()
        queue(1)
        RemoteWorker.objects.filter(pk=poller.pk).update(state=RemoteWorker.State.PAUSED)
        poller.state = RemoteWorker.State.PAUSED
        [a] = scheduling.schedule(worker=silent, running=[], free_slots=1).assign
        last_heartbeat = time.time()
        while Job.objects.get(pk=a.job_id).state == JobState.RUNNING:
            time.sleep(settings.DASTAN_REMOTE_WORKER_INTERVAL_S)
            scheduling.schedule(worker=poller, running=[], free_slots=0)
        latencies.append(time.time() - last_heartbeat)
    reap_stalled_jobs()
    print(f"  requeue after the last heartbeat (silence setting {args.silence:g} s, polls every "
          f"{settings.DASTAN_REMOTE_WORKER_INTERVAL_S:g} s): median {statistics.median(latencies):.2f} s, "
          f"worst {max(latencies):.2f} s over {len(latencies)}")


WRK_SCRIPT = r"""
-- Pre-signed schedule calls, one per line (Signature-Input, Signature, Content-Digest,
-- tab-separated), dealt out to wrk's threads; each is sent once (a second time would be
-- a replay, refused and counted by wrk as a non-2xx answer).
local threads = 0
function setup(thread)
  thread:set("slice", threads)
  threads = threads + 1
end
function init(args)
  calls, pos, path, body = {}, 0, args[1], args[2]
  local i = 0
  for line in io.lines(args[3]) do
    if i % tonumber(args[4]) == slice then
      local a, b, c = line:match("([^\t]*)\t([^\t]*)\t([^\t]*)")
      calls[#calls + 1] = {["Content-Type"] = "application/json", ["Signature-Input"] = a,
                           ["Signature"] = b, ["Content-Digest"] = c}
    end
    i = i + 1
  end
end
function request()
  pos = pos + 1
  return wrk.format("POST", path, calls[(pos - 1) % #calls + 1], body)
end
"""


def served(args: argparse.Namespace, queue: Any, workers: list[Any], private: dict[int, Any]) -> None:
    """The signed door as deployed: gunicorn started the way ``dastan serve`` starts it
    (``--web-workers`` processes × 4 threads, gthread, access log on), on the same machine as
    the database, driven by wrk with one connection per simulated worker and requests signed
    beforehand (signing is the worker's cost, on its own machine). Every call asks for one
    job, and the queue holds one job per call, so each answered call should assign one."""
    import re
    import shutil
    import signal
    import socket
    import urllib.request

    from django.utils import timezone

    from dastan.jobs.models import Job
    from dastan.signing import messages

    if shutil.which("wrk") is None:
        print("  served: skipped (wrk is not installed; apt-get install wrk)")
        return
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    url = f"http://127.0.0.1:{port}/compute/schedule"
    body = b'{"running":[],"free_slots":1}'
    warm_s = 3.0  # each process's first calls import and connect: not measured
    calls = int(args.served_s * args.served_rate)
    Job.objects.all().delete()
    queue(calls + int(warm_s * args.served_rate))
    folder = Path(tempfile.mkdtemp(prefix="dastan-bench-compute-wrk-"))
    for name, n in (("warm", int(warm_s * args.served_rate)), ("calls", calls)):
        with (folder / f"{name}.tsv").open("w") as out:
            for i in range(n):
                w = workers[i % len(workers)]
                h = messages.sign("POST", url, key=private[w.pk], body=body)
                out.write(f"{h['Signature-Input']}\t{h['Signature']}\t{h['Content-Digest']}\n")
    (folder / "calls.lua").write_text(WRK_SCRIPT)
    env = {**os.environ, "DASTAN_REMOTE_WORKER_SILENCE_S": "600", "DASTAN_SERVE_WORKER": "none",
           "DASTAN_FEDERATION_SYNC_S": "0", "PYTHONPATH": str(ROOT)}
    # As dastan/commands.py cmd_serve starts it.
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "dastan.wsgi:application", "--bind",
                               f"127.0.0.1:{port}", "--workers", str(args.web_workers), "--threads", "4",
                               "--timeout", "120", "--access-logfile", "-", "--log-level", "warning"],
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    threads = 2

    def wrk(name: str, seconds: float) -> str:
        return subprocess.run(["wrk", f"-t{threads}", f"-c{len(workers)}", f"-d{seconds:g}s", "--timeout", "10s",
                               "--latency", "-s", str(folder / "calls.lua"), url, "--", "/compute/schedule",
                               body.decode(), str(folder / f"{name}.tsv"), str(threads)],
                              capture_output=True, text=True, check=True).stdout

    try:
        deadline = time.monotonic() + 60
        while not (folder / "up").exists():
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/compute/enrol", timeout=2)
            except urllib.error.HTTPError:
                (folder / "up").touch()  # 405: it answers
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        wrk("warm", warm_s)
        began = timezone.now()
        out = wrk("calls", args.served_s)
        ended = timezone.now()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    sent = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    p50 = re.search(r"^\s*50%\s+(\S+)", out, re.MULTILINE)
    # Assignments made while wrk ran (the calls still in flight when it stopped finish after).
    assigned = Job.objects.filter(started_at__gte=began, started_at__lt=ended).count()
    spent = (ended - began).total_seconds()
    print(f"  served: gunicorn {args.web_workers} processes × 4 threads (as dastan serve), wrk -t{threads} "
          f"-c{len(workers)} -d{args.served_s:g}s after {warm_s:g} s of warm-up, {os.cpu_count()} cores shared "
          f"with the database and wrk:")
    print(f"    {sent} signed calls ({int(bad.group(1)) if bad else 0} refused), {assigned} assignments → "
          f"{rate:5.0f} calls/s, {assigned / spent:5.0f} assignments/s, median latency {p50.group(1) if p50 else '?'}"
          + (" — the pre-signed calls ran out: raise --served-rate" if sent > calls else ""))


def profile_one_call(queue: Any, workers: list[Any], private: dict[int, Any]) -> None:
    """One signed schedule call that assigns a job, with the queries it sent, and where the
    CPU time of one such call per simulated worker went (the call before them warms the caches)."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dastan.signing import messages

    queue(200)
    client = Client()
    url = "http://testserver/compute/schedule"
    body = b'{"running":[],"free_slots":1}'

    def call(w: Any) -> None:
        headers = messages.sign("POST", url, key=private[w.pk], body=body)
        response = client.post("/compute/schedule", body, content_type="application/json", headers=headers)
        assert response.status_code == 200 and response.json()["assign"], response.content

    call(workers[0])
    with CaptureQueriesContext(connection) as queries:
        call(workers[1])
    print(f"  one signed schedule call that assigns a job: {len(queries)} queries")
    for q in queries.captured_queries:
        print(f"    {q['sql'][:160]}")
    # CPU time, not the wall clock: waiting for the database is not this process's cost.
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for w in workers[2:]:
        call(w)
    profiler.disable()
    pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(int(os.environ.get("BENCH_LINES", "40")))


def verification_share(args: argparse.Namespace) -> None:
    """Re-doing a sampled result costs what doing it cost, plus the comparison; the policy
    (every result until DASTAN_REMOTE_VERIFY_FIRST passed, then DASTAN_REMOTE_VERIFY_SHARE)
    decides how many are re-done."""
    import random

    first, share, results = 5, 0.05, args.results
    rng = random.Random(7)
    sampled = sum(1 for i in range(results) if i < first or rng.random() < share)
    print(f"\n== verification: {results} results of one worker, first {first} always re-done, then {share:.0%} ==")
    print(f"  re-done: {sampled} ({sampled / results:.1%} of the work, plus one comparison each)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--workers", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--naive-jobs", type=int, default=500)
    parser.add_argument("--orgs", type=int, default=4)
    parser.add_argument("--requeues", type=int, default=5)
    parser.add_argument("--silence", type=float, default=2.0)
    parser.add_argument("--results", type=int, default=200)
    parser.add_argument("--postgres", default="postgresql://root@127.0.0.1:5432/test")
    parser.add_argument("--served-s", type=float, default=10.0,
                        help="seconds of signed calls to gunicorn over HTTP (0: skip)")
    parser.add_argument("--served-rate", type=float, default=500.0,
                        help="calls signed beforehand per second of --served-s")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn processes (dastan serve's default)")
    parser.add_argument("--profile", action="store_true", help="profile one signed schedule call instead")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args)
        return
    print(f"{COMMAND} {' '.join(sys.argv[1:])}".strip())
    for db in (("sqlite", "postgres") if args.db == "both" else (args.db,)):
        subprocess.run([sys.executable, __file__, *sys.argv[1:], "--child", db], check=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    verification_share(args)


if __name__ == "__main__":
    main()
