"""Concurrent schedule calls never wait behind each other: a job another call is claiming
(its row locked until that call commits) is skipped, and the next fitting job is given
instead (PostgreSQL's FOR UPDATE SKIP LOCKED). Meaningful on PostgreSQL only, where
writers run in parallel: test_remote_claims_postgres.py runs this module there, in a child
pytest on a PostgreSQL database (its name is not test_*.py, so the SQLite run never
collects it)."""

from __future__ import annotations

import time

import psycopg
import pytest
from django.db import connection

from dastan.jobs.remote import scheduling
from dastan.jobs.tests.test_remote_scheduling import digest_job, org, worker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgresql() -> None:
    assert connection.vendor == "postgresql", (
        "SQLite takes one writer at a time; run this module through test_remote_claims_postgres.py.")


def _other_connection() -> psycopg.Connection:  # type: ignore[type-arg]
    s = connection.settings_dict
    return psycopg.connect(
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        user=s["USER"] or None,
        password=s["PASSWORD"] or None,
        dbname=s["NAME"],
    )


def test_a_schedule_call_skips_the_job_another_call_is_claiming_instead_of_waiting(
    postgresql: None,
) -> None:
    farm = org("farm")
    w = worker("w1", farm)
    first, second = digest_job(farm, priority=1), digest_job(farm)
    with connection.cursor() as cursor:  # if the call waited for the lock, it would fail, not hang
        cursor.execute("SET statement_timeout = 5000")
    with _other_connection() as other:  # another schedule call, mid-claim of the first job
        other.execute("SELECT id FROM jobs_job WHERE id = %s FOR UPDATE", (first.pk,))
        started = time.monotonic()
        got = [a.job_id for a in scheduling.schedule(worker=w, running=[], free_slots=1).assign]
        waited_s = time.monotonic() - started
        other.rollback()  # that call gave up: the job is free again
    assert got == [second.pk] and waited_s < 2, (got, waited_s)
    assert [a.job_id for a in scheduling.schedule(worker=w, running=[], free_slots=1).assign] == [
        first.pk
    ]
