"""Reads for pages that show a title's stream: which languages of sound and subtitles
its current version holds, as the viewer's player and the catalog name them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from dastan.catalog.models import Title
from dastan.media.models import Stream


@dataclass(frozen=True, slots=True)
class AudioTrackView:
    language: str  # BCP 47, as in the master's LANGUAGE
    name: str  # the language named in its own script, as in the master's NAME
    kind: str  # original, dub, voice-over
    is_machine_made: bool
    label: str = ""  # what viewers read about who made it: "Human dub — Samarkand Sound" (issue 16)


@dataclass(frozen=True, slots=True)
class SubtitleTrackView:
    language: str
    name: str
    is_machine_made: bool
    label: str


@dataclass(frozen=True, slots=True)
class StreamTracks:
    version: int
    audio: tuple[AudioTrackView, ...]
    subtitles: tuple[SubtitleTrackView, ...]


def stream_tracks(*, title: Title) -> StreamTracks | None:
    """The audio and subtitle tracks of ``title``'s current version, in the master's
    order; None when the title has no published stream."""
    stream = Stream.objects.filter(title=title).select_related("current").first()
    if stream is None:
        return None
    version = stream.current
    return StreamTracks(
        version=version.number,
        audio=tuple(AudioTrackView(a.language, a.name, a.kind, a.is_machine_made,
                                   str((a.provenance or {}).get("label", "")))
                    for a in version.audio.order_by("created_at", "pk")),
        subtitles=tuple(SubtitleTrackView(s.language, s.name, s.is_machine_made, s.label)
                        for s in version.subtitles.order_by("created_at", "pk")),
    )


def titles_with_language(*, language: str, since: datetime | None = None) -> QuerySet[Title]:
    """Titles whose current version has sound or subtitles in ``language``; with
    ``since``, only those whose track in that language was published after it."""
    audio = Q(stream__current__audio__language=language)
    subtitles = Q(stream__current__subtitles__language=language)
    if since is not None:
        audio &= Q(stream__current__audio__created_at__gte=since)
        subtitles &= Q(stream__current__subtitles__created_at__gte=since)
    return Title.objects.filter(audio | subtitles).distinct()
