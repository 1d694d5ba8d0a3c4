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

from dastan.ffmpeg import base_args, run
from dastan.localization.errors import EngineFailed

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
    gate_threshold_lufs: float | None = None  # BS.1770 relative gate, for loudnorm's pass 2

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


def parse_ebur128_summary(stderr: str) -> LoudnessMeasurement:
    """The measurement in the summary the ``ebur128`` filter prints when it ends (true
    peak is -inf unless the filter ran with ``peak=true``)."""
    summary = stderr[stderr.rfind("Summary:"):]
    peak = re.findall(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    return LoudnessMeasurement(
        integrated_lufs=_last_float(r"I:\s+(-?[\d.]+|-inf) LUFS", summary),
        true_peak_dbtp=float(peak[-1]) if peak else float("-inf"),
        lra_lu=_last_float(r"LRA:\s+(-?[\d.]+) LU", summary),
        gate_threshold_lufs=_last_float(r"Threshold:\s+(-?[\d.]+|-inf) LUFS", summary))


def measure_loudness(*, path: Path, true_peak: bool = True) -> LoudnessMeasurement:
    """Integrated loudness, loudness range and (when asked: it costs a 4x oversampled
    pass) true peak of ``path``, as measured by ffmpeg's ``ebur128``."""
    analysis = "ebur128=peak=true" if true_peak else "ebur128"
    err = run([*base_args(loglevel="info"), "-i", str(path), "-map", "0:a:0", "-filter:a", analysis,
               "-f", "null", "-"], what=f"measure the loudness of {path.name}").stderr
    return parse_ebur128_summary(err)


def _loudnorm_json(stderr: str) -> dict[str, str]:
    start = stderr.rfind("{")
    end = stderr.rfind("}")
    if start < 0 or end < start:
        raise EngineFailed("ffmpeg's loudnorm printed no measurement.", stderr[-300:])
    data: dict[str, str] = json.loads(stderr[start:end + 1])
    return data


def _first_pass(src: Path, target_lufs: float, tp: float,
                measured: LoudnessMeasurement | None) -> dict[str, str]:
    if measured is not None and measured.gate_threshold_lufs is not None \
            and measured.true_peak_dbtp > float("-inf"):
        # The mix already ran ebur128 (peak=true) over this audio: the same BS.1770
        # numbers loudnorm's first pass would print, without a second read of the file.
        return {"input_i": f"{measured.integrated_lufs}", "input_tp": f"{measured.true_peak_dbtp}",
                "input_lra": f"{measured.lra_lu}",
                "input_thresh": f"{measured.gate_threshold_lufs}", "target_offset": "0"}
    return _loudnorm_json(run(
        [*base_args(loglevel="info"), "-i", str(src),
         "-af", f"loudnorm=I={target_lufs}:TP={tp}:LRA=20:print_format=json", "-f", "null", "-"],
        what="measure loudness (loudnorm pass 1)").stderr)


def normalize_loudness(*, src: Path, dst: Path, target_lufs: float = -23.0,
                       max_true_peak_dbtp: float = -1.0, sample_rate_hz: int = 48000,
                       measured: LoudnessMeasurement | None = None) -> LoudnessMeasurement:
    """Write ``src`` to ``dst`` at ``target_lufs`` integrated with the true peak at or
    under ``max_true_peak_dbtp``, and return the measurement of ``dst``. ``measured``
    (ebur128 with true peak, taken while ``src`` was made) stands in for loudnorm's
    first pass. The codec follows ``dst``'s suffix (.wav, .flac, .m4a, .opus). Raises
    ``EngineFailed``."""
    # Aim half a dB under the ceiling: the true peak is re-measured after any encode.
    tp = max_true_peak_dbtp - 0.5
    first = _first_pass(src, target_lufs, tp, measured)
    lra_target = min(50.0, max(7.0, float(first["input_lra"]) + 1.0))
    chain = (f"loudnorm=I={target_lufs}:TP={tp}:LRA={lra_target:.1f}"
             f":measured_I={first['input_i']}:measured_TP={first['input_tp']}"
             f":measured_LRA={first['input_lra']}:measured_thresh={first['input_thresh']}"
             f":offset={first['target_offset']}:linear=true:print_format=json")
    dst.parent.mkdir(parents=True, exist_ok=True)
    second = _loudnorm_json(run(
        [*base_args(loglevel="info"), "-i", str(src), "-af", chain, "-ar", str(sample_rate_hz),
         *CODECS.get(dst.suffix.lower(), []), str(dst)],
        what="normalize loudness (loudnorm pass 2)").stderr)
    measured = measure_loudness(path=dst)
    return LoudnessMeasurement(
        integrated_lufs=measured.integrated_lufs, true_peak_dbtp=measured.true_peak_dbtp,
        lra_lu=measured.lra_lu, target_lufs=target_lufs,
        max_true_peak_dbtp=max_true_peak_dbtp,
        method=f"ffmpeg loudnorm two-pass ({second.get('normalization_type', 'unknown')})")
