"""Fitting each spoken cue to its time on screen, without ever cutting speech off.

For a cue, the voice starts ``start_delay_ms`` after the original speech (voice-over
convention; 0 for a full dub) and should end by the cue's end. In order:

1. it fits: left untouched;
2. it is too long: sped up with a pitch-preserving time-stretch, at most ``max_tempo``
   (1.25×: open dubbing tools cap at 1.2–1.3×, beyond that the speed-up is heard);
3. still too long: it runs on into the silence after the cue ("borrowed"), up to
   ``guard_ms`` before the next cue's voice;
4. still too long: it is placed whole and flagged "too long to dub — shorten the
   translation" with the overrun in ms. Truncating would drop words a viewer needs.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import numpy as np

from dastan.ffmpeg import base_args, run
from dastan.localization.voice.ffmpeg import tempo_pitch_filter
from dastan.localization.voice.synthesis import SpokenCue, SynthesisBatch
from dastan.localization.voice.wavio import duration_ms_of, read_wav


class FitOutcome(StrEnum):
    UNTOUCHED = "untouched"
    STRETCHED = "stretched"
    BORROWED = "borrowed"
    FLAGGED = "flagged"


@dataclass(frozen=True, slots=True)
class FittingRules:
    max_tempo: float = 1.25
    start_delay_ms: int = 150  # voice-over starts just after the original speech
    guard_ms: int = 100  # silence kept before the next cue's voice
    sample_rate_hz: int = 48000
    silence_dbfs: float = -45.0  # below this, an engine's lead-in/out is trimmed


@dataclass(frozen=True, slots=True)
class FitDecision:
    tempo: float
    outcome: FitOutcome
    overrun_ms: int = 0


@dataclass(frozen=True, slots=True)
class FittedCue:
    index: int
    cue_start_ms: int
    cue_end_ms: int
    voice_start_ms: int  # where the fitted speech is placed on the track
    voice_end_ms: int
    speech_ms: int  # spoken length before fitting, lead-in/out silence trimmed
    tempo: float
    outcome: FitOutcome
    overrun_ms: int  # > 0 only when flagged: how far past the available room it runs
    wav: Path  # fitted speech, 48 kHz mono: for per-cue listening
    spoken_wav: Path  # as the engine spoke it
    voice_id: str
    resynthesized: bool

    @property
    def message(self) -> str:
        if self.outcome is FitOutcome.FLAGGED:
            return (f"too long to dub — shorten the translation (over by {self.overrun_ms} ms "
                    f"even at {self.tempo:g}×)")
        return ""


def decide_fit(*, speech_ms: int, slot_ms: int, room_ms: int, max_tempo: float) -> FitDecision:
    """How to fit ``speech_ms`` of speech into ``slot_ms`` (the cue) with ``room_ms``
    (cue plus the free gap after it) as the hard limit. Pure; never truncates."""
    if speech_ms <= slot_ms:
        return FitDecision(tempo=1.0, outcome=FitOutcome.UNTOUCHED)
    needed = speech_ms / max(slot_ms, 1)
    if needed <= max_tempo:
        return FitDecision(tempo=round(needed, 4), outcome=FitOutcome.STRETCHED)
    fitted_ms = round(speech_ms / max_tempo)
    if fitted_ms <= room_ms:
        return FitDecision(tempo=max_tempo, outcome=FitOutcome.BORROWED)
    return FitDecision(tempo=max_tempo, outcome=FitOutcome.FLAGGED,
                       overrun_ms=fitted_ms - max(room_ms, 0))


def _speech_bounds(wav: Path, silence_dbfs: float) -> tuple[int, int, int]:
    """First and last sample of speech (10 ms frames above ``silence_dbfs``, 20 ms kept
    either side) and the sample rate."""
    samples, rate = read_wav(wav)
    frame = max(1, rate // 100)
    n = len(samples) // frame
    if n == 0:
        return 0, len(samples), rate
    rms = np.sqrt(np.mean(samples[: n * frame].reshape(n, frame) ** 2, axis=1) + 1e-12)
    loud = np.flatnonzero(20 * np.log10(rms) > silence_dbfs)
    if loud.size == 0:
        return 0, len(samples), rate
    margin = 2 * frame
    return (max(0, int(loud[0]) * frame - margin),
            min(len(samples), (int(loud[-1]) + 1) * frame + margin), rate)


@dataclass(frozen=True, slots=True)
class _FitJob:
    spoken: SpokenCue
    first: int  # speech bounds in the engine's samples
    last: int
    rate: int
    decision: FitDecision
    voice_start_ms: int
    out: Path


def _fitted_path(spoken: SpokenCue, first: int, last: int, tempo: float, rules: FittingRules,
                 cache_dir: Path) -> Path:
    key = hashlib.sha256(f"{spoken.key}:{first}:{last}:{tempo:.4f}:{rules.sample_rate_hz}"
                         .encode()).hexdigest()
    return cache_dir / "fitted" / f"{key}.wav"


def _partial(out: Path) -> Path:
    # Per process: two workers fitting the same cue never write into one file.
    return out.with_name(f"{out.stem}.partial-{os.getpid()}.wav")


def _render_batch(jobs: list[_FitJob], rules: FittingRules) -> None:
    """Trim, stretch and resample many cues in one ffmpeg process: ffmpeg
    takes a third of a second just to start, more than a cue's own work."""
    args: list[str] = []
    graph: list[str] = []
    outputs: list[str] = []
    for n, job in enumerate(jobs):
        args += ["-i", str(job.spoken.wav)]
        chain = [f"atrim=start_sample={job.first}:end_sample={job.last}", "asetpts=N/SR/TB"]
        if abs(job.decision.tempo - 1.0) > 1e-4:
            chain.append(tempo_pitch_filter(tempo=job.decision.tempo, pitch=1.0,
                                            sample_rate_hz=job.rate))
        chain.append(f"aresample={rules.sample_rate_hz}")
        graph.append(f"[{n}:a]{','.join(chain)}[f{n}]")
        partial = _partial(job.out)
        outputs += ["-map", f"[f{n}]", "-ac", "1", "-c:a", "pcm_s16le", str(partial)]
    run([*base_args(), *args, "-filter_complex", ";".join(graph), *outputs],
        what="fit cues " + ", ".join(str(j.spoken.cue.index) for j in jobs))
    for job in jobs:
        _partial(job.out).replace(job.out)


