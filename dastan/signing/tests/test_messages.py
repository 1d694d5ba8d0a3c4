"""Every way a signed request can be wrong is refused with its own reason, for both key
algorithms; a good one verifies once and only once."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
from collections.abc import Iterator

import pytest
from django.utils import timezone
from http_message_signatures import HTTPMessageSigner
from http_message_signatures.structures import CaseInsensitiveDict

from dastan.signing import keys
from dastan.signing.messages import (
    LABEL,
    TAG,
    Refused,
    _Message,
    _OneKey,
    remember_nonce,
    send,
    sign,
    sign_response,
    verify,
    verify_response,
)
from dastan.signing.models import SeenNonce
from dastan.signing.tests.factories import SeenNonceFactory

URL = "https://node-b.example/federation/inbox?since=12"
BODY = b'{"title":"Zindagi Gulzar Hai","territories":["KZ"]}'

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[keys.Algorithm.ED25519, keys.Algorithm.RSA_PSS_SHA512])
def key(request: pytest.FixtureRequest) -> keys.PrivateKey:
    return keys.generate(f"node-a#{request.param}", request.param)


def lookup_for(*known: keys.PrivateKey):
    table = {k.key_id: k.public() for k in known}
    return table.get


def refused(code: str, *args, **kwargs) -> Refused:
    with pytest.raises(Refused) as caught:
        verify(*args, **kwargs)
    assert caught.value.code == code, caught.value.reason
    return caught.value


def test_a_signed_request_verifies_once(key: keys.PrivateKey) -> None:
    headers = sign("POST", URL, key=key, body=BODY)
    assert {"Content-Digest", "Signature-Input", "Signature"} <= set(headers)
    verified = verify("POST", URL, headers, BODY, lookup=lookup_for(key))
    assert verified.key_id == key.key_id and verified.algorithm == key.algorithm
    assert SeenNonce.objects.filter(key_id=key.key_id).count() == 1
    refused("replay", "POST", URL, headers, BODY, lookup=lookup_for(key))


def test_a_nonce_remembered_before_is_refused_as_a_replay_and_another_of_that_key_is_not() -> None:
    seen = SeenNonceFactory.create(seen_at=timezone.now() - dt.timedelta(seconds=30))
    with pytest.raises(Refused, match=rf"\(nonce {seen.nonce[:12]}…\) was already accepted") as caught:
        remember_nonce(seen.key_id, seen.nonce, timezone.now())
    assert caught.value.code == "replay"
    remember_nonce(seen.key_id, "a-fresh-nonce", timezone.now())
    assert SeenNonce.objects.filter(key_id=seen.key_id).count() == 2


def test_each_kind_of_bad_request_is_refused_with_its_reason(key: keys.PrivateKey) -> None:
    good = sign("POST", URL, key=key, body=BODY)
    lookup = lookup_for(key)
    refused("unsigned", "POST", URL, {}, BODY, lookup=lookup)
    refused("unsigned", "POST", URL, {"Signature-Input": good["Signature-Input"]}, BODY, lookup=lookup)
    refused("malformed", "POST", URL, {**good, "Signature-Input": "dastan=(((("}, BODY, lookup=lookup)
    refused("malformed", "POST", URL, {**good, "Signature-Input": good["Signature-Input"].replace("dastan=", "x=")},
            BODY, lookup=lookup)
    refused("unknown_key", "POST", URL, good, BODY, lookup=lambda key_id: None)
    other = keys.generate(key.key_id, key.algorithm)  # same id, another key: a forgery
    refused("bad_signature", "POST", URL, good, BODY, lookup=lookup_for(other))
    refused("bad_signature", "PUT", URL, good, BODY, lookup=lookup)
    refused("bad_signature", "POST", URL.replace("since=12", "since=0"), good, BODY, lookup=lookup)
    digest_swapped = sign("POST", URL, key=key, body=b"{}")["Content-Digest"]
    refused("bad_signature", "POST", URL, {**good, "Content-Digest": digest_swapped}, b"{}", lookup=lookup)
    refused("tampered_body", "POST", URL, good, BODY.replace(b"KZ", b"CN"), lookup=lookup)
    later = timezone.now() + dt.timedelta(minutes=6)
    refused("stale", "POST", URL, good, BODY, lookup=lookup, now=later)
    early = timezone.now() - dt.timedelta(minutes=6)
    refused("stale", "POST", URL, good, BODY, lookup=lookup, now=early)
    assert SeenNonce.objects.count() == 0, "nothing refused is remembered"


def test_a_signature_that_leaves_out_the_body_is_refused(key: keys.PrivateKey) -> None:
    message = _Message("POST", URL, CaseInsensitiveDict())
    HTTPMessageSigner(signature_algorithm=key.algorithm.library, key_resolver=_OneKey(private=key.loaded())).sign(
        message, key_id=key.key_id, nonce="n1", label=LABEL, tag=TAG, covered_component_ids=("@method", "@target-uri"))
    reason = refused("not_covered", "POST", URL, dict(message.headers.items()), BODY, lookup=lookup_for(key)).reason
    assert "content-digest" in reason


def test_a_revoked_key_is_refused_by_the_lookup(key: keys.PrivateKey) -> None:
    def lookup(key_id: str) -> keys.PublicKey | None:
        raise Refused("revoked_key", f"key {key_id} was revoked on 2026-11-01", key_id)

    refused("revoked_key", "POST", URL, sign("POST", URL, key=key, body=BODY), BODY, lookup=lookup)


class _Capture(http.server.BaseHTTPRequestHandler):
    seen: list[tuple[str, str, dict[str, str], bytes]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        url = f"http://{self.headers['Host']}{self.path}"
        self.seen.append((self.command, url, dict(self.headers.items()), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def capture_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Capture)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def test_send_puts_on_the_wire_what_it_signed(key: keys.PrivateKey, capture_server: str) -> None:
    _Capture.seen.clear()
    answer = send("POST", f"{capture_server}/inbox?x=1&y=ü", key=key, json_body={"name": "Алматы", "n": 1})
    assert answer.status_code == 204
    method, url, headers, body = _Capture.seen[0]
    assert headers["Content-Type"] == "application/json"
    verified = verify(method, url, headers, body, lookup=lookup_for(key))
    assert verified.key_id == key.key_id


# --- responses ------------------------------------------------------------------------------

ANSWER = b'{"results":[{"slug":"zindagi","status":"applied"}]}'


def answer_to(request_headers: dict[str, str], key: keys.PrivateKey, *, status: int = 200,
              body: bytes = ANSWER) -> dict[str, str]:
    return sign_response(status=status, body=body, request_method="POST", request_url=URL,
                         request_headers=request_headers, key=key)


def response_refused(code: str, **kwargs: object) -> Refused:
    with pytest.raises(Refused) as caught:
        verify_response(**kwargs)  # type: ignore[arg-type]
    assert caught.value.code == code, caught.value.reason
    return caught.value


def test_a_signed_response_verifies_against_the_request_it_answers(key: keys.PrivateKey) -> None:
    request = sign("POST", URL, key=key, body=BODY)
    answer = answer_to(request, key)
    common = {"request_method": "POST", "request_url": URL, "lookup": lookup_for(key)}
    verified = verify_response(status=200, headers=answer, body=ANSWER, request_headers=request, **common)
    assert verified.key_id == key.key_id
    # It verifies again (a response has no nonce of its own: it is bound to the request's).
    verify_response(status=200, headers=answer, body=ANSWER, request_headers=request, **common)


def test_each_kind_of_bad_response_is_refused_with_its_reason(key: keys.PrivateKey) -> None:
    request = sign("POST", URL, key=key, body=BODY)
    answer = answer_to(request, key)
    common = {"request_method": "POST", "request_url": URL, "request_headers": request}
    lookup = lookup_for(key)
    response_refused("unsigned", status=200, headers={}, body=ANSWER, lookup=lookup, **common)
    response_refused("tampered_body", status=200, headers=answer, body=ANSWER.replace(b"applied", b"older"),
                     lookup=lookup, **common)
    response_refused("bad_signature", status=500, headers=answer, body=ANSWER, lookup=lookup, **common)
    other = keys.generate(key.key_id, key.algorithm)
    response_refused("bad_signature", status=200, headers=answer, body=ANSWER, lookup=lookup_for(other), **common)
    response_refused("unknown_key", status=200, headers=answer, body=ANSWER, lookup=lambda key_id: None, **common)
    # The answer to one request is not the answer to another (a recorded answer played back).
    another = sign("POST", URL, key=key, body=BODY)
    response_refused("bad_signature", status=200, headers=answer, body=ANSWER, lookup=lookup,
                     request_method="POST", request_url=URL, request_headers=another)
    response_refused("bad_signature", status=200, headers=answer, body=ANSWER, lookup=lookup,
                     request_method="POST", request_url=URL.replace("12", "13"), request_headers=request)
    response_refused("stale", status=200, headers=answer, body=ANSWER, lookup=lookup, **common,
                     now=timezone.now() + dt.timedelta(minutes=6))
    # A request's signature is not a response's: it covers neither the status nor the request.
    as_request = sign("POST", URL, key=key, body=ANSWER)
    reason = response_refused("not_covered", status=200, headers=as_request, body=ANSWER, lookup=lookup,
                              **common).reason
    assert "@status" in reason
