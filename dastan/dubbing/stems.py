"""Stems a dubbing studio recorded elsewhere: checked before the node uses them.

A stem is refused outright, in plain words, when the node cannot use it: not 48 kHz,
not as long as the film, silent. A usable stem gets a sync report: for each cue of its
character, where speech starts against the cue's start (the worst offsets first), and
each cue where the recording clips. A delivery with clipping or cues off by more than
``SYNC_TOLERANCE_MS`` is kept but marked as needing fixes; the report says which cues.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from dastan.accounts.permissions import Action
from dastan.dubbing.errors import StemRefused
from dastan.dubbing.measure import (
    SILENT_DBFS,
    clipped_runs,
    decode_mono,
    peak_dbfs,
    probe_audio,
    speech_spans_ms,
    window,
)
from dastan.dubbing.models import StemDelivery
from dastan.i18n import gettext
from dastan.localization.access import check_track
from dastan.localization.models import SubtitleTrack
from dastan.localization.voice.cues import VoiceCue
from dastan.localization.voice.loudness import measure_loudness
from dastan.media.storage import store_file

RATE_HZ = 48000
LENGTH_TOLERANCE_MS = 1000
SYNC_TOLERANCE_MS = 250
SEARCH_BEFORE_MS = 1000  # speech this long before a cue still counts as that cue's line


@dataclass(frozen=True, slots=True)
class CueSync:
    index: int
    speaker: str
    cue_start_ms: int
    onset_ms: int | None  # None: no speech found for the cue
    offset_ms: int | None  # onset - cue start: + late, - early
    clipped: bool

    @property
    def problem(self) -> str:
        who = f" ({self.speaker})" if self.speaker else ""
        parts = []
        if self.offset_ms is None:
            parts.append("no speech found")
        elif abs(self.offset_ms) > SYNC_TOLERANCE_MS:
            parts.append(f"starts {abs(self.offset_ms)} ms {'late' if self.offset_ms > 0 else 'early'}")
        if self.clipped:
            parts.append("clips (the waveform is cut off at full scale)")
        return f"Cue {self.index}{who}: " + " and ".join(parts) if parts else ""


@dataclass(frozen=True, slots=True)
class StemReport:
    cues: tuple[CueSync, ...]
    loudness: dict[str, dict[str, float]]  # stem → integrated LUFS, true peak dBTP

    @property
    def problems(self) -> list[str]:
        return [c.problem for c in self.cues if c.problem]

    @property
    def worst(self) -> list[CueSync]:
        timed = [c for c in self.cues if c.offset_ms is not None]
        return sorted(timed, key=lambda c: -abs(c.offset_ms or 0))[:5]

    def as_dict(self) -> dict[str, Any]:
        return {"cues": [asdict(c) for c in self.cues], "problems": self.problems,
                "worst": [{"index": c.index, "speaker": c.speaker, "offset_ms": c.offset_ms} for c in self.worst],
                "loudness": self.loudness, "ok": not self.problems}


def check_stem_format(path: Path, *, label: str, film_ms: int) -> None:
    """Refuse a stem the node cannot use: wrong rate, wrong length, silence."""
    facts = probe_audio(path)
    if facts.sample_rate_hz != RATE_HZ:
        raise StemRefused(
            # Translators: %(label)s is a character's name (ANNA) or "full mix".
            gettext("The %(label)s stem '%(file)s' is %(rate)s kHz; the node needs 48 kHz.")
            % {"label": label, "file": path.name, "rate": f"{facts.sample_rate_hz / 1000:g}"},
            gettext("Export it again at 48 kHz (WAV or BWF); resampling here would move every sync point slightly."),
            field="stems")
    if abs(facts.duration_ms - film_ms) > LENGTH_TOLERANCE_MS:
        raise StemRefused(
            gettext("The %(label)s stem '%(file)s' is %(length)s s long; the film is %(film)s s.")
            % {"label": label, "file": path.name, "length": f"{facts.duration_ms / 1000:.1f}",
               "film": f"{film_ms / 1000:.1f}"},
            gettext("Deliver stems that start at the film's first frame and run to its end."), field="stems")
    samples, _ = decode_mono(path)
    if peak_dbfs(samples) < SILENT_DBFS:
        raise StemRefused(gettext("The %(label)s stem '%(file)s' is silent.") % {"label": label, "file": path.name},
                          gettext("Check the export: the stem holds no sound above -60 dBFS."), field="stems")


def sync_report(*, stems: Mapping[str, Path], cues: Sequence[VoiceCue]) -> StemReport:
    """Per cue: its character's speech onset against the cue start, and clipping.
    ``stems`` maps a speaker to its stem; the key '' is a full mix (every cue)."""
    rows: list[CueSync] = []
    loudness: dict[str, dict[str, float]] = {}
    for speaker, path in stems.items():
        samples, rate = decode_mono(path)
        spans = speech_spans_ms(samples, rate)
        measured = measure_loudness(path=path)
        loudness[speaker or "mix"] = {"integrated_lufs": measured.integrated_lufs,
                                      "true_peak_dbtp": measured.true_peak_dbtp}
        mine = sorted((c for c in cues if speaker == "" or c.speaker == speaker), key=lambda c: c.start_ms)
        previous_end = 0
        for cue in mine:
            lo = max(previous_end, cue.start_ms - SEARCH_BEFORE_MS)
            onset = next((s for s, _ in spans if lo <= s < cue.end_ms), None)
            clipped = clipped_runs(window(samples, rate, lo, cue.end_ms + SEARCH_BEFORE_MS)) > 0
            rows.append(CueSync(index=cue.index, speaker=cue.speaker, cue_start_ms=cue.start_ms, onset_ms=onset,
                                offset_ms=None if onset is None else onset - cue.start_ms, clipped=clipped))
            previous_end = cue.end_ms
    return StemReport(cues=tuple(sorted(rows, key=lambda r: r.index)), loudness=loudness)


def deliver_stems(*, by: Any, track: SubtitleTrack, studio: str, stems: Mapping[str, Path],
                  cues: Sequence[VoiceCue], film_ms: int, me_stem: Path | None = None) -> StemDelivery:
    """Check and keep a studio's stems for ``track``. ``stems``: speaker → WAV, or
    {'': full mix}. Raises NotAllowed without RECORD_DUB, StemRefused (nothing stored)
    for a stem of the wrong rate or length, a silent one, or a speaker the track lacks."""
    check_track(user=by, track=track, action=Action.RECORD_DUB)
    if not stems:
        raise StemRefused(gettext("No stems were delivered."), gettext("Upload one WAV per character, or the full dub mix."),
                          field="stems")
    known = {c.speaker for c in cues}
    unknown = [s for s in stems if s and s not in known]
    if unknown:
        raise StemRefused(gettext("The track has no character %(characters)s.") % {"characters": ", ".join(unknown)},
                          gettext("Name stems after the characters of the dubbing script: %(characters)s.")
                          % {"characters": ", ".join(sorted(known))},
                          field="stems")
    for speaker, path in stems.items():
        check_stem_format(path, label=speaker or gettext("full mix"), film_ms=film_ms)
    if me_stem is not None:
        check_stem_format(me_stem, label="music-and-effects", film_ms=film_ms)
    report = sync_report(stems=stems, cues=cues)
    folder = f"titles/{track.title.slug}/dubbing/{track.language}/stems"
    names = {speaker: store_file(path, f"{folder}/{speaker or 'mix'}.wav") for speaker, path in stems.items()}
    me_name = store_file(me_stem, f"{folder}/me.wav") if me_stem is not None else ""
    return StemDelivery.objects.create(
        track=track, studio=studio, created_by=by, stems=names, me_stem_name=me_name, report=report.as_dict(),
        kind=StemDelivery.Kind.FULL_MIX if set(stems) == {""} else StemDelivery.Kind.PER_CHARACTER)
