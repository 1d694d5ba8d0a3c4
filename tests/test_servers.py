"""The rule for tests that need a server: skip with the reason, but fail under CI=true."""

from __future__ import annotations

import socket

import pytest

from dastan_testing.nodes import require_server


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # nothing listens once the socket is closed


def test_a_missing_server_skips_the_test_naming_the_server_and_its_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    port = _closed_port()
    with pytest.raises(pytest.skip.Exception, match=f"Redis is not reachable at 127.0.0.1:{port}"):
        require_server("Redis", f"redis://127.0.0.1:{port}/0")


def test_a_missing_server_fails_the_test_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    port = _closed_port()
    with pytest.raises(pytest.fail.Exception, match="RabbitMQ is not reachable"):
        require_server("RabbitMQ", f"amqp://guest:guest@127.0.0.1:{port}//")


def test_a_running_server_lets_the_test_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        require_server("PostgreSQL", f"postgresql://root@127.0.0.1:{listening.getsockname()[1]}/x")
