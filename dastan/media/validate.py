"""Judging a probed source before anything is stored: refuse what cannot become a good
stream, and list what will be corrected on the way (each correction is recorded on the
asset, so a person can see why the stream differs from the file)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dastan.i18n import describe, gettext, in_english, render
from dastan.media.errors import MediaRefused
from dastan.media.probe import ProbeResult

MIN_DURATION_S = 1.0
MIN_SHORT_SIDE_PX = 96


def format_duration(seconds: float) -> str:
    """``2472`` → ``41:12``; ``6720`` → ``1:52:00``."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def check_mezzanine(probe: ProbeResult, *, filename: str) -> list[str]:
    """Raise MediaRefused with the reason and the fix, or return the corrections the
    transcode will apply (empty when the file is already as a stream needs it)."""
    if probe.is_truncated:
        raise MediaRefused(
            gettext("'%(name)s' ends at %(readable)s but its header says %(duration)s; the upload "
                    "may be incomplete.") % {"name": filename, "readable": format_duration(probe.readable_s),
                                             "duration": format_duration(probe.duration_s)},
            gettext("Upload the file again (an interrupted upload resumes where it stopped), or "
                    "export the master again if the file on your disk is short too."),
            code="truncated",
        )
    if probe.duration_s and probe.duration_s < MIN_DURATION_S:
        raise MediaRefused(
            # Translators: %(seconds)s is a number of seconds, e.g. 0.40.
            gettext("'%(name)s' lasts only %(seconds)s s.") % {"name": filename,
                                                               "seconds": f"{probe.duration_s:.2f}"},
            gettext("Upload the whole film; a stream needs at least one second of picture."),
            code="too_short",
        )
    short_side = min(probe.display_width, probe.display_height)
    if short_side < MIN_SHORT_SIDE_PX:
        raise MediaRefused(
            gettext("'%(name)s' is only %(width)sx%(height)s pixels.")
            % {"name": filename, "width": probe.display_width, "height": probe.display_height},
            # Translators: a rung is one size of the stream's ladder (240p, 360p, ... 1080p).
            gettext("Upload a master of at least %(pixels)s pixels on its short side "
                    "(the lowest stream is 240p; a larger master gives every rung).") % {"pixels": MIN_SHORT_SIDE_PX},
            code="too_small",
        )
    if not probe.audio:
        raise MediaRefused(
            gettext("'%(name)s' has no sound track.") % {"name": filename},
            gettext("Export the master with its sound (stereo or 5.1): every language version "
                    "of the film starts from the original sound."),
            code="no_audio",
        )
    return corrections_for(probe)


def corrections_for(probe: ProbeResult) -> list[str]:
    """What the transcode changes, each a text that keeps its message id (dastan.i18n), so
    the asset can store it and a page say it in its reader's language (shown_corrections)."""
    notes = []
    if probe.rotation:
        notes.append(gettext("rotated by %(degrees)s° as the phone recorded it") % {"degrees": probe.rotation})
    if probe.is_interlaced:
        notes.append(gettext("interlaced picture deinterlaced (bwdif, one frame per frame)"))
    if probe.is_variable_frame_rate:
        notes.append(gettext("variable frame rate made constant at %(fps)s fps") % {"fps": f"{probe.frame_rate:g}"})
    if probe.frame_rate > 60:
        notes.append(gettext("%(fps)s fps halved until at most 60 fps") % {"fps": f"{probe.frame_rate:g}"})
    if probe.width % 2 or probe.height % 2:
        notes.append(gettext("odd frame size %(width)sx%(height)s scaled to even sizes")
                     % {"width": probe.width, "height": probe.height})
    if (probe.width, probe.height) != (probe.display_width, probe.display_height) \
            and abs(probe.rotation) % 180 != 90:
        notes.append(gettext("non-square pixels made square"))
    for track in probe.audio:
        if track.channels > 2:
            # Translators: %(layout)s is the track's channel layout as ffmpeg names it (5.1, 7.1).
            notes.append(gettext("audio track %(number)s (%(layout)s) downmixed to stereo")
                         % {"number": track.index + 1, "layout": track.layout or track.channels})
    if len(probe.audio) > 1:
        notes.append(gettext("audio tracks kept, each as its own language: %(count)s") % {"count": len(probe.audio)})
    return notes


def recorded_corrections(corrections: Sequence[str]) -> dict[str, list[Any]]:
    """The corrections as an asset's probe keeps them: in English (as before) and as
    message ids with their values."""
    return {"corrections": [in_english(c) for c in corrections],
            "corrections_i18n": [describe(c) for c in corrections]}


def shown_corrections(probe: Mapping[str, Any]) -> list[str]:
    """An asset's corrections in the active language (as stored, for assets from before)."""
    texts = list(probe.get("corrections", []))
    described = list(probe.get("corrections_i18n", []))
    return [render(described[i] if i < len(described) else None, text) for i, text in enumerate(texts)]
