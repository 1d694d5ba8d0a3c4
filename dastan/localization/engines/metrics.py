"""Error rates for checking recognisers against a known script (tests, bench, QC)."""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^\w\s]", re.UNICODE)


def normalize_words(text: str) -> list[str]:
    """Lower case, punctuation removed, ``ё`` read as ``е`` (Russian writes both)."""
    text = unicodedata.normalize("NFC", text).lower().replace("ё", "е")
    return _NOT_WORD.sub(" ", text).split()


def edit_distance(reference: list[str], hypothesis: list[str]) -> int:
    """Levenshtein distance over tokens (substitutions, insertions, deletions cost 1)."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, 1):
        current = [i]
        for j, hyp in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ref != hyp)))
        previous = current
    return previous[-1]


def word_error_rate(*, reference: str, hypothesis: str) -> float:
    """Word edits needed to turn ``hypothesis`` into ``reference``, per reference word."""
    ref = normalize_words(reference)
    if not ref:
        raise ValueError("The reference text has no words.")
    return edit_distance(ref, normalize_words(hypothesis)) / len(ref)


def character_error_rate(*, reference: str, hypothesis: str) -> float:
    """Like :func:`word_error_rate` over characters (spaces ignored): for scripts without
    spaces between words, and for rough scoring where words barely match."""
    ref = list("".join(normalize_words(reference)))
    if not ref:
        raise ValueError("The reference text has no letters.")
    return edit_distance(ref, list("".join(normalize_words(hypothesis)))) / len(ref)
