"""Approved subtitle tracks as the files distributors and broadcasters ask for: SRT,
WebVTT, TTML (and ASS), from the API, the CLI and the review desk.

A broadcaster's line rules can be asked for (``profile``): each cue's text is broken
again into at most that many lines of that many characters, with the language's
line-break rules; a cue that cannot fit is not cut short but refused, by number and
time, so a person splits it in the editor. "house" is the owner's own profile for the
language (the one the desk checks against); the named presets change only the line
rules of the language's default.

Only text people approved leaves the node this way: a track still in review is refused
with the reason. Reading follows the track's visibility (a published track is public
text; an approved one not yet published is its organisation's)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from dastan.errors import InvalidInput, NotFound
from dastan.i18n import gettext, ngettext
from dastan.localization.access import access_track
from dastan.localization.errors import LocalizationError
from dastan.localization.models import SubtitleTrack
from dastan.localization.profiles import profile_for
from dastan.localization.publishing import track_cues
from dastan.localization.subtitles.cue import Cue
from dastan.localization.subtitles.formats import write_subtitles
from dastan.localization.subtitles.linebreak import break_lines
from dastan.localization.subtitles.profiles import StyleProfile
from dastan.localization.subtitles.srt import ms_to_timestamp

# format name → (file extension, content type)
EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    "srt": ("srt", "application/x-subrip; charset=utf-8"),
    "vtt": ("vtt", "text/vtt; charset=utf-8"),
    "ttml": ("ttml", "application/ttml+xml; charset=utf-8"),
    "ass": ("ass", "text/x-ssa; charset=utf-8"),
}


# A broadcaster's line rules: characters per line and lines per cue, over the language's
# default profile. BBC: the Subtitle Guidelines' 37 characters (teletext-safe, and what
# EBU STL files carry); two lines.
LINE_PRESETS: dict[str, dict[str, Any]] = {
    "bbc": {"chars_per_line": 37, "max_lines": 2},
    "ebu-stl": {"chars_per_line": 37, "max_lines": 2},
    "one-line": {"max_lines": 1},
}
PROFILES = ("", "house", *LINE_PRESETS)


class TrackNotExportable(LocalizationError):
    code = "track_not_exportable"
    status = 409


class CuesDoNotFit(LocalizationError):
    code = "cues_do_not_fit"
    status = 422


@dataclass(frozen=True, slots=True)
class SubtitleExport:
    filename: str
    content_type: str
    text: str
    rewrapped: int = 0  # cues whose lines a profile broke again


def export_track(*, user: Any, track_id: int, fmt: str, profile: str = "") -> SubtitleExport:
    """The approved track ``track_id`` written in ``fmt``, its lines broken again by
    ``profile``'s rules when one is named. ``user`` None is the node itself (the CLI on the
    server). Raises NotFound/NotAllowed as reading the track would, InvalidInput for an
    unknown format or profile, TrackNotExportable for a track people have not approved,
    CuesDoNotFit naming each cue the profile's lines cannot hold."""
    if fmt not in EXPORT_FORMATS:
        raise InvalidInput(gettext("'%(format)s' is not a subtitle format this node writes.") % {"format": fmt},
                           gettext("Ask for one of: %(choices)s.") % {"choices": ", ".join(EXPORT_FORMATS)},
                           field="format")
    if profile not in PROFILES:
        # Translators: a line profile is a broadcaster's rules for subtitle lines (length, count).
        raise InvalidInput(gettext("'%(profile)s' is not a line profile this node knows.") % {"profile": profile},
                           gettext("Ask for one of: %(choices)s (or none, for the lines as approved).")
                           % {"choices": ", ".join(p for p in PROFILES if p)}, field="profile")
    track = (access_track(user=user, track_id=track_id) if user is not None
             else SubtitleTrack.objects.select_related("title").filter(pk=track_id).first())
    if track is None:
        raise NotFound(gettext("There is no subtitle track #%(track)s.") % {"track": track_id},
                       gettext("`dastan localize` lists a film's tracks."))
    if track.state not in (SubtitleTrack.State.APPROVED, SubtitleTrack.State.PUBLISHED):
        raise TrackNotExportable(
            gettext("The %(language)s subtitles of '%(title)s' are '%(state)s', not approved.")
            % {"language": track.language, "title": track.title.slug, "state": track.get_state_display()},
            gettext("Only approved text is exported; approve it in the review desk first."))
    extension, content_type = EXPORT_FORMATS[fmt]
    cues = list(track_cues(track))
    rewrapped = 0
    if profile:
        rules = line_rules(track=track, profile=profile)
        cues, rewrapped = rewrap(cues=cues, rules=rules, label=profile)
    text = write_subtitles(cues=cues, fmt=fmt, language=track.language)
    return SubtitleExport(filename=f"{track.title.slug}.{track.language}{'.' + profile if profile else ''}"
                                   f".{extension}", content_type=content_type, text=text, rewrapped=rewrapped)


def line_rules(*, track: SubtitleTrack, profile: str) -> StyleProfile:
    """The profile whose line rules ``profile`` names, for the track's language and rate."""
    if profile == "house":
        return profile_for(language=track.language, organisation=track.title.owner, fps=track.fps)
    return dataclasses.replace(profile_for(language=track.language, fps=track.fps), **LINE_PRESETS[profile])


def rewrap(*, cues: list[Cue], rules: StyleProfile, label: str) -> tuple[list[Cue], int]:
    """Each cue's text broken again into ``rules``' lines; (cues, how many changed).
    Raises CuesDoNotFit listing every cue that cannot fit, and returns nothing then."""
    out, changed, misfits = [], 0, []
    for cue in cues:
        # Two speakers' dashes ("- Where to? - Home.") get a line each: break_lines knows them.
        lines = break_lines(text=" ".join(line.strip() for line in cue.lines), profile=rules)
        if lines is None:
            misfits.append(gettext("cue %(cue)s at %(at)s")
                           % {"cue": cue.index, "at": ms_to_timestamp(cue.start_ms, separator=".")})
            continue
        changed += lines != cue.lines
        out.append(dataclasses.replace(cue, lines=lines))
    if misfits:
        raise CuesDoNotFit(
            # Translators: %(profile)s names the line profile; %(cues)s lists cues as "cue 3 at 00:01:02.500".
            ngettext("%(count)s cue(s) do not fit %(lines)s line(s) of %(chars)s characters (%(profile)s): %(cues)s.",
                     "%(count)s cue(s) do not fit %(lines)s line(s) of %(chars)s characters (%(profile)s): %(cues)s.",
                     len(misfits))
            % {"count": len(misfits), "lines": rules.max_lines, "chars": rules.chars_per_line, "profile": label,
               "cues": ", ".join(misfits[:20]) + (" …" if len(misfits) > 20 else "")},
            gettext("Split or shorten these cues in the editor, or export with a profile that allows longer lines."))
    return out, changed
