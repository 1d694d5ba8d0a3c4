"""`dastan jobs` and /api/v1/jobs/ show the same jobs, with state, progress and errors."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dastan.accounts.tests.factories import NodeOperatorFactory
from dastan.accounts.tokens import issue_api_token
from dastan.cli import main
from dastan.jobs.services import run_queued_jobs, submit_job
from dastan.jobs.workers import register_worker

pytestmark = pytest.mark.django_db


def _client_for(user: User) -> Client:
    return Client(headers={"Authorization": f"Bearer {issue_api_token(user=user)}"})


@pytest.fixture
def api() -> Client:
    """The node's operator: sees every job and worker."""
    return _client_for(NodeOperatorFactory.create().user)


def _two_jobs() -> tuple[int, int]:
    done = submit_job(kind="test.transcode")
    failed = submit_job(kind="test.flaky", max_attempts=1)
    run_queued_jobs(worker="gpu-1")
    return done.pk, failed.pk


def test_dastan_jobs_lists_state_progress_and_the_error_with_its_fix(capsys: pytest.CaptureFixture[str]) -> None:
    done, _failed = _two_jobs()
    assert main(["jobs"]) == 0
    out = capsys.readouterr().out
    [done_line] = [line for line in out.splitlines() if line.strip().startswith(f"{done} ")]
    assert "test.transcode" in done_line and "succeeded" in done_line and "100%" in done_line
    assert "error: gpu-1 ran out of scratch space." in out
    assert "fix: Free disk on that worker." in out


def test_dastan_jobs_json_filters_by_state(capsys: pytest.CaptureFixture[str]) -> None:
    _done, failed = _two_jobs()
    assert main(["jobs", "--state", "failed", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["state"], r["error_code"]) for r in rows] == [(failed, "failed", "retryable")]


def test_dastan_jobs_workers_shows_capabilities_and_the_compute_ledger(capsys: pytest.CaptureFixture[str]) -> None:
    register_worker(name="studio-gpu-1", capabilities=["asr", "gpu"])
    submit_job(kind="test.transcode")
    run_queued_jobs(worker="studio-gpu-1")
    assert main(["jobs", "--workers"]) == 0
    [line] = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("studio-gpu-1")]
    assert "live" in line and "asr,gpu" in line
    assert line.split()[-3:-1] == ["1", "0"]  # one job done, none failed


def test_the_jobs_endpoint_lists_jobs_with_state_progress_and_error(api: Client) -> None:
    done, failed = _two_jobs()
    response = api.get("/api/v1/jobs/")
    assert response.status_code == 200
    by_id = {row["id"]: row for row in response.json()}
    assert (by_id[done]["state"], by_id[done]["progress"], by_id[done]["worker"]) == ("succeeded", 100, "gpu-1")
    assert by_id[failed]["error_message"] == "gpu-1 ran out of scratch space."
    assert by_id[failed]["error_hint"] == "Free disk on that worker."
    assert [r["id"] for r in api.get("/api/v1/jobs/?state=failed").json()] == [failed]


def test_the_jobs_endpoint_refuses_a_request_without_a_token_in_json() -> None:
    response = Client().get("/api/v1/jobs/")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "unauthenticated"
    assert "Authorization: Bearer" in body["hint"]


def test_asking_for_a_missing_job_answers_404_with_what_to_do(api: Client) -> None:
    response = api.get("/api/v1/jobs/424242")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "There is no job #424242.",
                               "hint": "`dastan jobs` lists the jobs there are."}


def test_a_missing_job_is_refused_in_the_askers_language(api: Client) -> None:
    russian = api.get("/api/v1/jobs/424242", HTTP_ACCEPT_LANGUAGE="ru")
    assert russian.status_code == 404
    assert russian.json()["message"] == "Задания #424242 нет."
    assert russian.json()["hint"] == "`dastan jobs` выводит список имеющихся заданий."
    api.cookies["dastan_language"] = "ur"
    assert api.get("/api/v1/jobs/424242").json()["message"] == "جاب #424242 موجود نہیں ہے۔"


def test_retrying_a_failed_job_through_the_api_queues_it_again(api: Client) -> None:
    _done, failed = _two_jobs()
    response = api.post(f"/api/v1/jobs/{failed}/retry")
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["attempts"]) == ("queued", 0)


def test_the_workers_endpoint_lists_live_workers(api: Client) -> None:
    register_worker(name="farm-7", capabilities=["transcode"])
    [row] = api.get("/api/v1/jobs/workers").json()
    assert (row["name"], row["state"], row["capabilities"]) == ("farm-7", "live", ["transcode"])


def test_dastan_jobs_retry_queues_a_failed_job_and_refuses_a_running_one_with_the_reason(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from dastan.jobs.services import claim_job

    _done, failed = _two_jobs()
    assert main(["jobs", "--retry", str(failed)]) == 0
    assert f"job #{failed} test.flaky is queued now." in capsys.readouterr().out
    claim_job(job_id=failed, worker="gpu-1")

    assert main(["jobs", "--retry", str(failed)]) == 2
    err = capsys.readouterr().err
    assert f"error: Job #{failed} is running; only a failed or cancelled job can be retried." in err
    assert "fix: A queued or running job is already on its way" in err


def test_dastan_jobs_cancel_of_an_unknown_job_says_how_to_find_the_right_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["jobs", "--cancel", "999999"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "error: There is no job #999999.", "  fix: `dastan jobs` lists the jobs there are."]


def test_retrying_a_running_job_through_the_api_answers_409_in_json(api: Client) -> None:
    job = submit_job(kind="test.transcode")
    response = api.post(f"/api/v1/jobs/{job.pk}/retry")
    assert response.status_code == 409
    assert response.json()["code"] == "job_not_retryable"
    assert response.json()["message"] == f"Job #{job.pk} is queued; only a failed or cancelled job can be retried."


def test_the_admin_lists_jobs_with_their_log(admin_client: Client) -> None:
    done, _failed = _two_jobs()
    assert b"test.transcode" in admin_client.get("/admin/jobs/job/").content
    page = admin_client.get(f"/admin/jobs/job/{done}/change/")
    assert page.status_code == 200 and b"succeeded" in page.content


def test_a_user_who_is_not_staff_sees_only_the_jobs_they_started(api: Client) -> None:
    studio = User.objects.create_user("studio", password="x" * 12)
    mine = submit_job(kind="test.transcode", created_by=studio)
    theirs = submit_job(kind="test.transcode")
    client = _client_for(studio)

    assert [row["id"] for row in client.get("/api/v1/jobs/").json()] == [mine.pk]
    response = client.get(f"/api/v1/jobs/{theirs.pk}")
    assert response.status_code == 404
    assert response.json()["message"] == f"There is no job #{theirs.pk}."
    assert client.post(f"/api/v1/jobs/{theirs.pk}/cancel").status_code == 404
    assert client.get("/api/v1/jobs/workers").json()["code"] == "not_allowed"
