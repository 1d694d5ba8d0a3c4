"""Breaking a cue's text into lines at linguistic boundaries.

A text that fits on one line stays on one line. Otherwise every way of cutting it into
2 (or, when the profile allows, 3) lines that each fit ``chars_per_line`` is scored,
lower is better:

* after sentence punctuation −30, after a comma or colon −20, before a speaker dash −50;
* before a word of the profile's ``break_before`` list (conjunctions, prepositions) −10;
* leaving a ``keep_with_next`` word (article, preposition) or a one-letter word at the
  end of a line +40, a ``break_before`` word +20; starting a line with a ``keep_with_previous`` word (postposition,
  clitic) +40;
* line lengths apart from their mean, +1 a character (balanced shapes), and +3 when an
  upper line is longer than the one below (Netflix prefers a bottom-heavy pyramid).

Chinese (``break_between_characters``) breaks between characters, never before closing
punctuation (，。！？」） …) nor after opening punctuation (“「（ …); runs of Latin letters
and digits stay whole.
"""

from __future__ import annotations

import itertools
import unicodedata
from dataclasses import dataclass

from dastan.localization.subtitles.counting import count_chars, graphemes
from dastan.localization.subtitles.profiles import StyleProfile

SENTENCE_END = ".!?…。！？।۔؟"
CLAUSE_END = ",;:،؛，；：、"
CJK_CLOSING = "，。！？、；：”’」』）》〉】…—·.,!?;:)]}"
CJK_OPENING = "“‘「『（《〈【([{"
DASHES = ("-", "–", "—")
_FORBIDDEN = 10_000.0
BAD_BREAK = 40.0


@dataclass(frozen=True, slots=True)
class _Tokens:
    words: tuple[str, ...]
    seps: tuple[str, ...]  # seps[i] joins words[i] and words[i + 1]
    lengths: tuple[int, ...]
    sep_lengths: tuple[int, ...]


def tokenize(*, text: str, profile: StyleProfile) -> tuple[str, ...]:
    """The units a line may break between: words, or Han characters."""
    return _tokens(text, profile).words


def break_lines(*, text: str, profile: StyleProfile) -> tuple[str, ...] | None:
    """``text`` as the best-scored lines that fit the profile, or None when it cannot
    fit in ``max_lines`` lines of ``chars_per_line`` (the caller splits the cue)."""
    tokens = _tokens(text, profile)
    if not tokens.words:
        return ()
    dialogue = _dialogue_lines(tokens, profile)
    if dialogue is not None:
        return dialogue
    total = sum(tokens.lengths) + sum(tokens.sep_lengths)
    if total <= profile.chars_per_line:
        return (_join(tokens, 0, len(tokens.words)),)
    best: tuple[float, tuple[int, ...]] | None = None
    for line_count in range(2, profile.max_lines + 1):
        for cuts in itertools.combinations(range(1, len(tokens.words)), line_count - 1):
            score = _score(tokens, cuts, profile)
            if score is not None and (best is None or score < best[0]):
                best = (score, cuts)
        if best is not None:
            break  # fewer lines beat any shape with more
    if best is None:
        return None
    bounds = (0, *best[1], len(tokens.words))
    return tuple(_join(tokens, a, b) for a, b in itertools.pairwise(bounds))


def fits(*, text: str, profile: StyleProfile) -> bool:
    return break_lines(text=text, profile=profile) is not None


def _dialogue_lines(tokens: _Tokens, profile: StyleProfile) -> tuple[str, ...] | None:
    """Two speakers ("- Where to? - Home.") take a line each, even when one would do."""
    words = tokens.words
    if profile.max_lines < 2 or len(words) < 3 or words[0] not in DASHES:
        return None
    second = [i for i in range(2, len(words)) if words[i] in DASHES]
    if len(second) != 1:
        return None
    lines = (_join(tokens, 0, second[0]), _join(tokens, second[0], len(words)))
    return lines if max(count_chars(x) for x in lines) <= profile.chars_per_line else None


def _score(tokens: _Tokens, cuts: tuple[int, ...], profile: StyleProfile) -> float | None:
    bounds = (0, *cuts, len(tokens.words))
    lengths = [sum(tokens.lengths[a:b]) + sum(tokens.sep_lengths[a:b - 1])
               for a, b in itertools.pairwise(bounds)]
    if max(lengths) > profile.chars_per_line:
        return None
    mean = sum(lengths) / len(lengths)
    score = sum(abs(n - mean) for n in lengths)
    score += sum(3 for upper, lower in itertools.pairwise(lengths) if upper > lower)
    for cut in cuts:
        score += break_penalty(tokens.words[cut - 1], tokens.words[cut], profile)
    return score if score < _FORBIDDEN / 2 else None


def break_penalty(before: str, after: str, profile: StyleProfile) -> float:
    """The score of a line break between the units ``before`` and ``after`` (see the
    module docstring); 40 or more marks a break a reader stumbles on."""
    if profile.break_between_characters:
        if after[0] in CJK_CLOSING or before[-1] in CJK_OPENING:
            return _FORBIDDEN
        penalty = -30.0 if before[-1] in SENTENCE_END else -20.0 if before[-1] in CLAUSE_END \
            else 0.0
        return penalty + (40 if after in profile.keep_with_previous else 0)
    if after in DASHES or after[:1] in DASHES and len(after) > 1 and after[1] == " ":
        return -50.0
    if after[:1] in CJK_CLOSING and not after[:1].isalnum():
        return _FORBIDDEN  # a line never starts with closing punctuation
    penalty = 0.0
    if before[-1] in SENTENCE_END:
        penalty -= 30
    elif before[-1] in CLAUSE_END:
        penalty -= 20
    else:
        bare = _bare(before)
        if bare in profile.keep_with_next or count_chars(bare) == 1:
            penalty += 40
        elif bare in profile.break_before:
            penalty += 20  # a conjunction left at a line end belongs to the next line
    if _bare(after) in profile.break_before:
        penalty -= 10
    if _bare(after) in profile.keep_with_previous:
        penalty += 40
    return penalty


def _bare(word: str) -> str:
    return word.strip("\"'«»„“”‘’()[]¿¡").casefold().rstrip(SENTENCE_END + CLAUSE_END)


def _tokens(text: str, profile: StyleProfile) -> _Tokens:
    words: list[str] = []
    seps: list[str] = []
    if profile.break_between_characters:
        pending_sep = ""
        for cluster in graphemes(" ".join(text.split())):
            if cluster == " ":
                pending_sep = " "
            elif words and not pending_sep and _latin_run(words[-1]) and _latin_run(cluster):
                words[-1] += cluster
            else:
                if words:
                    seps.append(pending_sep)
                words.append(cluster)
                pending_sep = ""
    else:
        words = text.split()
        seps = [" "] * max(len(words) - 1, 0)
    return _Tokens(tuple(words), tuple(seps), tuple(count_chars(w) for w in words),
                   tuple(len(s) for s in seps))


def _latin_run(token: str) -> bool:
    return all(c.isascii() and (c.isalnum() or c in "'.-") or
               unicodedata.category(c)[0] == "M" for c in token)


def _join(tokens: _Tokens, start: int, end: int) -> str:
    out = tokens.words[start]
    for i in range(start + 1, end):
        out += tokens.seps[i - 1] + tokens.words[i]
    return out
