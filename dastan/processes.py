"""The one way Dastan starts a child process (ffmpeg, espeak-ng, apertium, festival, …).

Guarantees:
- On Linux a child dies with the process that started it, even when that process is
  killed with SIGKILL and can run no cleanup: the child asks the kernel for SIGKILL on its
  parent's death (``PR_SET_PDEATHSIG``) before it executes the tool. Without this, a
  killed worker left its ffmpeg encoding for minutes, holding CPU and writing into a
  staging folder nobody would read.
- Each child leads a process group of its own, so stopping it also stops what it started
  (``apertium`` is a shell pipeline of several programs).
- Inside a :class:`ChildGroup` scope (a job attempt sets one), every child is recorded, and
  :meth:`ChildGroup.stop` kills them all at once: cancelling a job or a worker shutting
  down stops its ffmpeg within a heartbeat, not when the encode ends. A call that returns
  after its group was stopped raises the group's reason instead of the tool's failure.

``PR_SET_PDEATHSIG`` follows the *thread* that started the child: a child started from a
thread that then exits is killed too. :func:`run` and :func:`started` wait for their child
in the thread that started it, so this never cuts a child short.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from typing import Any

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>

_libc: Any = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


class ChildGroup:
    """The children started under one scope (one job attempt), and the reason they were
    stopped, if they were."""

    def __init__(self) -> None:
        self._procs: set[subprocess.Popen[Any]] = set()
        # Reentrant: stop() may run in a signal handler on a thread that holds the lock.
        self._lock = threading.RLock()
        self.reason: BaseException | None = None

    def add(self, proc: subprocess.Popen[Any]) -> None:
        with self._lock:
            self._procs.add(proc)
            stopped = self.reason is not None
        if stopped:  # stopped between the check in started() and the fork
            _kill_group(proc)

    def discard(self, proc: subprocess.Popen[Any]) -> None:
        with self._lock:
            self._procs.discard(proc)

    def pids(self) -> list[int]:
        with self._lock:
            return [p.pid for p in self._procs]

    def stop(self, reason: BaseException) -> None:
        """Kill every child of the group (and their own children) and remember why; later
        calls under this group raise ``reason`` instead of starting anything."""
        with self._lock:
            if self.reason is None:
                self.reason = reason
            procs = list(self._procs)
        for proc in procs:
            _kill_group(proc)

    def check(self) -> None:
        """Raise the reason the group was stopped, if it was."""
        if self.reason is not None:
            raise self.reason


_current: ContextVar[ChildGroup | None] = ContextVar("dastan_child_group", default=None)


@contextlib.contextmanager
def scope(group: ChildGroup) -> Iterator[ChildGroup]:
    """Record every child started in this thread (and context) in ``group``."""
    token = _current.set(group)
    try:
        yield group
    finally:
        _current.reset(token)


def current_group() -> ChildGroup | None:
    return _current.get()


def _die_with_parent(parent_pid: int) -> Callable[[], None]:
    prctl = _libc.prctl if _libc is not None else None  # looked up before fork, not in the child

    def in_child() -> None:
        if prctl is not None and prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) != 0:
            os._exit(126)
        # The parent may have died between fork and prctl; then no signal would come.
        if os.getppid() != parent_pid:
            os._exit(126)

    return in_child


def _kill_group(proc: subprocess.Popen[Any]) -> None:
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


@contextlib.contextmanager
def started(args: Sequence[str], **popen_kwargs: Any) -> Iterator[subprocess.Popen[Any]]:
    """Start ``args`` (an argument list, never a shell string) like ``subprocess.Popen``,
    dying with this process and recorded in the current group. On leaving the block the
    child is killed if it still runs; if the group was stopped meanwhile, its reason is
    raised."""
    group = _current.get()
    if group is not None:
        group.check()
    popen_kwargs.setdefault("process_group", 0)
    # preexec_fn is unsafe only if it takes a lock another thread held at fork; this one
    # makes two system calls through a function pointer resolved before the fork.
    proc: subprocess.Popen[Any] = subprocess.Popen(
        list(args), preexec_fn=_die_with_parent(os.getpid()), **popen_kwargs)  # noqa: PLW1509
    if group is not None:
        group.add(proc)
    try:
        with proc:
            try:
                yield proc
            finally:
                _kill_group(proc)
    finally:
        if group is not None:
            group.discard(proc)
    if group is not None:
        group.check()


def run(args: Sequence[str], *, input: Any = None, capture_output: bool = False,
        timeout: float | None = None, check: bool = False, **popen_kwargs: Any
        ) -> subprocess.CompletedProcess[Any]:
    """``subprocess.run`` through :func:`started`: the same arguments and result, and
    ``subprocess.TimeoutExpired`` after killing the child when ``timeout`` passes."""
    if input is not None:
        popen_kwargs["stdin"] = subprocess.PIPE
    if capture_output:
        popen_kwargs["stdout"] = popen_kwargs["stderr"] = subprocess.PIPE
    with started(args, **popen_kwargs) as proc:
        try:
            stdout, stderr = proc.communicate(input, timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            proc.communicate()
            raise
        code = proc.poll()
    assert code is not None
    if check and code:
        raise subprocess.CalledProcessError(code, list(args), output=stdout, stderr=stderr)
    return subprocess.CompletedProcess(list(args), code, stdout, stderr)
