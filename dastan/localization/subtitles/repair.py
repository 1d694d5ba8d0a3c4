"""What a subtitler does to a vendor's file before it can be used: the timing repairs.

A file whose text can be read is not refused for its times. Each repair is what a
person at a post house would do by hand, and each is reported with the line of the
file it concerns, so the studio can see (and take up with the vendor) what changed:

* a cue that ends before it starts, or lasts no time, cannot be shown: dropped;
* a cue wholly before 0 is dropped, one that starts before 0 starts at 0;
* with the film's length known, a cue starting after the film ends is dropped and one
  ending after it ends with the film;
* cues out of time order are put in order;
* a cue starting before the one above it ends: the earlier one ends where the next
  starts (two cues starting together are merged), unless overlaps are allowed;
* a cue on screen longer than :data:`MAX_CUE_MS` (often a lost end time): one with
  several lines is split, a line each, its time shared by length; a one-line cue is
  flagged for a person to look at.

Only an absurd file is refused: more cues than the film could show
(:data:`MAX_CUES_PER_S` a second), or none left after the repairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from dastan.i18n import gettext, ngettext
from dastan.localization.errors import SubtitleFileInvalid
from dastan.localization.subtitles.srt import RawCue, ms_to_timestamp

# Broadcast guidelines cap a subtitle at 6–7 s; past 10 s it is nearly always an end
# time typed wrong, so that is where an import steps in (QC still warns above 7 s).
MAX_CUE_MS = 10_000
# Four subtitles a second is already unreadable; more means the file is not this film's.
MAX_CUES_PER_S = 4


@dataclass(frozen=True, slots=True)
class Repair:
    """One change made to an imported file, at the line of its cue's time line."""

    line: int
    action: str  # "dropped", "clamped", "sorted", "merged", "split", "flagged", "format"
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"

    def as_dict(self) -> dict[str, str | int]:
        return {"line": self.line, "action": self.action, "message": self.message}


def repair_cues(*, raws: Sequence[RawCue], film_duration_ms: int | None = None,
                allow_overlaps: bool = False) -> tuple[list[RawCue], list[Repair]]:
    """``raws`` repaired as the module docstring says, in time order, with every repair.

    Raises :class:`SubtitleFileInvalid` when the file holds more cues than the film
    could show, or when no cue is left to show.
    """
    check_cue_count(count=len(raws), film_duration_ms=film_duration_ms)
    repairs: list[Repair] = []
    kept = [cue for raw in raws if (cue := _fix_times(raw, film_duration_ms, repairs)) is not None]
    kept = _sorted(kept, repairs)
    if not allow_overlaps:
        kept = _without_overlaps(kept, repairs)
    kept = [piece for cue in kept for piece in _shortened(cue, repairs)]
    if not kept:
        raise SubtitleFileInvalid(
            gettext("No cue of the file can be shown: %(reasons)s.") % {"reasons": "; ".join(str(r) for r in repairs[:3])},
            gettext("Check that the file belongs to this film and that its times are right."))
    return kept, sorted(repairs, key=lambda r: r.line)


