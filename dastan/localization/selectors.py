"""Reading tracks, cues, tasks and quality issues."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dastan.accounts.permissions import Action, can, organisations_where
from dastan.catalog.errors import TitleNotFound
from dastan.catalog.models import Title
from dastan.localization.models import Cue as CueRow
from dastan.localization.models import SubtitleTrack, TranslationTask
from dastan.localization.profiles import profile_for
from dastan.localization.subtitles.cue import Cue
from dastan.localization.subtitles.qc import QcIssue, check_cues
from dastan.localization.translation import glossary_for


def _value(cue: CueRow) -> Cue:
    return Cue(index=cue.index, start_ms=cue.start_ms, end_ms=cue.end_ms,
               lines=tuple(cue.text.split("\n")) if cue.text else (), speaker=cue.speaker)


def qc_for_track(*, track: SubtitleTrack) -> tuple[QcIssue, ...]:
    """Every automatic check on every cue, for the review desk."""
    profile = profile_for(language=track.language, organisation=track.title.owner, fps=track.fps)
    source = track.source_track
    return check_cues(
        cues=[_value(c) for c in track.cues.all()], profile=profile,
        source_cues=[_value(c) for c in source.cues.all()] if source else (),
        source_language=source.language if source else "",
        glossary=glossary_for(track=source, target=track.language) if source else None,
    )


def tracks_of_title(*, title: Title, user: Any = None) -> QuerySet[SubtitleTrack]:
    """The title's tracks that ``user`` may read: all of them for the owner's people who see
    drafts, the published ones (of a published title) for everyone else; ``user=None`` is
    the system itself."""
    tracks = title.subtitle_tracks.select_related("task", "source_track").order_by("-is_source", "language")
    if user is None or can(user=user, action=Action.VIEW_DRAFTS, organisation_id=title.owner_id):
        return tracks
    if not title.is_published:
        raise TitleNotFound(title.slug)
    return tracks.filter(state=SubtitleTrack.State.PUBLISHED)


def tracks_awaiting_review(*, user: Any) -> QuerySet[SubtitleTrack]:
    orgs = organisations_where(user=user, action=Action.REVIEW)
    return SubtitleTrack.objects.filter(title__owner__in=orgs, state=SubtitleTrack.State.IN_REVIEW)


def open_tasks(*, user: Any) -> QuerySet[TranslationTask]:
    orgs = organisations_where(user=user, action=Action.TRANSLATE)
    return TranslationTask.objects.filter(organisation__in=orgs, state=TranslationTask.State.OPEN).select_related(
        "track", "track__title")
