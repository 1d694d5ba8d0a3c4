"""Playing a peer's film here: the player on this node's title page loads its master
playlist from :func:`remote_master_for_request`, which asks the film's home node (a
signed request naming the viewer's country and a digest of the viewer's session here)
for a grant, and hands on the master that node signed for this site. The bytes then come
from the home node itself, which decided with its own rights
(:mod:`dastan.federation.grants`); renewing is asking again, through here, so a viewer
whose session here is gone cannot renew.

A refusal reaches the viewer with its reason: the home node's (not licensed in their
country, not yet open), or this node's (peering ended, home node unreachable). Where this
node keeps a cache copy of the film (mirrors.py), it plays from here instead.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import requests
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from dastan.catalog.errors import TitleNotFound
from dastan.catalog.models import Title
from dastan.errors import DastanError
from dastan.federation.errors import AnswerRefused
from dastan.federation.grants import GRANT_TTL_S, PeerNoLongerShares, origin_of
from dastan.federation.mirrors import mirror_master_for_request
from dastan.federation.models import Peer, RemoteTitle
from dastan.federation.receive import parse_documents
from dastan.federation.schemas import GrantAnswer
from dastan.federation.transport import call
from dastan.media import links
from dastan.rights.resolvers import resolve_territory

ASK_TIMEOUT_S = 10.0


class HomeNodeUnreachable(DastanError):
    code = "home_unreachable"
    status = 502


class HomeNodeRefused(DastanError):
    """The home node's refusal, as it gave it (its code, status, reason and hint)."""


@dataclass(frozen=True, slots=True)
class RemotePlayer:
    """What the title page needs to play a peer's film."""

    master_url: str  # on this node: remote_master_for_request
    origin: str  # where the media comes from (for this page's Content-Security-Policy)
    home: str
    renew_s: int


def remote_player(*, title: Title) -> RemotePlayer | None:
    """The player of ``title`` when it is a peer's (None for this node's own titles)."""
    remote = RemoteTitle.objects.select_related("peer").filter(title=title).first()
    if remote is None:
        return None
    return RemotePlayer(
        master_url=reverse("federation:play", kwargs={"slug": title.slug}),
        origin=origin_of(remote.peer.url),
        home=remote.peer.name or remote.peer.url,
        renew_s=max(1, min(links.url_ttl_s(), GRANT_TTL_S) // 2),
    )


def viewer_digest(peer: Peer, request: HttpRequest) -> str:
    """The viewer's session here as the home node knows it: a digest of the browser's
    viewer key and the home node's address (so two home nodes cannot match viewers)."""
    return hashlib.blake2b(
        f"{peer.url} {links.viewer_key(request)}".encode(), digest_size=16
    ).hexdigest()


def _ended(peer: Peer) -> PeerNoLongerShares:
    return PeerNoLongerShares(
        _("The %(node)s node no longer shares its films with this node.")
        % {"node": peer.name or peer.url},
        _("Look for this title in your country's catalog."),
    )


def remote_master_for_request(*, request: HttpRequest, slug: str) -> str:
    """The master playlist of the peer's title shown here as ``slug``, for this viewer.
    Raises TitleNotFound (404) for a title that is not a published peer's title,
    PeerNoLongerShares (403) once peering ended on either side, HomeNodeUnreachable (502),
    and HomeNodeRefused with the home node's own status and reason (451: not licensed)."""
    remote = RemoteTitle.objects.select_related("peer", "title").filter(title__slug=slug).first()
    if remote is None or not remote.title.is_published:
        raise TitleNotFound(slug)
    if remote.peer.state != Peer.State.ACCEPTED:
        raise _ended(remote.peer)
    if remote.mirror_prefix:  # a cache copy here: this node decides with the home node's facts
        return mirror_master_for_request(request=request, remote=remote)
    territory = resolve_territory(request)
    return ask_grant(remote=remote, territory=territory, viewer=viewer_digest(remote.peer, request)).master


def ask_grant(*, remote: RemoteTitle, territory: str | None, viewer: str, purpose: str = "play") -> GrantAnswer:
    """Ask ``remote``'s home node for a grant (grants.issue_grant) for a viewer, or for
    this node's cache copy (``purpose`` "mirror"); raises like
    :func:`remote_master_for_request`."""
    peer = remote.peer
    body = {"title": remote.remote_slug, "territory": territory, "viewer": viewer, "purpose": purpose}
    try:
        response = call(
            "POST", f"{peer.url}/federation/grants", json_body=body, timeout=ASK_TIMEOUT_S
        )
        said = response.json()
    except (requests.RequestException, AnswerRefused, ValueError) as exc:
        raise HomeNodeUnreachable(
            _("The %(node)s node, where this film is kept, did not answer.")
            % {"node": peer.name or peer.url},
            _(
                "Try again in a minute. If it happens again, tell the node's operator the time it happened."
            ),
        ) from exc
    if response.status_code >= 400:
        if said.get("code") == "not_peer":
            raise _ended(peer)
        raise HomeNodeRefused(
            str(said.get("message") or ""),
            str(said.get("hint") or ""),
            code=str(said.get("code") or "refused"),
            status=response.status_code,
        )
    answer: GrantAnswer = parse_documents(said, GrantAnswer)
    return answer