def check_cue_count(*, count: int, film_duration_ms: int | None) -> None:
    """Refuse a file with more cues than a film of ``film_duration_ms`` could show."""
    if film_duration_ms is None:
        return
    most = max(10, film_duration_ms * MAX_CUES_PER_S // 1000)
    if count > most:
        raise SubtitleFileInvalid(
            # Translators: %(duration)s is the film's length as h:mm:ss.
            ngettext("The file has %(count)s cues for a film of %(duration)s; a film that long shows at most %(most)s.",
                     "The file has %(count)s cues for a film of %(duration)s; a film that long shows at most %(most)s.",
                     count) % {"count": f"{count:,}", "duration": _clock(film_duration_ms), "most": f"{most:,}"},
            gettext("Check that this is the subtitle file of this film (and of this cut)."))


def _fix_times(raw: RawCue, film_duration_ms: int | None, repairs: list[Repair]) -> RawCue | None:
    line = raw.line_number
    if raw.end_ms < raw.start_ms:
        repairs.append(Repair(line, "dropped", f"'{raw.timing}' ends before it starts; dropped."))
        return None
    if raw.end_ms == raw.start_ms:
        repairs.append(Repair(line, "dropped", f"'{raw.timing}' lasts no time; dropped."))
        return None
    if raw.end_ms <= 0:
        repairs.append(Repair(line, "dropped", f"'{raw.timing}' is before the film starts; dropped."))
        return None
    if raw.start_ms < 0:
        repairs.append(Repair(line, "clamped", f"'{raw.timing}' starts before the film; "
                              "it now starts at 00:00:00,000."))
        raw = replace(raw, start_ms=0)
    if film_duration_ms is not None and raw.start_ms >= film_duration_ms:
        repairs.append(Repair(line, "dropped", f"'{raw.timing}' starts after the film ends "
                              f"({_clock(film_duration_ms)}); dropped."))
        return None
    if film_duration_ms is not None and raw.end_ms > film_duration_ms:
        repairs.append(Repair(line, "clamped", f"'{raw.timing}' ends after the film; it now "
                              f"ends with the film at {_clock(film_duration_ms)}."))
        raw = replace(raw, end_ms=film_duration_ms)
    return raw


def _sorted(cues: list[RawCue], repairs: list[Repair]) -> list[RawCue]:
    latest: RawCue | None = None
    for cue in cues:
        if latest is not None and cue.start_ms < latest.start_ms:
            repairs.append(Repair(cue.line_number, "sorted", f"'{cue.timing}' starts before the "
                                  f"cue at line {latest.line_number}; put in time order."))
        else:
            latest = cue
    return sorted(cues, key=lambda c: c.start_ms)  # stable: cues starting together keep file order


def _without_overlaps(cues: list[RawCue], repairs: list[Repair]) -> list[RawCue]:
    out: list[RawCue] = []
    for cue in cues:
        before = out[-1] if out else None
        if before is None or cue.start_ms >= before.end_ms:
            out.append(cue)
        elif cue.start_ms == before.start_ms:
            repairs.append(Repair(cue.line_number, "merged", f"'{cue.timing}' starts with the cue "
                                  f"at line {before.line_number}; the two are merged."))
            out[-1] = replace(before, end_ms=max(before.end_ms, cue.end_ms),
                              lines=before.lines + cue.lines)
        else:
            repairs.append(Repair(before.line_number, "clamped", f"'{before.timing}' overlaps the "
                                  f"cue at line {cue.line_number}; it now ends at "
                                  f"{ms_to_timestamp(cue.start_ms)}."))
            out[-1] = replace(before, end_ms=cue.start_ms)
            out.append(cue)
    return out


def _shortened(cue: RawCue, repairs: list[Repair]) -> list[RawCue]:
    duration_ms = cue.end_ms - cue.start_ms
    if duration_ms <= MAX_CUE_MS:
        return [cue]
    lines = [line for line in cue.lines if line.strip()]
    seconds = f"{duration_ms / 1000:.1f} s"
    if len(lines) < 2:
        repairs.append(Repair(cue.line_number, "flagged", f"'{cue.timing}' stays {seconds} on "
                              f"screen, more than {MAX_CUE_MS // 1000} s; check its end time."))
        return [cue]
    repairs.append(Repair(cue.line_number, "split", f"'{cue.timing}' stays {seconds} on screen; "
                          f"split into {len(lines)} cues, one a line."))
    total = sum(max(1, len(line)) for line in lines)
    pieces, start = [], cue.start_ms
    for number, line in enumerate(lines, start=1):
        end = cue.end_ms if number == len(lines) else \
            start + duration_ms * max(1, len(line)) // total
        pieces.append(replace(cue, start_ms=start, end_ms=end, lines=(line,)))
        start = end
    return pieces


def _clock(ms: int) -> str:
    return ms_to_timestamp(ms)
