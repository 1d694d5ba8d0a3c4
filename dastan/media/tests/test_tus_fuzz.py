"""The tus endpoint against a live server process (`dastan serve`, gunicorn), fuzzed over
its headers and bodies with hypothesis, and raced (a PATCH against a DELETE of the same
upload, two PATCHes at one offset) from threads: no answer is a server error, every
refusal from tus is a JSON ``{code, message, hint}``, and no byte already stored is lost.

``DASTAN_TUS_FUZZ_EXAMPLES`` sets the number of examples (default 400); the count and
the number of server errors are printed (run with ``-s`` to see them).
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dastan_testing.nodes import Node, migrated_sqlite, serving

pytestmark = pytest.mark.slow
EXAMPLES = int(os.environ.get("DASTAN_TUS_FUZZ_EXAMPLES", "400"))
ANCHOR_BYTES = 1024 * 1024


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class TusServer:
    port: int
    home: Path
    token: str
    server_errors: list[str] = field(default_factory=list)

    def send(self, method: str, path: str, headers: list[tuple[str, bytes]], body: bytes = b"",
             *, content_length: bytes | None = None) -> Response:
        """One request on its own connection, headers exactly as given (repeats included)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.putrequest(method, path, skip_accept_encoding=True)
            for name, value in headers:
                conn.putheader(name, value)
            conn.putheader("Content-Length", content_length if content_length is not None else str(len(body)))
            conn.putheader("Connection", "close")
            conn.endheaders(body or None)
            response = conn.getresponse()
            result = Response(response.status, {k.lower(): v for k, v in response.getheaders()},
                              b"" if method == "HEAD" else response.read())
        finally:
            conn.close()
        if result.status >= 500:
            self.server_errors.append(f"{method} {path} {headers!r} -> {result.status} {result.body[:300]!r}")
        return result

    def auth(self) -> list[tuple[str, bytes]]:
        return [("Tus-Resumable", b"1.0.0"), ("Authorization", f"Bearer {self.token}".encode())]

    def create(self, length: int) -> str:
        response = self.send("POST", "/media/tus/", [*self.auth(), ("Upload-Length", str(length).encode())])
        assert response.status == 201, response.body
        return "/" + response.headers["location"].split("/", 3)[3]

    def offset(self, path: str) -> int | None:
        response = self.send("HEAD", path, self.auth())
        return int(response.headers["upload-offset"]) if response.status == 200 else None

    def part_file(self, path: str) -> Path:
        return self.home / "uploads" / f"{path.rstrip('/').rsplit('/', 1)[1]}.part"


@pytest.fixture(scope="module")
def tus_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TusServer]:
    home = tmp_path_factory.mktemp("tus-fuzz-home")
    node = Node(home=home, database_url=migrated_sqlite(home / 'dastan.sqlite3'),
                broker_url=f"sqla+sqlite:///{home / 'broker.sqlite3'}", queue_prefix="",
                extra_env={"DASTAN_SERVE_WORKER": "none", "DASTAN_DEBUG": "false"})
    with serving(node) as served:
        token = node.dastan("manage", "shell", "-c", (
            "from django.contrib.auth import get_user_model; "
            "from dastan.accounts.tokens import issue_api_token; "
            "u = get_user_model().objects.create_user(username='fuzzer', password='x' * 12); "
            "print(issue_api_token(user=u))")).strip().splitlines()[-1]
        server = TusServer(port=int(served.url.rsplit(":", 1)[1]), home=home, token=token)
        _wait_until_listening(server)
        yield server


def _wait_until_listening(server: TusServer) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            server.send("OPTIONS", "/media/tus/", [])
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


# --- the fuzzer -----------------------------------------------------------------------------

_ODD_INTS = ["", " ", "abc", "1e3", "²", "٣", "0x10", "+5", "-0", "5,5", "5, 5", " 7 ", "\t3",
             "00000000000000000000007", "NaN", "9223372036854775807", "9223372036854775808",
             "18446744073709551616", "-1"]
_latin1_text = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF,
                                              blacklist_characters="\x7f"), max_size=40)
