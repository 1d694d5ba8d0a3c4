"""The node's side of remote workers, in process: enrolment, capabilities, pools and fair
share, fencing, verification and the ledger. The HTTP path with real processes is in
test_remote_workers.py."""

from __future__ import annotations

import shutil
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation

from dastan.accounts.models import Membership
from dastan.accounts.permissions import NotAllowed, NotFoundForUser
from dastan.accounts.tests.factories import MembershipFactory, OrganisationFactory
from dastan.catalog.models import Organisation
from dastan.errors import InvalidInput
from dastan.i18n import describe, gettext, in_english, render_in
from dastan.jobs.capabilities import Capabilities, detect, narrow
from dastan.jobs.models import ComputeRecord, Job, JobState, RemoteWorker, WorkerAudit
from dastan.jobs.remote import enrolment, ledger, scheduling, sharing, verification
from dastan.jobs.remote.client import key_id_for
from dastan.jobs.remote.enrolment import EnrolmentRefused
from dastan.jobs.remote.results import accept_failure
from dastan.jobs.remote.transfer import StaleAttempt
from dastan.jobs.services import submit_job
from dastan.jobs.tests.factories import ComputeRecordFactory
from dastan.signing import keys

pytestmark = pytest.mark.django_db


def org(slug: str) -> Organisation:
    return OrganisationFactory.create(name=slug.title(), slug=slug)


def worker(name: str, organisation: Organisation | None, caps: tuple[str, ...] = ("transcode",)) -> RemoteWorker:
    key = keys.generate("x").public()
    public = keys.PublicKey(key_id_for(key.pem), key.algorithm, key.pem)
    token = enrolment.make_enrolment_token(user=None, organisation=organisation, ttl_s=600)
    return enrolment.enrol_worker(token=token, name=name, public=public, capabilities=list(caps), facts={})


def digest_job(organisation: Organisation | None, *, kind: str = "test.remote_digest", priority: int = 0) -> Job:
    return submit_job(kind=kind, params={"source": "compute/in.bin", "final_dir": "/nonexistent"},
                      organisation=organisation, priority=priority)


def assigned(w: RemoteWorker, slots: int = 1) -> list[int]:
    return [a.job_id for a in scheduling.schedule(worker=w, running=[], free_slots=slots).assign]


def test_capabilities_can_only_narrow_what_the_machine_has() -> None:
    found = Capabilities(names=("mix", "transcode"), cores=2, memory_mb=1024)
    assert narrow(found, "transcode") == ["transcode"]
    assert narrow(found, None) == ["mix", "transcode"]
    with pytest.raises(InvalidInput, match="cannot do gpu"):
        narrow(found, "transcode,gpu")


def test_detection_finds_ffmpeg_encoders_and_claims_no_gpu_without_one() -> None:
    found = detect()
    assert "transcode" in found.names and "libx264" in found.encoders
    if shutil.which("nvidia-smi") is None and found.cuda_devices == 0:
        assert "gpu" not in found.names


def test_an_enrolment_token_is_used_once_and_expires() -> None:
    farm = org("farm")
    token = enrolment.make_enrolment_token(user=None, organisation=farm, ttl_s=600)
    key = keys.generate("x").public()
    public = keys.PublicKey(key_id_for(key.pem), key.algorithm, key.pem)
    enrolled = enrolment.enrol_worker(token=token, name="w1", public=public, capabilities=[], facts={})
    assert enrolled.organisation == farm
    other = keys.generate("y").public()
    with pytest.raises(EnrolmentRefused, match="already used"):
        enrolment.enrol_worker(token=token, name="w2", public=keys.PublicKey(key_id_for(other.pem), other.algorithm,
                                                                             other.pem), capabilities=[], facts={})
    late = enrolment.make_enrolment_token(user=None, organisation=farm, ttl_s=600)
    from dastan.jobs.models import EnrolmentToken

    EnrolmentToken.objects.filter(used_at__isnull=True).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(EnrolmentRefused, match="expired"):
        enrolment.enrol_worker(token=late, name="w3", public=keys.PublicKey(key_id_for(other.pem), other.algorithm,
                                                                           other.pem), capabilities=[], facts={})
    with pytest.raises(InvalidInput, match="between 60 s and 7 days"):
        enrolment.make_enrolment_token(user=None, organisation=farm, ttl_s=10)


