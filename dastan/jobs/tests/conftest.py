"""Nodes that real worker processes and the tests share: SQLite with the embedded SQLite
broker, and one PostgreSQL database reached over Redis or RabbitMQ."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from dastan_testing.nodes import Node, migrated_sqlite, postgres_database


@pytest.fixture(autouse=True)
def _schedule_calls_remember_nothing_from_an_earlier_test() -> None:
    """Schedule calls remember sharing agreements for a few seconds, by organisation id;
    a rolled-back test's ids come back in the next one."""
    from dastan.jobs.remote.scheduling import forget_pools

    forget_pools()


@pytest.fixture(scope="session")
def sqlite_node(tmp_path_factory: pytest.TempPathFactory) -> Node:
    home = tmp_path_factory.mktemp("node-sqlite")
    node = Node(home=home, database_url=migrated_sqlite(home / 'dastan.sqlite3'),
                broker_url=f"sqla+sqlite:///{home / 'broker.sqlite3'}", queue_prefix="")
    return node


@pytest.fixture(scope="session")
def postgres_node(tmp_path_factory: pytest.TempPathFactory, postgres_url: str) -> Iterator[Node]:
    """A database of its own, made for this run and dropped after it, so that the test and
    its worker processes see the same committed rows."""
    home = tmp_path_factory.mktemp("node-postgres")
    with postgres_database(postgres_url, prefix="dastan_jobs") as database_url:
        yield Node(home=home, database_url=database_url,
                   broker_url=f"sqla+sqlite:///{home / 'broker.sqlite3'}", queue_prefix="")


@pytest.fixture
def redis_node(postgres_node: Node, redis_url: str) -> Iterator[Node]:
    prefix = f"dastan-test-{uuid.uuid4().hex[:8]}."
    yield postgres_node.with_broker(redis_url, prefix)
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


@pytest.fixture
def rabbitmq_node(postgres_node: Node, rabbitmq_url: str) -> Iterator[Node]:
    prefix = f"dastan-test-{uuid.uuid4().hex[:8]}."
    node = postgres_node.with_broker(rabbitmq_url, prefix)
    yield node
    # Celery declares durable queues; remove the ones this test's workers listened to.
    from kombu import Connection

    workers = [row[0] for row in node.query("SELECT name FROM jobs_workernode")]
    names = [f"{prefix}{q}" for q in ("default", "transcode", "asr", *(f"worker.{w}" for w in workers))]
    with Connection(rabbitmq_url) as conn:
        channel = conn.channel()
        for name in names:
            channel.queue_delete(name)
