"""A corpus of bad messages to a node's federation inbox and feed: every refusal kind of
the signing core, a peer that is not accepted, bodies that are not JSON or break the
schema, an older state and a licence fact that clashes with a local exclusive licence.
Each is refused (or answered) with its reason, and the database is left as it was.

The peer's discovery document is served by a real HTTP server on loopback, so the
receiver's one re-read for an unknown key id is a real request.
"""

from __future__ import annotations

import datetime as dt
import json
from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from http_message_signatures import HTTPMessageSigner
from http_message_signatures.structures import CaseInsensitiveDict

from dastan.catalog.models import Organisation, Title, TitleText
from dastan.federation.models import Peer, RemoteLicence, RemoteTitle
from dastan.federation.tests.conftest import HOST, PeerServer, entry, post, publish_doc
from dastan.rights.actions import grant_licence
from dastan.rights.tests.factories import terms
from dastan.signing import keys
from dastan.signing.messages import LABEL, TAG, _Message, _OneKey, sign
from dastan.signing.models import RefusedRequest, SeenNonce

pytestmark = pytest.mark.django_db(transaction=True)


def document(slug: str = "zindagi", sequence: int = 1, **changes: Any) -> dict[str, Any]:
    doc = {
        "slug": slug, "sequence": sequence, "position": sequence, "published": True, "kind": "film",
        "original_language": "ur", "country_of_origin": "PK", "year": 2012, "runtime_min": 45,
        "owner": {"slug": "lahore-films", "name": "Lahore Films", "country": "PK"},
        "texts": [{"language": "ur", "name": "زندگی گلزار ہے", "origin": "original"},
                  {"language": "en", "name": "Zindagi Gulzar Hai", "origin": "human", "synopsis": "Karachi."}],
        "credits": [{"name": "Sultana Siddiqui", "role": "director"}],
        "genres": [{"slug": "drama", "names": {"en": "Drama"}}],
        "licences": [{"licensor": "Lahore Films", "row": {
            "LicenceRef": "PK-KZ-1", "Title": slug, "LicenseType": "SVOD", "Territory": "KZ; UZ",
            "Start": "2020-01-01", "End": "Open", "Exclusive": "No"}}],
    }
    doc.update(changes)
    return doc


def inbox(doc_or_body: Any, key: keys.PrivateKey | None, **sign_kw: Any) -> Any:
    body = doc_or_body if isinstance(doc_or_body, bytes) else \
        json.dumps({"documents": [doc_or_body]}).encode()
    return post("/federation/inbox", body, key=key, **sign_kw)


def fingerprint() -> Any:
    return (list(Title.objects.order_by("pk").values_list("slug", "is_published", "year")),
            list(TitleText.objects.order_by("pk").values_list("language", "name")),
            list(RemoteTitle.objects.order_by("pk").values_list("remote_slug", "sequence")),
            sorted(RemoteLicence.objects.values_list("ref", "row")))


def refused_with(response: Any, code: str, status: int) -> str:
    body = response.json()
    assert (response.status_code, body["code"]) == (status, code), body
    assert RefusedRequest.objects.filter(channel="federation", code=code).exists()
    return str(body["message"])


def test_a_good_document_is_applied_then_every_bad_message_is_refused_with_its_reason(
        peer: tuple[Peer, keys.PrivateKey], peer_server: PeerServer) -> None:
    the_peer, key = peer
    good = inbox(document(), key)
    assert good.status_code == 200, good.content
    [result] = good.json()["results"]
    assert result["status"] == "applied" and result["licences"][0]["verdict"] == "ACCEPTED"
    before, nonces = fingerprint(), SeenNonce.objects.count()
    body = json.dumps({"documents": [document(sequence=2, year=2013)]}).encode()

    # 1. unsigned
    refused_with(inbox(body, None), "unsigned", 401)
    # 2. malformed signature input
    headers = sign("POST", HOST + "/federation/inbox", key=key, body=body)
    headers["Signature-Input"] = "dastan=(((("
    response = Client().generic("POST", "/federation/inbox", body, content_type="application/json", headers=headers)
    refused_with(response, "malformed", 401)
    # 3. a key id the peer never published: its document is read once more, then refused
    reads = peer_server.reads
    stranger = keys.generate(f"{peer_server.url}#k-unknown")
    refused_with(inbox(body, stranger), "unknown_key", 401)
    assert peer_server.reads == reads + 1
    refused_with(inbox(body, stranger), "unknown_key", 401)
    assert peer_server.reads == reads + 1, "re-read once, not on every message"
    # 4. a node that is no peer at all
    refused_with(inbox(body, keys.generate("http://127.0.0.1:9#k-1")), "unknown_key", 401)
    # 5. a key whose overlap after rotation ended
    old = keys.generate(f"{peer_server.url}#k-old")
    Peer.objects.filter(pk=the_peer.pk).update(
        keys=[entry(key), entry(old, valid_until=timezone.now() - dt.timedelta(seconds=1))])
    refused_with(inbox(body, old), "revoked_key", 401)
    # 6. a signature that leaves out the body's digest
    message = _Message("POST", HOST + "/federation/inbox", CaseInsensitiveDict())
    HTTPMessageSigner(signature_algorithm=key.algorithm.library, key_resolver=_OneKey(private=key.loaded())).sign(
        message, key_id=key.key_id, nonce="n-1", label=LABEL, tag=TAG, covered_component_ids=("@method", "@target-uri"))
    response = Client().generic("POST", "/federation/inbox", body, content_type="application/json",
                                headers=dict(message.headers.items()))
    refused_with(response, "not_covered", 401)
    # 7. signed seven minutes ago
    refused_with(inbox(body, key, created=timezone.now() - dt.timedelta(minutes=7)), "stale", 401)
    # 8. a signed header changed: signed for another address
    headers = sign("POST", HOST + "/federation/feed", key=key, body=body)
    response = Client().generic("POST", "/federation/inbox", body, content_type="application/json", headers=headers)
    refused_with(response, "bad_signature", 401)
    # 9. the body changed after signing
    headers = sign("POST", HOST + "/federation/inbox", key=key, body=body)
    tampered = body.replace(b"2013", b"1999")
    response = Client().generic("POST", "/federation/inbox", tampered, content_type="application/json",
                                headers=headers)
    refused_with(response, "tampered_body", 401)
    # 10. valid JSON that breaks the schema: refused whole, nothing of it stored
    broken = document(sequence=3, year="two thousand")
    message_text = refused_with(inbox(json.dumps({"documents": [document(slug="other"), broken]}).encode(), key),
                                "invalid_document", 422)
    assert "documents.1.year" in message_text
    refused_with(inbox(json.dumps({"documents": [document(sequence=3, texts=[])]}).encode(), key),
                 "invalid_document", 422)
    # 11. not JSON at all
    refused_with(inbox(b"{not json", key), "invalid_document", 422)
    # 12. a peer that is not accepted (its signature is good)
    Peer.objects.filter(pk=the_peer.pk).update(state=Peer.State.ENDED, keys=[entry(key)])
    refused_with(inbox(body, key), "not_peer", 403)
    Peer.objects.filter(pk=the_peer.pk).update(state=Peer.State.ACCEPTED)
    # None of them changed anything. Only the four whose signature verified (schema, JSON,
    # not a peer) spent their nonce: a refused message cannot be replayed either.
    assert fingerprint() == before and SeenNonce.objects.count() == nonces + 4
    assert RefusedRequest.objects.filter(channel="federation").count() >= 14
    # 13. a replay of a message that was accepted
    first = inbox(body, key, nonce="once-only")
    assert first.status_code == 200
    after_first = fingerprint()
    refused_with(inbox(body, key, nonce="once-only"), "replay", 401)
    assert fingerprint() == after_first and after_first[0] == [("zindagi--lahore", True, 2013)]


