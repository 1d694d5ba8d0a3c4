"""Peering, approved by people. An operator here asks to follow another node
(:func:`follow`); that node's operator accepts or declines with a reason; either side
may end it. Each step is a signed message to the other node, so both sides agree on
where peering stands; nothing else flows until both say ``accepted``.

The operator functions take ``by`` and check it themselves (the CLI passes None: it
runs on the server, as the node's owner).
"""

from __future__ import annotations

from typing import Any

import requests
from django.db import transaction
from django.utils.translation import gettext

from dastan.accounts.permissions import NodeAction, check_node
from dastan.catalog.models import Organisation
from dastan.federation.errors import AnswerRefused, NodeUnreachable, PeeringRefused, PeerNotFound
from dastan.federation.identity import (
    fetch_document,
    normalize_url,
    public_url,
    refresh_keys,
)
from dastan.federation.mirrors import plan_mirror, withdraw_all
from dastan.federation.models import Peer, RemoteTitle
from dastan.federation.transport import call, refusal_words

State = Peer.State


def _check(by: Any | None) -> None:
    if by is not None:
        check_node(user=by, action=NodeAction.MANAGE_FEDERATION)


def access_peer(*, by: Any | None, ref: str | int) -> Peer:
    """A peer by id, address or name; operators only."""
    _check(by)
    text = str(ref)
    peer = (Peer.objects.filter(pk=int(text)).first() if text.isdigit() else None) \
        or Peer.objects.filter(url=normalize_url(text)).first() or Peer.objects.filter(name=text).first()
    if peer is None:
        raise PeerNotFound(gettext("No peer '%(ref)s' here.") % {"ref": ref},
                           gettext("`dastan federation peers` lists them with their ids."))
    return peer


def _post(peer_url: str, path: str, body: dict[str, Any]) -> requests.Response:
    try:
        return call("POST", normalize_url(peer_url) + path, json_body=body, timeout=15)
    except requests.RequestException as exc:
        # Translators: %(error)s is the network library's own message, in English.
        raise NodeUnreachable(gettext("The node at %(url)s did not answer: %(error)s.") % {"url": peer_url, "error": exc},
                              gettext("Check that it runs and that its address is right; try again later.")) from exc


def _refused(response: requests.Response, what: str) -> PeeringRefused:
    said = refusal_words(response)
    # Translators: %(what)s is "the request to follow" or "the answer '…'"; %(said)s is the other node's words.
    return PeeringRefused(gettext("The other node refused %(what)s (%(status)s): %(said)s")
                          % {"what": what, "status": response.status_code, "said": said},
                          gettext("Its operator sees the refusal with its reason; check its address and clock."))


def follow(*, by: Any | None, url: str) -> Peer:
    """Ask the node at ``url`` to peer; the peer is 'requested' until its operator answers."""
    _check(by)
    document = fetch_document(url)
    if document.url == public_url():
        raise PeeringRefused(gettext("That address is this node's own."), gettext("Give another node's public address."))
    peer, _ = Peer.objects.get_or_create(url=document.url, defaults={"state": State.REQUESTED,
                                                                     "name": document.name})
    if peer.state == State.ACCEPTED:
        raise PeeringRefused(gettext("%(peer)s is a peer already.") % {"peer": peer},
                             gettext("Nothing to do; `dastan federation peers` shows it."))
    refresh_keys(peer, document)
    response = _post(peer.url, "/federation/follow", {"url": public_url()})
    if response.status_code >= 400:
        raise _refused(response, gettext("the request to follow"))
    _set(peer, State.REQUESTED, "")
    return peer


def receive_follow(*, url: str) -> Peer:
    """Another node asks to peer (its signature already checked against its document)."""
    peer, created = Peer.objects.get_or_create(url=normalize_url(url), defaults={"state": State.PENDING})
    if not created and peer.state != State.ACCEPTED:
        _set(peer, State.PENDING, "")
    return peer


