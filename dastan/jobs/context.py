"""What a running handler sees of its job: params, progress, lease, staging and publish.

While a handler runs, its attempt is the *current* one (a context variable): every
transaction opened with :func:`atomic_under_lease` anywhere below it (a domain function
recording a translation, a new stream version) commits only while that attempt still
holds the lease, and every child process it starts (``dastan.processes``) is killed when
the attempt is cancelled, taken over or its worker stops.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from pathlib import Path
from typing import Any, Self, TypeVar

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import transaction
from django.utils import timezone

from dastan import processes
from dastan.i18n import gettext
from dastan.jobs.errors import JobCancelled, LeaseLost
from dastan.jobs.models import Job, JobEvent, JobState

T = TypeVar("T")
log = logging.getLogger(__name__)


class JobContext:
    """One attempt at one job. Every write is conditional on this attempt's lease token."""

    def __init__(self, *, job: Job, token: uuid.UUID, worker: str) -> None:
        self.job_id: int = job.pk
        self.kind = job.kind
        self.params: dict[str, Any] = dict(job.params)
        self.attempt: int = job.attempts
        self.token = token
        self.worker = worker
        self.started_at = job.started_at
        self._target_type_id = job.target_type_id
        self._target_id = job.target_id
        self._last_write = 0.0
        self._last_percent = -1
        # The attempt's child processes; stopped with the reason the attempt must end.
        self.children = processes.ChildGroup()
        # Files a remote-capable handler made, by name; its publish step moves them in.
        self.outputs: dict[str, Path] = {}

    # -- files of a remote-capable handler -------------------------------------------------
    def input_source(self, name: str) -> str:
        """What ffmpeg reads ``params[name]`` from when it needs only part of it (a chunk of
        a film): here the local path; a remote worker reads a large input by ranges through
        a loopback URL instead (:mod:`dastan.jobs.remote.input_proxy`)."""
        return str(self.input_path(name))

    def input_path(self, name: str) -> Path:
        """The local path of the stored file that ``params[name]`` names (media storage).
        A remote worker's context downloads it through a signed link instead."""
        stored = str(self.params[name])
        if isinstance(default_storage, FileSystemStorage):
            return Path(default_storage.path(stored))
        local = self.staging_dir() / "inputs" / Path(stored).name
        local.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(stored, "rb") as src, local.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1024 * 1024)
        return local

    def add_output(self, name: str, path: Path) -> None:
        """Name a file this attempt made; it is published (or uploaded, remotely) at the end."""
        self.outputs[name] = path

    # -- reading ---------------------------------------------------------------------------
    def target(self) -> Any:
        job = Job.objects.select_related("target_type").get(pk=self.job_id)
        if job.target_type is None:
            return None
        return job.target_type.get_object_for_this_type(pk=self._target_id)

    # -- lease -----------------------------------------------------------------------------
    def _lease_expiry(self) -> Any:
        return timezone.now() + timedelta(seconds=settings.DASTAN_JOB_LEASE_S)

    def _write(self, **fields: Any) -> None:
        now = timezone.now()
        updated = Job.objects.filter(
            pk=self.job_id, lease_token=self.token, state=JobState.RUNNING
        ).update(heartbeat_at=now, lease_expires_at=self._lease_expiry(), **fields)
        if updated == 0:
            self._raise_lost()

    def _raise_lost(self) -> None:
        state = Job.objects.filter(pk=self.job_id).values_list("state", flat=True).first()
        if state == JobState.CANCELLED:
            raise JobCancelled(gettext("Job #%(job)s was cancelled.") % {"job": self.job_id},
                               gettext("Nothing was published."))
        raise LeaseLost(
            # Translators: a lease is a worker's time-limited claim on a job; a heartbeat renews it.
            gettext("Job #%(job)s attempt %(attempt)s on %(worker)s lost its lease "
                    "(it was taken over after missed heartbeats).")
            % {"job": self.job_id, "attempt": self.attempt, "worker": self.worker},
            gettext("Nothing from this attempt is published; the current attempt carries on."),
        )

    def hold_lease(self) -> None:
        """Inside a transaction: renew the lease, which also locks the job row until the
        transaction ends, so a cancel or a takeover waits for this commit or comes first
        and makes it fail. Raises LeaseLost or JobCancelled if the attempt lost the job."""
        updated = Job.objects.filter(
            pk=self.job_id, lease_token=self.token, state=JobState.RUNNING
        ).update(heartbeat_at=timezone.now(), lease_expires_at=self._lease_expiry())
        if updated == 0:
            self._raise_lost()

    def heartbeat(self) -> None:
        """Renew the lease; raises LeaseLost if another attempt owns the job now."""
        self._write()

    def progress(self, percent: float, message: str = "") -> None:
        """Report progress (0–100) with a message for a person; renews the lease.

        Writes at most twice a second unless the whole percent changed, so a chatty
        ffmpeg progress stream does not hammer the database.
        """
        self.children.check()  # stopped (cancelled, taken over, worker stopping): end here
        pct = max(0, min(100, int(percent)))
        now = time.monotonic()
        if pct == self._last_percent and now - self._last_write < 0.5:
            return
        self._last_write, self._last_percent = now, pct
        self._write(progress=pct, message=message[:300])

    def log_event(self, kind: str, message: str) -> None:
        """Add a line to the job's log (what the attempt did that a person may look for:
        files it deleted, a fallback it took), with this attempt and worker."""
        JobEvent.objects.create(job_id=self.job_id, kind=kind[:30], message=message, attempt=self.attempt,
                                worker=self.worker)

    # -- output ----------------------------------------------------------------------------
    def _staging_path(self) -> Path:
        return Path(settings.DASTAN_HOME) / "work" / f"job-{self.job_id}-{self.token.hex[:12]}"

    def staging_dir(self) -> Path:
        """A private folder for this attempt; a retry gets a fresh one."""
        path = self._staging_path()
        path.mkdir(parents=True, exist_ok=True)
        return path

    def clean_staging(self) -> None:
        shutil.rmtree(self._staging_path(), ignore_errors=True)

    def clean_earlier_staging(self) -> None:
        """Remove what earlier attempts of this job left on this machine (a killed worker
        cannot clean up after itself); they lost their lease, so nothing reads it."""
        mine = self._staging_path()
        for path in mine.parent.glob(f"job-{self.job_id}-*"):
            if path != mine:
                shutil.rmtree(path, ignore_errors=True)

    def publish(self, move_in: Callable[[], T]) -> T:
        """Run ``move_in`` (the step that makes output visible) only while this attempt
        still holds the lease, inside one transaction with the job row locked, so two
        attempts can never both publish."""
        with transaction.atomic():
            self.hold_lease()
            return move_in()


