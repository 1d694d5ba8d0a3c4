"""WebVTT output, right-to-left safe.

WebVTT has no per-cue direction: a browser takes each line's direction from its first
strong character. An Urdu or Persian line that opens with a number ("15 منٹ"), a Latin
name ("Samarkand میں") or punctuation ("- ہاں") would be laid out left to right, with
its words in the wrong order. So for right-to-left languages **every** line starts
with U+200F RIGHT-TO-LEFT MARK — always, not only where a line opens with a weak or
left-to-right character: it costs 3 bytes, is invisible, never changes a count
(:mod:`.counting`), and stays right when a reviewer later edits the line's first word.
A line ending in a number or a Latin word followed by punctuation also gets an RLM at
its end, so the closing full stop or question mark sits at the line's left end.

Text is escaped as WebVTT requires (``&``, ``<``, ``>``); ``<i>``, ``<b>`` and ``<u>``
pass through. ``align:`` is written on every cue (``center`` by default; ``start`` and
``end`` follow the line's direction, so ``start`` is the right edge for Urdu).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from dastan.catalog.languages import get_language
from dastan.localization.subtitles.counting import RLM
from dastan.localization.subtitles.cue import Cue
from dastan.localization.subtitles.srt import ms_to_timestamp

ALIGNS = ("start", "center", "end", "left", "right")
_ALLOWED_TAG = re.compile(r"</?[ibu]>")


def write_webvtt(*, cues: Sequence[Cue], language: str, align: str = "center",
                 line_percent: int | None = None, speakers: bool = False) -> str:
    """A WebVTT document for ``cues`` in ``language``; RTL-safe for ur and fa.

    ``line_percent`` places cues vertically (``line:90%``); ``speakers`` adds voice tags
    (``<v Anna>``). Raises ``ValueError`` for an unknown ``align`` (a programming error).
    """
    if align not in ALIGNS:
        raise ValueError(f"align must be one of {', '.join(ALIGNS)}, not {align!r}.")
    rtl = get_language(language).rtl
    settings = f"align:{align}" + (f" line:{line_percent}%" if line_percent is not None else "")
    blocks = ["WEBVTT\nLanguage: " + get_language(language).code + "\n"]
    for number, cue in enumerate(cues, start=1):
        lines = [_escape(line) for line in cue.lines]
        if rtl:
            lines = [rtl_line(line) for line in lines]
        if speakers and cue.speaker and lines:
            lines[0] = f"<v {_escape(cue.speaker)}>{lines[0]}"
        blocks.append(f"{number}\n{ms_to_timestamp(cue.start_ms, separator='.')} --> "
                      f"{ms_to_timestamp(cue.end_ms, separator='.')} {settings}\n"
                      + "\n".join(lines) + "\n")
    return "\n".join(blocks)


def rtl_line(line: str) -> str:
    """``line`` made to display right to left on its own (see the module docstring)."""
    body = line.strip(RLM)
    out = RLM + body
    last_strong = next((unicodedata.bidirectional(c) for c in reversed(_untagged(body))
                        if unicodedata.bidirectional(c) in ("L", "R", "AL", "EN", "AN")),
                       "")
    if last_strong in ("L", "EN", "AN") and body and not body[-1].isalnum():
        out += RLM
    return out


def first_strong_direction(line: str) -> str:
    """'rtl', 'ltr' or '' (no strong character): how a browser will lay out ``line``."""
    for char in _untagged(line):
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return ""


def _untagged(line: str) -> str:
    return re.sub(r"<[^>]*>", "", line)


def _escape(line: str) -> str:
    parts = _ALLOWED_TAG.split(line)
    tags = _ALLOWED_TAG.findall(line)
    out = ""
    for i, part in enumerate(parts):
        out += part.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if i < len(tags):
            out += tags[i]
    return out
