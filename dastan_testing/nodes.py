"""Support for tests that run real workers: a node (database + broker + home folder) that
worker processes and the test share, worker processes to start and kill, and the rule for
tests that need a server (skip with the reason; fail under CI=true).

Every app's tests and the repository's cross-cutting tests use it; the processes it
starts get the repository's root on PYTHONPATH, so they can load ``dastan_testing``'s job
handlers (see the package's docstring).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from dastan_testing import ROOT, with_root_on_pythonpath

TEST_SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"


def require_server(name: str, url: str) -> None:
    """Skip the calling test with a clear reason when ``url``'s server does not answer;
    under ``CI=true`` fail instead, so that a CI run never passes by skipping."""
    parsed = urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port
    try:
        socket.create_connection((host, port or 0), timeout=2).close()
    except OSError as exc:
        reason = (f"{name} is not reachable at {host}:{port} ({exc.strerror or exc}); start it, "
                  f"or point the test at another one. Under CI=true this test fails instead.")
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)


# --- databases with every migration applied, made once per run ------------------------------------
# Applying every migration to a new database costs ~16 s of CPU; tests that start nodes as
# processes need many new databases. Each is a copy of one template, migrated once for the
# migrations as they stand (their fingerprint names it), under a lock so that parallel
# test processes make it once.

def _migrations_fingerprint() -> str:
    digest = hashlib.sha256()
    root = ROOT / "dastan"
    for path in sorted(root.glob("**/migrations/*.py")):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _migrate(database_url: str) -> None:
    with tempfile.TemporaryDirectory(prefix="dastan-migrate-") as home:
        node = Node(home=Path(home), database_url=database_url, broker_url="memory://", queue_prefix="")
        node.dastan("manage", "migrate", "--noinput", "-v", "0", timeout_s=600)


def migrated_sqlite(path: Path) -> str:
    """Put a migrated SQLite database at ``path``; returns its database URL."""
    template = Path(tempfile.gettempdir()) / f"dastan-test-template-{_migrations_fingerprint()}.sqlite3"
    with _file_lock(template.with_suffix(".lock")):
        if not template.exists():
            making = template.with_suffix(f".{os.getpid()}.making")
            making.unlink(missing_ok=True)
            _migrate(f"sqlite:///{making}")
            os.replace(making, template)
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


@contextmanager
def postgres_database(postgres_url: str, *, prefix: str = "dastan_test", migrated: bool = True) -> Iterator[str]:
    """A PostgreSQL database of its own on ``postgres_url``'s server, dropped afterwards;
    yields its URL. ``migrated``: a copy of the migrated template (CREATE DATABASE …
    TEMPLATE), else empty, for tests of migrating itself."""
    import psycopg

    server = postgres_url.rsplit("/", 1)[0]
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        if migrated:
            template = f"dastan_template_{_migrations_fingerprint()}"
            lock = Path(tempfile.gettempdir()) / f"{template}.lock"
            with _file_lock(lock):
                if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (template,)).fetchall():
                    making = f"{template}_making"
                    conn.execute(f'DROP DATABASE IF EXISTS "{making}" WITH (FORCE)')
                    conn.execute(f'CREATE DATABASE "{making}"')
                    _migrate(f"{server}/{making}")
                    conn.execute(f'ALTER DATABASE "{making}" RENAME TO "{template}"')
                    _drop_stale_templates(conn, keep=template)
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        else:
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _drop_stale_templates(conn: Any, *, keep: str) -> None:
    """Templates of earlier migrations are dead weight; one still in use stays for now."""
    import psycopg

    for (stale,) in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'dastan_template_%%' "
                                 "AND datname <> %s", (keep,)).fetchall():
        try:
            conn.execute(f'DROP DATABASE "{stale}"')
        except psycopg.errors.ObjectInUse:
            pass


# --- a node that tests and worker processes share -------------------------------------------------

@dataclass(frozen=True)
class Node:
    """Everything a worker process needs to join the test: one database, one broker, one
    home folder, and a queue prefix of its own so that test runs sharing a broker never
    take each other's jobs."""

    home: Path
    database_url: str
    broker_url: str
    queue_prefix: str
    lease_s: int | None = 4  # short, for quick tests; heartbeats every second keep it.
    # None: the settings' own defaults, for tests of what a real node does.
    extra_env: dict[str, str] = field(default_factory=dict)

    def with_broker(self, broker_url: str, queue_prefix: str) -> Node:
        return replace(self, broker_url=broker_url, queue_prefix=queue_prefix)

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DASTAN_")}
        env.update(
            DJANGO_SETTINGS_MODULE="dastan.settings", DASTAN_HOME=str(self.home),
            DASTAN_DATABASE_URL=self.database_url, DASTAN_BROKER_URL=self.broker_url,
            DASTAN_QUEUE_PREFIX=self.queue_prefix, DASTAN_JOBS_DISPATCH="broker",
            DASTAN_JOB_MODULES="dastan_testing.job_handlers", DASTAN_SECRET_KEY=TEST_SECRET_KEY,
            DASTAN_LOG_LEVEL="WARNING", PYTHONUNBUFFERED="1",
            # A test is one address sending many requests, some with wrong tokens on purpose
            # (the fuzzers): the throttles are tested in-process (accounts/tests/test_throttling.py).
            DASTAN_API_ANON_RATE="1000000/m", DASTAN_API_TOKEN_RATE="1000000/m",
            DASTAN_API_BAD_TOKEN_RATE="1000000/m",
            # A node's web processes keep their own caches here (no DASTAN_CACHE_URL), so a
            # change made in one would reach the others' catalogue answers only after
            # DASTAN_CATALOG_CACHE_S; tests read right after writing (extra_env may turn it on).
            DASTAN_CATALOG_CACHE_S="0",
        )
        if self.lease_s is not None:
            env.update(DASTAN_JOB_LEASE_S=str(self.lease_s), DASTAN_JOB_HEARTBEAT_S="1")
        env.update(self.extra_env)
        env.update(extra)
        return with_root_on_pythonpath(env)

    def dastan(self, *args: str, timeout_s: float = 120) -> str:
        """Run a `dastan` command on this node; returns its output, raises with it on failure."""
        done = subprocess.run([sys.executable, "-m", "dastan.cli", *args], env=self.env(),
                              capture_output=True, text=True, timeout=timeout_s, check=False)
        if done.returncode != 0:
            raise AssertionError(f"`dastan {' '.join(args)}` exited {done.returncode}:\n"
                                 f"{done.stdout}\n{done.stderr}")
        return done.stdout

    def migrate(self) -> None:
        self.dastan("manage", "migrate", "jobs", "--noinput", "-v", "0")

    def submit(self, *jobs: tuple[str, dict[str, Any]]) -> list[int]:
        """Submit ``(kind, params)`` jobs the way the web process does; returns their ids."""
        script = (
            "import json, sys, django; django.setup()\n"
            "from django.db import transaction\n"
            "from dastan.jobs.services import submit_job\n"
            "with transaction.atomic():\n"
            "    ids = [submit_job(kind=k, params=p).pk for k, p in json.loads(sys.argv[1])]\n"
            "print(json.dumps(ids))\n"
        )
        done = subprocess.run([sys.executable, "-c", script, json.dumps(jobs)], env=self.env(),
                              capture_output=True, text=True, timeout=60, check=False)
        if done.returncode != 0:
            raise AssertionError(f"submitting {jobs} failed:\n{done.stderr}")
        return list(json.loads(done.stdout.strip().splitlines()[-1]))

    def cancel(self, job_id: int) -> None:
        """Cancel a job the way a person does (the service behind the API and the CLI)."""
        script = ("import sys, django; django.setup()\n"
                  "from dastan.jobs.services import cancel_job\n"
                  "cancel_job(job_id=int(sys.argv[1]))\n")
        done = subprocess.run([sys.executable, "-c", script, str(job_id)], env=self.env(),
                              capture_output=True, text=True, timeout=60, check=False)
        if done.returncode != 0:
            raise AssertionError(f"cancelling job #{job_id} failed:\n{done.stderr}")

    # -- reading the database directly (the test process's Django points elsewhere) -------
    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if self.database_url.startswith("sqlite"):
            path = self.database_url.removeprefix("sqlite:///")
            with closing(sqlite3.connect(path, timeout=30)) as conn:
                return conn.execute(sql, params).fetchall()
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as conn:
            return conn.execute(sql.replace("?", "%s"), params).fetchall()  # type: ignore[arg-type]

    def forget_broker_messages(self) -> int:
        """Empty the embedded SQLite broker, as a broker restarted without persistence
        would be; returns how many messages were lost."""
        assert self.broker_url.startswith("sqla+sqlite:///"), "only the embedded broker is emptied here"
        path = self.broker_url.removeprefix("sqla+sqlite:///")
        with closing(sqlite3.connect(path, timeout=30)) as conn, conn:  # the inner one commits
            return conn.execute("DELETE FROM kombu_message").rowcount

    def job(self, job_id: int) -> dict[str, Any]:
        cols = ("state", "attempts", "progress", "worker", "error_code", "error_message", "result")
        rows = self.query(f"SELECT {', '.join(cols)} FROM jobs_job WHERE id = ?", (job_id,))
        assert rows, f"no job #{job_id}"
        return dict(zip(cols, rows[0], strict=True))

    def events(self, job_id: int) -> list[tuple[str, int, str]]:
        return [tuple(r) for r in self.query(  # type: ignore[misc]
            "SELECT kind, attempt, worker FROM jobs_jobevent WHERE job_id = ? ORDER BY id", (job_id,))]

    def wait_for(self, job_id: int, until: Callable[[dict[str, Any]], bool], *, timeout_s: float,
                 workers: list[WorkerProcess] = ()) -> dict[str, Any]:  # type: ignore[assignment]
        """Poll the job's row until ``until(row)``; on timeout, fail with the row, its
        events and the workers' logs."""
        deadline = time.monotonic() + timeout_s
        while True:
            row = self.job(job_id)
            if until(row):
                return row
            gone = bool(workers) and all(w.proc.poll() is not None for w in workers)
            if gone or time.monotonic() > deadline:
                logs = "\n".join(f"--- {w.name} ---\n{w.log()[-3000:]}" for w in workers)
                raise AssertionError(f"job #{job_id} still {row} ({'no worker running' if gone else 'timed out'}); events "
                                     f"{self.events(job_id)}\n{logs}")
            time.sleep(0.2)

    def start_worker(self, name: str, *, can: str = "", log_dir: Path) -> WorkerProcess:
        args = [sys.executable, "-m", "dastan.cli", "worker", "--name", name, "--can", can or ","]
        log_path = log_dir / f"worker-{name}.log"
        with log_path.open("ab") as log:
            # A process group of its own: SIGKILL reaches the worker and nothing else.
            proc = subprocess.Popen(args, env=self.env(), stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        return WorkerProcess(name=name, proc=proc, log_path=log_path)

    def start_remote_worker(self, node_url: str, name: str, token: str, *, root: Path, can: str = "transcode",
                            slots: int = 1, **extra_env: str) -> WorkerProcess:
        """A partner's machine joining over HTTP (``dastan worker --remote``): its own home
        under ``root``, and a database URL that does not exist (it must not need one)."""
        home = root / f"machine-{name}"
        home.mkdir()
        env = self.env(DASTAN_HOME=str(home), DASTAN_DATABASE_URL=f"sqlite:///{home / 'absent' / 'none.sqlite3'}",
                       DASTAN_BROKER_URL="memory://", **extra_env)
        log_path = root / f"remote-{name}.log"
        with log_path.open("ab") as log:
            proc = subprocess.Popen([sys.executable, "-m", "dastan.cli", "worker", "--remote", node_url,
                                     "--enrol", token, "--name", name, "--can", can, "--slots", str(slots),
                                     "--home", str(home / "worker")],
                                    env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        return WorkerProcess(name=name, proc=proc, log_path=log_path)


@dataclass
class WorkerProcess:
    name: str
    proc: subprocess.Popen[bytes]
    log_path: Path

    def signal_process_only(self, signum: int) -> None:
        """Send ``signum`` to the worker process alone, not its process group: what its
        children then do is up to the worker (a service manager's SIGTERM, or the OOM
        killer's SIGKILL, reach only the one process)."""
        os.kill(self.proc.pid, signum)

    def children(self) -> dict[int, str]:
        """The worker's live child processes (from /proc): pid → command line."""
        return live_children(self.proc.pid)

    def kill(self) -> None:
        """SIGKILL the worker's process group: no cleanup, no goodbye, like a lost machine."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def process_state(pid: int) -> str:
    """The state letter in /proc (R, S, D, Z, ...), or "" for a process that is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return ""


def is_running(pid: int) -> bool:
    """True while ``pid`` is a live process (a zombie is dead, only not yet reaped)."""
    return process_state(pid) not in ("", "Z", "X")


def live_children(pid: int) -> dict[int, str]:
    """Live child processes of ``pid``: pid → command line."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, ppid = stat.read_text().rsplit(")", 1)[1].split()[:2]
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError, ValueError):
            continue
        if int(ppid) == pid and state not in ("Z", "X"):
            found[int(stat.parent.name)] = cmdline
    return found


@pytest.fixture
def worker_pool(tmp_path: Path) -> Iterator[list[WorkerProcess]]:
    """A list to put started workers in; every one is stopped when the test ends."""
    started: list[WorkerProcess] = []
    yield started
    for worker in started:
        worker.kill()


# --- a node's web server as a real process ---------------------------------------------------------

def stop_process_group(proc: subprocess.Popen[Any], *, sig: int = signal.SIGTERM, timeout_s: float = 30) -> None:
    """Stop a server started with ``start_new_session=True`` and everything it started:
    ``sig`` to its process group, then SIGKILL if it has not gone within ``timeout_s``."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, sig)
    try:
        proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Served:
    url: str  # http://127.0.0.1:PORT, no trailing slash
    proc: subprocess.Popen[str]
    log_path: Path


@contextmanager
def serving(node: Node, *, web_workers: int = 2) -> Iterator[Served]:
    """`dastan serve` on ``node`` (gunicorn, migrations applied), until the block ends; the
    process group is stopped with SIGTERM, then SIGKILL. Its stderr goes to serve.log."""
    port = free_port()
    log_path = node.home / "serve.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "dastan.cli", "serve", "--port", str(port),
                                 "--web-workers", str(web_workers)],
                                env=node.env(), stdout=subprocess.PIPE, stderr=log, text=True,
                                start_new_session=True)
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if "Dastan is running at" in line:
                break
        else:
            raise AssertionError(f"`dastan serve` did not start:\n{log_path.read_text()}")
        threading.Thread(target=proc.stdout.read, daemon=True).start()  # keep the pipe drained
        yield Served(url=f"http://127.0.0.1:{port}", proc=proc, log_path=log_path)
    finally:
        stop_process_group(proc)
