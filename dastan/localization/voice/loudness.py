"""Loudness to EBU R128 (or any target): ffmpeg's two-pass ``loudnorm``, then measured.

Pass 1 measures; pass 2 applies one gain (``linear=true``) when that gain keeps the true
peak under the ceiling, otherwise loudnorm falls back to its dynamic mode — which one ran
is recorded. Whatever loudnorm claims, the result is measured again afterwards with the
``ebur128`` filter (true peak on), and that measurement is what is returned and stored.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from dastan.localization.errors import EngineFailed
from dastan.localization.voice.ffmpeg import run_ffmpeg

SILENCE_LUFS = -70.0  # ebur128's floor: nothing above the absolute gate

CODECS = {".wav": ["-c:a", "pcm_s16le"], ".flac": ["-c:a", "flac"],
          ".m4a": ["-c:a", "aac", "-b:a", "192k"], ".aac": ["-c:a", "aac", "-b:a", "192k"],
          ".mp4": ["-c:a", "aac", "-b:a", "192k"], ".opus": ["-c:a", "libopus", "-b:a", "128k"]}


@dataclass(frozen=True, slots=True)
class LoudnessMeasurement:
    integrated_lufs: float
    true_peak_dbtp: float
    lra_lu: float
    target_lufs: float | None = None
    max_true_peak_dbtp: float | None = None
    method: str = "ffmpeg ebur128"  # how the track was normalized, when it was

    def within_target(self, *, tolerance_lu: float = 1.0) -> bool:
        if self.target_lufs is None:
            return True
        ok = abs(self.integrated_lufs - self.target_lufs) <= tolerance_lu
        return ok and (self.max_true_peak_dbtp is None
                       or self.true_peak_dbtp <= self.max_true_peak_dbtp)


def _last_float(pattern: str, text: str) -> float:
    found = re.findall(pattern, text)
    if not found:
        raise EngineFailed("ffmpeg's ebur128 filter printed no summary.",
                           "Check that the file holds an audio stream.")
    value = found[-1]
    return float("-inf") if value in ("-inf", "inf") else float(value)


def measure_loudness(*, path: Path) -> LoudnessMeasurement:
    """Integrated loudness, true peak and loudness range of ``path``, as measured."""
    err = run_ffmpeg(["-i", str(path), "-map", "0:a:0", "-filter:a", "ebur128=peak=true",
                      "-f", "null", "-"], what=f"measuring the loudness of {path.name}")
    summary = err[err.rfind("Summary:"):]
    return LoudnessMeasurement(
        integrated_lufs=_last_float(r"I:\s+(-?[\d.]+|-inf) LUFS", summary),
        true_peak_dbtp=_last_float(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary),
        lra_lu=_last_float(r"LRA:\s+(-?[\d.]+) LU", summary))


def _loudnorm_json(stderr: str) -> dict[str, str]:
    start = stderr.rfind("{")
    end = stderr.rfind("}")
    if start < 0 or end < start:
        raise EngineFailed("ffmpeg's loudnorm printed no measurement.", stderr[-300:])
    data: dict[str, str] = json.loads(stderr[start:end + 1])
    return data


def normalize_loudness(*, src: Path, dst: Path, target_lufs: float = -23.0,
                       max_true_peak_dbtp: float = -1.0,
                       sample_rate_hz: int = 48000) -> LoudnessMeasurement:
    """Write ``src`` to ``dst`` at ``target_lufs`` integrated with the true peak at or
    under ``max_true_peak_dbtp``, and return the measurement of ``dst``. The codec
    follows ``dst``'s suffix (.wav, .flac, .m4a, .opus). Raises ``EngineFailed``."""
    # Aim half a dB under the ceiling: the true peak is re-measured after any encode.
    tp = max_true_peak_dbtp - 0.5
    first = _loudnorm_json(run_ffmpeg(
        ["-i", str(src), "-af", f"loudnorm=I={target_lufs}:TP={tp}:LRA=20:print_format=json",
         "-f", "null", "-"], what="measuring loudness (loudnorm pass 1)"))
    lra_target = min(50.0, max(7.0, float(first["input_lra"]) + 1.0))
    chain = (f"loudnorm=I={target_lufs}:TP={tp}:LRA={lra_target:.1f}"
             f":measured_I={first['input_i']}:measured_TP={first['input_tp']}"
             f":measured_LRA={first['input_lra']}:measured_thresh={first['input_thresh']}"
             f":offset={first['target_offset']}:linear=true:print_format=json")
    dst.parent.mkdir(parents=True, exist_ok=True)
    second = _loudnorm_json(run_ffmpeg(
        ["-i", str(src), "-af", chain, "-ar", str(sample_rate_hz),
         *CODECS.get(dst.suffix.lower(), []), str(dst)],
        what="normalizing loudness (loudnorm pass 2)"))
    measured = measure_loudness(path=dst)
    return LoudnessMeasurement(
        integrated_lufs=measured.integrated_lufs, true_peak_dbtp=measured.true_peak_dbtp,
        lra_lu=measured.lra_lu, target_lufs=target_lufs,
        max_true_peak_dbtp=max_true_peak_dbtp,
        method=f"ffmpeg loudnorm two-pass ({second.get('normalization_type', 'unknown')})")