def test_an_older_state_never_overwrites_a_newer_one(peer: tuple[Peer, keys.PrivateKey]) -> None:
    _, key = peer
    assert inbox(document(sequence=5, year=2015), key).status_code == 200
    before = fingerprint()
    [result] = inbox(document(sequence=4, year=1990), key).json()["results"]
    assert result["status"] == "older"
    assert fingerprint() == before


def test_a_licence_fact_that_clashes_with_a_local_exclusive_licence_is_answered_conflict(
        peer: tuple[Peer, keys.PrivateKey]) -> None:
    the_peer, key = peer
    assert inbox(document(sequence=1, licences=[]), key).status_code == 200
    shadow = RemoteTitle.objects.get(peer=the_peer).title
    local = Organisation.objects.create(name="Steppe Screens", slug="steppe", kind="distributor", country="KZ")
    grant_licence.execute(terms=terms("KZ-EXCL-1", title_id=shadow.pk, territories=("KZ",), exclusive=True,
                                      start=date(2024, 1, 1), end=date(2030, 12, 31)), licensor=local)
    before = fingerprint()
    [result] = inbox(document(sequence=2), key).json()["results"]
    [verdict] = result["licences"]
    assert verdict["verdict"] == "CONFLICT"
    assert "KZ-EXCL-1" in verdict["reason"] and "Kazakhstan" in verdict["reason"]
    assert sorted(RemoteLicence.objects.values_list("ref", flat=True)) == before[3] == []
    # A fact whose terms do not read is REJECTED, naming the column.
    bad = document(sequence=3, licences=[{"licensor": "Lahore Films", "row": {
        "LicenceRef": "PK-X", "Title": "zindagi", "LicenseType": "SVOD", "Territory": "KZ", "Start": "someday"}}])
    [result] = inbox(bad, key).json()["results"]
    assert result["licences"][0]["verdict"] == "REJECTED" and "Start" in result["licences"][0]["reason"]
    assert not RemoteLicence.objects.exists()


def test_key_rotation_old_key_accepted_during_the_overlap_then_refused(
        peer: tuple[Peer, keys.PrivateKey], peer_server: PeerServer) -> None:
    """The peer rotates: its document lists the new key and the old one with the end of the
    overlap. A message signed with the new key makes this node re-read the document."""
    _, old = peer
    new = keys.generate(f"{peer_server.url}#k-2", keys.Algorithm.RSA_PSS_SHA512)
    overlap_ends = timezone.now() + dt.timedelta(seconds=3)
    publish_doc(peer_server, entry(old, valid_until=overlap_ends), entry(new))
    assert inbox(document(sequence=1), new).status_code == 200  # unknown id → document re-read
    assert inbox(document(sequence=2), old).status_code == 200  # inside the overlap
    with time_machine.travel(overlap_ends + dt.timedelta(seconds=0.2), tick=True):  # the overlap has ended
        message = refused_with(inbox(document(sequence=3), old), "revoked_key", 401)
    assert "overlap" in message
    assert inbox(document(sequence=3), new).status_code == 200


def test_this_nodes_rotation_keeps_the_old_key_in_its_document_until_the_overlap_ends(settings: Any) -> None:
    from dastan.federation.identity import discovery_document, rotate_key, signing_key

    first = signing_key()
    rotate_key(overlap=dt.timedelta(hours=2))
    second = signing_key()
    assert second.key_id != first.key_id
    listed = {k["key_id"]: k["valid_until"] for k in Client().get("/.well-known/dastan-node").json()["keys"]}
    assert listed[second.key_id] is None and listed[first.key_id] is not None
    assert discovery_document()["url"] == settings.DASTAN_PUBLIC_URL.rstrip("/")
