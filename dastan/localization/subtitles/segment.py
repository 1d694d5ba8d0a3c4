"""Timed speech → subtitle cues that obey a style profile.

The words of a :class:`~dastan.localization.engines.base.Transcript` (or, for segments
without word times, the segment text spread over the segment in proportion to each
word's length) are gathered into cues:

* a cue grows word by word while its text still breaks into ``max_lines`` lines of
  ``chars_per_line`` (:func:`~.linebreak.break_lines`) and its speech lasts at most
  ``max_duration_ms``;
* a change of speaker, or a silence of ``pause_split_ms`` or more, always starts a new
  cue; but two speakers' short lines ("Who is it?" / "Me.") share one cue, a dashed line
  each, when one of them alone would be too short (the cue's ``speaker`` is then "");
* when the next word does not fit, the cue is cut at the best point of what it holds,
  not blindly before that word: after a sentence or a segment end, after a comma, at a
  pause, before a conjunction; never after an article or preposition; where the cue's
  own lines break cleanly. Words after the cut open the next cue;
* a cue whose speech is shorter than ``min_duration_ms`` is merged with a neighbour
  when the two fit together and are not far apart, or else takes words from the cue
  before it (the two are cut again where both last long enough);
* then :func:`~.timing.apply_timing_rules` sets ends, gaps and shot-change snapping.

The output is checked by :func:`~.qc.check_cues`; what no segmentation can fix (a
speaker who reads faster than ``max_cps``) is left for QC to report.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from dastan.localization.engines.base import Segment, Transcript
from dastan.localization.subtitles.counting import count_chars, line_chars
from dastan.localization.subtitles.cue import Cue
from dastan.localization.subtitles.linebreak import (
    BAD_BREAK,
    CLAUSE_END,
    SENTENCE_END,
    break_lines,
    break_penalty,
    tokenize,
)
from dastan.localization.subtitles.profiles import StyleProfile
from dastan.localization.subtitles.timing import TimedText, apply_timing_rules


@dataclass(frozen=True, slots=True)
class _Word:
    text: str
    start_ms: int
    end_ms: int
    segment: int
    speaker: str


def segment_transcript(*, transcript: Transcript, profile: StyleProfile,
                       shot_changes_ms: Sequence[int] = ()) -> tuple[Cue, ...]:
    """Cues for ``transcript`` per ``profile`` (see the module docstring).

    ``shot_changes_ms`` are cut times from :func:`~.shots.detect_shot_changes`.
    Guarantees: cues in time order, numbered from 1, none empty, none overlapping
    unless the speech itself overlaps. Raises nothing for any well-formed Transcript.
    """
    words = _timed_words(segments=transcript.segments, profile=profile)
    groups = _merge_short(_group(words, profile), profile)
    drafts = [TimedText(start_ms=g[0].start_ms, speech_end_ms=max(w.end_ms for w in g),
                        lines=_lines(g, profile),
                        speaker=g[0].speaker if len(_runs(g)) == 1 else "") for g in groups]
    return apply_timing_rules(drafts=drafts, profile=profile, shot_changes_ms=shot_changes_ms)


def _timed_words(*, segments: Sequence[Segment], profile: StyleProfile) -> list[_Word]:
    """Every word with its time; segments without word times are spread evenly by
    character count over the segment's span."""
    out: list[_Word] = []
    for number, seg in enumerate(segments):
        if seg.words:
            out.extend(_Word(w.text.strip(), w.start_ms, max(w.end_ms, w.start_ms), number,
                             seg.speaker) for w in seg.words if w.text.strip())
            continue
        tokens = tokenize(text=seg.text, profile=profile)
        weights = [count_chars(t) + 1 for t in tokens]
        total, done = sum(weights), 0
        span = max(seg.end_ms - seg.start_ms, 0)
        for token, weight in zip(tokens, weights, strict=True):
            start = seg.start_ms + span * done // total
            done += weight
            out.append(_Word(token, start, seg.start_ms + span * done // total, number,
                             seg.speaker))
    return out


def _text(words: Sequence[_Word], profile: StyleProfile) -> str:
    if not profile.break_between_characters:
        return " ".join(w.text for w in words)
    out = ""
    for w in words:  # Han: no spaces, except between two Latin words
        if out and out[-1].isascii() and out[-1].isalnum() and w.text[0].isascii() \
                and w.text[0].isalnum():
            out += " "
        out += w.text
    return out


def _lines(words: Sequence[_Word], profile: StyleProfile) -> tuple[str, ...]:
    runs = _runs(words)
    if len(runs) == 2:  # a two-speaker cue: a dashed line each
        return tuple(_dashed(run, profile) for run in runs)
    text = _text(words, profile)
    return break_lines(text=text, profile=profile) or (text,)  # too long: QC reports it


def _runs(words: Sequence[_Word]) -> list[list[_Word]]:
    """The words split where the speaker changes."""
    runs: list[list[_Word]] = []
    for word in words:
        if runs and runs[-1][-1].speaker == word.speaker:
            runs[-1].append(word)
        else:
            runs.append([word])
    return runs


def _dashed(words: Sequence[_Word], profile: StyleProfile) -> str:
    return ("-" if profile.break_between_characters else "- ") + _text(words, profile)


def _fits(words: Sequence[_Word], profile: StyleProfile) -> bool:
    return (words[-1].end_ms - words[0].start_ms <= profile.max_duration_ms
            and break_lines(text=_text(words, profile), profile=profile) is not None)


