"""Bytes between the node and a remote worker.

Inputs: each assignment carries, per input, a link signed by the node
(``django.core.signing``, salt of its own) that names the job, the attempt's lease
token and the stored file, and expires after ``DASTAN_REMOTE_INPUT_TTL_S``. The request
for it must also be signed by the worker holding that attempt. Answers honour one
``Range: bytes=a-b`` (206), so a worker resumes an interrupted download.

Outputs: a resumable upload (tus 1.0) through the node's own upload domain, opened and
filled with signed requests: the media app's doors (``dastan.media.worker_uploads``),
reached from here only through ``outputs.receiver()``. The upload names the job and
lease; once that attempt is no longer current, creating or appending answers 409
(:func:`check_upload_allowed`).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.translation import gettext

from dastan.errors import DastanError, NotFound
from dastan.jobs.models import Job, JobState, RemoteWorker

SALT = "dastan.jobs.remote.input"
MAX_CHUNK_BYTES = 64 * 1024 * 1024
_RANGE = re.compile(r"bytes=(\d+)-(\d*)$")


class StaleAttempt(DastanError):
    """A request for an attempt that no longer holds its job's lease (409)."""

    code = "stale_attempt"
    status = 409


def check_current(*, worker: RemoteWorker, job_id: int, lease: str) -> Job:
    """The job, if ``worker``'s attempt with ``lease`` still holds it; else StaleAttempt."""
    try:
        token = uuid.UUID(str(lease))
    except ValueError:
        token = None
    job = Job.objects.filter(pk=job_id, lease_token=token, state=JobState.RUNNING,
                             worker=worker.name).first() if token else None
    if job is None:
        raise StaleAttempt(
            gettext("Job #%(job)s's attempt with lease %(lease)s… is no longer current on %(worker)s.")
            % {"job": job_id, "lease": str(lease)[:8], "worker": worker.name},
            gettext("Stop this attempt and drop its output: the job was taken back (silence, cancel, "
                    "quarantine) and another attempt carries it now. Nothing was changed."))
    return job


def input_link(*, job_id: int, lease: str, stored_name: str) -> str:
    token = signing.dumps({"j": job_id, "l": lease, "n": stored_name}, salt=SALT, compress=True)
    return reverse("jobs:remote-input", kwargs={"token": token})


def open_input(*, worker: RemoteWorker, token: str) -> tuple[Job, str]:
    """The job and stored name a link opens. Raises NotFound (bad or expired link) or
    StaleAttempt."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.DASTAN_REMOTE_INPUT_TTL_S)
    except signing.SignatureExpired as exc:
        raise NotFound(gettext("This input link expired."),
                       gettext("Ask the node for the job again; links live %(seconds)s s.")
                       % {"seconds": settings.DASTAN_REMOTE_INPUT_TTL_S}) from exc
    except signing.BadSignature as exc:
        raise NotFound(gettext("This input link is not one the node signed."),
                       gettext("Use the link of the assignment.")) from exc
    job = check_current(worker=worker, job_id=int(data["j"]), lease=str(data["l"]))
    return job, str(data["n"])


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) of a single ``bytes=a-b`` range within ``size``, or None for the whole."""
    match = _RANGE.match(header.strip())
    if not match:
        return None
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) else size - 1
    if first >= size or last < first:
        raise DastanError(gettext("The range %(range)s is outside the file (%(size)s bytes).")
                          % {"range": repr(header), "size": size},
                          gettext("Ask for a range inside the file."), code="range_not_satisfiable", status=416)
    return first, min(last, size - 1)


def read_range(name: str, first: int, last: int) -> Iterator[bytes]:
    with default_storage.open(name, "rb") as fh:
        fh.seek(first)
        left = last - first + 1
        while left > 0:
            data = fh.read(min(1024 * 1024, left))
            if not data:
                return
            left -= len(data)
            yield data


def stored_path(storage_name: str) -> Path:
    """A local path of a stored upload (local storage; S3 downloads it under DASTAN_HOME)."""
    try:
        return Path(default_storage.path(storage_name))
    except NotImplementedError:
        local = Path(settings.DASTAN_HOME) / "work" / "remote-outputs" / storage_name.replace("/", "_")
        local.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(storage_name, "rb") as src, local.open("wb") as dst:
            dst.write(src.read())
        return local


def upload_metadata_for(metadata: dict[str, str]) -> tuple[int, str]:
    try:
        return int(metadata["job"]), metadata["lease"]
    except (KeyError, ValueError) as exc:
        raise DastanError(gettext("A worker's upload names its job and lease in Upload-Metadata."),
                          gettext("Send 'job <base64 id>,lease <base64 token>,name <base64 output name>'."),
                          code="bad_header", status=400) from exc


def check_upload_allowed(*, worker: RemoteWorker, metadata: dict[str, Any]) -> Job:
    job_id, lease = upload_metadata_for(metadata)
    return check_current(worker=worker, job_id=job_id, lease=lease)
