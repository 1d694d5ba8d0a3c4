"""`dastan serve` on a fresh home: migrates, prints its URL, serves the API schema, and its
own worker finishes a submitted job (and is restarted when it dies); inconsistent
settings are warned about, not fatal."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from dastan_testing.nodes import Node, free_port, stop_process_group


@dataclass
class Served:
    url: str
    proc: subprocess.Popen[str]
    stderr_path: Path

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")


@contextmanager
def _serve(node: Node, tmp_path: Path, **env: str) -> Iterator[Served]:
    """Run `dastan serve` until the block ends, then stop it with SIGTERM as a service
    manager would."""
    port = free_port()
    stderr_path = tmp_path / "serve.stderr"
    with stderr_path.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "dastan.cli", "serve", "--port", str(port), "--web-workers", "1"],
            env=node.env(**env), stdout=subprocess.PIPE, stderr=err, text=True, start_new_session=True)
    try:
        url = _wait_for_url(proc, stderr_path)
        yield Served(url=url, proc=proc, stderr_path=stderr_path)
    finally:
        stop_process_group(proc)


def _wait_for_url(proc: subprocess.Popen[str], stderr_path: Path) -> str:
    assert proc.stdout is not None
    deadline = time.monotonic() + 120  # the first run applies every migration
    for line in proc.stdout:
        if "Dastan is running at" in line:
            return line.split("Dastan is running at", 1)[1].strip()
        if time.monotonic() > deadline:
            break
    raise AssertionError(f"`dastan serve` printed no URL (exit {proc.poll()}):\n{stderr_path.read_text()}")


def _get(url: str, *, timeout_s: float = 30) -> tuple[int, bytes]:
    """GET, waiting while the web server is still binding its port."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=60) as response:  # a cold first request
                return response.status, response.read()
        except ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
        except urllib.error.URLError as exc:
            if not isinstance(exc.reason, ConnectionError) or time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@pytest.fixture(scope="module")
def embedded_node(tmp_path_factory: pytest.TempPathFactory) -> Node:
    """A fresh home shared by this module's tests: the first `dastan serve` on it applies
    every migration; the next finds them applied and starts at once."""
    home = tmp_path_factory.mktemp("serve-home")
    return Node(home=home, database_url=f"sqlite:///{home / 'dastan.sqlite3'}",
                broker_url=f"sqla+sqlite:///{home / 'broker.sqlite3'}", queue_prefix="")


def test_serve_on_a_fresh_home_serves_the_api_schema_and_its_restarted_worker_runs_jobs(
    embedded_node: Node, tmp_path: Path,
) -> None:
    node = embedded_node
    with _serve(node, tmp_path) as server:
        status, body = _get(f"{server.url}api/v1/openapi.json")
        assert status == 200
        schema = json.loads(body)
        assert schema["openapi"].startswith("3.")
        assert "/api/v1/jobs/" in schema["paths"]

        [job_id] = node.submit(("test.transcode", {}))
        deadline = time.monotonic() + 60
        while node.job(job_id)["state"] != "succeeded":
            assert time.monotonic() < deadline, f"{node.job(job_id)} {node.events(job_id)}\n{server.stderr()}"
            time.sleep(0.3)
        assert node.job(job_id)["worker"].endswith("-serve")  # the worker serve started
        assert not [line for line in server.stderr().splitlines() if line.startswith("warning:")]

        # The worker dies (out of memory, say): serve starts another, which takes new jobs.
        [(worker_pid,)] = node.query("SELECT pid FROM jobs_workernode WHERE name LIKE '%-serve'")
        os.kill(worker_pid, signal.SIGKILL)
        [job_id] = node.submit(("test.transcode", {}))
        deadline = time.monotonic() + 90
        while node.job(job_id)["state"] != "succeeded":
            assert time.monotonic() < deadline, f"{node.job(job_id)} {node.events(job_id)}\n{server.stderr()}"
            time.sleep(0.3)
        assert "warning: the job worker stopped (exit -9); restarting it" in server.stderr()
        assert node.query("SELECT pid FROM jobs_workernode WHERE name LIKE '%-serve'") != [(worker_pid,)]
    assert server.proc.returncode == 0
    with pytest.raises(ProcessLookupError):  # the web server and the worker went with it
        os.killpg(server.proc.pid, 0)


def _children_of(pid: int) -> dict[int, str]:
    """Live child processes of ``pid`` (from /proc), pid → command line."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid and fields[0] not in ("Z", "X"):
            found[int(stat.parent.name)] = cmdline
    return found


def test_serve_restarts_its_web_server_when_it_dies_and_serves_again(
    embedded_node: Node, tmp_path: Path,
) -> None:
    with _serve(embedded_node, tmp_path) as server:
        assert _get(f"{server.url}api/v1/openapi.json")[0] == 200
        [gunicorn] = [pid for pid, cmd in _children_of(server.proc.pid).items() if "gunicorn" in cmd]
        os.kill(gunicorn, signal.SIGKILL)  # the kernel's OOM killer picked the web server

        # The killed master's workers may linger for a moment as orphans: wait for the
        # supervisor's word and for one new master in their place.
        deadline = time.monotonic() + 60
        while True:
            running = [pid for pid, cmd in _children_of(server.proc.pid).items() if "gunicorn" in cmd]
            if "restarting it" in server.stderr() and running and gunicorn not in running:
                break
            assert time.monotonic() < deadline, server.stderr()
            time.sleep(0.2)
        assert "warning: the web server stopped (exit -9); restarting it" in server.stderr()
        assert _get(f"{server.url}api/v1/openapi.json", timeout_s=60)[0] == 200
    assert server.proc.returncode == 0
    assert not _children_of(server.proc.pid)


def test_serve_with_inconsistent_settings_warns_with_the_fix_and_still_serves(
    embedded_node: Node, tmp_path: Path,
) -> None:
    node = embedded_node
    # A remote broker that is not even there, a SQLite database, and a worker in-process.
    with _serve(node, tmp_path, DASTAN_BROKER_URL=f"redis://127.0.0.1:{free_port()}/0") as server:
        status, body = _get(f"{server.url}api/v1/openapi.json")
        assert status == 200 and "openapi" in json.loads(body)
        warnings = server.stderr()
        assert "`dastan serve` will start its own worker on the shared broker at 127.0.0.1" in warnings
        assert "fix: Set DASTAN_SERVE_WORKER=none" in warnings
        assert "the database is a SQLite file on this machine" in warnings
        assert "fix: Set DASTAN_DATABASE_URL=postgresql://" in warnings
