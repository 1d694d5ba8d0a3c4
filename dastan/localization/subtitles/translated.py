"""Target-language cues from translated texts: the source's times, the target's lines.

Machine translation returns one text per source cue (``Translation.texts``). The target
track keeps each source cue's times, so dubbing and review line up cue for cue, and
breaks each text anew under the target profile (a 39-character Russian line, 16 Chinese
characters). A text that no longer fits the profile's lines is kept on one line for QC
to report (``line_too_long``) and a reviewer to shorten: shortening a translation is a
person's decision, not a line breaker's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dastan.localization.subtitles.cue import Cue
from dastan.localization.subtitles.glossary import enforce_glossary
from dastan.localization.subtitles.linebreak import break_lines
from dastan.localization.subtitles.profiles import StyleProfile


def translated_cues(*, source_cues: Sequence[Cue], texts: Sequence[str],
                    profile: StyleProfile, glossary: Mapping[str, str] | None = None
                    ) -> tuple[Cue, ...]:
    """One target cue per source cue: same index, times and speaker; ``texts[i]``
    (glossary terms forced where the translation left them untranslated) broken into
    lines per ``profile``. Raises ``ValueError`` when the counts differ (a programming
    error: the translator must return one text per cue)."""
    if len(texts) != len(source_cues):
        raise ValueError(f"{len(texts)} translated texts for {len(source_cues)} cues.")
    out = []
    for cue, raw in zip(source_cues, texts, strict=True):
        text = " ".join(raw.split())
        if glossary:
            text = enforce_glossary(source_text=cue.text, target_text=text, glossary=glossary)
        lines = break_lines(text=text, profile=profile)
        out.append(Cue(index=cue.index, start_ms=cue.start_ms, end_ms=cue.end_ms,
                       lines=lines if lines is not None else (text,), speaker=cue.speaker))
    return tuple(out)
