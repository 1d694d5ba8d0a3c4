"""What the voice track is made from: one approved subtitle cue, as the voice code sees it.

The subtitles package will own the real ``Cue``; until the workflow adapts, a cue is
handed to the voice code as a ``VoiceCue``.
"""

from __future__ import annotations

from dataclasses import dataclass

from dastan.errors import InvalidInput
from dastan.i18n import gettext


@dataclass(frozen=True, slots=True)
class VoiceCue:
    index: int
    start_ms: int
    end_ms: int
    text: str
    speaker: str = ""  # "" is one unnamed narrator


def check_cues(cues: list[VoiceCue]) -> list[VoiceCue]:
    """The cues in time order; raises ``InvalidInput`` for a cue that ends before it
    starts or an index used twice."""
    seen: set[int] = set()
    for cue in cues:
        if cue.end_ms <= cue.start_ms or cue.start_ms < 0:
            raise InvalidInput(gettext("Cue %(cue)s ends (%(end)s ms) before it starts (%(start)s ms).")
                               % {"cue": cue.index, "end": cue.end_ms, "start": cue.start_ms},
                               gettext("Fix the cue's times in the subtitle track."))
        if cue.index in seen:
            raise InvalidInput(gettext("Cue index %(cue)s is used twice.") % {"cue": cue.index},
                               gettext("Give every cue of a track its own index."))
        seen.add(cue.index)
    return sorted(cues, key=lambda c: (c.start_ms, c.index))
