"""Reading a large input by ranges: a loopback door through which ffmpeg reads the node's file.

A chunk of a long film needs a minute of its mezzanine, not the whole file. ffmpeg reads
a seekable HTTP input by ranges (the index first, then the bytes of the time it seeks
to), but it cannot sign its requests, and every request to the node's input door must
be signed by the worker's key (RFC 9421, a fresh nonce each). So the worker opens this
door on 127.0.0.1 only, with an unguessable name per input; each request ffmpeg makes
there is sent on to the node's signed input link with its ``Range``, signed, and the
answer streamed back as it comes. Nothing is kept on disk.

What a range read gives up against the whole download (``RemoteContext.input_path``):
the input is not checked against its sha256 as a whole (each request still comes over
the node's TLS, signed; the chunk's output is checked and verified by the node as
always), and a worker taking several chunks of one film fetches their parts separately
rather than the film once. So it is used for inputs larger than
``DASTAN_REMOTE_RANGE_INPUT_MB`` only, where fetching the whole film for one chunk costs
more than both.
"""

from __future__ import annotations

import logging
import secrets
import socket
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests

log = logging.getLogger(__name__)
BLOCK = 256 * 1024
# What is passed back to ffmpeg of the node's answer.
PASSED = ("Content-Length", "Content-Range", "Accept-Ranges", "Content-Type")

Send = Callable[..., requests.Response]


class InputProxy:
    """The loopback door (see the module's docstring): :meth:`open` names an input link,
    :meth:`close` forgets it; ``fetched`` counts the bytes sent on, per name."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self._links: dict[str, str] = {}
        self.fetched: dict[str, int] = {}
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                proxy._forward(self, head=False)

            def do_HEAD(self) -> None:
                proxy._forward(self, head=True)

            def log_message(self, format: str, *args: Any) -> None:
                log.debug("input proxy: " + format, *args)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="input-proxy", daemon=True).start()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def open(self, link: str) -> str:
        """A loopback URL ffmpeg can read ``link`` through, until :meth:`close`."""
        name = secrets.token_urlsafe(18)
        with self._lock:
            self._links[name] = link
            self.fetched[name] = 0
        return f"http://127.0.0.1:{self.port}/{name}"

    def close(self, url: str) -> int:
        """Forget ``url``'s input; the bytes fetched through it."""
        name = url.rsplit("/", 1)[-1]
        with self._lock:
            self._links.pop(name, None)
            return self.fetched.pop(name, 0)

    def shutdown(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _forward(self, handler: BaseHTTPRequestHandler, *, head: bool) -> None:
        name = handler.path.lstrip("/")
        with self._lock:
            link = self._links.get(name)
        if link is None:
            handler.send_error(404, "no such input")
            return
        headers = {"Range": handler.headers["Range"]} if handler.headers.get("Range") else {}
        try:
            answer = self._send("GET", link, headers=headers, stream=True)
        except requests.RequestException as exc:
            handler.send_error(502, f"the node's input link failed: {exc}")
            return
        with answer:
            handler.send_response(answer.status_code)
            for header in PASSED:
                if header in answer.headers:
                    handler.send_header(header, answer.headers[header])
            handler.end_headers()
            if head:
                return
            # A small send buffer: what ffmpeg stops reading (it seeks by closing) is not
            # fetched from the node far beyond what it read.
            handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, BLOCK)
            try:
                for block in answer.iter_content(BLOCK):
                    handler.wfile.write(block)
                    with self._lock:
                        if name in self.fetched:
                            self.fetched[name] += len(block)
            except (BrokenPipeError, ConnectionResetError):
                pass  # ffmpeg seeks by closing a read it no longer needs: the rest is not fetched
