"""This node's identity (name, country, public address, keys) and its discovery document
at ``/.well-known/dastan-node``; reading another node's document; and the key lookup the
signing core calls for a request from a peer.

A key id is the node's address, ``#``, and a random part
(``https://pk.dastan.example#k-3fa9``), so a receiver knows whose document to read when
it meets a key it does not know yet. It re-reads that document once, then refuses.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from dastan.federation.addresses import check_peer_address
from dastan.federation.errors import NodeUnreachable
from dastan.federation.models import NodeKey, Peer
from dastan.signing.keys import Algorithm, PrivateKey, PublicKey, generate
from dastan.signing.messages import Refused

WELL_KNOWN = "/.well-known/dastan-node"
# A peer's document is re-read for an unknown key at most this often: a stranger sending
# made-up key ids must not make this node fetch documents in a loop.
REFETCH_AFTER = dt.timedelta(seconds=2)
FETCH_TIMEOUT_S = 10.0


@dataclass(frozen=True, slots=True)
class NodeDocument:
    """Another node as its discovery document describes it."""

    name: str
    country: str
    url: str
    keys: tuple[dict[str, Any], ...]


def public_url() -> str:
    return str(settings.DASTAN_PUBLIC_URL).rstrip("/")


def normalize_url(url: str) -> str:
    return url.strip().rstrip("/")


# --- this node's keys ---------------------------------------------------------------------------

def _new_key(algorithm: Algorithm | str) -> NodeKey:
    private = generate(f"{public_url()}#k-{secrets.token_hex(6)}", algorithm)
    return NodeKey.objects.create(key_id=private.key_id, algorithm=private.algorithm.value,
                                  private_pem=private.pem, public_pem=private.public().pem)


def signing_key() -> PrivateKey:
    """The key this node signs with now (made on first use: Ed25519)."""
    row = NodeKey.objects.filter(retired_at__isnull=True).first()
    if row is None:
        with transaction.atomic():
            row = NodeKey.objects.select_for_update().filter(retired_at__isnull=True).first() \
                or _new_key(Algorithm.ED25519)
    return PrivateKey(row.key_id, Algorithm(row.algorithm), row.private_pem)


def rotate_key(*, overlap: dt.timedelta, algorithm: Algorithm | str = Algorithm.ED25519) -> NodeKey:
    """Make a new signing key; the current ones stay valid for ``overlap`` (peers keep
    accepting messages they signed), then peers refuse them as revoked."""
    now = timezone.now()
    with transaction.atomic():
        for old in NodeKey.objects.select_for_update().filter(retired_at__isnull=True):
            old.retired_at, old.valid_until = now, now + overlap
            old.save(update_fields=["retired_at", "valid_until"])
        return _new_key(algorithm)


def discovery_document() -> dict[str, Any]:
    """What ``/.well-known/dastan-node`` answers: who this node is and which keys may sign
    for it, with the end of each retired key's overlap."""
    signing_key()  # a node always publishes at least one key
    now = timezone.now()
    keys = NodeKey.objects.exclude(valid_until__lt=now - dt.timedelta(days=7))
    return {
        "name": settings.DASTAN_NODE_NAME,
        "country": settings.DASTAN_NODE_COUNTRY,
        "url": public_url(),
        "software": "dastan",
        "endpoints": {"follow": "/federation/follow", "peering": "/federation/peering",
                      "feed": "/federation/feed", "inbox": "/federation/inbox"},
        "keys": [{"key_id": k.key_id, "algorithm": k.algorithm, "pem": k.public_pem,
                  "valid_from": k.created_at.isoformat(),
                  "valid_until": k.valid_until.isoformat() if k.valid_until else None} for k in keys],
    }


# --- other nodes ---------------------------------------------------------------------------------

def fetch_document(url: str) -> NodeDocument:
    """Read a node's discovery document; raises PeerAddressRefused for an address that may
    not be a peer's (addresses.py), NodeUnreachable naming what went wrong."""
    base = normalize_url(url)
    check_peer_address(base)
    try:
        # No redirects: the address checked is the address read.
        response = requests.get(base + WELL_KNOWN, timeout=FETCH_TIMEOUT_S, allow_redirects=False)
        response.raise_for_status()
        if response.is_redirect:
            raise ValueError(gettext("it redirects to %(location)s; give that address")
                             % {"location": response.headers.get("Location")})
        body = response.json()
        keys = tuple({"key_id": str(k["key_id"]), "algorithm": str(k["algorithm"]), "pem": str(k["pem"]),
                      "valid_until": k.get("valid_until")} for k in body["keys"])
        document = NodeDocument(name=str(body["name"]), country=str(body.get("country") or ""),
                                url=normalize_url(str(body.get("url") or base)), keys=keys)
    except (requests.RequestException, ValueError, KeyError, TypeError) as exc:
        # Translators: %(error)s is the network library's own message, in English.
        raise NodeUnreachable(gettext("Could not read the node document at %(url)s: %(error)s.")
                              % {"url": f"{base}{WELL_KNOWN}", "error": exc},
                              gettext("Check the address (https://…, the node's public URL) and that the "
                                      "node is running.")) from exc
    check_peer_address(document.url)  # where this node will send its requests from now on
    return document


def public_key(entry: dict[str, Any], *, key_id: str, now: dt.datetime) -> PublicKey:
    """The key of a document entry; Refused('revoked_key') once its overlap ended."""
    until = entry.get("valid_until")
    if until and dt.datetime.fromisoformat(until) < now:
        raise Refused.because("revoked_key", key_id, key=repr(key_id), until=until)
    return PublicKey(key_id, Algorithm(entry["algorithm"]), entry["pem"])


def owner_url(key_id: str) -> str:
    return key_id.split("#", 1)[0]


def peer_lookup(key_id: str) -> PublicKey | None:
    """The signing core's key lookup for federation: the key among a known peer's
    published keys; an unknown id makes this node re-read that peer's document once."""
    peer = Peer.objects.filter(url=owner_url(key_id)).first()
    if peer is None:
        return None
    now = timezone.now()
    entry = next((k for k in peer.keys if k["key_id"] == key_id), None)
    if entry is None and (peer.keys_fetched_at is None or now - peer.keys_fetched_at > REFETCH_AFTER):
        try:
            refresh_keys(peer, fetch_document(peer.url))
        except NodeUnreachable:
            return None
        entry = next((k for k in peer.keys if k["key_id"] == key_id), None)
    return public_key(entry, key_id=key_id, now=now) if entry is not None else None


def refresh_keys(peer: Peer, document: NodeDocument) -> None:
    peer.keys = list(document.keys)
    peer.keys_fetched_at = timezone.now()
    peer.name = peer.name or document.name
    peer.country = peer.country or document.country
    Peer.objects.filter(pk=peer.pk).update(keys=peer.keys, keys_fetched_at=peer.keys_fetched_at,
                                           name=peer.name, country=peer.country)


def document_lookup(document: NodeDocument) -> Any:
    """A key lookup over one freshly read document (for a follow request from a node
    this one does not know yet)."""
    now = timezone.now()

    def lookup(key_id: str) -> PublicKey | None:
        if owner_url(key_id) != document.url:
            return None
        entry = next((k for k in document.keys if k["key_id"] == key_id), None)
        return public_key(entry, key_id=key_id, now=now) if entry is not None else None

    return lookup
