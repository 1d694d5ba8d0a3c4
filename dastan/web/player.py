"""What the title page's player needs: the viewer's master playlist URL, the signed
storyboard and poster, and the tracks to name in its menus. Rights decide through the
media app's hook (``playback.limits_for_request``); a refusal becomes a sentence on the
page instead of a player."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from dastan.catalog.models import Title
from dastan.errors import DastanError
from dastan.media import playback
from dastan.media.selectors import AudioTrackView, StreamTracks, SubtitleTrackView, stream_tracks
from dastan.media.transcode import poster_name, storyboard_name

STORYBOARD_TTL_S = 3600


@dataclass(frozen=True, slots=True)
class TrackChoice:
    """One entry of a player menu: what hls.js matches on (language, name) and what the
    viewer reads (the native name and the machine-made label in the interface language)."""

    language: str
    name: str
    note: str


@dataclass(frozen=True, slots=True)
class Player:
    key: str  # localStorage key of the resume position: title and version
    master_url: str
    poster_url: str
    storyboard_url: str
    audio: tuple[TrackChoice, ...]
    subtitles: tuple[TrackChoice, ...]


@dataclass(frozen=True, slots=True)
class PlayerRefused:
    message: str
    hint: str


def audio_note(track: AudioTrackView) -> str:
    return _("AI voice-over") if track.is_machine_made else ""


def subtitle_note(track: SubtitleTrackView) -> str:
    return _("Machine subtitles") if track.is_machine_made else ""


def player_for(*, request: Any, title: Title) -> Player | PlayerRefused | None:
    """The player of ``title`` for this request; None when it has no stream yet,
    PlayerRefused when the rights app refuses this viewer."""
    tracks: StreamTracks | None = stream_tracks(title=title)
    if tracks is None:
        return None
    try:
        limits = playback.limits_for_request(request, title)
        version = playback.playable_version(title)
    except DastanError as exc:
        return PlayerRefused(message=str(exc.message), hint=str(exc.hint))
    claims = {**limits.claims, "title": title.slug, "version": version.number}
    return Player(
        key=f"{title.slug}@{version.number}",
        master_url=reverse("media:master", kwargs={"slug": title.slug}),
        poster_url=playback.signed_url(poster_name(version.asset), ttl_s=STORYBOARD_TTL_S, claims=claims),
        storyboard_url=playback.signed_url(storyboard_name(version.asset), ttl_s=STORYBOARD_TTL_S,
                                           claims=claims),
        audio=tuple(TrackChoice(a.language, a.name, audio_note(a)) for a in tracks.audio
                    if limits.audio_languages is None or a.language in limits.audio_languages),
        subtitles=tuple(TrackChoice(s.language, s.name, subtitle_note(s)) for s in tracks.subtitles
                        if limits.subtitle_languages is None or s.language in limits.subtitle_languages),
    )
