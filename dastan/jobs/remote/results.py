"""A remote attempt's end, fenced by its lease token: the same ``_complete_attempt`` and
``_fail_attempt`` a local worker's attempt ends with, and the same handler ``publish``
step, run here on the node with the uploaded files.

Checksums always: each output's upload must be complete, belong to this worker and
attempt, and match the sha256 the worker states. A late result of an attempt that lost
its lease raises StaleAttempt (409) and changes nothing, however far it got. What the
publish step refuses (a chunk with a frame missing) fails the attempt (422), like a
checksum that does not match.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from dastan.errors import DastanError
from dastan.i18n import from_wire
from dastan.jobs.context import JobContext
from dastan.jobs.errors import JobCancelled, LeaseLost
from dastan.jobs.models import ComputeRecord, Job, RemoteWorker
from dastan.jobs.registry import get_handler
from dastan.jobs.remote import ledger, verification
from dastan.jobs.remote import outputs as received
from dastan.jobs.remote.transfer import StaleAttempt, check_current, stored_path
from dastan.jobs.services import _complete_attempt, _fail_attempt
from dastan.jobs.workers import record_attempt


class OutputRejected(DastanError):
    code = "output_rejected"
    status = 422


def _context(job: Job, worker: RemoteWorker, lease: str) -> JobContext:
    return JobContext(job=job, token=uuid.UUID(lease), worker=worker.name)


def _outputs(worker: RemoteWorker, job: Job, lease: str, outputs: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = {}
    receiver = received.receiver()
    for name, info in outputs.items():
        upload = receiver.find(worker=worker, upload_id=str(info.get("upload", "")))
        if upload is None or not upload.complete:
            raise OutputRejected(gettext("Output %(name)s: upload %(upload)s is not a complete upload of this worker.")
                                 % {"name": repr(name), "upload": info.get("upload")},
                                 gettext("Finish the upload (HEAD, then PATCH from its offset) and send the result again."))
        if upload.metadata.get("job") != str(job.pk) or upload.metadata.get("lease") != lease:
            raise OutputRejected(gettext("Output %(name)s was uploaded for another attempt.") % {"name": repr(name)},
                                 gettext("Upload it for this one."))
        if upload.sha256 != info.get("sha256"):
            raise OutputRejected(gettext("Output %(name)s: the node received sha256 %(received)s…, the worker "
                                         "says %(sent)s….") % {"name": repr(name), "received": upload.sha256[:12],
                                                               "sent": str(info.get("sha256"))[:12]},
                                 gettext("Upload the file again."))
        found[name] = {"storage": upload.storage_name, "sha256": upload.sha256, "bytes": upload.length_bytes,
                       "upload": upload.upload_id}
    return found


def accept_result(*, worker: RemoteWorker, job_id: int, lease: str, result: dict[str, Any],
                  outputs: dict[str, Any]) -> ComputeRecord:
    """Publish and complete a remote attempt; record what it is worth and sample it for
    verification. Raises StaleAttempt (409), OutputRejected (422: the attempt fails, and
    is retried on another worker)."""
    job = check_current(worker=worker, job_id=job_id, lease=lease)
    ctx = _context(job, worker, lease)
    try:
        stored = _outputs(worker, job, lease, outputs)
        paths = {name: stored_path(info["storage"]) for name, info in stored.items()}
        result = _publish(ctx, paths, result)
    except (LeaseLost, JobCancelled) as exc:
        raise StaleAttempt(gettext("Job #%(job)s was taken back while its result arrived.") % {"job": job_id},
                           gettext("Drop this attempt.")) from exc
    except DastanError as exc:
        _fail_attempt(ctx, exc, retryable=True)
        if isinstance(exc, OutputRejected):
            raise
        raise OutputRejected(gettext("The node refused job #%(job)s's output: %(reason)s")
                             % {"job": job_id, "reason": exc.message}, exc.hint) from exc
    credit = ledger.measure(job.kind, job.params, paths, result)
    with transaction.atomic():
        record = ComputeRecord.objects.create(
            job=job, attempt=job.attempts, worker=worker, worker_name=worker.name,
            giver_id=worker.organisation_id, receiver_id=job.organisation_id, kind=job.kind, outputs=stored,
            unit=credit.unit, minutes=credit.minutes, busy_s=record_time(job))
        # Sampled output is re-done before anything waiting for this job may use it: the
        # verification joins the waiting jobs' parents before completing releases them.
        sampled = verification.sampled(worker, job.kind)
        if sampled:
            verification.request_verification(record)
        if _complete_attempt(ctx, result) != "succeeded":
            raise StaleAttempt(gettext("Job #%(job)s was taken back while its result arrived.") % {"job": job_id},
                               gettext("Drop this attempt."))
    if not sampled:  # published, and nobody will compare it: the uploaded copies go
        received.receiver().discard(worker=worker, upload_ids=[i["upload"] for i in stored.values()])
    record_attempt(name=worker.name, started_at=job.started_at, succeeded=True)
    return record


def _publish(ctx: JobContext, paths: dict[str, Path], result: dict[str, Any]) -> dict[str, Any]:
    publish = get_handler(ctx.kind).publish
    return publish(ctx, paths, result) if publish is not None else result


def record_time(job: Job) -> float:
    return max(0.0, (timezone.now() - job.started_at).total_seconds()) if job.started_at else 0.0


def accept_failure(*, worker: RemoteWorker, job_id: int, lease: str, error: dict[str, Any]) -> str:
    """End a remote attempt that failed, as a local one would. Raises StaleAttempt."""
    job = check_current(worker=worker, job_id=job_id, lease=lease)
    # The worker's words, said again in each reader's language where it described them
    # with one of this node's own message ids (dastan.i18n.from_wire checks that).
    message = from_wire(error.get("message_i18n"), str(error.get("message", "The worker reported a failure."))[:2000])
    hint = from_wire(error.get("hint_i18n"), str(error.get("hint", ""))[:2000])
    exc = DastanError(message, hint, code=str(error.get("code", "worker_error"))[:60])
    outcome = _fail_attempt(_context(job, worker, lease), exc, retryable=bool(error.get("retryable", True)))
    if outcome == "lost":
        raise StaleAttempt(gettext("Job #%(job)s was taken back while its failure arrived.") % {"job": job_id},
                           gettext("Drop this attempt."))
    record_attempt(name=worker.name, started_at=job.started_at, succeeded=False)
    return outcome
