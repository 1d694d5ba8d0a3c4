"""What the editor shows for one track, read in one go: the cues with their revision
numbers, the source (or pivot) and the original line at each cue's time, glossary terms
found in the source with their approved translation, translation memory matches, the
language's style profile and the film's waveform, shot changes and speech onsets."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from dastan.accounts.permissions import Action
from dastan.localization.access import check_track, may
from dastan.localization.memory import memory_matches
from dastan.localization.models import Cue, SubtitleTrack, TranslationTask
from dastan.localization.pivots import original_track, route_of
from dastan.localization.profiles import profile_for
from dastan.localization.qc_messages import ShownIssue, localized
from dastan.localization.spelling import dictionary_path
from dastan.localization.subtitles.cue import Cue as QcCue
from dastan.localization.subtitles.qc import QcIssue, check_cues
from dastan.localization.translation import glossary_for
from dastan.localization.waveform import current_waveform


def _at_time(cues: list[Cue], start_ms: int, end_ms: int) -> str:
    """The text of the cue overlapping [start, end] most (after splits and merges the
    indices of source and target no longer line up; their times still do)."""
    best, overlap = "", 0
    for cue in cues:
        shared = min(end_ms, cue.end_ms) - max(start_ms, cue.start_ms)
        if shared > overlap:
            best, overlap = cue.text, shared
    return best


def _terms_in(text: str, glossary: dict[str, str]) -> list[dict[str, str]]:
    folded = text.casefold()
    return [{"source": s, "target": t} for s, t in glossary.items() if s.casefold() in folded]


def workbench(*, track: SubtitleTrack, user: Any) -> dict[str, Any]:
    """The editor's data for ``track``. Raises NotFound/NotAllowed unless ``user`` may
    read the track's drafts (a commissioned house's people included, during the term)."""
    check_track(user=user, track=track, action=Action.VIEW_DRAFTS)
    source = track.source_track
    source_cues = list(source.cues.all()) if source else []
    original = original_track(track)
    original_cues = list(original.cues.all()) if original else []
    glossary = glossary_for(track=source, target=track.language) if source else {}
    cues = list(track.cues.all())
    source_texts = [_at_time(source_cues, c.start_ms, c.end_ms) for c in cues]
    matches = (memory_matches(source_track=source, target_language=track.language, texts=source_texts)
               if source else [[] for _ in cues])
    profile = profile_for(language=track.language, organisation=track.title.owner, fps=track.fps)
    waveform = current_waveform(title=track.title)
    task = TranslationTask.objects.filter(track=track).first()
    return {
        "track": {"id": track.pk, "title": track.title.slug, "language": track.language, "state": track.state,
                  "fps": track.fps, "route": route_of(track),
                  "source_language": source.language if source else "",
                  "original_language": original.language if original else "",
                  "due_at": task.due_at.isoformat() if task and task.due_at else None,
                  "may_edit": may(user=user, track=track, action=Action.TRANSLATE),
                  "spelling": dictionary_path(track.language) is not None},
        "profile": {"chars_per_line": profile.chars_per_line, "max_lines": profile.max_lines,
                    "max_cps": profile.max_cps, "min_duration_ms": profile.min_duration_ms,
                    "max_duration_ms": profile.max_duration_ms, "min_gap_ms": profile.min_gap_ms},
        "cues": [{"id": c.pk, "index": c.index, "start_ms": c.start_ms, "end_ms": c.end_ms, "text": c.text,
                  "revision": c.revision, "confirmed": c.confirmed, "source_text": src,
                  "original_text": _at_time(original_cues, c.start_ms, c.end_ms) if original else "",
                  "terms": _terms_in(src, glossary), "memory": [asdict(m) for m in found]}
                 for c, src, found in zip(cues, source_texts, matches, strict=True)],
        "waveform": None if waveform is None else {
            "url": f"/api/v1/localization/tracks/{track.pk}/waveform.dat", "length": waveform.length,
            "sample_rate_hz": waveform.sample_rate_hz, "samples_per_pixel": waveform.samples_per_pixel,
            "duration_ms": waveform.duration_ms},
        "shot_changes_ms": waveform.shot_changes_ms if waveform else [],
        "speech_onsets_ms": waveform.speech_onsets_ms if waveform else [c.start_ms for c in source_cues],
    }


# --- QC as the translator types: the desk's own rules (subtitles.qc), not a copy in JS ------------

def _value(cue: Cue, *, text: str | None = None, start_ms: int | None = None,
           end_ms: int | None = None) -> QcCue:
    text = cue.text if text is None else text
    return QcCue(index=cue.index, start_ms=cue.start_ms if start_ms is None else start_ms,
                 end_ms=cue.end_ms if end_ms is None else end_ms, lines=tuple(text.split("\n")) if text else (),
                 speaker=cue.speaker)


def _check(track: SubtitleTrack, cues: list[QcCue]) -> tuple[QcIssue, ...]:
    """Every rule the review desk runs (``selectors.qc_for_track``), on ``cues`` of ``track``,
    with the source cues, glossary and shot changes around them."""
    source = track.source_track
    lo, hi = min(c.start_ms for c in cues), max(c.end_ms for c in cues)
    source_cues = [_value(c) for c in source.cues.filter(end_ms__gt=lo, start_ms__lt=hi)] if source else []
    waveform = current_waveform(title=track.title)
    return check_cues(
        cues=cues, profile=profile_for(language=track.language, organisation=track.title.owner, fps=track.fps),
        source_cues=source_cues, source_language=source.language if source else "",
        glossary=glossary_for(track=source, target=track.language) if source else None,
        shot_changes_ms=[ms for ms in (waveform.shot_changes_ms if waveform else []) if lo - 1000 <= ms <= hi + 1000])


def qc_as_typed(*, cue: Cue, user: Any, text: str | None = None, start_ms: int | None = None,
                end_ms: int | None = None) -> list[ShownIssue]:
    """The QC issues of ``cue`` as it stands on the translator's screen (``text`` and
    times not saved yet), beside its saved neighbours: what the review desk would say of
    it, in the person's interface language. Nothing is stored. Raises NotFound/NotAllowed
    unless ``user`` may read the track's drafts."""
    track = cue.track
    check_track(user=user, track=track, action=Action.VIEW_DRAFTS)
    around = {c.index: c for c in Cue.objects.filter(track=track, index__in=(cue.index - 1, cue.index + 1))}
    cues = [_value(c) for c in (around.get(cue.index - 1),) if c is not None]
    cues.append(_value(cue, text=text, start_ms=start_ms, end_ms=end_ms))
    cues += [_value(c) for c in (around.get(cue.index + 1),) if c is not None]
    return [localized(i) for i in _check(track, cues) if i.cue_index == cue.index]


def qc_of_track(*, track: SubtitleTrack, user: Any) -> list[ShownIssue]:
    """Every cue's QC issues as saved, in the person's interface language (the editor
    shows them when it opens, then asks :func:`qc_as_typed` as the translator types)."""
    check_track(user=user, track=track, action=Action.VIEW_DRAFTS)
    cues = [_value(c) for c in track.cues.all()]
    return [localized(i) for i in _check(track, cues)] if cues else []
