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
from dastan.federation.feed import in_feed, pending_for
from dastan.federation.models import LicenceAnswer, Peer, RemoteTitle
from dastan.federation.receive import terms_of_fact
from dastan.rights.decisions import PlaybackDecision, decide_playback
from dastan.rights.selectors import unknown_territory_policy
from dastan.rights.terms import LicenceTerms
from dastan.rights.timezones import local_day
from dastan.rights.windows import ReleaseCalendar, ReleaseEvent
from dastan.signing.models import RefusedRequest


@dataclass(frozen=True, slots=True)
class PeerLedger:
    peer: Peer
    shared: str
    titles_received: int
    titles_in_sync: int
    titles_out_of_sync: int
    answers: tuple[LicenceAnswer, ...]


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
            answers=tuple(LicenceAnswer.objects.filter(peer=peer).exclude(verdict="ACCEPTED")[:20])))
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


def remote_terms(remote: RemoteTitle) -> tuple[LicenceTerms, ...]:
    return tuple(terms_of_fact(lic.row, title_id=remote.title_id, slug=remote.remote_slug)
                 for lic in remote.licences.all())


def remote_releases(remote: RemoteTitle) -> ReleaseCalendar:
    """The release dates the home node sent with the title, for its local id here."""
    return ReleaseCalendar.of(
        ReleaseEvent(remote.title_id, r["country"], r["event"], date.fromisoformat(r["day"]))
        for r in remote.document.get("releases", []))


def remote_marks(*, title_ids: Iterable[int], territory: str | None,
                 at: datetime | None = None) -> dict[int, RemoteMark]:
    """For the local titles among ``title_ids`` that show a peer's title: its mark for a
    viewer in ``territory``. Titles not in the answer are this node's own."""
    at = at or timezone.now()
    marks = {}
    remotes = RemoteTitle.objects.filter(title_id__in=list(title_ids)).select_related("peer") \
        .prefetch_related("licences")
    for remote in remotes:
        decision = decide_playback(title=remote.title_id, territory=territory, at=at,
                                   licences=remote_terms(remote), releases=remote_releases(remote),
                                   unknown_territory_policy=unknown_territory_policy())
        coming = None
        if decision.code == "not_yet" and decision.opens_at is not None and decision.territory:
            coming = local_day(decision.territory, decision.opens_at)
        marks[remote.title_id] = RemoteMark(
            home=remote.peer.name or remote.peer.url, home_url=remote.peer.url,
            listed=decision.allowed or coming is not None, coming_on=coming, decision=decision)
    return marks
