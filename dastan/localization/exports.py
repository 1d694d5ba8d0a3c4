"""Approved subtitle tracks as the files distributors and broadcasters ask for: SRT,
WebVTT, TTML (and ASS), from the API, the CLI and the review desk.

Only text people approved leaves the node this way: a track still in review is refused
with the reason. Reading follows the track's visibility (a published track is public
text; an approved one not yet published is its organisation's)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dastan.errors import InvalidInput, NotFound
from dastan.localization.access import access_track
from dastan.localization.errors import LocalizationError
from dastan.localization.models import SubtitleTrack
from dastan.localization.publishing import track_cues
from dastan.localization.subtitles.formats import write_subtitles

# format name → (file extension, content type)
EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    "srt": ("srt", "application/x-subrip; charset=utf-8"),
    "vtt": ("vtt", "text/vtt; charset=utf-8"),
    "ttml": ("ttml", "application/ttml+xml; charset=utf-8"),
    "ass": ("ass", "text/x-ssa; charset=utf-8"),
}


class TrackNotExportable(LocalizationError):
    code = "track_not_exportable"
    status = 409


@dataclass(frozen=True, slots=True)
class SubtitleExport:
    filename: str
    content_type: str
    text: str


def export_track(*, user: Any, track_id: int, fmt: str) -> SubtitleExport:
    """The approved track ``track_id`` written in ``fmt``. ``user`` None is the node itself
    (the CLI on the server). Raises NotFound/NotAllowed as reading the track would,
    InvalidInput for an unknown format, TrackNotExportable for a track people have not
    approved."""
    if fmt not in EXPORT_FORMATS:
        raise InvalidInput(f"'{fmt}' is not a subtitle format this node writes.",
                           f"Ask for one of: {', '.join(EXPORT_FORMATS)}.", field="format")
    track = (access_track(user=user, track_id=track_id) if user is not None
             else SubtitleTrack.objects.select_related("title").filter(pk=track_id).first())
    if track is None:
        raise NotFound(f"There is no subtitle track #{track_id}.", "`dastan localize` lists a film's tracks.")
    if track.state not in (SubtitleTrack.State.APPROVED, SubtitleTrack.State.PUBLISHED):
        raise TrackNotExportable(
            f"The {track.language} subtitles of '{track.title.slug}' are "
            f"'{track.get_state_display()}', not approved.",
            "Only approved text is exported; approve it in the review desk first.")
    extension, content_type = EXPORT_FORMATS[fmt]
    text = write_subtitles(cues=track_cues(track), fmt=fmt, language=track.language)
    return SubtitleExport(filename=f"{track.title.slug}.{track.language}.{extension}",
                          content_type=content_type, text=text)
