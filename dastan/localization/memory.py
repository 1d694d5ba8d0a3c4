"""Translation memory matches for the editor: the organisation's approved lines whose
source is the same as (exact) or close to (fuzzy, scored 0–100 by rapidfuzz) a cue's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from dastan.localization.models import MemoryEntry, SubtitleTrack

FUZZY_CUTOFF = 60.0  # below this a match costs more to fix than to type


@dataclass(frozen=True, slots=True)
class MemoryMatch:
    source_text: str
    target_text: str
    score: float  # 100 = the same line (after case and spacing)
    exact: bool


def memory_matches(*, source_track: SubtitleTrack, target_language: str, texts: Sequence[str],
                   limit: int = 3) -> list[list[MemoryMatch]]:
    """For each of ``texts`` (the cues' source lines), the best ``limit`` memory entries of
    the title owner's memory for this language pair, best first."""
    entries = list(MemoryEntry.objects.filter(
        organisation=source_track.title.owner, source_language=source_track.language,
        target_language=target_language).values_list("source_text", "target_text"))
    if not entries:
        return [[] for _ in texts]
    sources = [s for s, _ in entries]
    found: list[list[MemoryMatch]] = []
    for text in texts:
        if not text.strip():
            found.append([])
            continue
        hits = process.extract(text, sources, scorer=fuzz.ratio, processor=utils.default_process,
                               limit=limit, score_cutoff=FUZZY_CUTOFF)
        found.append([MemoryMatch(source_text=sources[i], target_text=entries[i][1], score=round(score, 1),
                                  exact=score >= 100.0) for _, score, i in hits])
    return found
