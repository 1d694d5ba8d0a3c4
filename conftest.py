"""Fixtures for the whole suite: the servers that scale-path tests need.

Each fixture gives the server's URL, or skips the test with the reason when the server
does not answer; under CI=true it fails instead (see dastan_testing.nodes.require_server).
Point a fixture elsewhere with DASTAN_TEST_POSTGRES_URL, DASTAN_TEST_REDIS_URL or
DASTAN_TEST_RABBITMQ_URL.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from dastan_testing.nodes import require_server, worker_pool  # noqa: F401  (worker_pool: a fixture)

POSTGRES_URL = os.environ.get("DASTAN_TEST_POSTGRES_URL", "postgresql://root@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("DASTAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")
RABBITMQ_URL = os.environ.get("DASTAN_TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672//")


@pytest.fixture(scope="session")
def postgres_url() -> str:
    require_server("PostgreSQL", POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture(scope="session")
def redis_url() -> str:
    require_server("Redis", REDIS_URL)
    return REDIS_URL


@pytest.fixture(scope="session")
def rabbitmq_url() -> str:
    require_server("RabbitMQ", RABBITMQ_URL)
    return RABBITMQ_URL


def _settings_snapshot() -> dict[str, str]:
    from django.conf import settings

    # django-axes writes its defaults into the settings when first used: not a test's doing.
    return {name: repr(getattr(settings, name)) for name in dir(settings)
            if name.isupper() and not name.startswith("AXES_")}


@pytest.fixture(autouse=True)
def _settings_left_as_found() -> Iterator[None]:
    """Every test leaves Django's settings as it found them: set up first, so torn down
    last, after every fixture's undo. A leak (e.g. an override_settings nested inside
    pytest-django's ``settings`` wrapper, whose undo then restores a snapshot taken inside
    it) once left rights enforcement on for every later browser test of the run."""
    before = _settings_snapshot()
    yield
    after = _settings_snapshot()
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    assert not changed, f"this test left these settings changed: {changed}"


@pytest.fixture(autouse=True)
def _no_job_heartbeat_outlives_its_test() -> Iterator[None]:
    """A job attempt's heartbeat thread ends with the attempt. One left running beats into
    later tests (their database, or none: pytest-django then refuses it and a random later
    test reports the thread's error), so the test that left it fails here instead."""
    yield
    import threading

    left = [t.name for t in threading.enumerate() if t.name.startswith("heartbeat-") and t.is_alive()]
    assert not left, f"this test left job heartbeats running: {left}"


@pytest.fixture(autouse=True)
def _interface_language_reset() -> Iterator[None]:
    """Every test starts in the default language. A page fetched with a language cookie
    leaves that language active in the thread (LocaleMiddleware does not deactivate it), and
    a later test's English error text then read in Chinese, depending on the order tests ran."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Under CI=true a skipped test fails: CI installs every tool and server the suite
    needs (Chromium, Apertium, Whisper's files, espeak-ng, PostgreSQL, ...), so a skip
    there means something is missing and the test's promise went unchecked. Locally a
    skip still says what to install."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if os.environ.get("CI", "").strip().lower() == "true" and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = (f"skipped under CI=true ({reason}); CI must run every test: install what it needs "
                           "(make install does) instead of skipping it.")


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Headless Chromium (dastan_testing.shared.chromium). Playwright's sync API runs an event loop
    in the test's thread; the test's own queries between its calls are still plain
    synchronous ones, so Django's async-safety check is told so. A module that needs other
    Chromium flags, or rows made before the loop starts, defines its own ``browser``."""
    from dastan_testing.shared import chromium

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium() as launched:
        yield launched
