"""Subtitle files in and out: SRT, WebVTT, ASS/SSA, TTML (IMSC1, EBU-TT-D); plain
scripts in.

Text that cannot be read raises
:class:`~dastan.localization.errors.SubtitleFileInvalid` whose message starts with the
line at fault ("line 14: '00:01:02,500' is not a time line.") and whose hint says what
to change. Times that can be read but are wrong are repaired as a person would
(:mod:`.repair`), each repair reported with its line. Nothing is stored here.

A format is one entry of :data:`READERS` (name → function from text to raw cues);
to add one: 1. write ``parse_<name>(text) -> list[RawCue]`` in its own module;
2. add it to :data:`READERS`; 3. teach :func:`detect_format` its first bytes;
4. add a round-trip test in ``tests/test_formats.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pysubs2

from dastan.catalog.languages import get_language
from dastan.i18n import gettext
from dastan.localization.errors import SubtitleFileInvalid
from dastan.localization.subtitles.cue import Cue
from dastan.localization.subtitles.encodings import decode_text
from dastan.localization.subtitles.repair import Repair, repair_cues
from dastan.localization.subtitles.srt import (
    RawCue,
    parse_headless_vtt,
    parse_srt,
    parse_vtt,
    write_srt,
)
from dastan.localization.subtitles.ttml import parse_ttml, write_ttml
from dastan.localization.subtitles.webvtt import write_webvtt

FORMATS = ("srt", "vtt", "ass", "ssa", "ttml")


@dataclass(frozen=True, slots=True)
class SubtitleDocument:
    """What an uploaded subtitle file held."""

    format: str  # one of FORMATS
    encoding: str  # what the bytes were decoded from: "utf-8", "cp1256" ...
    cues: tuple[Cue, ...]
    repairs: tuple[Repair, ...] = ()  # what was changed to make the cues usable, by line


def read_subtitles(*, data: bytes, language: str | None = None, filename: str = "",
                   allow_overlaps: bool = False,
                   film_duration_ms: int | None = None) -> SubtitleDocument:
    """The cues of an SRT, WebVTT, ASS/SSA or TTML file, repaired (:mod:`.repair`).

    ``language`` (expected language of the text) guides legacy-encoding detection.
    ``filename`` only helps name the format in messages. Overlapping cues are clamped
    unless ``allow_overlaps`` (two speakers at once). ``film_duration_ms``, when the
    film's length is known, drops cues after its end and refuses absurd cue counts.

    Raises :class:`SubtitleFileInvalid`: empty file; not a subtitle file; undecodable
    bytes; a malformed time line — each naming its line; more cues than the film could
    show; no cue left after the repairs.
    """
    if not data.strip():
        # Translators: %(named)s is empty or a space and the file's name in quotes, e.g. " 'film.srt'".
        raise SubtitleFileInvalid(gettext("The file%(named)s is empty.") % {"named": _named(filename)},
                                  gettext("Upload the subtitle file again; it has no text."))
    text, encoding = decode_text(data=data, language=language)
    fmt = detect_format(text=text, filename=filename)
    found: list[Repair] = []
    if fmt == "vtt" and not text.lstrip("\ufeff \t\r\n").startswith("WEBVTT"):
        raws = parse_headless_vtt(text)
        found.append(Repair(1, "format", "the WebVTT header line is missing; read as WebVTT "
                            "from its time lines."))
    else:
        raws = READERS[fmt](text)
    if not raws:
        # Translators: %(format)s is SRT, VTT, ASS or TTML; %(named)s is empty or the file's name in quotes.
        raise SubtitleFileInvalid(gettext("The %(format)s file%(named)s has no cues.")
                                  % {"format": fmt.upper(), "named": _named(filename)},
                                  gettext("Check that the export contains the subtitles."))
    repaired, repairs = repair_cues(raws=raws, film_duration_ms=film_duration_ms,
                                    allow_overlaps=allow_overlaps)
    cues = tuple(Cue(index=i, start_ms=r.start_ms, end_ms=r.end_ms, lines=r.lines,
                     speaker=r.speaker) for i, r in enumerate(repaired, start=1))
    return SubtitleDocument(format=fmt, encoding=encoding, cues=cues,
                            repairs=tuple(found + repairs))


def detect_format(*, text: str, filename: str = "") -> str:
    """The format of ``text`` from its first lines (the file name is not trusted)."""
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("WEBVTT"):
        return "vtt"
    if head.startswith("[Script Info]"):
        return "ssa" if re.search(r"ScriptType:\s*v4\.00\s*$", head[:2000], re.MULTILINE) else "ass"
    if head.startswith("<") and "<tt" in head[:2000]:
        return "ttml"
    if head.split(maxsplit=1)[0] in ("NOTE", "STYLE", "REGION"):
        return "vtt"  # WebVTT's own blocks, under a header that was lost
    # A blank line or two, a cue number or identifier may come before the first time line.
    for line in head.splitlines()[:6]:
        if "-->" in line:
            # SRT writes milliseconds after a comma, WebVTT after a full stop: a file of
            # full stops is a WebVTT file that lost its header, not SRT (its tags differ).
            return "vtt" if _VTT_TIME.search(line) else "srt"
    first = head.splitlines()[0] if head else ""
    raise SubtitleFileInvalid(
        # Translators: %(named)s is empty or a space and the file's name in quotes, e.g. " 'film.srt'".
        gettext("line 1: the file%(named)s is not a subtitle file; it starts '%(start)s'.")
        % {"named": _named(filename), "start": first[:40]},
        gettext("Upload SRT, WebVTT, ASS/SSA or TTML subtitles."))


_VTT_TIME = re.compile(r"\d\.\d{3}\s*-->")


def parse_ass(text: str) -> list[RawCue]:
    """Dialogue events of an ASS/SSA script (pysubs2), override tags removed."""
    try:
        subs = pysubs2.SSAFile.from_string(text)
    except (pysubs2.Pysubs2Error, ValueError) as exc:
        raise SubtitleFileInvalid(gettext("The ASS/SSA file cannot be read: %(error)s.") % {"error": exc},
                                  gettext("Open and save it again in Aegisub.")) from exc
    event_lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1)
                   if line.startswith(("Dialogue:", "Comment:"))]
    out = []
    for event, (line_number, line) in zip(subs.events, event_lines, strict=False):
        if event.is_comment:
            continue
        lines = tuple(x.strip() for x in _ass_to_lines(event.text))
        timing = ",".join(line.split(",")[1:3])  # "0:00:05.00,0:00:04.00" as written
        out.append(RawCue(line_number, timing, event.start, event.end, lines, event.name))
    return out


_ASS_TAGS = {"<i>": "{\\i1}", "</i>": "{\\i0}", "<b>": "{\\b1}", "</b>": "{\\b0}",
             "<u>": "{\\u1}", "</u>": "{\\u0}"}
_ASS_OVERRIDE = re.compile(r"\{[^}]*\}")


def _ass_to_lines(text: str) -> list[str]:
    """ASS event text as our lines: italics, bold and underline kept as tags, other
    override blocks ({\\an8}, {\\pos(..)}) dropped, \\N and \\n as line breaks."""
    for tag, code in _ASS_TAGS.items():
        text = text.replace(code, tag)
    text = _ASS_OVERRIDE.sub("", text).replace("\\h", "\u00a0")
    return re.split(r"\\[Nn]", text)


READERS: dict[str, Callable[[str], list[RawCue]]] = {
    "srt": parse_srt, "vtt": parse_vtt, "ass": parse_ass, "ssa": parse_ass, "ttml": parse_ttml,
}


def write_subtitles(*, cues: Sequence[Cue], fmt: str, language: str) -> str:
    """``cues`` as text in ``fmt`` (one of FORMATS). WebVTT and TTML of right-to-left
    languages carry explicit direction (see :mod:`.webvtt`). Raises ``KeyError`` for an
    unknown format name (a programming error)."""
    if fmt == "srt":
        return write_srt(cues=cues)
    if fmt == "vtt":
        return write_webvtt(cues=cues, language=language)
    if fmt == "ttml":
        return write_ttml(cues=cues, language=language, rtl=get_language(language).rtl)
    if fmt in ("ass", "ssa"):
        subs = pysubs2.SSAFile()
        for cue in cues:
            text = "\\N".join(cue.lines)
            for tag, code in _ASS_TAGS.items():
                text = text.replace(tag, code)
            subs.events.append(pysubs2.SSAEvent(start=cue.start_ms, end=cue.end_ms,
                                                text=text, name=cue.speaker))
        return subs.to_string(fmt)
    raise KeyError(f"Unknown subtitle format '{fmt}'; use one of {', '.join(FORMATS)}.")


def read_script(*, data: bytes, language: str | None = None) -> tuple[str, ...]:
    """An untimed script as its non-empty lines, whitespace tidied, for
    :func:`.align.align_script`. Raises :class:`SubtitleFileInvalid` for an empty file
    or one that is really a timed subtitle file (upload that as subtitles instead)."""
    text, _encoding = decode_text(data=data, language=language, what="script")
    lines = tuple(" ".join(line.split()) for line in text.splitlines() if line.strip())
    if not lines:
        # Translators: the script is a film's screenplay or dialogue list, as text without times.
        raise SubtitleFileInvalid(gettext("The script is empty."), gettext("Upload a script with its text."))
    for number, line in enumerate(text.splitlines(), start=1):
        if "-->" in line:
            raise SubtitleFileInvalid(
                gettext("line %(line)s: the script has subtitle times ('%(text)s').")
                % {"line": number, "text": line.strip()[:40]},
                gettext("Upload it as a subtitle file; a script is text without times."))
    return lines


def _named(filename: str) -> str:
    return f" '{filename}'" if filename else ""
