"""dastan.processes: a child dies with the process that started it, even by SIGKILL, and a
stopped group kills its children and says why."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from dastan import processes
from dastan_testing.nodes import is_running, live_children

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")

STARTER = """
import time
from dastan import processes
with processes.started(["sleep", "600"]) as child:
    print(child.pid, flush=True)
    time.sleep(600)
"""


def _wait_until(condition: object, *, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def test_a_child_dies_when_the_process_that_started_it_is_sigkilled() -> None:
    # Its own process group: the SIGKILL below reaches the starter alone, as the OOM
    # killer's would, and nothing else could take the child down with it.
    starter = subprocess.Popen([sys.executable, "-c", STARTER], stdout=subprocess.PIPE, text=True,
                               start_new_session=True)
    assert starter.stdout is not None
    child = int(starter.stdout.readline())
    assert is_running(child)
    assert child in live_children(starter.pid)

    os.kill(starter.pid, signal.SIGKILL)
    starter.wait(timeout=10)

    _wait_until(lambda: not is_running(child), timeout_s=10, what=f"sleep {child} outlived its parent")


def test_stopping_a_group_kills_its_running_child_and_raises_the_reason_in_the_caller() -> None:
    group = processes.ChildGroup()
    raised: list[BaseException] = []

    def run() -> None:
        with processes.scope(group):
            try:
                processes.run(["sleep", "600"])
            except BaseException as exc:  # noqa: BLE001 -- handed to the test thread
                raised.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    _wait_until(lambda: group.pids(), timeout_s=10, what="the child never started")
    [pid] = group.pids()

    group.stop(RuntimeError("job #7 was cancelled"))
    thread.join(timeout=10)

    assert not thread.is_alive()
    assert [str(e) for e in raised] == ["job #7 was cancelled"]
    assert not is_running(pid)
    assert group.pids() == []


def test_a_stopped_group_starts_no_new_child() -> None:
    group = processes.ChildGroup()
    group.stop(RuntimeError("the worker is stopping"))
    with processes.scope(group), pytest.raises(RuntimeError, match="the worker is stopping"):
        processes.run(["touch", "/nonexistent-dir/never"])


def test_run_returns_what_subprocess_run_would() -> None:
    done = processes.run(["sh", "-c", "cat; echo err >&2; exit 3"], input="hello", capture_output=True,
                         text=True)
    assert (done.returncode, done.stdout, done.stderr) == (3, "hello", "err\n")
    with pytest.raises(subprocess.CalledProcessError):
        processes.run(["false"], check=True)


def test_run_kills_a_child_that_outlives_its_timeout() -> None:
    with pytest.raises(subprocess.TimeoutExpired):
        processes.run(["sleep", "600"], timeout=0.5)