def _plan_jobs(spoken: list[SpokenCue], rules: FittingRules, cache_dir: Path,
               track_end_ms: int) -> list[_FitJob]:
    def voice_start(s: SpokenCue) -> int:
        return s.cue.start_ms + min(rules.start_delay_ms, (s.cue.end_ms - s.cue.start_ms) // 4)

    jobs = []
    for i, item in enumerate(spoken):
        start = voice_start(item)
        limit = voice_start(spoken[i + 1]) - rules.guard_ms if i + 1 < len(spoken) else track_end_ms
        first, last, rate = _speech_bounds(item.wav, rules.silence_dbfs)
        decision = decide_fit(speech_ms=round(1000 * (last - first) / rate),
                              slot_ms=item.cue.end_ms - start,
                              room_ms=max(limit, item.cue.end_ms) - start,
                              max_tempo=rules.max_tempo)
        jobs.append(_FitJob(spoken=item, first=first, last=last, rate=rate, decision=decision,
                            voice_start_ms=start,
                            out=_fitted_path(item, first, last, decision.tempo, rules, cache_dir)))
    return jobs


def fit_cues(*, batch: SynthesisBatch, rules: FittingRules, cache_dir: Path,
             track_end_ms: int, cues_per_process: int = 32) -> tuple[FittedCue, ...]:
    """Fit every spoken cue (in time order) to its slot; see the module docstring.
    A fitted cue is cached by its speech, bounds and tempo, so an unchanged cue is not
    processed again. Raises ``EngineFailed`` when ffmpeg fails."""
    spoken = sorted(batch.spoken, key=lambda s: (s.cue.start_ms, s.cue.index))
    jobs = _plan_jobs(spoken, rules, cache_dir, track_end_ms)
    todo = [j for j in jobs if not j.out.exists()]
    (cache_dir / "fitted").mkdir(parents=True, exist_ok=True)
    for n in range(0, len(todo), cues_per_process):
        _render_batch(todo[n:n + cues_per_process], rules)
    fitted = []
    for job in jobs:
        item, decision = job.spoken, job.decision
        length = duration_ms_of(job.out)
        fitted.append(FittedCue(
            index=item.cue.index, cue_start_ms=item.cue.start_ms, cue_end_ms=item.cue.end_ms,
            voice_start_ms=job.voice_start_ms, voice_end_ms=job.voice_start_ms + length,
            speech_ms=round(1000 * (job.last - job.first) / job.rate), tempo=decision.tempo,
            outcome=decision.outcome, overrun_ms=decision.overrun_ms, wav=job.out,
            spoken_wav=item.wav, voice_id=item.voice.id, resynthesized=item.synthesized))
    return tuple(fitted)
