"""One entry point: approved cues in one language → a finished voice track.

``render_voice_track`` plans voices, casts characters, speaks each cue (cached), fits
each to its time, assembles the voice stem, mixes it over the ducked original
(voice-over) or over the music-and-effects stem (full dub), normalizes loudness and
measures it. Everything a reviewer needs to judge the result comes back in the report:
the counts, the cues flagged too long, the measured loudness, who made every voice.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from dastan.errors import InvalidInput
from dastan.ffmpeg import has_filter, probe_duration_ms, version
from dastan.i18n import gettext
from dastan.localization.engines.base import Provenance, Synthesizer
from dastan.localization.voice.casting import Casting, Role, cast_voices
from dastan.localization.voice.cues import VoiceCue, check_cues
from dastan.localization.voice.fitting import FitOutcome, FittedCue, FittingRules, fit_cues
from dastan.localization.voice.loudness import (
    SILENCE_LUFS,
    LoudnessMeasurement,
    measure_loudness,
    normalize_loudness,
)
from dastan.localization.voice.mix import (
    DuckingRules,
    assemble_voice_stem,
    ducking_envelope,
    mix_full_dub,
    mix_voice_over,
)
from dastan.localization.voice.planner import check_dubbable, default_synthesizers, plan_voices
from dastan.localization.voice.synthesis import synthesize_cues


class DubMode(StrEnum):
    VOICE_OVER = "voice-over"  # original audible underneath, ducked
    FULL_DUB = "full-dub"  # voice over the music-and-effects stem


@dataclass(frozen=True, slots=True)
class FitCounts:
    untouched: int = 0
    stretched: int = 0
    borrowed: int = 0
    flagged: int = 0


@dataclass(frozen=True, slots=True)
class DubReport:
    language: str
    mode: DubMode
    out_path: Path  # the normalized track, 48 kHz stereo
    voice_stem: Path  # the voice alone, 48 kHz mono, cues at their times
    duration_ms: int
    counts: FitCounts
    cues: tuple[FittedCue, ...]  # per cue: outcome, tempo, overrun, fitted WAV to listen to
    loudness: LoudnessMeasurement  # measured on out_path after normalizing
    provenance: tuple[Provenance, ...]  # every voice and tool that shaped the track
    casting: Casting
    synthesized_indices: tuple[int, ...]  # cues spoken in this run (others came from cache)
    ducking: DuckingRules | None = field(default=None)

    @property
    def flagged(self) -> tuple[FittedCue, ...]:
        return tuple(c for c in self.cues if c.outcome is FitOutcome.FLAGGED)


def _count(fitted: tuple[FittedCue, ...]) -> FitCounts:
    n = {o: sum(1 for f in fitted if f.outcome is o) for o in FitOutcome}
    return FitCounts(untouched=n[FitOutcome.UNTOUCHED], stretched=n[FitOutcome.STRETCHED],
                     borrowed=n[FitOutcome.BORROWED], flagged=n[FitOutcome.FLAGGED])


@lru_cache(maxsize=32)
def _integrated_lufs(path: Path, size: int, mtime_ns: int) -> float:
    # Every language of a film is mixed over the same original: measure it once.
    return measure_loudness(path=path, true_peak=False).integrated_lufs


def _gain_to(*, path: Path, target_lufs: float) -> float:
    stat = path.stat()
    measured = _integrated_lufs(path, stat.st_size, stat.st_mtime_ns)
    return 0.0 if measured <= SILENCE_LUFS + 1 else target_lufs - measured


def _check_inputs(mode: DubMode, original_audio: Path | None, me_stem: Path | None) -> Path:
    if mode is DubMode.FULL_DUB:
        if me_stem is None:
            # Translators: the M&E (music-and-effects) stem is the film's soundtrack without dialogue.
            raise InvalidInput(gettext("A full dub needs the music-and-effects stem."),
                               gettext("Upload the M&E stem, or render a voice-over instead."),
                               field="me_stem")
        return me_stem
    if original_audio is None:
        raise InvalidInput(gettext("A voice-over needs the original audio."),
                           # Translators: original_audio is a parameter's name; keep it as it is.
                           gettext("Pass original_audio."), field="original_audio")
    return original_audio


def render_voice_track(
    *, cues: list[VoiceCue], language: str, original_audio: Path | None, mode: DubMode | str,
    cache_dir: Path, out_path: Path, me_stem: Path | None = None, target_lufs: float = -23.0,
    max_true_peak_dbtp: float = -1.0, fitting: FittingRules | None = None,
    ducking: DuckingRules | None = None, overrides: Mapping[str, Role | str] | None = None,
    synthesizers: list[Synthesizer] | None = None, voice_lufs: float = -23.0,
) -> DubReport:
    """Render the ``language`` voice track of ``cues`` into ``out_path``.

    Guarantees: every cue is spoken whole (a cue too long even at the maximum tempo is
    flagged with its overrun, never cut); each voice starts ``fitting.start_delay_ms``
    after its cue (150 ms in voice-over, 0 in a full dub); the track is normalized to
    ``target_lufs`` and its measured loudness returned. ``out_path`` appears only when
    complete. Raises ``EngineUnavailable`` when no voice speaks ``language`` (Tajik:
    "subtitles only"), ``InvalidInput`` for bad cues or a missing stem, ``EngineFailed``
    when an engine or ffmpeg fails.
    """
    mode = DubMode(mode)
    bed = _check_inputs(mode, original_audio, me_stem)
    ordered = check_cues(cues)
    engines = default_synthesizers() if synthesizers is None else synthesizers
    plan = plan_voices(language=language, synthesizers=engines)
    check_dubbable(plan)
    casting = cast_voices(speakers=[c.speaker for c in ordered], plan=plan, overrides=overrides)
    batch = synthesize_cues(cues=ordered, casting=casting, plan=plan, synthesizers=engines,
                            cache_dir=cache_dir)
    rules = fitting or FittingRules(start_delay_ms=150 if mode is DubMode.VOICE_OVER else 0)
    duration_ms = probe_duration_ms(bed)
    fitted = fit_cues(batch=batch, rules=rules, cache_dir=cache_dir, track_end_ms=duration_ms)

    out_path.parent.mkdir(parents=True, exist_ok=True)
    stem = assemble_voice_stem(fitted=fitted, duration_ms=duration_ms,
                               out_wav=out_path.with_name(out_path.stem + ".voice-stem.wav"),
                               sample_rate_hz=rules.sample_rate_hz)
    premix = out_path.with_name(f".{out_path.stem}.premix-{os.getpid()}.wav")
    voice_gain = _gain_to(path=stem, target_lufs=voice_lufs)
    duck = ducking or DuckingRules()
    if mode is DubMode.VOICE_OVER:
        envelope = ducking_envelope(
            spans_ms=[(f.voice_start_ms, f.voice_end_ms) for f in fitted],
            duration_ms=duration_ms + 1000, rules=duck)
        premix_loudness = mix_voice_over(
            original=bed, voice_stem=stem, envelope=envelope, out_wav=premix,
            original_gain_db=_gain_to(path=bed, target_lufs=voice_lufs), voice_gain_db=voice_gain)
    else:
        premix_loudness = mix_full_dub(me_stem=bed, voice_stem=stem, out_wav=premix,
                                       voice_gain_db=voice_gain)
    partial = out_path.with_name(f".{out_path.stem}.partial-{os.getpid()}{out_path.suffix}")
    try:
        loudness = normalize_loudness(src=premix, dst=partial, target_lufs=target_lufs,
                                      max_true_peak_dbtp=max_true_peak_dbtp,
                                      measured=premix_loudness)
        partial.replace(out_path)
    finally:
        premix.unlink(missing_ok=True)
        partial.unlink(missing_ok=True)
    stretch = "rubberband" if has_filter("rubberband") else "atempo"
    tools = Provenance(engine="ffmpeg", model=f"{stretch} + amultiply ducking + loudnorm",
                       version=version(),
                       settings=(("max_tempo", f"{rules.max_tempo:g}"),
                                 ("target_lufs", f"{target_lufs:g}")))
    return DubReport(
        language=plan.language, mode=mode, out_path=out_path, voice_stem=stem,
        duration_ms=max([duration_ms, *(f.voice_end_ms for f in fitted)]),
        counts=_count(fitted), cues=fitted, loudness=loudness,
        provenance=tuple(dict.fromkeys(s.provenance for s in batch.spoken)) + (tools,),
        casting=casting, synthesized_indices=batch.synthesized_indices,
        ducking=duck if mode is DubMode.VOICE_OVER else None)
