"""Reading tracks, cues, tasks and quality issues."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dastan.accounts.models import Membership
from dastan.catalog.models import Title
from dastan.errors import NotFound
from dastan.localization.models import Cue as CueRow
from dastan.localization.models import SubtitleTrack, TranslationTask
from dastan.localization.profiles import profile_for
from dastan.localization.subtitles.cue import Cue
from dastan.localization.subtitles.qc import QcIssue, check_cues
from dastan.localization.translation import glossary_for


def get_track(*, track_id: int) -> SubtitleTrack:
    track = SubtitleTrack.objects.select_related("title", "title__owner", "source_track").filter(pk=track_id).first()
    if track is None:
        raise NotFound(f"There is no subtitle track #{track_id}.",
                       "List a title's tracks at /api/v1/localization/titles/<slug>/tracks.")
    return track


def get_cue(*, cue_id: int) -> CueRow:
    cue = CueRow.objects.select_related("track", "track__title").filter(pk=cue_id).first()
    if cue is None:
        raise NotFound(f"There is no cue #{cue_id}.", "Open the track to see its cues' ids.")
    return cue


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


def tracks_of_title(*, title: Title) -> QuerySet[SubtitleTrack]:
    return title.subtitle_tracks.select_related("task", "source_track").order_by("-is_source", "language")


def tracks_awaiting_review(*, user: Any) -> QuerySet[SubtitleTrack]:
    orgs = Membership.objects.filter(user=user).values("organisation")
    return SubtitleTrack.objects.filter(title__owner__in=orgs, state=SubtitleTrack.State.IN_REVIEW)


def open_tasks(*, user: Any) -> QuerySet[TranslationTask]:
    orgs = Membership.objects.filter(user=user).values("organisation")
    return TranslationTask.objects.filter(organisation__in=orgs, state=TranslationTask.State.OPEN).select_related(
        "track", "track__title")
