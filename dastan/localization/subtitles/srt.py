"""SubRip (SRT) and WebVTT text, read strictly so that a bad line is named.

pysubs2 reads these leniently and skips what it cannot parse; an upload must instead
tell its author which line is wrong and how to fix it, so these two small formats are
parsed here, line by line. Both give :class:`RawCue` values that keep the line number
of their time line; :mod:`.formats` checks the order of times and builds cues.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from dastan.i18n import gettext
from dastan.localization.errors import SubtitleFileInvalid
from dastan.localization.subtitles.cue import Cue

# A leading minus is read (some tools write one for a cue before the film's start) so that
# formats.repair_cues can clamp or drop it instead of refusing the file.
_TIME = r"(-)?(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})[,.](\d{1,3})"
_TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}(?P<settings>\s.*)?$")
_LOOSE_TIMING = re.compile(r"-->|\d+:\d+")
_VOICE = re.compile(r"<v(?:\.[\w.]+)?\s+([^>]*)>")
_VTT_ONLY_TAGS = re.compile(r"</?(?:v|c|lang|ruby|rt)(?:[.\s][^>]*)?>|<\d[\d:.]*>")


@dataclass(frozen=True, slots=True)
class RawCue:
    line_number: int  # of the time line, counting from 1
    timing: str  # the time line as written, for messages
    start_ms: int
    end_ms: int
    lines: tuple[str, ...]
    speaker: str = ""


def parse_srt(text: str) -> list[RawCue]:
    """Cues of an SRT file: blocks of [number], time line, text lines, blank line."""
    cues: list[RawCue] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        if lines[i].strip().isdigit() and i + 1 < len(lines):
            i += 1  # the cue number; the time line must follow
        cue, i = _read_block(lines, i, "00:01:02,500 --> 00:01:04,000")
        cues.append(cue)
    return cues


def parse_vtt(text: str) -> list[RawCue]:
    """Cues of a WebVTT file; NOTE, STYLE and REGION blocks are skipped, voice tags
    (``<v Anna>``) become the speaker, entities are decoded."""
    lines = text.splitlines()
    if not lines or not lines[0].lstrip("\ufeff").startswith("WEBVTT"):
        raise SubtitleFileInvalid(gettext("line 1: a WebVTT file must start with 'WEBVTT'."),
                                  gettext("Add a first line reading WEBVTT."))
    i = 1
    while i < len(lines) and lines[i].strip():
        i += 1  # header lines after WEBVTT
    return _vtt_cues(lines, i)


def parse_headless_vtt(text: str) -> list[RawCue]:
    """Cues of a WebVTT file whose ``WEBVTT`` first line was lost (a common export slip);
    :func:`.formats.detect_format` chose this reader from the time lines' form."""
    return _vtt_cues(text.splitlines(), 0)


def _vtt_cues(lines: list[str], i: int) -> list[RawCue]:
    cues: list[RawCue] = []
    while i < len(lines):
        line = lines[i].strip()
        if not line:
            i += 1
        elif line.split(" ", 1)[0] in ("NOTE", "STYLE", "REGION"):
            while i < len(lines) and lines[i].strip():
                i += 1
        else:
            if "-->" not in line and i + 1 < len(lines) and "-->" in lines[i + 1]:
                i += 1  # a cue identifier
            cue, i = _read_block(lines, i, "00:01:02.500 --> 00:01:04.000")
            cues.append(_vtt_text(cue))
    return cues


def _read_block(lines: list[str], i: int, example: str) -> tuple[RawCue, int]:
    timing = lines[i].strip()
    match = _TIMING.match(timing)
    if match is None:
        values = {"line": i + 1, "text": _short(timing)}
        raise SubtitleFileInvalid((gettext("line %(line)s: '%(text)s' is not a time line.")
                                   if _LOOSE_TIMING.search(timing) else
                                   gettext("line %(line)s: '%(text)s' should be a time line.")) % values,
                                  gettext("Write it like '%(example)s'.") % {"example": example})
    start_ms = _ms(match.groups()[0:5], i + 1, timing)
    end_ms = _ms(match.groups()[5:10], i + 1, timing)
    j = i + 1
    while j < len(lines) and lines[j].strip():
        if _TIMING.match(lines[j]):
            raise SubtitleFileInvalid(
                gettext("line %(line)s: a time line inside the text of the cue timed at line %(cue_line)s.")
                % {"line": j + 1, "cue_line": i + 1},
                gettext("Put a blank line between the two cues."))
        j += 1
    text_lines = tuple(x.rstrip() for x in lines[i + 1:j])
    return RawCue(i + 1, timing, start_ms, end_ms, text_lines), j


def _ms(parts: tuple[str | None, ...], line_number: int, timing: str) -> int:
    sign, hours, minutes, seconds, fraction = parts
    if int(minutes or 0) > 59 or int(seconds or 0) > 59:
        raise SubtitleFileInvalid(
            gettext("line %(line)s: '%(text)s' has minutes or seconds above 59.")
            % {"line": line_number, "text": _short(timing)},
            gettext("Write times as hours:minutes:seconds,milliseconds."))
    ms = ((int(hours or 0) * 60 + int(minutes or 0)) * 60 + int(seconds or 0)) * 1000 \
        + int((fraction or "0").ljust(3, "0"))
    return -ms if sign else ms


def _vtt_text(cue: RawCue) -> RawCue:
    speaker = ""
    out: list[str] = []
    for line in cue.lines:
        if not speaker and (voice := _VOICE.search(line)):
            speaker = voice.group(1).strip()
        out.append(html.unescape(_VTT_ONLY_TAGS.sub("", line)))
    return RawCue(cue.line_number, cue.timing, cue.start_ms, cue.end_ms, tuple(out), speaker)


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def ms_to_timestamp(ms: int, *, separator: str = ",") -> str:
    """``3723004`` → ``01:02:03,004`` (SRT) or with ``separator="."`` WebVTT's form."""
    hours, rest = divmod(max(ms, 0), 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def write_srt(*, cues: Sequence[Cue]) -> str:
    """SRT text for ``cues``, numbered from 1 in the order given, LF line ends."""
    blocks = []
    for number, cue in enumerate(cues, start=1):
        blocks.append(f"{number}\n{ms_to_timestamp(cue.start_ms)} --> "
                      f"{ms_to_timestamp(cue.end_ms)}\n" + "\n".join(cue.lines) + "\n")
    return "\n".join(blocks)
