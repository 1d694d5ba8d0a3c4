"""The voice stem, the ducking envelope, and the two mixes.

The stem is written as it is assembled, a few cues at a time, so a feature film never
sits in memory. Ducking is a gain envelope computed from the voice's own times at
1 ms resolution: it ramps down over ``attack_ms`` before the voice enters and back up
over ``release_ms`` after it ends, linear in dB (smooth to the ear, no hard cuts), to
exactly ``depth_db`` — a compressor's sidechain would duck by an amount that depends on
the voice's level. ffmpeg multiplies the original by it (``amultiply``).
"""

from __future__ import annotations

import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dastan.ffmpeg import base_args, run
from dastan.localization.voice.fitting import FittedCue
from dastan.localization.voice.loudness import LoudnessMeasurement, parse_ebur128_summary
from dastan.localization.voice.wavio import Samples, read_wav, to_pcm16

ENVELOPE_RATE_HZ = 1000  # one gain value per millisecond
STEREO = "pan=stereo|c0=c0|c1=c0"  # mono to both sides at full level (no -3 dB pan law)


@dataclass(frozen=True, slots=True)
class DuckingRules:
    depth_db: float = -12.0
    attack_ms: int = 120
    release_ms: int = 400


def assemble_voice_stem(*, fitted: Sequence[FittedCue], duration_ms: int, out_wav: Path,
                        sample_rate_hz: int = 48000) -> Path:
    """Place every fitted cue at its ``voice_start_ms`` on a silent mono track of
    ``duration_ms`` (longer if the last voice runs on). Overlaps add, never cut."""
    out_wav.parent.mkdir(parents=True, exist_ok=True)
    total = max(duration_ms, max((f.voice_end_ms for f in fitted), default=0))
    total_samples = total * sample_rate_hz // 1000
    pending: Samples = np.zeros(0, dtype=np.float32)  # not yet written, starting at `pos`
    pos = 0
    with wave.open(str(out_wav), "wb") as stem:
        stem.setnchannels(1)
        stem.setsampwidth(2)
        stem.setframerate(sample_rate_hz)

        def write_silence(n: int) -> None:
            if n <= 0:
                return
            block = np.zeros(min(n, sample_rate_hz * 10), dtype=np.float32)
            while n > 0:
                stem.writeframes(to_pcm16(block[: min(n, len(block))]))
                n -= len(block)

        for cue in sorted(fitted, key=lambda f: f.voice_start_ms):
            samples, _ = read_wav(cue.wav)
            start = cue.voice_start_ms * sample_rate_hz // 1000
            if start >= pos + len(pending):  # flush everything before this cue
                stem.writeframes(to_pcm16(pending))
                write_silence(start - pos - len(pending))
                pos, pending = start, np.zeros(0, dtype=np.float32)
            elif start > pos:
                stem.writeframes(to_pcm16(pending[: start - pos]))
                pending, pos = pending[start - pos:], start
            offset = start - pos
            if offset + len(samples) > len(pending):
                pending = np.concatenate(
                    [pending, np.zeros(offset + len(samples) - len(pending), dtype=np.float32)])
            pending[offset: offset + len(samples)] += samples
        stem.writeframes(to_pcm16(pending))
        write_silence(total_samples - pos - len(pending))
    return out_wav


def ducking_envelope(*, spans_ms: Sequence[tuple[int, int]], duration_ms: int,
                     rules: DuckingRules) -> Samples:
    """Gain per millisecond: 1.0 in the clear, ``depth_db`` under each voice span."""
    t = np.arange(duration_ms, dtype=np.float32)
    amount = np.zeros(duration_ms, dtype=np.float32)  # 0 = untouched, 1 = fully ducked
    for start, end in spans_ms:
        lo = max(0, start - rules.attack_ms)
        hi = min(duration_ms, end + rules.release_ms)
        if hi <= lo:
            continue
        seg = t[lo:hi]
        rise = np.clip((seg - (start - rules.attack_ms)) / max(rules.attack_ms, 1), 0, 1)
        fall = np.clip(((end + rules.release_ms) - seg) / max(rules.release_ms, 1), 0, 1)
        amount[lo:hi] = np.maximum(amount[lo:hi], np.minimum(rise, fall))
    gain: Samples = np.power(10.0, rules.depth_db * amount / 20.0).astype(np.float32)
    return gain


def _audio_in(label: str, index: int, gain_db: float) -> str:
    return (f"[{index}:a]aresample=48000,aformat=sample_fmts=flt:channel_layouts=stereo,"
            f"volume={gain_db:.2f}dB[{label}]")


def mix_voice_over(*, original: Path, voice_stem: Path, envelope: Samples, out_wav: Path,
                   original_gain_db: float, voice_gain_db: float) -> LoudnessMeasurement:
    """Original (gained, then multiplied by ``envelope``) plus the voice, as 48 kHz
    stereo float WAV, as long as the original or the voice, whichever is longer: a voice
    that runs past the end of the film is flagged, never cut. Returns the mix's loudness,
    measured on the way out."""
    env_path = out_wav.with_name(out_wav.stem + ".envelope.f32")
    env_path.write_bytes(envelope.astype("<f4").tobytes())
    graph = ";".join([
        _audio_in("o", 0, original_gain_db),
        f"[2:a]aresample=48000,aformat=sample_fmts=flt,{STEREO}[g]",
        "[o][g]amultiply[ducked]",
        f"[1:a]aresample=48000,aformat=sample_fmts=flt,{STEREO},volume={voice_gain_db:.2f}dB[v]",
        "[ducked][v]amix=inputs=2:duration=longest:normalize=0,ebur128=peak=true[m]",
    ])
    err = run([*base_args(loglevel="info"), "-i", str(original), "-i", str(voice_stem),
               "-f", "f32le", "-ar", str(ENVELOPE_RATE_HZ), "-ac", "1", "-i", str(env_path),
               "-filter_complex", graph, "-map", "[m]", "-c:a", "pcm_f32le", str(out_wav)],
              what="mix the voice over the ducked original").stderr
    env_path.unlink()
    return parse_ebur128_summary(err)


def mix_full_dub(*, me_stem: Path, voice_stem: Path, out_wav: Path,
                 voice_gain_db: float) -> LoudnessMeasurement:
    """The music-and-effects stem untouched, plus the voice; returns the mix's loudness."""
    graph = ";".join([
        _audio_in("me", 0, 0.0),
        f"[1:a]aresample=48000,aformat=sample_fmts=flt,{STEREO},volume={voice_gain_db:.2f}dB[v]",
        "[me][v]amix=inputs=2:duration=longest:normalize=0,ebur128=peak=true[m]",
    ])
    err = run([*base_args(loglevel="info"), "-i", str(me_stem), "-i", str(voice_stem),
               "-filter_complex", graph, "-map", "[m]", "-c:a", "pcm_f32le", str(out_wav)],
              what="mix the voice over the music-and-effects stem").stderr
    return parse_ebur128_summary(err)
