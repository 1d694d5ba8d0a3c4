"""Localization flows back to a film's home node. A subtitle track made here for a peer's
title (Chinese subtitles by a translator in Beijing for a Lahore drama) is offered to the
title's home node, signed, with its provenance; there it arrives in the review desk as a
contribution from this node, and the home node's reviewers approve and publish it as
they would their own — so it reaches every node that shows the film.
"""

from __future__ import annotations

from typing import Any

import requests
from django.utils.translation import gettext

from dastan.accounts.permissions import NodeAction, check_node
from dastan.catalog.languages import normalize_code
from dastan.catalog.models import Title
from dastan.federation.errors import NodeUnreachable, PeeringRefused, PeerNotFound
from dastan.federation.identity import public_url
from dastan.federation.models import Peer, RemoteTitle
from dastan.federation.schemas import ContributionBody
from dastan.federation.transport import call, refusal_words
from dastan.localization.models import SubtitleTrack
from dastan.localization.tracks import CueData, create_track, cue_data


def offer_track(*, by: Any | None, track: SubtitleTrack) -> dict[str, Any]:
    """Send ``track`` (of a peer's title shown here) to the title's home node; returns its
    answer. A peer's title is owned here by a mirror of its owner that has no members, so
    offering is the node operators' (``by`` None: the CLI, on the server)."""
    if by is not None:
        check_node(user=by, action=NodeAction.MANAGE_FEDERATION)
    remote = RemoteTitle.objects.select_related("peer").filter(title=track.title).first()
    if remote is None:
        raise PeerNotFound(gettext("'%(title)s' is this node's own title, not a peer's.") % {"title": track.title.slug},
                           gettext("Only a peer's title's tracks are offered back to its home node."))
    if remote.peer.state != Peer.State.ACCEPTED:
        raise PeeringRefused(gettext("%(peer)s is no longer an accepted peer (%(state)s).")
                             % {"peer": remote.peer, "state": remote.peer.state},
                             gettext("Peer with it again first."))
    body = {
        "title": remote.remote_slug, "language": track.language, "origin": track.origin,
        "cues": [{"start_ms": c.start_ms, "end_ms": c.end_ms, "text": c.text} for c in cue_data(track)],
        "provenance": {**dict(track.provenance), "made_on": public_url(), "track_id": track.pk},
    }
    try:
        response = call("POST", f"{remote.peer.url}/federation/contributions", json_body=body, timeout=30)
    except requests.RequestException as exc:
        raise NodeUnreachable(gettext("%(peer)s did not answer: %(error)s.") % {"peer": remote.peer, "error": exc},
                              gettext("Try again when it is back.")) from exc
    answer: dict[str, Any] = response.json()
    if response.status_code >= 400:
        # Translators: %(said)s is the other node's own message.
        raise PeeringRefused(gettext("%(peer)s refused the %(language)s subtitles: %(said)s")
                             % {"peer": remote.peer, "language": track.language, "said": refusal_words(response)},
                             str(answer.get("hint") or ""))
    return answer


def receive_contribution(*, peer: Peer, body: ContributionBody) -> SubtitleTrack:
    """A peer's track for one of this node's titles: into the review desk (in review),
    marked with where it was made. Never replaces a track this node has in that language."""
    title = Title.objects.filter(slug=body.title).exclude(
        pk__in=RemoteTitle.objects.values("title_id")).select_related("owner").first()
    if title is None or not title.is_published:
        raise PeerNotFound(gettext("No published title '%(title)s' here.") % {"title": body.title},
                           gettext("Offer tracks of titles this node sent you."))
    language = normalize_code(body.language)
    if SubtitleTrack.objects.filter(title=title, language=language).exists():
        raise PeeringRefused(gettext("'%(title)s' has %(language)s subtitles here already.")
                             % {"title": body.title, "language": body.language},
                             gettext("Its owner reviews its own track; offer another language."))
    source = SubtitleTrack.objects.filter(title=title, is_source=True).first()
    provenance = {**body.provenance, "contributed_by": {"node": peer.name, "url": peer.url}}
    return create_track(
            title=title, language=language,
        origin=SubtitleTrack.Origin.MACHINE if body.origin == "machine" else SubtitleTrack.Origin.HUMAN,
        cues=[CueData(c.start_ms, c.end_ms, c.text) for c in body.cues], source_track=source,
        provenance=provenance, state=SubtitleTrack.State.IN_REVIEW)
