"""The subtitle cue: the one value every subtitle module reads and returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Cue:
    """One subtitle on screen: ``lines`` as shown, top line first.

    Times are integer milliseconds from the start of the film; ``index`` counts from 1
    in display order (as SRT numbers cues).
    """

    index: int
    start_ms: int
    end_ms: int
    lines: tuple[str, ...]
    speaker: str = ""

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms

    @property
    def text(self) -> str:
        """The lines joined by spaces, as read aloud or sent to translation."""
        return " ".join(line.strip() for line in self.lines if line.strip())

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready; :func:`cue_from_dict` reads it back."""
        return {"index": self.index, "start_ms": self.start_ms, "end_ms": self.end_ms,
                "lines": list(self.lines), "speaker": self.speaker}


def cue_from_dict(data: dict[str, Any]) -> Cue:
    """The cue :meth:`Cue.as_dict` wrote (stored values, trusted: no user input)."""
    return Cue(index=int(data["index"]), start_ms=int(data["start_ms"]),
               end_ms=int(data["end_ms"]), lines=tuple(str(x) for x in data["lines"]),
               speaker=str(data.get("speaker", "")))


def renumber(cues: list[Cue] | tuple[Cue, ...]) -> tuple[Cue, ...]:
    """The cues sorted by time and numbered 1, 2, 3 ..."""
    ordered = sorted(cues, key=lambda c: (c.start_ms, c.end_ms))
    return tuple(Cue(index=i, start_ms=c.start_ms, end_ms=c.end_ms, lines=c.lines,
                     speaker=c.speaker) for i, c in enumerate(ordered, start=1))