_current: ContextVar[JobContext | None] = ContextVar("dastan_job_attempt", default=None)


def current_attempt() -> JobContext | None:
    """The job attempt this code runs in, or None (a web request, the CLI, a test)."""
    return _current.get()


@contextmanager
def attempt_scope(ctx: JobContext) -> Iterator[JobContext]:
    """Make ``ctx`` the current attempt and record the child processes it starts."""
    token = _current.set(ctx)
    try:
        with processes.scope(ctx.children):
            yield ctx
    finally:
        _current.reset(token)


@contextmanager
def atomic_under_lease() -> Iterator[None]:
    """``transaction.atomic()`` that, inside a job attempt, first checks and holds the
    attempt's lease: a cancelled attempt, or one another worker took over, raises
    JobCancelled or LeaseLost and commits nothing. Outside a job it is a plain
    transaction. Domain functions wrap the write that records a long step's result in it,
    so no handler can forget the check, however deep the call."""
    with transaction.atomic():
        ctx = _current.get()
        if ctx is not None:
            ctx.hold_lease()
        yield


class Heartbeat:
    """Renews a lease from a background thread while a handler runs a long step. When the
    block ends the thread has stopped, unless a beat has been stuck on the database for
    over 10 s: that one ends without beating again."""

    def __init__(self, ctx: JobContext, every_s: float | None = None) -> None:
        self.ctx = ctx
        self.every_s = every_s or float(settings.DASTAN_JOB_HEARTBEAT_S)
        self.started = False
        self._stop = threading.Event()
        # Held while a beat is written: leaving waits for a beat in flight, and no beat
        # starts after the handler has finished (it would find the job done, and write
        # after the handler's caller may have closed the database).
        self._beating = threading.Lock()
        self.lost = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{ctx.job_id}", daemon=True)

    def _run(self) -> None:
        # This thread has a database connection of its own (Django's are per thread);
        # it closes that one, never the handler's.
        from django.db import DatabaseError, connection

        try:
            while not self._stop.wait(self.every_s):
                with self._beating:
                    if self._stop.is_set():
                        return
                    try:
                        self.ctx.heartbeat()
                    except (LeaseLost, JobCancelled) as exc:
                        # Stop the handler's ffmpeg (or espeak, apertium...) now rather than
                        # when it next reports: a cancelled encode frees its CPU at once.
                        self.lost.set()
                        self.ctx.children.stop(exc)
                        return
                    except DatabaseError as exc:
                        # A database restart must not silence the heartbeat for good: the lease
                        # outlives a few missed beats, so log and beat again next time.
                        log.warning("job #%s: heartbeat failed (%s); retrying in %.0f s",
                                    self.ctx.job_id, exc, self.every_s)
                        connection.close()
        finally:
            connection.close()

    def __enter__(self) -> Self:
        # An attempt run inside its caller's transaction (a test's, or any caller that wraps
        # the run in one) has a claim that is not committed: no other connection sees the
        # job, so nobody can take it over and there is no lease to renew. A beat from this
        # thread's own connection could only wait on the caller's lock (SQLite, until its
        # busy timeout, past the end of the attempt) or find no row and stop the handler as
        # if its lease were lost (PostgreSQL).
        if transaction.get_connection().in_atomic_block:
            return self
        self._thread.start()
        self.started = True
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.started:
            return
        # Wait for a beat in flight, but not forever: one blocked on a lock the caller
        # holds would never end.
        waited = self._beating.acquire(timeout=5)
        self._stop.set()
        if waited:
            self._beating.release()
        self._thread.join(timeout=5)
