"""The search tests again, on PostgreSQL: the same module in a child pytest whose default
database is a PostgreSQL one (pytest-django makes and drops ``test_dastan_catalog_search``
on the server named by DASTAN_TEST_POSTGRES_URL)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SERVER_URL = os.environ.get("DASTAN_TEST_POSTGRES_URL", "postgresql://root@127.0.0.1:5432/test")
# A database name of our own, so the child's test database cannot clash with another suite's.
PG_URL = SERVER_URL.rsplit("/", 1)[0] + "/dastan_catalog_search"


def _postgres_reachable() -> str | None:
    import psycopg

    try:
        with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", connect_timeout=3):
            return None
    except psycopg.OperationalError as exc:
        return str(exc).strip().splitlines()[0]


@pytest.mark.services
def test_cross_script_search_passes_on_postgresql() -> None:
    problem = _postgres_reachable()
    if problem:
        message = f"PostgreSQL at {PG_URL} is not reachable ({problem}); set DASTAN_TEST_POSTGRES_URL."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    module = Path(__file__).with_name("test_search.py")
    env = {**os.environ, "DASTAN_DATABASE_URL": PG_URL}
    env.pop("DASTAN_HOME", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", str(module), "-q", "-p", "no:cacheprovider", "--create-db"],
        env=env, check=False, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout
