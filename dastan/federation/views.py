"""The doors of federation: the discovery document (public), the signed endpoints other
nodes call (follow, peering answers, feed, inbox), and the operators' peers page.

A signed endpoint verifies the request with :mod:`dastan.signing` before it reads the
body; a refusal is recorded with its reason (``RefusedRequest``, channel
``federation``) and nothing else is stored. Every answer to a request that verified is
signed in turn (RFC 9421 response signature bound to that request), refusals included, so
the caller can tell this node's answer from a forged or altered one
(:mod:`dastan.federation.transport`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from dastan.catalog.languages import LANGUAGES
from dastan.errors import DastanError
from dastan.federation import peering, selectors, sync
from dastan.federation.contributions import receive_contribution
from dastan.federation.feed import feed_page
from dastan.federation.grants import GrantRefused, issue_grant
from dastan.federation.identity import (
    discovery_document,
    document_lookup,
    fetch_document,
    owner_url,
    peer_lookup,
    signing_key,
)
from dastan.federation.models import Peer
from dastan.federation.receive import apply_documents, parse_documents
from dastan.federation.remote_play import remote_master_for_request
from dastan.federation.schemas import (
    ContributionBody,
    FollowBody,
    GrantBody,
    InboxAnswer,
    InboxBody,
    PeeringBody,
)
from dastan.media import links
from dastan.media.playback import content_type_for
from dastan.net import client_address
from dastan.rights.playback import refusal_response
from dastan.signing.messages import (
    KeyLookup,
    Refused,
    record_refusal,
    sign_django_response,
    verify_request,
)

CHANNEL = "federation"
MAX_FEED_PAGE = 500


def _refusal(refused: Refused, status: int = 401) -> JsonResponse:
    # In English with the reason's id: the other node says it in its operator's language.
    return JsonResponse(refused.as_dict(), status=status)


def _refuse(request: HttpRequest, refused: Refused, key_id: str = "", status: int = 403) -> JsonResponse:
    if key_id and not refused.key_id:
        refused.key_id = key_id
    record_refusal(CHANNEL, refused, method=request.method or "", path=request.get_full_path(),
                   remote_addr=client_address(request))
    return _refusal(refused, status)


def _refused_for(exc: DastanError) -> Refused:
    """A domain error as a refusal: its message is already in the language the asking node
    sent (Accept-Language; English when it sent none)."""
    return Refused(exc.code, exc.message)


def _body(request: HttpRequest) -> Any:
    try:
        return json.loads(request.body or b"null")
    except ValueError as exc:
        raise Refused.because("invalid_document.not_json", error=exc) from exc


def signed(*, accepted_only: bool = True) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Verify the signature against the claimed peer's keys; then refuse a peer that is
    not accepted (``accepted_only``). The view gets the peer."""
    def wrap(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        def inner(request: HttpRequest) -> HttpResponse:
            try:
                verified = verify_request(request, lookup=peer_lookup, channel=CHANNEL)
            except Refused as refused:
                return _refusal(refused)
            peer = Peer.objects.get(url=owner_url(verified.key_id))
            return _signed_answer(request, _answer(request, view, peer, verified.key_id, accepted_only))
        return inner
    return wrap


def _answer(request: HttpRequest, view: Callable[..., HttpResponse], peer: Peer, key_id: str,
            accepted_only: bool) -> HttpResponse:
    if accepted_only and peer.state != Peer.State.ACCEPTED:
        return _refuse(request, Refused.because("not_peer", key_id, peer=peer, state=peer.state), key_id)
    try:
        return view(request, peer)
    except Refused as refused:
        return _refuse(request, refused, key_id, status=422)
    except DastanError as exc:
        return _refuse(request, _refused_for(exc), key_id, status=exc.status)


def _signed_answer(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    return sign_django_response(request, response, key=signing_key())


@require_GET
def well_known(request: HttpRequest) -> JsonResponse:
    return JsonResponse(discovery_document())


@csrf_exempt
@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    """A node asks to peer. Its keys are read from the document at the address it gives,
    so the request must be signed by that node."""
    try:
        body = parse_documents(_body(request), FollowBody)
        document = fetch_document(str(body.url))
    except Refused as refused:
        return _refuse(request, refused, status=422)
    except DastanError as exc:
        return _refuse(request, _refused_for(exc), status=exc.status)
    lookup: KeyLookup = document_lookup(document)
    try:
        verify_request(request, lookup=lookup, channel=CHANNEL)
    except Refused as refused:
        return _refusal(refused)
    peer = peering.receive_follow(url=document.url)
    from_doc = Peer.objects.filter(pk=peer.pk)
    from_doc.update(name=document.name, country=document.country, keys=list(document.keys))
    return _signed_answer(request, JsonResponse({"state": Peer.objects.get(pk=peer.pk).state}, status=202))


@require_POST
@signed(accepted_only=False)
def peering_answer(request: HttpRequest, peer: Peer) -> HttpResponse:
    body = parse_documents(_body(request), PeeringBody)
    peer = peering.receive_answer(peer=peer, state=body.state, reason=body.reason)
    return JsonResponse({"state": peer.state})


@require_GET
@signed()
def feed(request: HttpRequest, peer: Peer) -> HttpResponse:
    try:
        since = max(0, int(request.GET.get("since", "0")))
        limit = min(MAX_FEED_PAGE, max(1, int(request.GET.get("limit", "200"))))
    except ValueError as exc:
        raise Refused.because("invalid_document.paging") from exc
    documents, last, more = feed_page(peer=peer, since=since, limit=limit)
    return JsonResponse({"documents": documents, "next": last, "more": more})


@require_POST
@signed()
def inbox(request: HttpRequest, peer: Peer) -> HttpResponse:
    body = parse_documents(_body(request), InboxBody)  # all of it, before anything is stored
    answer = InboxAnswer(results=apply_documents(peer=peer, documents=body.documents))
    return JsonResponse(answer.model_dump(mode="json"))


@require_POST
@signed()
def contributions(request: HttpRequest, peer: Peer) -> HttpResponse:
    body = parse_documents(_body(request), ContributionBody)
    track = receive_contribution(peer=peer, body=body)
    return JsonResponse({"track": track.pk, "state": track.state, "language": track.language}, status=202)


@require_POST
@signed()
def grants(request: HttpRequest, peer: Peer) -> HttpResponse:
    """A peer asks to play one of this node's titles for one of its viewers. A refusal of
    playback is an answer, not a refused message: it is not logged as one."""
    body = parse_documents(_body(request), GrantBody)
    try:
        answer = issue_grant(peer=peer, body=body)
    except GrantRefused as refused:
        return refusal_response(refused.decision)
    except DastanError as exc:
        return JsonResponse(exc.as_dict(), status=exc.status)
    response = JsonResponse(answer.model_dump(mode="json"))
    response["Cache-Control"] = "no-store"
    return response


# --- this node's viewers playing a peer's film --------------------------------------------------

@require_GET
def play_master(request: HttpRequest, slug: str) -> HttpResponse:
    """The master playlist of a peer's title for this viewer, through a grant of its home
    node; a refusal is JSON with the reason, as the media app's master answers it."""
    try:
        text = remote_master_for_request(request=request, slug=slug)
    except DastanError as exc:
        response: HttpResponse = JsonResponse(exc.as_dict(), status=exc.status)
    else:
        response = HttpResponse(text, content_type=content_type_for("master.m3u8"))
    response["Cache-Control"] = "private, no-store"
    links.remember_viewer(request, response)
    return response


# --- the operators' page -----------------------------------------------------------------------

@login_required(login_url="accounts:login")
@require_GET
def peers_page(request: HttpRequest) -> HttpResponse:
    ledger = selectors.peers_ledger(by=request.user)
    return render(request, "federation/peers.html", {"ledger": ledger, "States": Peer.State,
                                                     "interface_languages": LANGUAGES})


def _accept(request: HttpRequest, peer: Peer) -> None:
    peering.accept(by=request.user, ref=peer.pk)


def _decline(request: HttpRequest, peer: Peer) -> None:
    peering.decline(by=request.user, ref=peer.pk, reason=request.POST.get("reason", ""))


def _end(request: HttpRequest, peer: Peer) -> None:
    peering.end(by=request.user, ref=peer.pk, reason=request.POST.get("reason", ""))


def _resync(request: HttpRequest, peer: Peer) -> None:
    try:
        since = max(0, int(request.POST.get("since") or 0))
    except ValueError:
        since = 0
    sync.resync(peer=peering.access_peer(by=request.user, ref=peer.pk), since=since)


def _mirror(request: HttpRequest, peer: Peer) -> None:
    peering.set_mirroring(by=request.user, ref=peer.pk, on=request.POST.get("state") == "on")


VERBS: dict[str, Callable[[HttpRequest, Peer], None]] = {
    "accept": _accept, "decline": _decline, "end": _end, "resync": _resync, "mirror": _mirror}


@login_required(login_url="accounts:login")
@require_POST
def peer_action(request: HttpRequest, peer_id: int, verb: str) -> HttpResponse:
    peer = peering.access_peer(by=request.user, ref=peer_id)
    action = VERBS.get(verb)
    if action is None:
        return HttpResponse(status=404)
    action(request, peer)
    return redirect("federation:peers")
