"""Helpers for the suite that several apps share (nodes and worker processes are in
dastan_testing/nodes.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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


# --- one headless Chromium for every browser test ---------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--autoplay-policy=no-user-gesture-required")
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output" / "screenshots"


@contextmanager
def chromium(*extra_args: str) -> Iterator[Any]:
    """Debian's Chromium driven by playwright, closed when the block ends. Do the test's
    database work before entering: playwright's event loop makes Django's ORM refuse
    calls from this thread until the block ends. Without Chromium the test is skipped
    with what to install (and fails under CI=true, see the root conftest)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip(f"No Chromium at {CHROMIUM}; install Debian's chromium package (make install does).")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *extra_args])
        try:
            yield browser
        finally:
            browser.close()
