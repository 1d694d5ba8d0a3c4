"""Trust, but verify: a sample of a remote worker's output is re-done on a trusted worker
(a local worker, which has the ``trusted`` capability) and compared by the job kind's
verifier; a worker caught with bad output is quarantined, its unverified work voided and
queued again, and the operators are told (a notice in its audit trail).

Sampling: every result of a worker until it has ``DASTAN_REMOTE_VERIFY_FIRST`` passed,
then a ``DASTAN_REMOTE_VERIFY_SHARE`` of them at random. Kinds with no verifier are
checked by checksums only.

A verifier per kind (``register_verifier``) compares the trusted outputs with the
worker's: byte equality for deterministic outputs, PSNR/SSIM within a threshold for
encodes (``dastan.media.verify`` registers the transcode chunks'). One signature for
all: ``verifier(*, ctx, trusted, claimed) -> Verdict``, where ``ctx`` is the trusted
re-do's context (its params, ``ctx.input_path(...)`` for the inputs, ``ctx.staging_dir()``
for scratch space), ``trusted`` the re-do's outputs and ``claimed`` the worker's, both
by output name.

Jobs that wait for a sampled job also wait for its verification, so a chunk caught
with bad output is redone before the film is joined from it. Once judged, the worker's
uploaded copies are deleted.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from dastan.errors import DastanError
from dastan.jobs.context import JobContext, atomic_under_lease
from dastan.jobs.models import ComputeRecord, Job, JobEvent, JobState, RemoteWorker
from dastan.jobs.registry import get_handler, job_handler
from dastan.jobs.remote.enrolment import audit
from dastan.jobs.remote.outputs import receiver
from dastan.jobs.remote.transfer import stored_path
from dastan.jobs.services import dispatch, submit_job


@dataclass(frozen=True, slots=True)
class Verdict:
    ok: bool
    detail: str
    score: float | None = None


class Verifier(Protocol):
    def __call__(self, *, ctx: JobContext, trusted: dict[str, Path], claimed: dict[str, Path]) -> Verdict: ...


_VERIFIERS: dict[str, Verifier] = {}


def register_verifier(kind: str, verifier: Verifier) -> None:
    _VERIFIERS[kind] = verifier


def verifier_for(kind: str) -> Verifier | None:
    return _VERIFIERS.get(kind)


def bytes_equal(*, ctx: JobContext, trusted: dict[str, Path], claimed: dict[str, Path]) -> Verdict:
    """For deterministic outputs: every named output byte for byte the same."""
    if set(trusted) != set(claimed):
        return Verdict(False, f"outputs differ: trusted {sorted(trusted)}, worker {sorted(claimed)}")
    for name in sorted(trusted):
        if trusted[name].read_bytes() != claimed[name].read_bytes():
            return Verdict(False, f"output {name!r} differs from the trusted worker's")
    return Verdict(True, "every output identical")


def should_sample(worker: RemoteWorker) -> bool:
    if worker.good_results < settings.DASTAN_REMOTE_VERIFY_FIRST:
        return True
    return random.random() < settings.DASTAN_REMOTE_VERIFY_SHARE


def request_verification(record: ComputeRecord) -> Job:
    """Queue the re-do of ``record``'s job on a trusted worker; the jobs waiting for
    ``record``'s job wait for the re-do too. Call it before that job completes (which
    releases them), in the same transaction."""
    job = submit_job(kind="jobs.verify", params={"record": record.pk}, needs=["trusted"],
                     organisation=record.job.organisation, priority=record.job.priority + 1)
    ComputeRecord.objects.filter(pk=record.pk).update(verification=ComputeRecord.Verification.PENDING,
                                                      verify_job=job)
    for child in Job.objects.filter(parents=record.job, state=JobState.WAITING):
        child.parents.add(job)
        JobEvent.objects.create(job=child, kind="waiting", message=(
            f"also waits for job #{job.pk}: {record.worker_name}'s output of job #{record.job_id} "
            "is re-done on a trusted worker first"))
    return job


@job_handler("jobs.verify", needs=("trusted",), max_attempts=3)
def verify_record(ctx: JobContext) -> dict[str, Any]:
    """Re-do a remote attempt's job here (a trusted worker) without publishing, and judge
    the worker's output with the kind's verifier."""
    record = ComputeRecord.objects.select_related("job", "worker").get(pk=ctx.params["record"])
    if record.verification != ComputeRecord.Verification.PENDING:
        # Voided meanwhile (its worker was quarantined for another result): redone anyway.
        _discard_uploads(record)
        return {"record": record.pk, "skipped": f"the record is {record.verification}"}
    verifier = verifier_for(record.kind)
    if verifier is None:
        raise DastanError(f"No verifier for jobs of kind {record.kind}.", "Register one with register_verifier.")
    original = record.job
    shadow_job = Job(pk=ctx.job_id, kind=record.kind, params=original.params, attempts=ctx.attempt,
                     started_at=ctx.started_at)
    shadow = JobContext(job=shadow_job, token=ctx.token, worker=ctx.worker)
    shadow.children = ctx.children
    started = time.monotonic()
    get_handler(record.kind).func(shadow)  # writes into this attempt's staging, publishes nothing
    claimed = {name: stored_path(info["storage"]) for name, info in record.outputs.items()}
    verdict = verifier(ctx=shadow, trusted=dict(shadow.outputs), claimed=claimed)
    spent_s = time.monotonic() - started
    with atomic_under_lease():
        judge(record=record, verdict=verdict, spent_s=spent_s)
    _discard_uploads(record)  # judged: the worker's uploaded copies are not needed any more
    return {"record": record.pk, "ok": verdict.ok, "detail": verdict.detail}


def _discard_uploads(record: ComputeRecord) -> None:
    if record.worker is not None:
        receiver().discard(worker=record.worker, upload_ids=[str(i["upload"]) for i in record.outputs.values()
                                                             if i.get("upload")])


def _discard_all(records: list[ComputeRecord]) -> None:
    for record in records:
        _discard_uploads(record)


def judge(*, record: ComputeRecord, verdict: Verdict, spent_s: float) -> None:
    state = ComputeRecord.Verification.PASSED if verdict.ok else ComputeRecord.Verification.FAILED
    judged = ComputeRecord.objects.filter(pk=record.pk, verification=ComputeRecord.Verification.PENDING).update(
        verification=state, verify_detail=verdict.detail[:2000], verify_s=spent_s)
    if not judged or record.worker is None:
        # Voided while this re-do ran (its worker was quarantined for another result, and
        # the job is being redone): the verdict changes nothing.
        return
    if verdict.ok:
        RemoteWorker.objects.filter(pk=record.worker.pk).update(good_results=models.F("good_results") + 1)
        return
    quarantine(worker=record.worker, reason=f"job #{record.job_id} ({record.kind}): {verdict.detail}")


def quarantine(*, worker: RemoteWorker, reason: str) -> list[int]:
    """Stop giving ``worker`` work, void what it did that was not verified and queue those
    jobs again without it, and tell the operators. Returns the ids of the jobs redone."""
    with transaction.atomic():
        RemoteWorker.objects.filter(pk=worker.pk).update(state=RemoteWorker.State.QUARANTINED)
        unverified = ComputeRecord.objects.filter(worker=worker).exclude(
            verification__in=(ComputeRecord.Verification.PASSED, ComputeRecord.Verification.VOIDED))
        job_ids = sorted(set(unverified.values_list("job_id", flat=True)))
        voided = list(unverified.exclude(verification=ComputeRecord.Verification.FAILED).select_related("worker"))
        ComputeRecord.objects.filter(pk__in=[r.pk for r in voided]).update(
            verification=ComputeRecord.Verification.VOIDED)
        # Their uploaded copies are not needed any more: the jobs are done again elsewhere.
        transaction.on_commit(lambda: _discard_all(voided))
        for job_id in job_ids:
            redo_job(job_id=job_id, without=worker.name, why=f"{worker.name} was quarantined")
        audit(worker, "quarantined", f"{reason}. Unverified work redone: "
              f"{', '.join(f'#{i}' for i in job_ids) or 'none'}.", notify=True)
    return job_ids


def redo_job(*, job_id: int, without: str, why: str) -> None:
    """Queue a finished (or running) job again, keeping ``without`` off it."""
    job = Job.objects.select_for_update().get(pk=job_id)
    job.state, job.queued_at, job.message = JobState.QUEUED, timezone.now(), f"redone: {why}"[:300]
    job.lease_token = job.lease_expires_at = job.finished_at = None
    job.attempts = 0
    job.failed_on_workers = sorted(set(job.failed_on_workers) | {without})
    job.save()
    JobEvent.objects.create(job_id=job_id, kind="redone", message=why, worker=without)
    dispatch(job)


def sampled(worker: RemoteWorker, kind: str) -> bool:
    return verifier_for(kind) is not None and should_sample(worker)
