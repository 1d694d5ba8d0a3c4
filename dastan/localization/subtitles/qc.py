"""Quality checks on a subtitle track, each a named rule a reviewer can read.

Modelled on Weblate's QA checks. Every rule is a function of a :class:`QcContext`
yielding :class:`QcIssue` values; :data:`RULES` is the registry (name → function), so a
new check is one function plus one line. ``error`` means the cue breaks a broadcast rule
or cannot be right; ``warning`` means a person should look.

Rules that compare with the source (``untranslated``, ``glossary_term_missing``,
``numbers_changed``, ``ending_punctuation``) run only when source cues are given; a
target cue is compared with the source cue it overlaps most in time.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from dastan.catalog.languages import get_language
from dastan.localization.subtitles.counting import line_chars, reading_chars, strip_markup
from dastan.localization.subtitles.cue import Cue
from dastan.localization.subtitles.glossary import find_missing_terms
from dastan.localization.subtitles.linebreak import BAD_BREAK, break_penalty, tokenize
from dastan.localization.subtitles.profiles import StyleProfile
from dastan.localization.subtitles.scripts import letter_scripts, script_share

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class QcIssue:
    rule: str  # a key of RULES
    severity: str  # "error" | "warning"
    cue_index: int
    message: str  # what is wrong, with the numbers
    hint: str = ""  # what to do
    # The message's and hint's figures by name (and "kind" where a rule says two things), so
    # pages can say them in their reader's interface language (localization.qc_messages).
    values: tuple[tuple[str, str], ...] = ()

    def as_dict(self) -> dict[str, str | int]:
        return {"rule": self.rule, "severity": self.severity, "cue_index": self.cue_index,
                "message": self.message, "hint": self.hint}


@dataclass(frozen=True, slots=True)
class QcContext:
    cues: tuple[Cue, ...]
    profile: StyleProfile
    sources: Mapping[int, Cue] = field(default_factory=dict)  # target index → source cue
    source_language: str = ""
    glossary: Mapping[str, str] = field(default_factory=dict)
    shot_changes_ms: tuple[int, ...] = ()


Rule = Callable[[QcContext], Iterator[QcIssue]]


def check_cues(*, cues: Sequence[Cue], profile: StyleProfile,
               source_cues: Sequence[Cue] = (), source_language: str = "",
               glossary: Mapping[str, str] | None = None,
               shot_changes_ms: Sequence[int] = (),
               rules: Sequence[str] | None = None) -> tuple[QcIssue, ...]:
    """Every issue of ``cues`` (a track in ``profile.language``), ordered by cue.

    ``source_cues`` and ``source_language`` enable the translation rules; ``glossary``
    maps source terms to required target terms; ``shot_changes_ms`` (from
    :func:`~.shots.detect_shot_changes`) enables ``shot_change``; ``rules`` limits the
    run to those names.
    Raises ``KeyError`` naming an unknown rule (a programming error, not user input).
    """
    ordered = tuple(sorted(cues, key=lambda c: (c.start_ms, c.index)))
    context = QcContext(cues=ordered, profile=profile,
                        sources=_pair_sources(ordered, source_cues),
                        source_language=source_language, glossary=dict(glossary or {}),
                        shot_changes_ms=tuple(sorted(set(shot_changes_ms))))
    names = list(RULES) if rules is None else list(rules)
    issues = [issue for name in names for issue in RULES[name](context)]
    return tuple(sorted(issues, key=lambda i: (i.cue_index, names.index(i.rule))))


def _pair_sources(cues: tuple[Cue, ...], sources: Sequence[Cue]) -> dict[int, Cue]:
    # Only sources starting within the longest source cue before this one can overlap it:
    # found by bisection (a plain scan of every pair took seconds on a feature's 1,500 cues,
    # and the editor asks while the translator types).
    ordered = sorted(sources, key=lambda c: c.start_ms)
    starts = [c.start_ms for c in ordered]
    longest = max((c.end_ms - c.start_ms for c in ordered), default=0)
    pairs: dict[int, Cue] = {}
    for cue in cues:
        best, overlap = None, 0
        for src in ordered[bisect_left(starts, cue.start_ms - longest):bisect_left(starts, cue.end_ms)]:
            shared = min(cue.end_ms, src.end_ms) - max(cue.start_ms, src.start_ms)
            if shared > overlap:
                best, overlap = src, shared
        if best is not None:
            pairs[cue.index] = best
    return pairs


# --- layout and timing ---------------------------------------------------------------------

def check_empty_cue(ctx: QcContext) -> Iterator[QcIssue]:
    for cue in ctx.cues:
        if not cue.text.strip():
            yield QcIssue("empty_cue", ERROR, cue.index, f"Cue {cue.index} has no text.",
                          "Type its text or delete the cue.")


def check_line_too_long(ctx: QcContext) -> Iterator[QcIssue]:
    limit = ctx.profile.chars_per_line
    for cue in ctx.cues:
        for number, line in enumerate(cue.lines, start=1):
            if (n := line_chars(line)) > limit:
                yield QcIssue("line_too_long", ERROR, cue.index,
                              f"Cue {cue.index}, line {number} has {n} characters; "
                              f"{ctx.profile.language} allows {limit}.",
                              "Shorten the line or move words to the other line.",
                              _values(n=number, chars=n, limit=limit))


def check_too_many_lines(ctx: QcContext) -> Iterator[QcIssue]:
    limit = ctx.profile.max_lines
    for cue in ctx.cues:
        if len(cue.lines) > limit:
            yield QcIssue("too_many_lines", ERROR, cue.index,
                          f"Cue {cue.index} has {len(cue.lines)} lines; at most {limit}.",
                          "Split it into two cues or shorten it.", _values(n=len(cue.lines), limit=limit))


def check_reading_speed(ctx: QcContext) -> Iterator[QcIssue]:
    limit = ctx.profile.max_cps
    for cue in ctx.cues:
        cps = reading_chars(cue.lines) * 1000 / max(cue.duration_ms, 1)
        if cps > limit + 1e-9:
            yield QcIssue("reading_speed", ERROR, cue.index,
                          f"Cue {cue.index} must be read at {cps:.1f} characters a second; "
                          f"the {ctx.profile.audience} limit for {ctx.profile.language} "
                          f"is {limit:g}.", "Shorten the text or give the cue more time.",
                          _values(cps=f"{cps:.1f}", limit=f"{limit:g}"))


def check_too_short(ctx: QcContext) -> Iterator[QcIssue]:
    low = ctx.profile.min_duration_ms
    for cue in ctx.cues:
        if cue.duration_ms < low:
            yield QcIssue("too_short", ERROR, cue.index,
                          f"Cue {cue.index} is on screen {cue.duration_ms} ms; at least "
                          f"{low} ms.", "Lengthen it or merge it with a neighbour.",
                          _values(ms=cue.duration_ms, limit=low))


def check_too_long(ctx: QcContext) -> Iterator[QcIssue]:
    high = ctx.profile.max_duration_ms
    for cue in ctx.cues:
        if cue.duration_ms > high:
            yield QcIssue("too_long", ERROR, cue.index,
                          f"Cue {cue.index} is on screen {cue.duration_ms} ms; at most "
                          f"{high} ms.", "Split it at a pause.", _values(ms=cue.duration_ms, limit=high))


def check_overlap(ctx: QcContext) -> Iterator[QcIssue]:
    need = ctx.profile.min_gap_ms
    for cue, nxt in itertools.pairwise(ctx.cues):
        if (gap := nxt.start_ms - cue.end_ms) < 0:
            yield QcIssue("overlap", ERROR, cue.index,
                          f"Cue {cue.index} ends {-gap} ms after cue {nxt.index} starts.",
                          f"End it at least {need} ms before cue {nxt.index}.",
                          _values(ms=-gap, next=nxt.index, gap=need))


def check_gap_too_small(ctx: QcContext) -> Iterator[QcIssue]:
    need = ctx.profile.min_gap_ms
    for cue, nxt in itertools.pairwise(ctx.cues):
        if 0 <= (gap := nxt.start_ms - cue.end_ms) < need:
            yield QcIssue("gap_too_small", ERROR, cue.index,
                          f"Only {gap} ms between cue {cue.index} and cue {nxt.index}; at "
                          f"least {need} ms ({ctx.profile.min_gap_frames} frames).",
                          f"End cue {cue.index} at {nxt.start_ms - need} ms.",
                          _values(ms=gap, limit=need, end=nxt.start_ms - need))


def check_shot_changes(ctx: QcContext) -> Iterator[QcIssue]:
    profile = ctx.profile
    start_window = profile.frames_ms(profile.shot_start_frames)
    end_window = profile.frames_ms(profile.shot_end_frames)
    for cue in ctx.cues:
        for cut in ctx.shot_changes_ms:
            if 0 < cut - cue.start_ms <= start_window:
                yield QcIssue("shot_change", WARNING, cue.index,
                              f"Cue {cue.index} starts {cut - cue.start_ms} ms before a shot "
                              f"change at {_clock(cut)}.", "Start it on the cut.",
                              _values(kind="start", ms=cut - cue.start_ms, at=_clock(cut)))
            snapped = cut - profile.min_gap_ms
            if abs(cue.end_ms - cut) <= end_window and cue.end_ms != snapped and \
                    profile.min_duration_ms <= snapped - cue.start_ms <= profile.max_duration_ms:
                yield QcIssue("shot_change", WARNING, cue.index,
                              f"Cue {cue.index} ends {abs(cue.end_ms - cut)} ms "
                              f"{'before' if cue.end_ms < cut else 'after'} a shot change at "
                              f"{_clock(cut)}.",
                              f"End it {profile.min_gap_frames} frames before the cut "
                              f"({_clock(cut - profile.min_gap_ms)}).",
                              _values(kind="end", ms=abs(cue.end_ms - cut), at=_clock(cut),
                                      snap=_clock(cut - profile.min_gap_ms), frames=profile.min_gap_frames))


def _clock(ms: int) -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def check_line_breaks(ctx: QcContext) -> Iterator[QcIssue]:
    profile = ctx.profile
    for cue in ctx.cues:
        for number, (upper, lower) in enumerate(itertools.pairwise(cue.lines), start=1):
            before = tokenize(text=strip_markup(upper), profile=profile)
            after = tokenize(text=strip_markup(lower), profile=profile)
            if before and after and \
                    break_penalty(before[-1], after[0], profile) >= BAD_BREAK:
                yield QcIssue("line_break", WARNING, cue.index,
                              f"Cue {cue.index}: the break between '{before[-1]}' and "
                              f"'{after[0]}' (lines {number} and {number + 1}) splits "
                              "words that belong together.",
                              "Break the line at a comma or before a conjunction.",
                              _values(before=before[-1], after=after[0]))


# --- text ----------------------------------------------------------------------------------

def check_wrong_script(ctx: QcContext) -> Iterator[QcIssue]:
    expected = ctx.profile.script
    for cue in ctx.cues:
        counts = letter_scripts(cue.text)
        if sum(counts.values()) >= 3 and script_share(cue.text, expected) < 0.5:
            found = counts.most_common(1)[0][0]
            yield QcIssue("wrong_script", ERROR, cue.index,
                          f"Cue {cue.index} is written in {_SCRIPT_NAMES.get(found, found)}; "
                          f"{ctx.profile.language} subtitles are written in "
                          f"{_SCRIPT_NAMES.get(expected, expected)}.",
                          "Rewrite or transliterate it in the expected script.", _values(found=found))


def check_untranslated(ctx: QcContext) -> Iterator[QcIssue]:
    source_script = get_language(ctx.source_language).script if ctx.source_language else ""
    for cue in ctx.cues:
        src = ctx.sources.get(cue.index)
        if src is None or not letter_scripts(cue.text):
            continue
        same = _normalised(cue.text) == _normalised(src.text)
        foreign = (source_script and source_script != ctx.profile.script
                   and script_share(cue.text, source_script) >= 0.5)
        if same or foreign:
            yield QcIssue("untranslated", WARNING, cue.index,
                          f"Cue {cue.index} looks untranslated: "
                          + ("it is the same as the source." if same else
                             "most of it is still in the source's script."),
                          "Translate it, or confirm that it stays as it is.",
                          _values(kind="same" if same else "script"))


def check_glossary(ctx: QcContext) -> Iterator[QcIssue]:
    for cue in ctx.cues:
        src = ctx.sources.get(cue.index)
        if src is None or not ctx.glossary:
            continue
        for term, wanted in find_missing_terms(source_text=src.text, target_text=cue.text,
                                               glossary=ctx.glossary):
            yield QcIssue("glossary_term_missing", WARNING, cue.index,
                          f"Cue {cue.index}: the glossary renders '{term}' as '{wanted}', "
                          "which is not in the translation.", f"Use '{wanted}'.",
                          _values(term=term, wanted=wanted))


def check_numbers(ctx: QcContext) -> Iterator[QcIssue]:
    for cue in ctx.cues:
        src = ctx.sources.get(cue.index)
        if src is None:
            continue
        before, after = numbers_in(src.text), numbers_in(cue.text)
        if sorted(before) != sorted(after):
            yield QcIssue("numbers_changed", WARNING, cue.index,
                          f"Cue {cue.index} has the numbers {_listed(after)}; the source has "
                          f"{_listed(before)}.", "Check that every number was carried over.",
                          _values(found=", ".join(after) or "—", source=", ".join(before) or "—"))


_ENDINGS = {"?": "?？؟", "!": "!！", ".": ".。।۔．", "…": "…"}


def check_ending_punctuation(ctx: QcContext) -> Iterator[QcIssue]:
    for cue in ctx.cues:
        src = ctx.sources.get(cue.index)
        if src is None or not src.text or not cue.text:
            continue
        kind = next((k for k, marks in _ENDINGS.items() if src.text.rstrip()[-1] in marks), "")
        if kind in ("?", "!") and cue.text.rstrip()[-1] not in _ENDINGS[kind]:
            yield QcIssue("ending_punctuation", WARNING, cue.index,
                          f"Cue {cue.index}: the source ends with '{kind}', the translation "
                          f"with '{cue.text.rstrip()[-1]}'.",
                          "End it the same way, in the target's own punctuation.", _values(mark=kind))


_OPENERS = {"(": ")", "[": "]", "{": "}", "«": "»", "‹": "›", "「": "」", "『": "』",
            "（": "）", "《": "》", "【": "】", "“": "”", "„": "“”"}
_CLOSERS = {c for closers in _OPENERS.values() for c in closers}
_TAG = re.compile(r"<(/?)([a-zA-Z]+)[^>]*>")


def check_brackets(ctx: QcContext) -> Iterator[QcIssue]:
    for cue in ctx.cues:
        if problem := unbalanced_marks(cue.text):
            yield QcIssue("unbalanced_brackets", WARNING, cue.index,
                          f"Cue {cue.index}: {problem}.", "Add or remove the mark.",
                          _values(mark=problem.split("'")[1]))


def check_tags(ctx: QcContext) -> Iterator[QcIssue]:
    for cue in ctx.cues:
        open_tags: list[str] = []
        for match in _TAG.finditer("\n".join(cue.lines)):
            closing, name = match.group(1) == "/", match.group(2).lower()
            if not closing:
                open_tags.append(name)
            elif open_tags and open_tags[-1] == name:
                open_tags.pop()
            else:
                open_tags.append("/" + name)
                break
        if open_tags:
            yield QcIssue("unbalanced_tags", WARNING, cue.index,
                          f"Cue {cue.index}: tag <{open_tags[-1]}> is not closed in order.",
                          "Close every <i>, <b> or <u> in the cue that opens it.", _values(tag=open_tags[-1]))


def _values(**figures: object) -> tuple[tuple[str, str], ...]:
    return tuple((name, str(value)) for name, value in figures.items())


def unbalanced_marks(text: str) -> str:
    """'' when brackets and quotes pair up, else which one does not."""
    stack: list[str] = []
    for char in text:
        if stack and char in _OPENERS[stack[-1]]:
            stack.pop()
        elif char in _OPENERS:
            stack.append(char)
        elif char in _CLOSERS:
            return f"'{char}' closes nothing"
    if stack:
        return f"'{stack[-1]}' is never closed"
    if text.count('"') % 2:
        return "a '\"' quote is never closed"
    return ""


def numbers_in(text: str) -> list[str]:
    """The numbers of ``text`` as ASCII digit strings: Eastern Arabic (٣), Persian (۳)
    and Devanagari (३) digits normalised; group and decimal separators dropped, so
    "1,500", "1 500" and "۱٬۵۰۰" are all "1500" (a separator counts as grouping when
    exactly three digits follow it)."""
    out: list[str] = []
    current = ""
    for i, char in enumerate(text):
        if char.isdigit() and unicodedata.decimal(char, None) is not None:
            current += str(unicodedata.decimal(char))
        elif current and char in _GROUPING and _group_follows(text, i + 1):
            continue
        elif current:
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out


_GROUPING = ",.\u066b\u066c\u00a0\u202f '"


def _group_follows(text: str, at: int) -> bool:
    """Exactly three digits follow: "1 500" is one number, "1, 2" are two."""
    group = text[at:at + 3]
    return len(group) == 3 and group.isdigit() and not text[at + 3:at + 4].isdigit()


def _normalised(text: str) -> str:
    return " ".join("".join(c for c in text.casefold() if c.isalnum() or c.isspace()).split())


def _listed(numbers: list[str]) -> str:
    return ", ".join(numbers) if numbers else "none"


_SCRIPT_NAMES = {"Latn": "Latin", "Cyrl": "Cyrillic", "Arab": "Arabic script",
                 "Deva": "Devanagari", "Hans": "Chinese characters"}

RULES: dict[str, Rule] = {
    "empty_cue": check_empty_cue,
    "line_too_long": check_line_too_long,
    "too_many_lines": check_too_many_lines,
    "reading_speed": check_reading_speed,
    "too_short": check_too_short,
    "too_long": check_too_long,
    "overlap": check_overlap,
    "gap_too_small": check_gap_too_small,
    "shot_change": check_shot_changes,
    "line_break": check_line_breaks,
    "wrong_script": check_wrong_script,
    "untranslated": check_untranslated,
    "glossary_term_missing": check_glossary,
    "numbers_changed": check_numbers,
    "ending_punctuation": check_ending_punctuation,
    "unbalanced_brackets": check_brackets,
    "unbalanced_tags": check_tags,
}