_int_value = st.one_of(st.integers(-10, 2**70).map(str), st.sampled_from(_ODD_INTS), _latin1_text)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8", "surrogatepass")).decode()


_metadata_pair = st.one_of(
    st.tuples(st.sampled_from(["filename", "filetype", "title", "x", "ключ", "a b", ""]),
              st.text(max_size=20)).map(lambda kv: f"{kv[0]} {_b64(kv[1])}" if kv[1] else kv[0]),
    _latin1_text)
_metadata = st.lists(_metadata_pair, max_size=4).map(",".join)
_checksum = st.one_of(st.sampled_from(["sha256", "sha1", "md5", "SHA256", ""]).flatmap(
    lambda name: st.binary(max_size=40).map(lambda raw: f"{name} {base64.b64encode(raw).decode()}")),
    _latin1_text)
_content_type = st.sampled_from([
    "application/offset+octet-stream", "application/offset+octet-stream; charset=utf-8",
    "APPLICATION/OFFSET+OCTET-STREAM", "text/plain", "", "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz", "application/json"])
_auth = st.sampled_from(["good", "good", "good", "Bearer nope", "", "Basic Zm9vOmJhcg==", "Bearer "])


def _header(name: str, values: st.SearchStrategy[str]) -> st.SearchStrategy[list[tuple[str, str]]]:
    """Absent, once, or repeated (servers join repeats with a comma)."""
    return st.lists(values, max_size=2).map(lambda vs: [(name, v) for v in vs])


_request = st.fixed_dictionaries({
    "method": st.sampled_from(["POST", "PATCH", "PATCH", "PATCH", "HEAD", "DELETE", "OPTIONS", "GET", "PUT"]),
    "target": st.sampled_from(["collection", "anchor", "anchor", "victim", "unknown", "not-a-uuid"]),
    "version": st.sampled_from(["1.0.0", "1.0.0", "1.0.0", "0.2.2", "", "1.0.0,1.0.0", "1.0.0 "]),
    "auth": _auth,
    "headers": st.tuples(_header("Upload-Length", _int_value), _header("Upload-Offset", _int_value),
                         _header("Upload-Metadata", _metadata), _header("Upload-Checksum", _checksum),
                         _header("Content-Type", _content_type), _header("Upload-Defer-Length", _int_value)),
    "offset_right": st.booleans(),
    "checksum_right": st.booleans(),
    "body": st.binary(max_size=64),
    "content_length": st.sampled_from(["exact", "exact", "exact", "short", "abc", "-1"]),
    # Half the examples are a valid PATCH of the anchor with at most one odd header group
    # added, so that real writes happen between the odd requests.
    "shape": st.sampled_from(["random", "valid_patch"]),
    "mutation": st.integers(-1, 5),
})


