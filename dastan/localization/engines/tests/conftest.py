"""Fixtures for engine tests: a shared models folder (the Whisper base model is joined once
per run), speech clips made from known scripts, the tiny CTranslate2 model, and a
chat-completions server in the test process."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from dastan.localization.engines.registry import reset_engines
from dastan.localization.engines.tests.speech import (
    ENGLISH_SCRIPT,
    RUSSIAN_SCRIPT,
    espeak_wav,
    festival_russian_wav,
)
from dastan.localization.engines.tests.tiny_mt import build_tiny_nllb_model


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("speech")
    return {"en": espeak_wav(ENGLISH_SCRIPT, folder / "en.wav", voice="en"),
            "ru": festival_russian_wav(RUSSIAN_SCRIPT, folder / "ru.wav")}


@pytest.fixture(scope="session")
def tiny_mt_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("ctranslate2")
    root = tmp_path_factory.mktemp("mt-models")
    build_tiny_nllb_model(root / "tiny-nllb")
    return root


@pytest.fixture(autouse=True)
def fresh_engines() -> Iterator[None]:
    """Engines are built once per process from settings; tests that change settings must
    not see instances built before."""
    reset_engines()
    yield
    reset_engines()


@dataclass
class ChatServer:
    """A real HTTP server speaking the chat-completions protocol, for protocol tests.

    Its "model" is not a translator: it answers ``"<target language>: <text reversed>"``
    so that tests can see that the request carried the text and the languages, and that
    the answer came back to the right input. ``status``/``body`` force error answers."""

    url: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    status: int = 200
    body: bytes | None = None


@pytest.fixture
def chat_server() -> Iterator[ChatServer]:
    state: dict[str, ChatServer] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            server = state["server"]
            length = int(self.headers.get("Content-Length", "0"))
            request = json.loads(self.rfile.read(length))
            server.requests.append(request)
            server.headers.append(dict(self.headers))
            if self.path != "/v1/chat/completions":
                self._answer(404, b'{"error": "not found"}')
            elif server.body is not None or server.status != 200:
                self._answer(server.status, server.body or b"{}")
            else:
                system = request["messages"][0]["content"]
                target = system.split(" to ", 1)[1].split(".", 1)[0]
                text = request["messages"][1]["content"]
                reply = {"id": "test", "object": "chat.completion", "model": request["model"],
                         "choices": [{"index": 0, "finish_reason": "stop", "message": {
                             "role": "assistant", "content": f" {target}: {text[::-1]}\n"}}]}
                self._answer(200, json.dumps(reply, ensure_ascii=False).encode())

        def _answer(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state["server"] = ChatServer(f"http://127.0.0.1:{httpd.server_address[1]}/v1")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state["server"]
    httpd.shutdown()
    httpd.server_close()
