"""Who may see and change subtitle tracks, cues, voices and glossaries: the one
permission table (:mod:`dastan.accounts.permissions`) asked about the title's owner.

A track viewers cannot see yet (not published, or its title is not) is not disclosed to
people outside the owning organisation: they are told it does not exist (404). A
published track is public text (it streams), so anyone may read it; changing it still
needs a role of the owner.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from dastan.accounts.permissions import Action, check, organisations_where
from dastan.errors import NotFound, PermissionDenied
from dastan.localization.models import Commission, Cue, SubtitleTrack


def is_public(track: SubtitleTrack) -> bool:
    return track.state == SubtitleTrack.State.PUBLISHED and track.title.is_published


def current_commissions(*, now: Any = None) -> Any:
    """Commissions in their term now (begun, not past their deadline, not ended early)."""
    now = now or timezone.now()
    return Commission.objects.filter(starts_at__lte=now, ends_at__gt=now, ended_at__isnull=True)


def contractors_for(*, title_id: int, language: str) -> list[int]:
    """The organisations commissioned now for ``language`` of the title."""
    rows = current_commissions().filter(titles__pk=title_id).values_list("house_id", "languages")
    return sorted({house for house, languages in rows if language in languages})


def commissioned_pairs(*, user: Any, action: Action) -> list[tuple[int, str]]:
    """(title id, language) pairs ``user``'s organisations are commissioned for now, where
    their role there allows ``action`` (for listing queues and tracks)."""
    houses = organisations_where(user=user, action=action)
    pairs: list[tuple[int, str]] = []
    for commission in current_commissions().filter(house__in=houses).prefetch_related("titles"):
        pairs += [(t.pk, lang) for t in commission.titles.all() for lang in commission.languages]
    return pairs


def commissioned_q(pairs: Iterable[tuple[int, str]], prefix: str = "") -> Q:
    """A filter for tracks (``prefix``: the path to the track, e.g. "track__")."""
    q = Q(pk__in=[])
    for title_id, language in pairs:
        q |= Q(**{f"{prefix}title_id": title_id, f"{prefix}language": language})
    return q


def check_track(*, user: Any, track: SubtitleTrack, action: Action, owner_only: bool = False) -> SubtitleTrack:
    """Raise unless ``user`` may do ``action`` to ``track``: NotFound for outsiders when
    the track is not public, otherwise NotAllowed naming the roles that may. A house
    commissioned for the track's title and language acts within its commission's term,
    unless ``owner_only`` (publishing: the studio's approval policy decides)."""
    contractors = contractors_for(title_id=track.title_id, language=track.language)
    if owner_only:
        # The house may know the track (404 otherwise) but is told the act is the studio's (403).
        check(user=user, action=Action.VIEW_DRAFTS, organisation=track.title.owner, hidden=not is_public(track),
              contractors=contractors)
        check(user=user, action=action, organisation=track.title.owner)
        return track
    check(user=user, action=action, organisation=track.title.owner, hidden=not is_public(track),
          contractors=contractors)
    return track


def may(*, user: Any, track: SubtitleTrack, action: Action) -> bool:
    """Whether ``user`` may do ``action`` to ``track`` (for showing buttons)."""
    try:
        check_track(user=user, track=track, action=action)
    except (NotFound, PermissionDenied):
        return False
    return True


def access_track(*, user: Any, track_id: int, action: Action | None = None) -> SubtitleTrack:
    """The track, if ``user`` may do ``action`` to it (``None``: read it, which a public
    track allows everyone and a draft only the owner's people who see drafts)."""
    track = (SubtitleTrack.objects.select_related("title", "title__owner", "source_track")
             .filter(pk=track_id).first())
    if track is None:
        raise NotFound(gettext("There is no subtitle track #%(track)s.") % {"track": track_id},
                       gettext("List a title's tracks at /api/v1/localization/titles/<slug>/tracks."))
    if action is None and is_public(track):
        return track
    return check_track(user=user, track=track, action=action or Action.VIEW_DRAFTS)


def access_cue(*, user: Any, cue_id: int, action: Action) -> Cue:
    """The cue, if ``user`` may do ``action`` to its track."""
    cue = Cue.objects.select_related("track", "track__title", "track__title__owner").filter(pk=cue_id).first()
    if cue is None:
        raise NotFound(gettext("There is no cue #%(cue)s.") % {"cue": cue_id},
                       gettext("Open the track to see its cues' ids."))
    check_track(user=user, track=cue.track, action=action)
    return cue
