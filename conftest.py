"""Fixtures for the whole suite: the servers that scale-path tests need.

Each fixture gives the server's URL, or skips the test with the reason when the server
does not answer; under CI=true it fails instead (see dastan.jobs.testing.require_server).
Point a fixture elsewhere with DASTAN_TEST_POSTGRES_URL, DASTAN_TEST_REDIS_URL or
DASTAN_TEST_RABBITMQ_URL.
"""

from __future__ import annotations

import os

import pytest

from dastan.jobs.testing import require_server, worker_pool  # noqa: F401  (worker_pool: a fixture)

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
