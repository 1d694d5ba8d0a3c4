"""Who may see and change subtitle tracks, cues, voices and glossaries: the one
permission table (:mod:`dastan.accounts.permissions`) asked about the title's owner.

A track viewers cannot see yet (not published, or its title is not) is not disclosed to
people outside the owning organisation: they are told it does not exist (404). A
published track is public text (it streams), so anyone may read it; changing it still
needs a role of the owner.
"""

from __future__ import annotations

from typing import Any

from dastan.accounts.permissions import Action, check
from dastan.errors import NotFound
from dastan.localization.models import Cue, SubtitleTrack


def is_public(track: SubtitleTrack) -> bool:
    return track.state == SubtitleTrack.State.PUBLISHED and track.title.is_published


def check_track(*, user: Any, track: SubtitleTrack, action: Action) -> SubtitleTrack:
    """Raise unless ``user`` may do ``action`` to ``track``: NotFound for outsiders when
    the track is not public, otherwise NotAllowed naming the roles that may."""
    check(user=user, action=action, organisation=track.title.owner, hidden=not is_public(track))
    return track


def access_track(*, user: Any, track_id: int, action: Action | None = None) -> SubtitleTrack:
    """The track, if ``user`` may do ``action`` to it (``None``: read it, which a public
    track allows everyone and a draft only the owner's people who see drafts)."""
    track = (SubtitleTrack.objects.select_related("title", "title__owner", "source_track")
             .filter(pk=track_id).first())
    if track is None:
        raise NotFound(f"There is no subtitle track #{track_id}.",
                       "List a title's tracks at /api/v1/localization/titles/<slug>/tracks.")
    if action is None and is_public(track):
        return track
    return check_track(user=user, track=track, action=action or Action.VIEW_DRAFTS)


def access_cue(*, user: Any, cue_id: int, action: Action) -> Cue:
    """The cue, if ``user`` may do ``action`` to its track."""
    cue = Cue.objects.select_related("track", "track__title", "track__title__owner").filter(pk=cue_id).first()
    if cue is None:
        raise NotFound(f"There is no cue #{cue_id}.", "Open the track to see its cues' ids.")
    check_track(user=user, track=cue.track, action=action)
    return cue
