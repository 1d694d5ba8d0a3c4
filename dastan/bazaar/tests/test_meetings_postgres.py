"""The meeting tests again on PostgreSQL, where bookings really run in parallel (SQLite
takes one writer at a time): the same module in a child pytest whose default database is
a PostgreSQL one (pytest-django makes and drops ``test_dastan_bazaar_meetings`` on the
server named by DASTAN_TEST_POSTGRES_URL)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

SERVER_URL = os.environ.get("DASTAN_TEST_POSTGRES_URL", "postgresql://root@127.0.0.1:5432/test")
PG_URL = SERVER_URL.rsplit("/", 1)[0] + "/dastan_bazaar_meetings"


def _postgres_reachable() -> str | None:
    try:
        with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", connect_timeout=3):
            return None
    except psycopg.OperationalError as exc:
        return str(exc).strip().splitlines()[0]


@pytest.mark.services
def test_ten_concurrent_bookings_on_postgresql_exactly_one_wins() -> None:
    problem = _postgres_reachable()
    if problem:
        message = f"PostgreSQL at {PG_URL} is not reachable ({problem}); set DASTAN_TEST_POSTGRES_URL."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    module = Path(__file__).with_name("test_meetings.py")
    env = {**os.environ, "DASTAN_DATABASE_URL": PG_URL}
    env.pop("DASTAN_HOME", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", str(module), "-q", "-p", "no:cacheprovider", "--create-db"],
        env=env, check=False, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "4 passed" in result.stdout and "skipped" not in result.stdout
