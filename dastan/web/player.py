"""What the title page's player needs: the viewer's master playlist URL, the signed
storyboard and poster, how often the player renews its links, and the tracks to name in
its menus. Publication and rights decide through the media app
(``playback.watch_links_for_request``); a title that is not playable shows no player, a
rights refusal becomes a sentence on the page instead of a player."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from dastan.catalog.errors import TitleNotFound
from dastan.catalog.models import Title
from dastan.dubbing.disclosure import PlayerDisclosure, player_disclosure
from dastan.errors import DastanError
from dastan.federation.remote_play import remote_player
from dastan.media import links, playback
from dastan.media.errors import NotPublished
from dastan.media.selectors import AudioTrackView, StreamTracks, SubtitleTrackView, stream_tracks


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
    renew_s: int  # the player fetches fresh links when the ones it has are this old
    audio: tuple[TrackChoice, ...]
    subtitles: tuple[TrackChoice, ...]
    disclosure: PlayerDisclosure | None = None  # issue 16: what this viewer's territory requires
    remote_origin: str = ""  # a peer's film: where its home node sends the media from (issue 13)


@dataclass(frozen=True, slots=True)
class PlayerRefused:
    message: str
    hint: str


def audio_note(track: AudioTrackView) -> str:
    if track.label:  # a human dub names its studio; a mixed one says it is both
        return track.label
    return _("AI voice-over") if track.is_machine_made else ""


def subtitle_note(track: SubtitleTrackView) -> str:
    return _("Machine subtitles") if track.is_machine_made else ""


def player_for(*, request: Any, title: Title) -> Player | PlayerRefused | None:
    """The player of ``title`` for this request; None when this viewer may not play it
    (not published, no stream yet), PlayerRefused when the rights app refuses this viewer.
    The signed links are for this browser: the view sets its cookie
    (``links.remember_viewer``). A peer's film plays from its home node, which decides
    when the viewer presses play (``dastan.federation.remote_play``)."""
    remote = remote_player(title=title)
    if remote is not None:
        return Player(key=f"{title.slug}@{remote.home}", master_url=remote.master_url, poster_url="",
                      storyboard_url="", renew_s=remote.renew_s, audio=(), subtitles=(),
                      remote_origin=remote.origin)
    try:
        page = playback.watch_links_for_request(request=request, title=title)
    except (TitleNotFound, NotPublished):
        return None
    except DastanError as exc:
        return PlayerRefused(message=str(exc.message), hint=str(exc.hint))
    tracks: StreamTracks | None = stream_tracks(title=title)
    if tracks is None:
        return None
    limits, version = page.limits, page.version
    audio = tuple(a for a in tracks.audio if limits.audio_languages is None or a.language in limits.audio_languages)
    subtitles = tuple(s for s in tracks.subtitles
                      if limits.subtitle_languages is None or s.language in limits.subtitle_languages)
    return Player(
        key=f"{title.slug}@{version.number}",
        master_url=reverse("media:master", kwargs={"slug": title.slug}),
        poster_url=page.poster_url, storyboard_url=page.storyboard_url, renew_s=links.url_ttl_s() // 2,
        audio=tuple(TrackChoice(a.language, a.name, audio_note(a)) for a in audio),
        subtitles=tuple(TrackChoice(s.language, s.name, subtitle_note(s)) for s in subtitles),
        disclosure=player_disclosure(request=request, title=title, audio=audio, subtitles=subtitles),
    )
