"""The voice code's ffmpeg filters: tempo and pitch, for fitting speech to its cue and
for engines without pitch control. :mod:`dastan.ffmpeg` runs them (the one binary,
``DASTAN_FFMPEG``, and FFmpegFailed with ffmpeg's last stderr lines).
"""

from __future__ import annotations

from pathlib import Path

from dastan.ffmpeg import base_args, has_filter, run


def tempo_pitch_filter(*, tempo: float, pitch: float, sample_rate_hz: int) -> str:
    """A filter that speeds speech up by ``tempo`` and shifts it by ``pitch`` while
    keeping the other unchanged: rubberband where built in, otherwise atempo (and a
    resample trick for pitch)."""
    if has_filter("rubberband"):
        return f"rubberband=tempo={tempo:.4f}:pitch={pitch:.4f}"
    parts = []
    if abs(pitch - 1.0) > 1e-3:
        # Playing faster raises pitch and tempo alike; atempo gives the tempo back.
        parts += [f"asetrate={round(sample_rate_hz * pitch)}", f"aresample={sample_rate_hz}"]
        tempo = tempo / pitch
    parts.append(f"atempo={tempo:.4f}")
    return ",".join(parts)


def shift_pitch(*, src: Path, dst: Path, pitch: float, sample_rate_hz: int) -> None:
    """Write ``src`` to ``dst`` (mono 16-bit WAV) with its pitch multiplied by ``pitch``."""
    chain = tempo_pitch_filter(tempo=1.0, pitch=pitch, sample_rate_hz=sample_rate_hz)
    run([*base_args(), "-i", str(src), "-af", chain, "-ar", str(sample_rate_hz), "-ac", "1",
         "-c:a", "pcm_s16le", str(dst)], what=f"shift the pitch of {src.name}")
