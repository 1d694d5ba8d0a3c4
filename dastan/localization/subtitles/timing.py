"""Timing rules applied to cues cut from speech: duration, gaps, shot changes.

Order matters and is fixed:

1. **End**: the speech end plus ``extend_end_frames`` (12 frames: the eye lingers),
   lengthened further when the cue would be on screen less than ``min_duration_ms`` or
   read faster than ``max_cps``; never past ``max_duration_ms`` nor into the next cue.
2. **Shot changes**: a start 1–``shot_start_frames`` frames before a cut snaps to the
   cut (a subtitle must not flash over the cut); an end within ``shot_end_frames`` of a
   cut, on either side, moves to ``min_gap_frames`` before it. A move that would leave
   the cue shorter than ``min_duration_ms`` or longer than ``max_duration_ms`` is not made.
3. **Gaps**: a gap below ``close_gap_frames`` (12) — overlaps included — becomes exactly
   ``min_gap_frames`` (2) by moving the end, never past ``max_duration_ms``; a cue that
   starts when or before the one before it starts keeps its overlap, which QC reports.
4. **Lead-in**: a cue still shorter than ``min_duration_ms`` (the next cue follows
   closely) starts earlier, into free time after the previous cue, not across a cut.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from dastan.localization.subtitles.counting import reading_chars
from dastan.localization.subtitles.cue import Cue, renumber
from dastan.localization.subtitles.profiles import StyleProfile


@dataclass(frozen=True, slots=True)
class TimedText:
    """A cue before the timing rules: where its speech starts and ends."""

    start_ms: int
    speech_end_ms: int
    lines: tuple[str, ...]
    speaker: str = ""


def apply_timing_rules(*, drafts: Sequence[TimedText], profile: StyleProfile,
                       shot_changes_ms: Sequence[int] = ()) -> tuple[Cue, ...]:
    """Cues from ``drafts`` (in time order) with ends, shot snapping and gaps set per the
    module rules. Pure: the same inputs give the same cues."""
    cuts = sorted(set(shot_changes_ms))
    starts = [_snap_start(d.start_ms, cuts, profile) for d in drafts]
    ends: list[int] = []
    for i, draft in enumerate(drafts):
        next_start = starts[i + 1] if i + 1 < len(drafts) else None
        end = _wanted_end(draft, starts[i], next_start, profile)
        ends.append(_snap_end(starts[i], end, cuts, profile))
    gap = profile.min_gap_ms
    close = profile.frames_ms(profile.close_gap_frames)
    for i in range(len(ends) - 1):
        if starts[i + 1] - ends[i] < close and starts[i + 1] - gap > starts[i]:
            ends[i] = min(starts[i + 1] - gap, max(ends[i], starts[i] + profile.max_duration_ms))
    _lead_in_short_cues(starts, ends, cuts, profile)
    return renumber([Cue(index=0, start_ms=s, end_ms=e, lines=d.lines, speaker=d.speaker)
                     for d, s, e in zip(drafts, starts, ends, strict=True)])


def _lead_in_short_cues(starts: list[int], ends: list[int], cuts: list[int],
                        profile: StyleProfile) -> None:
    """A cue still under the minimum (its end is held by the next cue) may appear a
    little before its speech, into free time after the cue before, never across a cut."""
    for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
        short = profile.min_duration_ms - (end - start)
        if short <= 0:
            continue
        floor = ends[i - 1] + profile.min_gap_ms if i else 0
        floor = max([floor, *(c for c in cuts if c <= start)])
        starts[i] = max(start - short, floor, 0)


def _wanted_end(draft: TimedText, start: int, next_start: int | None,
                profile: StyleProfile) -> int:
    reading_ms = int(reading_chars(draft.lines) * 1000 / profile.max_cps + 0.999)
    end = max(draft.speech_end_ms + profile.frames_ms(profile.extend_end_frames),
              start + profile.min_duration_ms, start + reading_ms)
    end = min(end, start + profile.max_duration_ms)
    if next_start is not None:
        end = min(end, next_start - profile.min_gap_ms)
    return max(end, min(draft.speech_end_ms, start + profile.max_duration_ms), start + 1)


def _snap_start(start: int, cuts: list[int], profile: StyleProfile) -> int:
    i = bisect.bisect_right(cuts, start)  # first cut after the start
    if i < len(cuts) and 0 < cuts[i] - start <= profile.frames_ms(profile.shot_start_frames):
        return cuts[i]
    return start


def _snap_end(start: int, end: int, cuts: list[int], profile: StyleProfile) -> int:
    window = profile.frames_ms(profile.shot_end_frames)
    i = bisect.bisect_left(cuts, end - window)
    if i < len(cuts) and abs(cuts[i] - end) <= window:
        snapped = cuts[i] - profile.min_gap_ms
        if profile.min_duration_ms <= snapped - start <= profile.max_duration_ms:
            return snapped
    return end
