"""Helpers for the suite that several apps share (the jobs app's process helpers live in
dastan/jobs/testing.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

SERVER_URL = os.environ.get("DASTAN_TEST_POSTGRES_URL", "postgresql://root@127.0.0.1:5432/test")


def rerun_on_postgres(module: Path, *, database: str, timeout_s: int = 300) -> str:
    """Run the test ``module`` again in a child pytest whose default database is
    PostgreSQL (pytest-django makes and drops ``test_<database>`` on the server named by
    DASTAN_TEST_POSTGRES_URL) and return its output; fail on any failure or skip. Without
    a reachable server the test is skipped, or fails under CI=true."""
    url = SERVER_URL.rsplit("/", 1)[0] + "/" + database
    try:
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3):
            pass
    except psycopg.OperationalError as exc:
        problem = str(exc).strip().splitlines()[0]
        message = f"PostgreSQL at {url} is not reachable ({problem}); set DASTAN_TEST_POSTGRES_URL."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    env = {**os.environ, "DASTAN_DATABASE_URL": url}
    env.pop("DASTAN_HOME", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", str(module), "-q", "-p", "no:cacheprovider", "--create-db"],
        env=env, check=False, capture_output=True, text=True, timeout=timeout_s,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout, result.stdout[-2000:]
    return result.stdout
