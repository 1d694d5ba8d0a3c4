"""Fixtures of the federation tests: a peer node's discovery document served for real on
loopback, and that peer known here (accepted) with its signing key."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dastan.catalog.models import Organisation, Title
from dastan.federation.models import Peer
from dastan.federation.tests.factories import PeerFactory, key_entry
from dastan.jobs.services import run_queued_jobs
from dastan.media.services import submit_ingest
from dastan.signing import keys
from dastan.signing.messages import sign

HOST = "http://testserver"


@dataclass
class PeerServer:
    """The peer node's discovery document, served for real; counts how often it is read."""

    url: str = ""
    document: dict[str, Any] = field(default_factory=dict)
    reads: int = 0
    # Answers to other requests (the feed, the inbox): f(method, url, headers, body) ->
    # (status, headers, body). Unset: 404.
    answer: Callable[[str, str, dict[str, str], bytes], tuple[int, dict[str, str], bytes]] | None = None


@pytest.fixture
def peer_server() -> Iterator[PeerServer]:
    state = PeerServer()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if not self.path.startswith("/.well-known/"):
                return self._answer()
            state.reads += 1
            self._send(200, {"Content-Type": "application/json"}, json.dumps(state.document).encode())

        def do_POST(self) -> None:
            self._answer()

        def _answer(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            url = f"http://{self.headers['Host']}{self.path}"
            if state.answer is None:
                return self._send(404, {}, b"")
            self._send(*state.answer(self.command, url, dict(self.headers.items()), body))

        def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield state
    server.shutdown()


entry = key_entry  # a key as the peer's discovery document lists it


def publish_doc(server: PeerServer, *entries: dict[str, Any]) -> None:
    server.document = {"name": "Lahore", "country": "PK", "url": server.url, "keys": list(entries)}


def post(path: str, body: bytes, *, key: keys.PrivateKey | None, **sign_kw: Any) -> Any:
    headers = sign("POST", HOST + path, key=key, body=body, **sign_kw) if key else {}
    return Client().generic("POST", path, body, content_type="application/json", headers=headers)


@pytest.fixture
def peer(peer_server: PeerServer) -> tuple[Peer, keys.PrivateKey]:
    key = keys.generate(f"{peer_server.url}#k-1")
    publish_doc(peer_server, entry(key))
    peer = PeerFactory.create(url=peer_server.url, name="Lahore", country="PK", key=key,
                              keys_fetched_at=timezone.now() - dt.timedelta(minutes=1))
    return peer, key


@pytest.fixture
def film(tmp_path: Path, settings: Any) -> Title:
    """A 4-second film of this node's studio, ingested and packaged for real."""
    settings.DASTAN_HOME = tmp_path / "home"
    studio = Organisation.objects.create(name="Lahore Films", slug="lahore-films", kind="studio", country="PK")
    title = Title.objects.create(slug="zindagi", original_language="ur", country_of_origin="PK", owner=studio,
                                 is_published=True)
    source = tmp_path / "film.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=4",
                    "-f", "lavfi", "-i", "sine=frequency=440:duration=4", "-c:v", "libx264", "-preset",
                    "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-metadata:s:a:0", "language=urd",
                    "-t", "4", str(source)], check=True, capture_output=True)
    submit_ingest(title=title, path=source)
    run_queued_jobs(worker="test")
    return title
