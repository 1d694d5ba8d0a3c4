"""What one schedule call costs the database: the number of queries a signed call sends
does not grow with the queue, the workers, the organisations or their agreements (counts,
not timings; the timings are in bench/compute.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dastan.catalog.models import Organisation
from dastan.jobs.models import ComputeRecord, Job, JobEvent, JobState, RemoteWorker
from dastan.jobs.remote import enrolment, scheduling, sharing
from dastan.jobs.remote.client import key_id_for
from dastan.jobs.tests.test_remote_scheduling import digest_job, org
from dastan.signing import keys, messages

pytestmark = pytest.mark.django_db

URL = "http://testserver/compute/schedule"


def enrolled(name: str, organisation: Organisation | None) -> tuple[RemoteWorker, keys.PrivateKey]:
    key = keys.generate("k")
    public = keys.PublicKey(key_id_for(key.public().pem), key.algorithm, key.public().pem)
    token = enrolment.make_enrolment_token(user=None, organisation=organisation, ttl_s=600)
    w = enrolment.enrol_worker(token=token, name=name, public=public, capabilities=["transcode"], facts={})
    return w, keys.PrivateKey(public.key_id, key.algorithm, key.pem)


def signed_call(private: keys.PrivateKey, *, free_slots: int = 1,
                running: list[dict[str, Any]] | None = None) -> tuple[dict[str, Any], list[str]]:
    """One signed schedule call, as a remote worker makes it: its answer and the SQL it sent.
    The call reaps lapsed leases (at most once a second otherwise) and writes 'seen', so
    every call here does the same kinds of work."""
    RemoteWorker.objects.filter(key_id=private.key_id).update(last_heartbeat_at=None)
    scheduling._last_reap[0] = 0.0
    body = json.dumps({"running": running or [], "free_slots": free_slots}).encode()
    headers = messages.sign("POST", URL, key=private, body=body)
    with CaptureQueriesContext(connection) as queries:
        response = Client().post("/compute/schedule", body, content_type="application/json", headers=headers)
    assert response.status_code == 200, response.content
    return response.json(), [q["sql"] for q in queries.captured_queries]


def test_a_schedule_call_costs_the_same_queries_whatever_the_queue_workers_and_organisations(
        settings: Any) -> None:
    settings.DASTAN_REMOTE_SCHEDULE_CACHE_S = 0  # agreements read on every call: counted too
    farm = org("farm")
    _, small_key = enrolled("small-0", farm)
    digest_job(farm)
    small, small_sql = signed_call(small_key)
    assert len(small["assign"]) == 1

    # Many organisations, some capped and with work counted against the cap, many workers,
    # a long queue with priorities, jobs some workers failed before.
    borrowers = [org(f"borrower-{i}") for i in range(8)]
    for i, borrower in enumerate(borrowers):
        sharing.share_workers(user=None, lender=farm, borrower=borrower, cap_hours_per_month=None if i % 2 else 5)
    workers = [enrolled(f"big-{i}", farm) for i in range(12)]
    for i in range(300):
        job = digest_job(borrowers[i % len(borrowers)], priority=i % 3)
        if i % 7 == 0:
            Job.objects.filter(pk=job.pk).update(failed_on_workers=["big-0"])
    for borrower in borrowers[::2]:
        done = digest_job(borrower)
        Job.objects.filter(pk=done.pk).update(state=JobState.SUCCEEDED)
        ComputeRecord.objects.create(job=done, attempt=1, worker=workers[1][0], worker_name="big-1", giver=farm,
                                     receiver=borrower, kind=done.kind, busy_s=60, created_at=timezone.now())
    signed_call(workers[5][1])  # every organisation has a fair-share mark now
    big, big_sql = signed_call(workers[0][1])
    assert len(big["assign"]) == 1
    assert len(big_sql) == len(small_sql), "\n".join(big_sql)

    # Several free slots: more jobs, still the same queries.
    many, many_sql = signed_call(workers[2][1], free_slots=4)
    assert len(many["assign"]) == 4
    assert len(many_sql) == len(small_sql), "\n".join(many_sql)
    started = {(e.job_id, e.message, e.attempt, e.worker) for e in JobEvent.objects.filter(kind="started")}
    assert {(a["job"], f"lease {a['lease']}", 1, "big-2") for a in many["assign"]} <= started

    # A heartbeat for several running attempts renews them all in one statement.
    running = [{"job": a["job"], "lease": a["lease"], "progress": 50} for a in many["assign"]]
    one, one_sql = signed_call(workers[2][1], free_slots=0, running=running[:1])
    four, four_sql = signed_call(workers[2][1], free_slots=0, running=running)
    assert one["cancel"] == [] and four["cancel"] == []
    assert len(four_sql) == len(one_sql), "\n".join(four_sql)
    assert set(Job.objects.filter(pk__in=[r["job"] for r in running]).values_list("progress", flat=True)) == {50}


def test_sharing_agreements_are_read_once_per_interval_and_a_new_one_counts_at_once(settings: Any) -> None:
    settings.DASTAN_REMOTE_SCHEDULE_CACHE_S = 600
    farm, lahore = org("farm"), org("lahore")
    _, key = enrolled("farm-1", farm)
    digest_job(farm)
    digest_job(farm)
    first, first_sql = signed_call(key)
    second, second_sql = signed_call(key)
    assert len(first["assign"]) == len(second["assign"]) == 1
    assert any("sharingagreement" in q for q in first_sql)
    assert not any("sharingagreement" in q for q in second_sql)
    theirs = digest_job(lahore, priority=9)
    sharing.share_workers(user=None, lender=farm, borrower=lahore, cap_hours_per_month=None)
    third, _ = signed_call(key)
    assert [a["job"] for a in third["assign"]] == [theirs.pk]


def test_a_replayed_schedule_call_is_refused_recorded_and_assigns_nothing() -> None:
    """The nonce is stored in the call's own transaction: a replay is still refused, and
    its refusal is kept although that transaction is undone."""
    from dastan.signing.models import RefusedRequest

    farm = org("farm")
    _, key = enrolled("farm-1", farm)
    first_job, _second_job = digest_job(farm), digest_job(farm)
    body = json.dumps({"running": [], "free_slots": 1}).encode()
    headers = messages.sign("POST", URL, key=key, body=body)
    first = Client().post("/compute/schedule", body, content_type="application/json", headers=headers)
    again = Client().post("/compute/schedule", body, content_type="application/json", headers=headers)
    assert first.status_code == 200 and [a["job"] for a in first.json()["assign"]] == [first_job.pk]
    assert again.status_code == 401 and again.json()["code"] == "replay"
    assert RefusedRequest.objects.filter(channel="compute", code="replay", key_id=key.key_id).count() == 1
    assert Job.objects.filter(state=JobState.RUNNING).count() == 1
