"""Answers are signed too: this node reads a peer's feed (and pushes to its inbox) and
uses an answer only when the peer's key signed it for that very request. A tampered,
unsigned, replayed or foreign-signed answer is refused with its reason on the peers page,
and nothing of it is stored."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from dastan.catalog.models import Title
from dastan.federation.models import Peer, RemoteTitle
from dastan.federation.sync import sync_peer
from dastan.federation.tests.conftest import PeerServer
from dastan.federation.tests.test_corpus import document
from dastan.signing import keys
from dastan.signing.messages import sign_response
from dastan.signing.models import RefusedRequest

pytestmark = pytest.mark.django_db(transaction=True)

Answer = Callable[[str, str, dict[str, str], bytes], tuple[int, dict[str, str], bytes]]


def feed_answer(
    key: keys.PrivateKey,
    *,
    spoil: Callable[[bytes, dict[str, str]], bytes] | None = None,
    signed: bool = True,
) -> Answer:
    """The peer's feed answering one document, signed by ``key`` for the request it answers;
    ``spoil`` changes the body after signing."""
    recorded: dict[str, Any] = {}

    def answer(
        method: str, url: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        if method == "POST":  # our push to its inbox: nothing to take
            out = json.dumps({"results": []}).encode()
        else:
            out = json.dumps({"documents": [document()], "next": 1, "more": False}).encode()
        sig = (
            sign_response(
                status=200,
                body=out,
                request_method=method,
                request_url=url,
                request_headers=headers,
                key=key,
            )
            if signed
            else {}
        )
        recorded.setdefault(method, (sig, out))
        if spoil is not None and method == "GET":
            out = spoil(out, sig)
        return 200, {"Content-Type": "application/json", **sig}, out

    answer.recorded = recorded  # type: ignore[attr-defined]
    return answer


def refused_sync(peer: Peer, code: str) -> str:
    report = sync_peer(peer)
    peer.refresh_from_db()
    assert code in report.error and code in peer.last_error, (report, peer.last_error)
    assert RemoteTitle.objects.count() == 0
    refusal = RefusedRequest.objects.filter(channel="federation", code=code).latest("at")
    assert refusal.reason.startswith("answer refused: ") and "/federation/feed" in refusal.path
    return refusal.reason


def test_a_signed_feed_answer_is_applied(
    peer: tuple[Peer, keys.PrivateKey], peer_server: PeerServer
) -> None:
    the_peer, key = peer
    peer_server.answer = feed_answer(key)
    report = sync_peer(the_peer)
    assert report.error == "" and report.pulled == 1
    assert RemoteTitle.objects.get().remote_slug == "zindagi"


def test_a_tampered_unsigned_or_foreign_answer_is_refused_and_nothing_is_stored(
    peer: tuple[Peer, keys.PrivateKey], peer_server: PeerServer
) -> None:
    the_peer, key = peer
    # A body changed on the way (another title's state slipped in).
    peer_server.answer = feed_answer(
        key, spoil=lambda body, sig: body.replace(b'"zindagi"', b'"humsafar"')
    )
    assert "Content-Digest" in refused_sync(the_peer, "tampered_body")
    # No signature at all.
    peer_server.answer = feed_answer(key, signed=False)
    refused_sync(the_peer, "unsigned")
    # Signed, but by a key that is not the peer's.
    stranger = keys.generate(f"{peer_server.url}#k-stranger")
    peer_server.answer = feed_answer(stranger)
    refused_sync(the_peer, "unknown_key")
    # A genuine answer, recorded earlier, played back for a later request.
    genuine = feed_answer(key)
    peer_server.answer = genuine
    sync_peer(the_peer)
    Title.objects.filter(pk__in=RemoteTitle.objects.values("title_id")).delete()
    Peer.objects.filter(pk=the_peer.pk).update(cursor=0)
    the_peer.refresh_from_db()
    old_sig, old_body = genuine.recorded["GET"]  # type: ignore[attr-defined]
    peer_server.answer = lambda *args: (
        200,
        {"Content-Type": "application/json", **old_sig},
        old_body,
    )
    refused_sync(the_peer, "bad_signature")