def test_only_the_owning_organisations_admins_and_operators_manage_a_worker() -> None:
    farm, other = org("farm"), org("other")
    w = worker("w1", farm)
    admin = MembershipFactory.create(organisation=farm, role=Membership.Role.ADMIN).user
    stranger = MembershipFactory.create(organisation=other, role=Membership.Role.ADMIN).user
    editor = MembershipFactory.create(organisation=farm, role=Membership.Role.EDITOR).user
    with pytest.raises(NotFoundForUser):
        enrolment.set_worker_state(user=stranger, worker_id=w.pk, state="paused")
    with pytest.raises(NotAllowed):
        enrolment.make_enrolment_token(user=editor, organisation=farm, ttl_s=600)
    enrolment.set_worker_state(user=admin, worker_id=w.pk, state="draining")
    enrolment.rename_worker(user=admin, worker_id=w.pk, name="w1-renamed")
    enrolment.set_worker_state(user=admin, worker_id=w.pk, state="revoked")
    enrolment.delete_worker(user=admin, worker_id=w.pk)
    trail = list(WorkerAudit.objects.order_by("at", "id").values_list("action", "worker_name"))
    assert trail == [("enrolled", "w1"), ("drained", "w1"), ("renamed", "w1-renamed"),
                     ("revoked", "w1-renamed"), ("deleted", "w1-renamed")]


def test_a_gpu_job_waits_visibly_and_never_reaches_a_cpu_worker() -> None:
    cpu = worker("cpu", None)
    job = digest_job(None, kind="test.remote_gpu")
    assert job.message == "waiting for a GPU worker"
    assert assigned(cpu) == []
    assert Job.objects.get(pk=job.pk).state == JobState.QUEUED
    gpu = worker("gpu", None, caps=("gpu", "transcode"))
    assert assigned(gpu) == [job.pk]


def test_a_pool_serves_its_organisation_and_those_it_shares_with_only() -> None:
    farm, lahore, stranger = org("farm"), org("lahore"), org("stranger")
    w = worker("farm-1", farm)
    theirs, strangers = digest_job(lahore), digest_job(stranger)
    assert assigned(w) == []
    sharing.share_workers(user=None, lender=farm, borrower=lahore, cap_hours_per_month=None)
    assert assigned(w) == [theirs.pk]
    assert Job.objects.get(pk=strangers.pk).state == JobState.QUEUED


def test_a_used_up_monthly_cap_ends_the_sharing_for_the_month() -> None:
    farm, lahore = org("farm"), org("lahore")
    w = worker("farm-1", farm)
    sharing.share_workers(user=None, lender=farm, borrower=lahore, cap_hours_per_month=1)
    done = digest_job(lahore)
    ComputeRecordFactory.create(job=done, worker=w, giver=farm, receiver=lahore, busy_s=3600)
    digest_job(lahore)
    assert assigned(w, slots=2) == []


def test_fair_share_serves_the_least_recently_served_organisation_first() -> None:
    busy, quiet = org("busy"), org("quiet")
    w = worker("node-1", None)
    busy_jobs = [digest_job(busy) for _ in range(4)]
    urgent = digest_job(busy, priority=5)
    quiet_job = digest_job(quiet)
    first = assigned(w, slots=1)
    assert first == [urgent.pk]  # priorities inside one organisation
    second = assigned(w, slots=1)
    assert second == [quiet_job.pk], "the quiet organisation waited behind the busy one"
    assert assigned(w, slots=1) == [busy_jobs[0].pk]


