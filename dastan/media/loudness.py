"""Every audio rendition at the node's loudness target (EBU R128: -23 LUFS integrated,
true peak at most -1 dBTP, unless settings say otherwise), measured after encoding.

Two passes of ffmpeg's ``loudnorm``: :func:`measure_source` reads the track (after the
downmix) once, :func:`gain_filter` turns that into a ``linear=true`` second pass run
inside the encode, so the whole programme gets one gain and its dynamics are kept.
loudnorm falls back to its dynamic mode only when one gain would push the true peak over
the ceiling. Whatever loudnorm did, :func:`measure_rendition` measures the encoded AAC
with ``ebur128`` (true peak on), and that figure is what the rendition records.
"""

from __future__ import annotations

import json
import math
import re
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from dastan.ffmpeg import FFmpegFailed, base_args, run
from dastan.i18n import gettext

# A track quieter than this is silence (or a tone test's gap): no gain is applied to it.
SILENCE_LUFS = -60.0
# loudnorm aims this far under the ceiling: AAC's reconstruction overshoots the peaks
# of the PCM it was given by up to about half a dB.
AAC_PEAK_MARGIN_DB = 1.0


@dataclass(frozen=True, slots=True)
class LoudnessTarget:
    integrated_lufs: float
    max_true_peak_dbtp: float


@dataclass(frozen=True, slots=True)
class Loudness:
    integrated_lufs: float
    true_peak_dbtp: float
    lra_lu: float

    def as_dict(self) -> dict[str, Any]:
        # Silence measures -inf dBTP, which JSON cannot hold: stored as null.
        return {k: v if math.isfinite(v) else None for k, v in asdict(self).items()}


def loudness_target() -> LoudnessTarget:
    """The node's target: ``settings.DASTAN_LOUDNESS`` = {"integrated_lufs": -23,
    "max_true_peak_dbtp": -1} by default (EBU R128 for programmes)."""
    chosen = {"integrated_lufs": -23.0, "max_true_peak_dbtp": -1.0,
              **getattr(settings, "DASTAN_LOUDNESS", {})}
    return LoudnessTarget(integrated_lufs=float(chosen["integrated_lufs"]),
                          max_true_peak_dbtp=float(chosen["max_true_peak_dbtp"]))


def _ffmpeg_stderr(args: Sequence[str], *, what: str) -> str:
    # loudnorm and ebur128 print their figures at the info level.
    done = run([*base_args(loglevel="info"), "-nostats", *args], what=what,
               hint=gettext("Check that the sound plays in a media player; if it does, report "
                            "this error with the file's details from `ffprobe`."))
    return str(done.stderr)


def measure_source(*, source: Path, stream: str, filters: Sequence[str] = (),
                   target: LoudnessTarget) -> dict[str, str]:
    """loudnorm's first pass over ``stream`` of ``source`` (e.g. "0:a:1") after
    ``filters`` (the downmix): its JSON figures, for :func:`gain_filter`."""
    tp = target.max_true_peak_dbtp - AAC_PEAK_MARGIN_DB
    chain = [*filters, f"loudnorm=I={target.integrated_lufs:g}:TP={tp:g}:LRA=20:print_format=json"]
    err = _ffmpeg_stderr(["-i", str(source), "-map", stream, "-af", ",".join(chain), "-f", "null", "-"],
                         what="measure the loudness of the sound")
    start, end = err.rfind("{"), err.rfind("}")
    if start < 0 or end < start:
        raise FFmpegFailed(gettext("ffmpeg's loudnorm printed no measurement."),
                           gettext("Check that the sound track is not empty."))
    figures: dict[str, str] = json.loads(err[start:end + 1])
    return figures


def gain_filter(*, measured: dict[str, str], target: LoudnessTarget) -> str:
    """loudnorm's second pass with the first pass's figures (one linear gain); "" for
    silence, which no gain can bring to the target."""
    input_i = float(measured["input_i"])
    if input_i < SILENCE_LUFS:
        return ""
    tp = target.max_true_peak_dbtp - AAC_PEAK_MARGIN_DB
    lra = min(50.0, max(7.0, float(measured["input_lra"]) + 1.0))  # never compress the range
    return (f"loudnorm=I={target.integrated_lufs:g}:TP={tp:g}:LRA={lra:.1f}"
            f":measured_I={measured['input_i']}:measured_TP={measured['input_tp']}"
            f":measured_LRA={measured['input_lra']}:measured_thresh={measured['input_thresh']}"
            f":offset={measured['target_offset']}:linear=true")


def _summary_float(pattern: str, text: str) -> float:
    found = re.findall(pattern, text)
    if not found:
        raise FFmpegFailed(gettext("ffmpeg's ebur128 filter printed no summary."),
                           gettext("Check that the file holds an audio stream."))
    return float("-inf") if found[-1] == "-inf" else float(found[-1])


def measure_file(*, path: Path, stream: str = "0:a:0") -> Loudness:
    """Integrated loudness, true peak and loudness range of ``stream`` of ``path``."""
    err = _ffmpeg_stderr(["-i", str(path), "-map", stream, "-af", "ebur128=peak=true",
                          "-f", "null", "-"], what=f"measure the loudness of {path.name}")
    summary = err[err.rfind("Summary:"):]
    return Loudness(integrated_lufs=_summary_float(r"I:\s+(-?[\d.]+|-inf) LUFS", summary),
                    true_peak_dbtp=_summary_float(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary),
                    lra_lu=_summary_float(r"LRA:\s+(-?[\d.]+) LU", summary))


def measure_rendition(*, rendition_dir: Path) -> Loudness:
    """The loudness of an fMP4 HLS rendition (``init.mp4`` and its segments), as a
    player decodes it."""
    with tempfile.TemporaryDirectory(prefix="dastan-loudness-") as tmp:
        joined = Path(tmp) / "joined.mp4"
        with joined.open("wb") as out:
            out.write((rendition_dir / "init.mp4").read_bytes())
            for segment in sorted(rendition_dir.glob("seg_*.m4s")):
                out.write(segment.read_bytes())
        return measure_file(path=joined)
