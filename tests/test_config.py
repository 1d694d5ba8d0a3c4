"""check_settings: each inconsistency is named with the variable that fixes it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from django.conf import settings

from dastan.config import Deployment, check_settings

EMBEDDED = Deployment(
    broker_url="sqla+sqlite:////srv/dastan/broker.sqlite3",
    database_engine="django.db.backends.sqlite3",
    serve_worker="process",
    public_url="http://127.0.0.1:8000",
    allowed_hosts=("localhost", "127.0.0.1"),
)
POSTGRES = "django.db.backends.postgresql"


def test_the_embedded_default_has_nothing_to_warn_about() -> None:
    assert check_settings(EMBEDDED) == []


def test_the_current_settings_are_checked_when_none_are_given() -> None:
    assert check_settings() == check_settings(Deployment.from_settings())


def test_a_remote_broker_with_the_in_process_worker_warns_that_serve_would_run_heavy_jobs() -> None:
    [warning] = check_settings(replace(EMBEDDED, broker_url="redis://queue.example:6379/0",
                                       database_engine=POSTGRES))
    assert "start its own worker on the shared broker at queue.example" in warning.message
    assert warning.hint.startswith("Set DASTAN_SERVE_WORKER=none")


def test_a_remote_broker_with_a_sqlite_database_warns_that_remote_workers_cannot_record_jobs() -> None:
    [warning] = check_settings(replace(EMBEDDED, broker_url="amqp://guest@rabbit.example//",
                                       serve_worker="none"))
    assert "the database is a SQLite file on this machine" in warning.message
    assert "DASTAN_DATABASE_URL=postgresql://" in warning.hint


def test_a_remote_broker_with_sqlite_and_the_in_process_worker_gives_both_warnings() -> None:
    warnings = check_settings(replace(EMBEDDED, broker_url="redis://queue.example:6379/0"))
    assert [w.hint.split()[1] for w in warnings] == ["DASTAN_SERVE_WORKER=none", "DASTAN_DATABASE_URL=postgresql://…"]


def test_a_local_broker_without_a_worker_warns_that_jobs_will_wait() -> None:
    [warning] = check_settings(replace(EMBEDDED, serve_worker="none"))
    assert "queued jobs will wait until `dastan worker` runs here" in warning.message


def test_a_shared_database_with_the_sqlite_broker_warns_that_other_hosts_never_see_jobs() -> None:
    [warning] = check_settings(replace(EMBEDDED, database_engine=POSTGRES))
    assert "workers elsewhere will never see a job" in warning.message
    assert "DASTAN_BROKER_URL=redis://" in warning.hint


def test_a_public_url_on_a_host_that_is_not_allowed_warns_that_every_page_would_answer_400() -> None:
    [warning] = check_settings(replace(EMBEDDED, public_url="https://dastan.example.kz"))
    assert warning.hint == "Add dastan.example.kz to DASTAN_ALLOWED_HOSTS."


def test_a_public_url_allowed_by_a_subdomain_pattern_is_not_warned_about() -> None:
    assert check_settings(replace(EMBEDDED, public_url="https://dastan.example.kz",
                                  allowed_hosts=(".example.kz",))) == []


def test_a_heartbeat_too_slow_for_the_lease_warns_that_healthy_jobs_would_be_taken_back() -> None:
    [warning] = check_settings(replace(EMBEDDED, job_lease_s=20, job_heartbeat_s=15))
    assert "every 15 s but lose it after 20 s" in warning.message
    assert "DASTAN_JOB_HEARTBEAT_S" in warning.hint


def test_a_heartbeat_of_half_the_lease_warns_too_since_two_late_beats_would_lose_the_job() -> None:
    [warning] = check_settings(replace(EMBEDDED, job_lease_s=20, job_heartbeat_s=10))
    assert "at most a third of DASTAN_JOB_LEASE_S" in warning.hint


def test_the_default_lease_and_heartbeat_fit_and_requeue_a_dead_workers_job_within_30_s() -> None:
    from dastan.jobs.cli import sweep_interval_s

    assert check_settings(replace(EMBEDDED, job_lease_s=settings.DASTAN_JOB_LEASE_S,
                                  job_heartbeat_s=settings.DASTAN_JOB_HEARTBEAT_S)) == []
    # Lease lapses, then the next sweep of a live worker takes the job back.
    assert settings.DASTAN_JOB_LEASE_S + sweep_interval_s(settings.DASTAN_JOB_LEASE_S) <= 30


def test_a_worker_on_an_empty_database_says_to_migrate_first(tmp_path: Path) -> None:
    env = {**os.environ, "DASTAN_HOME": str(tmp_path), "DASTAN_DATABASE_URL": f"sqlite:///{tmp_path}/empty.sqlite3",
           "DJANGO_SETTINGS_MODULE": "dastan.settings"}
    done = subprocess.run([sys.executable, "-m", "dastan.cli", "worker", "--can", "asr"], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert "not set up for this version of Dastan" in done.stderr
    assert "dastan manage migrate" in done.stderr
    assert "Traceback" not in done.stderr


def _documented_settings() -> tuple[set[str], set[str]]:
    """The README's settings table: every variable named in it, and those its first
    column names (``_SUFFIX`` shorthand after a full name shares its first two words)."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    table = readme.split("## Settings (environment variables)", 1)[1].split("\n## ", 1)[0]
    anywhere: set[str] = set()
    first_column: set[str] = set()
    for line in table.splitlines():
        if not line.startswith("| `DASTAN_"):
            continue
        anywhere.update(re.findall(r"DASTAN_[A-Z0-9_]+", line))
        prefix = ""
        for token in re.findall(r"`(DASTAN_[A-Z0-9_]+|_[A-Z0-9_]+)`", line.split("|")[1]):
            if token.startswith("DASTAN_"):
                first_column.add(token)
                prefix = "_".join(token.split("_")[:2])
            else:
                first_column.add(prefix + token)
    return anywhere | first_column, first_column


def test_the_readme_documents_every_setting_the_settings_module_reads_and_no_other() -> None:
    source = (Path(__file__).resolve().parent.parent / "dastan" / "settings.py").read_text()
    read = set(re.findall(r'env(?:_bool)?\(\s*"(DASTAN_[A-Z0-9_]+)"', source))
    documented, listed = _documented_settings()
    assert read - documented == set(), "add these to the README's settings table"
    assert listed - read == set(), "the README lists settings the settings module does not read"


def test_manage_check_reports_what_serve_would_warn_about(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DASTAN_", "DJANGO_"))}
    env.update({"DASTAN_HOME": str(tmp_path), "DASTAN_PUBLIC_URL": "https://films.example.org",
                "DASTAN_ALLOWED_HOSTS": "localhost"})
    done = subprocess.run([sys.executable, "-m", "dastan.cli", "manage", "check"], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert "(dastan.W001) DASTAN_PUBLIC_URL names host 'films.example.org'" in done.stderr + done.stdout
    assert "Add films.example.org to DASTAN_ALLOWED_HOSTS" in done.stderr + done.stdout