@pytest.mark.parametrize("pool", ["node", "lender"])
def test_an_organisation_with_a_long_queue_does_not_starve_one_whose_jobs_sit_behind_it(pool: str) -> None:
    """Fair share holds past the head of the queue: 500 jobs queued first, with priority,
    do not hide another organisation's jobs behind them, for the node's own workers and
    for a pool lent to both."""
    busy, quiet = org("busy"), org("quiet")
    owner = None
    if pool == "lender":
        owner = org("farm")
        for borrower in (busy, quiet):
            sharing.share_workers(user=None, lender=owner, borrower=borrower, cap_hours_per_month=None)
    w = worker("pool-1", owner)
    busy_ids = [job.pk for job in (digest_job(busy, priority=i % 3) for i in range(500))]
    quiet_ids = [digest_job(quiet).pk for _ in range(3)]
    taken = [pk for _ in range(6) for pk in assigned(w, slots=1)]
    assert len(taken) == 6
    assert sum(pk in quiet_ids for pk in taken) == 3, "the quiet organisation's jobs waited behind the busy one's"
    assert sum(pk in busy_ids for pk in taken) == 3


def test_a_late_result_from_an_attempt_taken_back_is_refused_and_changes_nothing() -> None:
    w = worker("w1", None)
    job = digest_job(None)
    [a] = scheduling.schedule(worker=w, running=[], free_slots=1).assign
    Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    from dastan.jobs.services import reap_stalled_jobs

    assert reap_stalled_jobs() == [job.pk]
    from dastan.jobs.remote.results import accept_result

    with pytest.raises(StaleAttempt):
        accept_result(worker=w, job_id=job.pk, lease=a.lease, result={}, outputs={})
    assert Job.objects.get(pk=job.pk).state == JobState.QUEUED
    answer = scheduling.schedule(worker=w, running=[scheduling.Running(job.pk, a.lease)], free_slots=0)
    assert [c["job"] for c in answer.cancel] == [job.pk]


def _record(job: Job, w: RemoteWorker, state: str, minutes: float, giver: Any, receiver: Any) -> ComputeRecord:
    return ComputeRecordFactory.create(job=job, worker=w, giver=giver, receiver=receiver, minutes=minutes,
                                       verification=state)


def test_the_ledger_counts_accepted_and_verified_work_only() -> None:
    farm, lahore = org("farm"), org("lahore")
    w = worker("w1", farm)
    for state, minutes in (("accepted", 1.0), ("passed", 2.0), ("pending", 4.0), ("failed", 8.0), ("voided", 16.0)):
        _record(digest_job(lahore), w, state, minutes, farm, lahore)
    rows = {r.organisation: r for r in ledger.monthly()}
    assert rows["farm"].given_minutes == 3.0 and rows["lahore"].received_minutes == 3.0
    assert "farm" in ledger.as_csv(list(rows.values())) and "<svg" in ledger.bars_svg(list(rows.values()))


def test_a_failed_verification_quarantines_the_worker_and_redoes_its_unverified_work(tmp_path: Path) -> None:
    farm = org("farm")
    w = worker("w1", farm)
    good, unverified = digest_job(farm), digest_job(farm)
    Job.objects.filter(pk__in=[good.pk, unverified.pk]).update(state=JobState.SUCCEEDED)
    passed = _record(good, w, "passed", 1.0, farm, farm)
    waiting = _record(unverified, w, "accepted", 1.0, farm, farm)
    caught = _record(digest_job(farm), w, "pending", 1.0, farm, farm)
    verification.judge(record=caught, verdict=verification.Verdict(False, "output 'digest' differs"), spent_s=0.1)
    w.refresh_from_db()
    assert w.state == RemoteWorker.State.QUARANTINED
    states = dict(ComputeRecord.objects.values_list("pk", "verification"))
    assert (states[passed.pk], states[waiting.pk], states[caught.pk]) == ("passed", "voided", "failed")
    redone = Job.objects.get(pk=unverified.pk)
    assert redone.state == JobState.QUEUED and "w1" in redone.failed_on_workers
    assert Job.objects.get(pk=good.pk).state == JobState.SUCCEEDED
    assert WorkerAudit.objects.filter(worker=w, action="quarantined", notify=True).exists()
    assert assigned(w) == []