def test_fuzzed_tus_headers_and_bodies_never_get_a_server_error_or_lose_stored_bytes(
        tus_server: TusServer) -> None:
    server = tus_server
    anchor = server.create(ANCHOR_BYTES)
    kept: dict[str, Any] = {"offset": 0, "bytes": b""}
    count = [0]
    statuses: dict[int, int] = {}

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=False, database=None,
              suppress_health_check=list(HealthCheck))
    @given(_request)
    def one(req: dict[str, Any]) -> None:
        count[0] += 1
        path = {"collection": "/media/tus/", "anchor": anchor, "unknown": f"/media/tus/{uuid.uuid4()}",
                "not-a-uuid": "/media/tus/..%2f..%2fsecret_key"}.get(req["target"], "")
        if req["target"] == "victim" or (req["target"] == "anchor" and req["method"] == "DELETE"):
            path = server.create(100)
        headers: list[tuple[str, bytes]] = []
        if req["version"]:
            headers.append(("Tus-Resumable", req["version"].encode()))
        if req["auth"] == "good":
            headers.append(("Authorization", f"Bearer {server.token}".encode()))
        elif req["auth"]:
            headers.append(("Authorization", req["auth"].encode()))
        for group in req["headers"]:
            headers += [(k, v.encode("utf-8")) for k, v in group]
        body = req["body"]
        if req["shape"] == "valid_patch":
            req = {**req, "method": "PATCH", "content_length": "exact"}
            path = anchor
            headers = [*server.auth(), ("Content-Type", b"application/offset+octet-stream"),
                       ("Upload-Offset", str(kept["offset"]).encode())]
            if req["mutation"] >= 0:
                headers += [(k, v.encode("utf-8")) for k, v in req["headers"][req["mutation"]]]
        elif req["offset_right"] and path == anchor:  # often aim at the real offset, so writes happen
            headers = [h for h in headers if h[0] != "Upload-Offset"] + [
                ("Upload-Offset", str(kept["offset"]).encode())]
        if req["checksum_right"]:
            headers = [h for h in headers if h[0] != "Upload-Checksum"] + [
                ("Upload-Checksum", f"sha256 {base64.b64encode(hashlib.sha256(body).digest()).decode()}".encode())]
        length = {"exact": None, "short": str(max(0, len(body) - 1)).encode(), "abc": b"abc",
                  "-1": b"-1"}[req["content_length"]]
        response = server.send(req["method"], path, headers, body, content_length=length)
        statuses[response.status] = statuses.get(response.status, 0) + 1
        assert response.status < 500, server.server_errors[-1]
        if response.status >= 400 and "tus-resumable" in response.headers and req["method"] != "HEAD":
            error = json.loads(response.body)
            assert error["message"] and error["hint"], error
        # Nothing already stored is lost: the anchor's bytes only ever grow.
        offset = server.offset(anchor)
        assert offset is not None and offset >= kept["offset"]
        stored = server.part_file(anchor).read_bytes()
        assert stored[: kept["offset"]] == kept["bytes"]
        kept["offset"], kept["bytes"] = offset, stored[:offset]

    one()
    print(f"\ntus fuzz: {count[0]} examples, {len(server.server_errors)} server errors, "
          f"anchor grew to {kept['offset']} bytes, statuses {dict(sorted(statuses.items()))}")
    assert server.server_errors == []
    assert count[0] >= min(EXAMPLES, 100)


def _race(*calls: Any) -> list[Any]:
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        results[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_a_patch_racing_a_delete_of_the_same_upload_ends_in_one_clear_state(tus_server: TusServer) -> None:
    server = tus_server
    body = os.urandom(2 * 1024 * 1024)
    outcomes = set()
    for _ in range(12):
        path = server.create(len(body))
        patch = lambda p=path: server.send(
            "PATCH", p, [*server.auth(), ("Content-Type", b"application/offset+octet-stream"),
                         ("Upload-Offset", b"0")], body)
        delete = lambda p=path: server.send("DELETE", p, server.auth())
        patched, deleted = _race(patch, delete)
        assert patched.status in (204, 404), patched.body
        assert deleted.status in (204, 404), deleted.body
        outcomes.add((patched.status, deleted.status))
        # Whoever won, the upload is gone, with every byte of it: no orphan on disk.
        assert server.offset(path) is None
        assert not server.part_file(path).exists()
        upload_id = path.rsplit("/", 1)[1]
        assert not (server.home / "media" / "uploads" / upload_id).exists() or not any(
            (server.home / "media" / "uploads" / upload_id).iterdir())
    assert server.server_errors == []
    print(f"\nPATCH/DELETE race outcomes (patch, delete): {sorted(outcomes)}")


def test_two_patches_at_the_same_offset_store_one_chunk_and_refuse_the_other(tus_server: TusServer) -> None:
    server = tus_server
    for _ in range(8):
        path = server.create(2000)
        chunks = [os.urandom(1000), os.urandom(1000)]
        sends = [lambda c=c, p=path: server.send(  # type: ignore[misc]
            "PATCH", p, [*server.auth(), ("Content-Type", b"application/offset+octet-stream"),
                         ("Upload-Offset", b"0")], c) for c in chunks]
        first, second = _race(*sends)
        assert sorted([first.status, second.status]) == [204, 409]
        winner = chunks[0] if first.status == 204 else chunks[1]
        assert server.offset(path) == 1000
        assert server.part_file(path).read_bytes() == winner
    assert server.server_errors == []
