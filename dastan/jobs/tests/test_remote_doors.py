"""Remote workers' doors skip the middleware that serves people (dastan/lean.py);
the people's pages under /compute/ do not, and a door still checks every signature."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from dastan.jobs.models import Job, JobState
from dastan.jobs.tests.test_remote_schedule_cost import URL, enrolled
from dastan.jobs.tests.test_remote_scheduling import digest_job, org
from dastan.signing import keys, messages

pytestmark = pytest.mark.django_db


def test_a_signed_call_is_answered_without_the_peoples_middleware_but_with_the_security_headers() -> None:
    farm = org("farm")
    _, key = enrolled("farm-1", farm)
    job = digest_job(farm)
    body = json.dumps({"running": [], "free_slots": 1}).encode()
    response = Client().post("/compute/schedule", body, content_type="application/json",
                             headers=messages.sign("POST", URL, key=key, body=body))
    assert response.status_code == 200
    assert [a["job"] for a in response.json()["assign"]] == [job.pk]
    # No session, CSRF or language cookie, no Vary on cookies or language...
    assert not response.cookies and "Vary" not in response.headers
    # ...but the security headers, above the lean views, still apply.
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response.headers


def test_a_peoples_page_under_compute_still_goes_through_sessions_and_sign_in() -> None:
    response = Client().get("/compute/workers/")
    assert response.status_code in (302, 403), response.status_code
    assert "Content-Security-Policy" in response.headers


def test_the_doors_still_refuse_unsigned_forged_and_revoked_key_calls() -> None:
    from dastan.jobs.remote import enrolment

    farm = org("farm")
    worker, key = enrolled("farm-1", farm)
    digest_job(farm)
    body = json.dumps({"running": [], "free_slots": 1}).encode()
    unsigned = Client().post("/compute/schedule", body, content_type="application/json")
    assert unsigned.status_code == 401 and unsigned.json()["code"] == "unsigned"
    forger = keys.PrivateKey(key.key_id, key.algorithm, keys.generate("other").pem)
    forged = Client().post("/compute/schedule", body, content_type="application/json",
                           headers=messages.sign("POST", URL, key=forger, body=body))
    assert forged.status_code == 401 and forged.json()["code"] == "bad_signature"
    enrolment.set_worker_state(user=None, worker_id=worker.pk, state="revoked")
    revoked = Client().post("/compute/schedule", body, content_type="application/json",
                            headers=messages.sign("POST", URL, key=key, body=body))
    assert revoked.status_code == 401 and revoked.json()["code"] == "revoked_key"
    assert not Job.objects.filter(state=JobState.RUNNING).exists()
