"""An untimed script + a speech-recognition transcript → the script's words, timed.

The script is the truth for the words; the transcript only lends its times. Both are
cut into words (Han: characters) and normalised — case, punctuation, harakat, Arabic
vs Persian yeh/kaf, ё/е, Eastern digits — then aligned with difflib's longest-matching
blocks (no junk heuristic):

* an equal run takes the recognised words' times one for one;
* a replaced run (the recogniser heard "gonna" for "going to") shares the recognised
  span among the script words in proportion to their length;
* script words the recogniser missed are placed between their timed neighbours, at
  most ``_MS_PER_CHAR`` per character, next to the word before them;
* recognised words not in the script (ad-libs, noise) are dropped.

Each script line becomes one :class:`Segment` with word times, so
:func:`~.segment.segment_transcript` makes the cues (see :func:`cues_from_script`).
A line "ANNA: Where were you?" is spoken by "ANNA".
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from dastan.catalog.languages import get_language
from dastan.localization.engines.base import Provenance, Segment, Transcript, Word
from dastan.localization.subtitles.counting import count_chars, graphemes
from dastan.localization.subtitles.cue import Cue
from dastan.localization.subtitles.profiles import StyleProfile
from dastan.localization.subtitles.segment import segment_transcript

_MS_PER_CHAR = 70
_SPEAKER = re.compile(r"^([^\W\d_][\w .'-]{0,30}):\s+(\S.*)$")
_LETTER_FOLDS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ё": "е", "ة": "ه", "\u200c": ""})


@dataclass(frozen=True, slots=True)
class ScriptAlignment:
    transcript: Transcript  # one segment per script line, with word times
    matched_words: int  # script words whose times came from recognised words
    script_words: int

    @property
    def matched_ratio(self) -> float:
        """Below ~0.5 the script and the audio are probably not the same cut."""
        return self.matched_words / self.script_words if self.script_words else 0.0


def align_script(*, script_lines: Sequence[str], transcript: Transcript) -> ScriptAlignment:
    """Time ``script_lines`` with ``transcript``'s word times (see the module docstring).

    Segments without word times lend their span spread over their text. Blank lines are
    skipped. Never raises for well-formed values; an empty script gives no segments.
    """
    han = get_language(transcript.language).script in ("Hans", "Hant")
    lines = [(speaker, text) for speaker, text in map(_speaker, script_lines) if text]
    script = [(n, token) for n, (_s, text) in enumerate(lines) for token in _split(text, han)]
    heard = _heard_words(transcript, han)
    times: list[tuple[int, int] | None] = [None] * len(script)
    matcher = difflib.SequenceMatcher(None, [_norm(t) for _n, t in script],
                                      [_norm(w.text) for w in heard], autojunk=False)
    matched = 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for k in range(i2 - i1):
                times[i1 + k] = (heard[j1 + k].start_ms, heard[j1 + k].end_ms)
            matched += i2 - i1
        elif op == "replace":
            spread = _spread([t for _n, t in script[i1:i2]], heard[j1].start_ms,
                             heard[j2 - 1].end_ms)
            times[i1:i2] = list(spread)
    filled = _fill_gaps([t for _n, t in script], times)
    segments = []
    for number, (speaker, text) in enumerate(lines):
        words = tuple(Word(token, start, end) for (n, token), (start, end)
                      in zip(script, filled, strict=True) if n == number)
        if words:
            segments.append(Segment(text=text, start_ms=words[0].start_ms,
                                    end_ms=words[-1].end_ms, words=words, speaker=speaker))
    provenance = Provenance(engine="script-alignment", model=transcript.provenance.engine)
    aligned = replace(transcript, segments=tuple(segments), provenance=provenance)
    return ScriptAlignment(aligned, matched, len(script))


def cues_from_script(*, script_lines: Sequence[str], transcript: Transcript,
                     profile: StyleProfile, shot_changes_ms: Sequence[int] = ()
                     ) -> tuple[Cue, ...]:
    """Script lines timed by ``transcript`` and cut into cues per ``profile``."""
    aligned = align_script(script_lines=script_lines, transcript=transcript)
    return segment_transcript(transcript=aligned.transcript, profile=profile,
                              shot_changes_ms=shot_changes_ms)


def _speaker(line: str) -> tuple[str, str]:
    text = " ".join(line.split())
    match = _SPEAKER.match(text)
    return (match.group(1), match.group(2)) if match else ("", text)


def _split(text: str, han: bool) -> list[str]:
    if not han:
        return text.split()
    tokens: list[str] = []
    for cluster in graphemes(text):
        if cluster.isspace():
            continue
        if tokens and not any(c.isalnum() for c in cluster):
            tokens[-1] += cluster  # punctuation rides on the character before it
        else:
            tokens.append(cluster)
    return tokens


def _heard_words(transcript: Transcript, han: bool) -> list[Word]:
    out: list[Word] = []
    for seg in transcript.segments:
        words = seg.words or _spread_segment(seg)
        for word in words:
            tokens = _split(word.text.strip(), han)
            out.extend(Word(tok, start, end) for tok, (start, end) in
                       zip(tokens, _spread(tokens, word.start_ms, word.end_ms), strict=True))
    return out


def _spread_segment(seg: Segment) -> tuple[Word, ...]:
    tokens = seg.text.split()
    return tuple(Word(t, s, e) for t, (s, e) in
                 zip(tokens, _spread(tokens, seg.start_ms, seg.end_ms), strict=True))


def _spread(tokens: Sequence[str], start: int, end: int) -> list[tuple[int, int]]:
    """``start``–``end`` shared among ``tokens`` in proportion to their length."""
    weights = [count_chars(t) + 1 for t in tokens]
    total, done, out = sum(weights), 0, []
    for weight in weights:
        a = start + (end - start) * done // total
        done += weight
        out.append((a, start + (end - start) * done // total))
    return out


def _fill_gaps(tokens: list[str], times: list[tuple[int, int] | None]
               ) -> list[tuple[int, int]]:
    """Times for the untimed runs: after the word before (or before the word after, at
    the start), ``_MS_PER_CHAR`` a character, squeezed when the room is smaller."""
    filled: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        known = times[i]
        if known is not None:
            filled.append(known)
            i += 1
            continue
        j = i
        while j < len(times) and times[j] is None:
            j += 1
        after = times[j] if j < len(times) else None
        wanted = sum(count_chars(t) + 1 for t in tokens[i:j]) * _MS_PER_CHAR
        if filled:
            low = filled[-1][1]
            high = low + wanted if after is None else min(after[0], low + wanted)
        else:
            high = after[0] if after is not None else wanted
            low = max(high - wanted, 0)
        filled.extend(_spread(tokens[i:j], low, high))
        i = j
    return filled


def _norm(token: str) -> str:
    text = unicodedata.normalize("NFKC", token).casefold().translate(_LETTER_FOLDS)
    out = ""
    for char in text:
        if char.isdigit() and unicodedata.decimal(char, None) is not None:
            out += str(unicodedata.decimal(char))
        elif char.isalnum():
            out += char
        elif unicodedata.category(char) == "Mc":
            out += char  # Devanagari vowel signs that change the word
        elif unicodedata.category(char) == "Mn" and not "\u064b" <= char <= "\u065f":
            out += char  # keep matras and nukta; drop Arabic harakat
    return out
