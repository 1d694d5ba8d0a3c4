"""Rows for jobs tests: jobs and their log, workers (local and remote, with real keys),
enrolment tokens, sharing agreements and the compute ledger. A job belongs to a real
organisation and was submitted by one of its editors; a remote worker belongs to a real
organisation too (pass ``organisation=None`` for the node's own).

Rows only: a job made here is not sent to any broker. A test of what submitting does
calls :func:`dastan.jobs.services.submit_job`; one of enrolling calls
:mod:`dastan.jobs.remote.enrolment`.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

import factory
from django.utils import timezone

from dastan.accounts.models import Membership
from dastan.catalog.tests.factories import OrganisationFactory, UserFactory, member_of
from dastan.jobs.models import (
    ComputeRecord,
    EnrolmentToken,
    Job,
    JobEvent,
    JobState,
    RemoteWorker,
    ServeMark,
    SharingAgreement,
    WorkerAudit,
    WorkerNode,
)
from dastan.jobs.remote.client import key_id_for
from dastan.signing import keys

__all__ = [
    "ComputeRecordFactory",
    "EnrolmentTokenFactory",
    "JobEventFactory",
    "JobFactory",
    "RemoteWorkerFactory",
    "ServeMarkFactory",
    "SharingAgreementFactory",
    "WorkerAuditFactory",
    "WorkerNodeFactory",
]


class JobFactory(factory.django.DjangoModelFactory[Job]):
    """A queued job of the test suite's own kinds (dastan_testing/job_handlers.py)."""

    class Meta:
        model = Job

    kind = "test.transcode"
    organisation = factory.SubFactory(OrganisationFactory)
    created_by = factory.LazyAttribute(
        lambda o: member_of(o.organisation, role=Membership.Role.EDITOR) if o.organisation else None)
    state = JobState.QUEUED
    queued_at = factory.LazyFunction(timezone.now)


class JobEventFactory(factory.django.DjangoModelFactory[JobEvent]):
    class Meta:
        model = JobEvent

    job = factory.SubFactory(JobFactory)
    kind = "queued"
    message = "queued"


class WorkerNodeFactory(factory.django.DjangoModelFactory[WorkerNode]):
    """A local worker as it reports itself, seen just now."""

    class Meta:
        model = WorkerNode

    name = factory.Sequence(lambda n: f"worker-{n}")
    host = "localhost"
    capabilities = factory.LazyFunction(lambda: ["transcode"])
    started_at = factory.LazyFunction(timezone.now)
    last_seen_at = factory.SelfAttribute("started_at")


def _worker_key() -> keys.PublicKey:
    public = keys.generate("factory").public()
    return keys.PublicKey(key_id_for(public.pem), public.algorithm, public.pem)


class RemoteWorkerFactory(factory.django.DjangoModelFactory[RemoteWorker]):
    """An enrolled partner's machine, with a real Ed25519 public key (its private half is
    not kept: a test that signs requests as a worker enrols one)."""

    class Meta:
        model = RemoteWorker
        exclude = ("key",)

    key = factory.LazyFunction(_worker_key)
    name = factory.Sequence(lambda n: f"farm-{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    key_id = factory.LazyAttribute(lambda o: o.key.key_id)
    public_key_pem = factory.LazyAttribute(lambda o: o.key.pem)
    algorithm = factory.LazyAttribute(lambda o: o.key.algorithm.value)
    capabilities = factory.LazyFunction(lambda: ["transcode"])
    upload_user = factory.SubFactory(UserFactory, username=factory.Sequence(lambda n: f"compute-{n}"))
    last_heartbeat_at = factory.LazyFunction(timezone.now)


class EnrolmentTokenFactory(factory.django.DjangoModelFactory[EnrolmentToken]):
    """An unused token an administrator of the organisation made; only its hash is kept,
    as :func:`~dastan.jobs.remote.enrolment.make_enrolment_token` keeps it."""

    class Meta:
        model = EnrolmentToken
        exclude = ("raw",)

    raw = factory.Sequence(lambda n: f"dst_enrol_test-{n:06d}")
    token_sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.raw.encode()).hexdigest())
    organisation = factory.SubFactory(OrganisationFactory)
    created_by = factory.LazyAttribute(lambda o: member_of(o.organisation, role=Membership.Role.ADMIN))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=1))


class WorkerAuditFactory(factory.django.DjangoModelFactory[WorkerAudit]):
    class Meta:
        model = WorkerAudit

    worker = factory.SubFactory(RemoteWorkerFactory)
    worker_name = factory.SelfAttribute("worker.name")
    organisation = factory.SelfAttribute("worker.organisation")
    action = "enrolled"
    detail = "capabilities: transcode"


class SharingAgreementFactory(factory.django.DjangoModelFactory[SharingAgreement]):
    """``lender``'s workers also serve ``borrower``'s jobs, without a cap."""

    class Meta:
        model = SharingAgreement

    lender = factory.SubFactory(OrganisationFactory)
    borrower = factory.SubFactory(OrganisationFactory)


class ComputeRecordFactory(factory.django.DjangoModelFactory[ComputeRecord]):
    """An accepted remote attempt: the worker's organisation gave, the job's received."""

    class Meta:
        model = ComputeRecord

    job = factory.SubFactory(JobFactory, state=JobState.SUCCEEDED)
    attempt = 1
    worker = factory.SubFactory(RemoteWorkerFactory)
    worker_name = factory.SelfAttribute("worker.name")
    giver = factory.SelfAttribute("worker.organisation")
    receiver = factory.SelfAttribute("job.organisation")
    kind = factory.SelfAttribute("job.kind")
    outputs = factory.LazyAttribute(lambda o: {"out": {"storage": f"compute/job-{o.job.pk}/out.bin",
                                                       "sha256": f"{o.job.pk:064x}", "bytes": 1024}})
    unit = "encoded"
    minutes = 1.0


class ServeMarkFactory(factory.django.DjangoModelFactory[ServeMark]):
    class Meta:
        model = ServeMark

    organisation = factory.SubFactory(OrganisationFactory)
    last_served_at = factory.LazyFunction(timezone.now)

