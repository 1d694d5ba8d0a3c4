"""Which writing system a text is in, letter by letter (ISO 15924 codes)."""

from __future__ import annotations

import unicodedata
from collections import Counter

# The first word of a letter's Unicode name → its ISO 15924 script. Han characters are
# "Hani" in Unicode and count for zh-Hans ("Hans"): simplified vs traditional is not a
# script difference a letter test can see.
_NAME_PREFIX = {"LATIN": "Latn", "CYRILLIC": "Cyrl", "ARABIC": "Arab",
                "DEVANAGARI": "Deva", "CJK": "Hans", "GREEK": "Grek", "HEBREW": "Hebr",
                "HIRAGANA": "Jpan", "KATAKANA": "Jpan", "HANGUL": "Kore"}


def letter_scripts(text: str) -> Counter[str]:
    """How many letters of ``text`` are in each script; marks, digits and punctuation
    are not letters and are not counted."""
    counts: Counter[str] = Counter()
    for char in text:
        if unicodedata.category(char)[0] != "L":
            continue
        name = unicodedata.name(char, "")
        counts[_NAME_PREFIX.get(name.split(" ", 1)[0], "Zyyy")] += 1
    return counts


def script_share(text: str, script: str) -> float:
    """The fraction of ``text``'s letters written in ``script`` (1.0 with no letters)."""
    counts = letter_scripts(text)
    total = sum(counts.values())
    return counts[script] / total if total else 1.0


def dominant_script(text: str) -> str | None:
    counts = letter_scripts(text)
    return counts.most_common(1)[0][0] if counts else None
