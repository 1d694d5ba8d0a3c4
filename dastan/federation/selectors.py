"""Reads: the operators' sync ledger, and remote titles as the local catalogue shows them
(marked with their home node, filtered by the viewer's country through the same
:func:`~dastan.rights.decisions.decide_playback` that local titles go through)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from dastan.accounts.permissions import NodeAction, check_node
from dastan.federation.facts import home_decision
from dastan.federation.feed import in_feed, pending_for
from dastan.federation.models import LicenceAnswer, Peer, RemoteTitle
from dastan.rights.decisions import PlaybackDecision
from dastan.rights.timezones import local_day
from dastan.signing.models import RefusedRequest


@dataclass(frozen=True, slots=True)
class PeerLedger:
    peer: Peer
    shared: str
    titles_received: int
    titles_in_sync: int
    titles_out_of_sync: int
    answers: tuple[LicenceAnswer, ...]
    mirrored: int = 0  # cache copies of its films kept here (mirrors.py)


@dataclass(frozen=True, slots=True)
class Ledger:
    peers: tuple[PeerLedger, ...]
    refused: tuple[RefusedRequest, ...]


def peers_ledger(*, by: Any | None, refused_limit: int = 50) -> Ledger:
    """Every peer with its ledger, and the latest refused federation requests; operators only."""
    if by is not None:
        check_node(user=by, action=NodeAction.MANAGE_FEDERATION)
    peers = []
    for peer in Peer.objects.prefetch_related("share_organisations").order_by("pk"):
        orgs = [o.name for o in peer.share_organisations.all()]
        peers.append(PeerLedger(
            peer=peer, shared="all published titles" if peer.share_all else ", ".join(orgs) or "nothing",
            titles_received=RemoteTitle.objects.filter(peer=peer).count(),
            titles_in_sync=in_feed(peer), titles_out_of_sync=pending_for(peer),
            answers=tuple(LicenceAnswer.objects.filter(peer=peer).exclude(verdict="ACCEPTED")[:20]),
            mirrored=RemoteTitle.objects.filter(peer=peer).exclude(mirror_prefix="").count()))
    refused = tuple(RefusedRequest.objects.filter(channel="federation")[:refused_limit])
    return Ledger(tuple(peers), refused)


# --- remote titles in the catalogue ---------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class RemoteMark:
    """How the catalogue marks a remote title for one viewer."""

    home: str  # the home node's name
    home_url: str
    listed: bool  # playable now, or opening later, in the viewer's country
    coming_on: date | None  # the window opens later: "coming on …"
    decision: PlaybackDecision


def remote_marks(*, title_ids: Iterable[int], territory: str | None,
                 at: datetime | None = None) -> dict[int, RemoteMark]:
    """For the local titles among ``title_ids`` that show a peer's title: its mark for a
    viewer in ``territory``. Titles not in the answer are this node's own."""
    at = at or timezone.now()
    marks = {}
    remotes = RemoteTitle.objects.filter(title_id__in=list(title_ids)).select_related("peer") \
        .prefetch_related("licences")
    for remote in remotes:
        decision = home_decision(remote, territory=territory, at=at)
        coming = None
        if decision.code == "not_yet" and decision.opens_at is not None and decision.territory:
            coming = local_day(decision.territory, decision.opens_at)
        marks[remote.title_id] = RemoteMark(
            home=remote.peer.name or remote.peer.url, home_url=remote.peer.url,
            listed=decision.allowed or coming is not None, coming_on=coming, decision=decision)
    return marks
