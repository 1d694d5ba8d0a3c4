"""Playing a film on the node that shows it while the bytes come from its home node.

On the home node: a peer asks (signed) for a playback grant for one of its viewers,
naming the viewer's country; this node decides with its own rights
(:func:`~dastan.rights.selectors.decide_playback_for`, the same decision its own viewers
get) and answers with a master playlist whose URIs are absolute, on this node, and
signed for the peer's site (``media.links``: bound to that site's ``Origin`` and to the
digest of the viewer's session there, living minutes). Each media request is then
re-checked by :func:`check_signed_request`: the peer must still be accepted and the
licence must still allow the country; where this node can tell the viewer's country
itself, it must be the one the peer named.

The peer's side of it (asking, showing the refusal) is :mod:`dastan.federation.remote_play`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext

from dastan.catalog.countries import country_name
from dastan.catalog.errors import TitleNotFound
from dastan.catalog.models import Title
from dastan.errors import DastanError
from dastan.federation.identity import public_url
from dastan.federation.mirrors import check_mirror_request
from dastan.federation.models import Peer, RemoteTitle
from dastan.federation.schemas import GrantAnswer, GrantBody
from dastan.media import links
from dastan.media.playback import PlaybackLimits, build_master_playlist, check_playable
from dastan.rights.decisions import PlaybackDecision
from dastan.rights.errors import NoLicenceForTerritory
from dastan.rights.playback import check_decision_still_allows
from dastan.rights.resolvers import resolve_territory
from dastan.rights.selectors import decide_playback_for

# A grant lives at most this long (less when DASTAN_MEDIA_URL_TTL_S is shorter): what the
# home node decided stops being usable soon, and a copied link with it.
GRANT_TTL_S = 120


class GrantRefused(DastanError):
    """The home node's rights refuse this viewer (451), with the decision's reason."""

    code = "not_licensed"
    status = 451

    def __init__(self, decision: PlaybackDecision) -> None:
        hint = (
            gettext("Come back after %(moment)s.") % {"moment": decision.opens_at.isoformat()}
            if decision.opens_at
            else gettext("Look for this title in your country's catalog.")
        )
        super().__init__(decision.reason, hint, code=decision.code)
        self.decision = decision


class PeerNoLongerShares(DastanError):
    code = "peering_ended"
    status = 403


def grant_ttl_s() -> int:
    return max(1, min(links.url_ttl_s(), GRANT_TTL_S))


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _shared_title(peer: Peer, slug: str) -> Title:
    title = (
        Title.objects.select_related("owner")
        .filter(slug=slug)
        .exclude(pk__in=RemoteTitle.objects.values("title_id"))
        .first()
    )
    if title is None or not (
        peer.share_all or peer.share_organisations.filter(titles=title).exists()
    ):
        raise TitleNotFound(slug)  # a title not shared with this peer is none of its business
    return title


def issue_grant(*, peer: Peer, body: GrantBody) -> GrantAnswer:
    """A master playlist of this node's title for one viewer of ``peer`` (accepted: the
    caller checked the signature and the state), or for the peer itself to keep a cache
    copy (``purpose`` "mirror": the licence for its country must allow downloads). Raises
    TitleNotFound or NotPublished (404) for a title that is not shared, published and
    streamed, GrantRefused (451) when this node's licences do not allow it now."""
    title = _shared_title(peer, body.title)
    version = check_playable(title=title, user=None)
    decision = decide_playback_for(
        title=title,
        territory=body.territory,
        audio_languages=sorted({a.language for a in version.audio.all()}),
        subtitle_languages=sorted({s.language for s in version.subtitles.all()}),
    )
    if not decision.allowed:
        raise GrantRefused(decision)
    if body.purpose == "mirror" and not decision.download_allowed:
        raise GrantRefused(replace(
            decision, allowed=False, code="no_cache_copy",
            reason=gettext("Licence %(licence)s does not allow a copy of this title to be kept in "
                           "%(country)s: it plays from its home node only.")
            % {"licence": decision.licence_ref, "country": country_name(decision.territory or "")}))
    claims = {
        "peer": peer.pk,
        "peer_territory": decision.territory,
        "licence": decision.licence_ref,
        "licence_expires": int(decision.expires_at.timestamp()) if decision.expires_at else None,
    }
    limits = PlaybackLimits(
        audio_languages=frozenset(decision.allowed_audio),
        subtitle_languages=frozenset(decision.allowed_subtitles),
        max_height=decision.max_height,
        claims=claims,
    )
    ttl_s = grant_ttl_s()
    master = build_master_playlist(
        title=title,
        user=None,
        limits=limits,
        viewer=body.viewer,
        ttl_s=ttl_s,
        origin=origin_of(peer.url),
        base_url=public_url(),
    )
    return GrantAnswer(master=master, ttl_s=ttl_s)


def check_signed_request(request: HttpRequest, claims: Mapping[str, Any]) -> None:
    """One of ``DASTAN_SIGNED_REQUEST_CHECK``'s hooks, for grants made for a peer's viewers
    (other claims pass untouched). Raises NoLicenceForTerritory (451) when this node sees
    the request come from another country than the peer named, PeerNoLongerShares (403)
    once peering ended, and the rights app's refusal when the licence no longer allows
    it. Peer and licence are re-checked at most every ``DASTAN_MEDIA_RECHECK_S`` per grant."""
    if "mirror" in claims:  # a cache copy of a peer's film, played here
        check_mirror_request(request, claims)
        return
    if "peer" not in claims:
        return
    named = claims.get("peer_territory")
    here = resolve_territory(request)
    if here and here != named:
        raise NoLicenceForTerritory(
            (gettext("This link was issued for %(country)s and cannot be used from %(here)s.")
             % {"country": named, "here": here} if named else
             gettext("This link was issued for another country and cannot be used from %(here)s.")
             % {"here": here}),
            gettext("Open the title again from where you are."),
            code="territory_mismatch",
        )
    window_s = links.recheck_s()
    key = f"dastan.federation.grant:{claims.get('grant', '')}"
    if window_s > 0 and claims.get("grant") and cache.get(key):
        return
    peer = Peer.objects.filter(pk=claims["peer"]).first()
    if peer is None or peer.state != Peer.State.ACCEPTED:
        raise PeerNoLongerShares(
            gettext("This film's home node no longer shares it with the node you watch it on."),
            gettext("Look for this title in your country's catalog."),
        )
    check_decision_still_allows(request=request, claims={**claims, "territory": named})
    if window_s > 0 and claims.get("grant"):
        cache.set(key, True, window_s)