def test_a_worker_cleared_after_quarantine_takes_work_again_with_a_fresh_record(settings: Any) -> None:
    settings.DASTAN_REMOTE_VERIFY_FIRST, settings.DASTAN_REMOTE_VERIFY_SHARE = 3, 0.0
    farm = org("farm")
    w = worker("w1", farm)
    RemoteWorker.objects.filter(pk=w.pk).update(good_results=40)
    verification.quarantine(worker=w, reason="output 'digest' differs")
    job = digest_job(farm)
    w.refresh_from_db()
    assert assigned(w) == []
    enrolment.set_worker_state(user=None, worker_id=w.pk, state=RemoteWorker.State.ACTIVE)
    w.refresh_from_db()
    assert (w.state, w.good_results) == (RemoteWorker.State.ACTIVE, 0)
    assert verification.sampled(w, "test.remote_digest"), "its earlier record vouches for nothing now"
    assert assigned(w) == [job.pk]
    assert WorkerAudit.objects.filter(worker=w, action="cleared", detail__contains="starts again").exists()


def test_sampling_checks_every_result_of_a_new_worker(settings: Any) -> None:
    settings.DASTAN_REMOTE_VERIFY_FIRST, settings.DASTAN_REMOTE_VERIFY_SHARE = 3, 0.0
    w = worker("w1", None)
    assert verification.sampled(w, "test.remote_digest")
    w.good_results = 3
    assert not verification.sampled(w, "test.remote_digest")
    assert not verification.sampled(RemoteWorker(name="x", good_results=0), "test.transcode")


def test_an_unknown_lease_is_not_current() -> None:
    w = worker("w1", None)
    from dastan.jobs.remote.transfer import check_current

    with pytest.raises(StaleAttempt, match="no longer current"):
        check_current(worker=w, job_id=1, lease=str(uuid.uuid4()))


def test_a_remote_failure_is_said_in_the_readers_language_only_with_this_nodes_own_message_ids() -> None:
    """A partner's worker describes its failure with message ids; the node keeps them only
    when they are its own (every format is then the node's), else the worker's words."""
    w = worker("w1", None)
    gone = "The uploaded file '%(name)s' is no longer in the media storage."
    with translation.override("ru"):  # the worker's own language: the node must not care
        said = gettext(gone) % {"name": "reel1.mov"}
        fix = gettext("Upload the film again; finished uploads are kept for a day "
                      "(DASTAN_UPLOAD_EXPIRY_S) waiting for their ingest.")

    def fail(message_i18n: Any, message: str) -> Job:
        job = digest_job(None)
        [a] = scheduling.schedule(worker=w, running=[], free_slots=1).assign
        accept_failure(worker=w, job_id=job.pk, lease=a.lease, error={
            "code": "source_missing", "message": message, "hint": "Upload the film again.",
            "message_i18n": message_i18n, "hint_i18n": describe(fix), "retryable": False})
        return Job.objects.get(pk=job.pk)

    job = fail(describe(said), "The uploaded file 'reel1.mov' is no longer in the media storage.")
    with translation.override("ur"):
        message, hint = job.shown_error()
    assert message == "اپ لوڈ شدہ فائل 'reel1.mov' اب میڈیا اسٹوریج میں نہیں ہے۔"
    assert hint == render_in("ur", describe(fix)) != in_english(fix)
    assert job.error_message == "The uploaded file 'reel1.mov' is no longer in the media storage."

    crafted = [
        {"msgid": "%(x)999999999s"},  # not this node's: a format the sender chose
        {"msgid": gone, "params": {"name": "x" * 5000}},  # a value beyond any file's name
        {"msgid": gone, "params": {"name": {"__message__": {"msgid": "not ours"}}}},
        {"msgid": gone, "params": {"name": ["a"]}},
        "not a description",
    ]
    for described in crafted:
        job = fail(described, "as the worker wrote it")
        with translation.override("ru"):
            assert job.shown_error()[0] == "as the worker wrote it"
        assert job.error_message_i18n == {}