def _group(words: list[_Word], profile: StyleProfile) -> list[list[_Word]]:
    groups: list[list[_Word]] = []
    current: list[_Word] = []
    for word in words:
        if current and (word.speaker != current[-1].speaker
                        or word.start_ms - current[-1].end_ms >= profile.pause_split_ms):
            groups.append(current)
            current = []
        if not current or _fits([*current, word], profile):
            current.append(word)
            continue
        cut = _best_cut(current, word, profile)
        groups.append(current[:cut])
        current = [*current[cut:], word]
    if current:
        groups.append(current)
    return groups


def _best_cut(current: list[_Word], word: _Word, profile: StyleProfile) -> int:
    """Where to end the full cue: the lowest score of boundary quality plus the
    characters pushed to the next cue (a third of a point each); the rest must fit
    with ``word``. A sentence end (−50) thus wins over a whole cue carried: one
    sentence per cue where the sentences allow, as Netflix asks."""
    best = len(current)
    best_score = _boundary(current, best, word, profile) + _layout(current, profile)
    carried = 0
    for cut in range(len(current) - 1, 0, -1):
        carried += count_chars(current[cut].text) + 1
        score = _boundary(current, cut, current[cut], profile) + carried / 3
        if score >= best_score:
            continue  # the layout term only adds: no need to try this cut's lines
        rest = [*current[cut:], word]
        if not _fits(rest, profile):
            break
        score += _layout(current[:cut], profile)
        if score < best_score:
            best, best_score = cut, score
    return best


def _layout(words: list[_Word], profile: StyleProfile) -> float:
    """40 when the cue's best line break still splits words that belong together (an
    article left at a line end): another cut may give a cue that breaks cleanly."""
    lines = break_lines(text=_text(words, profile), profile=profile) or ()
    for upper, lower in itertools.pairwise(lines):
        before = tokenize(text=upper, profile=profile)
        after = tokenize(text=lower, profile=profile)
        if before and after and break_penalty(before[-1], after[0], profile) >= BAD_BREAK:
            return BAD_BREAK
    return 0.0


def _boundary(words: list[_Word], cut: int, after: _Word, profile: StyleProfile) -> float:
    before = words[cut - 1]
    score = 0.0
    if before.text[-1] in SENTENCE_END or before.segment != after.segment:
        score -= 50
    elif before.text[-1] in CLAUSE_END:
        score -= 20
    score -= min(after.start_ms - before.end_ms, 1000) / 50
    bare_before = before.text.casefold().strip(".,!?;:\"'«»")
    if bare_before in profile.keep_with_next:
        score += 40
    if after.text.casefold().strip(".,!?;:\"'«»") in profile.break_before:
        score -= 10
    return score


def _merge_short(groups: list[list[_Word]], profile: StyleProfile) -> list[list[_Word]]:
    """Too-short groups join the next or the previous group when they fit together;
    else the previous group and this one are cut again at a point that leaves both
    long enough (a lone word pushed over by a full cue takes some of its words)."""
    merged: list[list[_Word]] = []
    i = 0
    while i < len(groups):
        group = groups[i]
        if _speech_ms(group) < profile.min_duration_ms:
            nxt = groups[i + 1] if i + 1 < len(groups) else None
            if nxt is not None and _mergeable(group, nxt, profile):
                groups[i + 1] = [*group, *nxt]
                i += 1
                continue
            if merged and _mergeable(merged[-1], group, profile):
                merged[-1] = [*merged[-1], *group]
                i += 1
                continue
            if merged and (recut := _recut(merged[-1], group, profile)) is not None:
                merged[-1], group = recut
        merged.append(group)
        i += 1
    return merged


def _recut(first: list[_Word], second: list[_Word], profile: StyleProfile
           ) -> tuple[list[_Word], list[_Word]] | None:
    if first[-1].speaker != second[0].speaker or len(_runs(first)) != 1 or \
            len(_runs(second)) != 1 or \
            second[0].start_ms - first[-1].end_ms >= profile.pause_split_ms:
        return None
    both = [*first, *second]
    best: tuple[float, int] | None = None
    for cut in range(1, len(first)):
        head, tail = both[:cut], both[cut:]
        if min(_speech_ms(head), _speech_ms(tail)) >= profile.min_duration_ms and \
                _fits(head, profile) and _fits(tail, profile):
            score = _boundary(both, cut, both[cut], profile)
            if best is None or score < best[0]:
                best = (score, cut)
    return None if best is None else (both[:best[1]], both[best[1]:])


def _speech_ms(group: list[_Word]) -> int:
    return group[-1].end_ms - group[0].start_ms


def _mergeable(first: list[_Word], second: list[_Word], profile: StyleProfile) -> bool:
    if len(_runs(first)) != 1 or len(_runs(second)) != 1 or \
            second[0].start_ms - first[-1].end_ms >= profile.pause_split_ms:
        return False
    if first[-1].speaker == second[0].speaker:
        return _fits([*first, *second], profile)
    # Two speakers share a cue, a dashed line each (Netflix's dual-speaker form).
    return (profile.max_lines >= 2
            and second[-1].end_ms - first[0].start_ms <= profile.max_duration_ms
            and all(line_chars(_dashed(run, profile)) <= profile.chars_per_line
                    for run in (first, second)))