def accept(*, by: Any | None, ref: str | int) -> Peer:
    peer = access_peer(by=by, ref=ref)
    if peer.state not in (State.PENDING, State.ACCEPTED):
        # Translators: %(state)s is a peering state: requested, pending, accepted, declined or ended.
        raise PeeringRefused(gettext("%(peer)s is %(state)s: only a pending request can be accepted.")
                             % {"peer": peer, "state": peer.state},
                             gettext("Ask the other node to follow this one again, or follow it from here."))
    _answer(peer, State.ACCEPTED, "")
    return peer


def decline(*, by: Any | None, ref: str | int, reason: str) -> Peer:
    peer = access_peer(by=by, ref=ref)
    if not reason.strip():
        raise PeeringRefused(gettext("A decline needs a reason."),
                             gettext("Say why (--reason), so the other operator knows."))
    if peer.state != State.PENDING:
        raise PeeringRefused(gettext("%(peer)s is %(state)s: only a pending request can be declined.")
                             % {"peer": peer, "state": peer.state},
                             gettext("End an accepted peering instead (`dastan federation end`)."))
    _answer(peer, State.DECLINED, reason.strip())
    return peer


def end(*, by: Any | None, ref: str | int, reason: str = "") -> Peer:
    """End peering from this side; the other node is told (if it can be reached)."""
    peer = access_peer(by=by, ref=ref)
    _set(peer, State.ENDED, reason.strip())
    try:
        _post(peer.url, "/federation/peering", {"state": State.ENDED, "reason": reason.strip()})
    except (NodeUnreachable, AnswerRefused):
        pass  # ended here regardless: nothing flows either way, and their next request is refused
    return peer


def _answer(peer: Peer, state: str, reason: str) -> None:
    response = _post(peer.url, "/federation/peering", {"state": state, "reason": reason})
    if response.status_code >= 400:
        raise _refused(response, gettext("the answer '%(state)s'") % {"state": state})
    _set(peer, state, reason)


def receive_answer(*, peer: Peer, state: str, reason: str) -> Peer:
    """The other node's answer to our request, or its end of peering."""
    if state == State.ENDED:
        _set(peer, State.ENDED, reason or "ended by the other node")
    elif peer.state in (State.REQUESTED, State.ACCEPTED):
        _set(peer, state, reason)
    else:
        raise PeeringRefused(gettext("This node did not ask %(peer)s to peer (it is %(state)s here).")
                             % {"peer": peer, "state": peer.state},
                             gettext("Follow this node first."))
    return peer


def set_sharing(*, by: Any | None, ref: str | int, organisations: list[str]) -> Peer:
    """Share every published title with the peer (no organisations), or only these owners'."""
    peer = access_peer(by=by, ref=ref)
    found = list(Organisation.objects.filter(slug__in=organisations))
    missing = sorted(set(organisations) - {o.slug for o in found})
    if missing:
        raise PeerNotFound(gettext("No organisation '%(slug)s' here.") % {"slug": missing[0]},
                           gettext("Give organisation slugs from /api/v1/catalog/organisations."))
    peer.share_all = not organisations
    peer.save(update_fields=["share_all", "updated_at"])
    peer.share_organisations.set(found)
    return peer


def set_mirroring(*, by: Any | None, ref: str | int, on: bool) -> tuple[Peer, int]:
    """Keep cache copies of the peer's films where its licence facts allow (``on``), or
    withdraw every copy; returns the peer and how many titles changed."""
    peer = access_peer(by=by, ref=ref)
    with transaction.atomic():
        peer.mirror = on
        peer.save(update_fields=["mirror", "updated_at"])
        if not on:
            return peer, withdraw_all(peer)
        remotes = list(RemoteTitle.objects.select_related("peer").filter(peer=peer))
        for remote in remotes:
            plan_mirror(remote=remote)
    return peer, len(remotes)


def _set(peer: Peer, state: str, reason: str) -> None:
    with transaction.atomic():
        peer.state, peer.reason = state, reason
        peer.save(update_fields=["state", "reason", "updated_at"])
        if state in (State.ENDED, State.DECLINED):
            withdraw_all(peer)  # nothing of theirs is served here any more
