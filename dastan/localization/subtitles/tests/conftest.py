"""Builders for transcripts: hand-made values, no speech recognition needed."""

from __future__ import annotations

from dastan.localization.engines.base import Provenance, Segment, Transcript, Word
from dastan.localization.subtitles.counting import count_chars


def words_spoken(text: str, *, start_ms: int = 0, ms_per_char: int = 55, gap_ms: int = 90,
                 sentence_pause_ms: int = 400) -> tuple[Word, ...]:
    """``text``'s words timed as steady speech: longer words take longer, a pause after
    each sentence."""
    out, t = [], start_ms
    for token in text.split():
        end = t + 60 + ms_per_char * count_chars(token)
        out.append(Word(token, t, end))
        t = end + gap_ms + (sentence_pause_ms if token[-1] in ".?!।۔؟" else 0)
    return tuple(out)


def han_words_spoken(text: str, *, start_ms: int = 0, ms_per_char: int = 210
                     ) -> tuple[Word, ...]:
    """Chinese as a recogniser gives it: two-character words, punctuation attached."""
    out, t, i = [], start_ms, 0
    while i < len(text):
        token, i = text[i:i + 2], i + 2
        while i < len(text) and text[i] in "，。！？、":
            token, i = token + text[i], i + 1
        end = t + ms_per_char * len(token)
        out.append(Word(token, t, end))
        t = end + (350 if token[-1] in "。！？" else 40)
    return tuple(out)


def transcript(language: str, *sentences_or_words: tuple[Word, ...] | str,
               speaker: str = "") -> Transcript:
    """A Transcript with one segment per argument: words, or text timed as speech."""
    segments, t = [], 0
    for item in sentences_or_words:
        words = words_spoken(item, start_ms=t) if isinstance(item, str) else item
        segments.append(Segment(" ".join(w.text for w in words), words[0].start_ms,
                                words[-1].end_ms, words, speaker))
        t = words[-1].end_ms + 500
    return Transcript(language, 1.0, tuple(segments), Provenance("test"),
                      segments[-1].end_ms if segments else 0)
