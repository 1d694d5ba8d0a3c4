"""What the node hears in a recording: its format, where speech starts and ends, its
level, and whether it clips. Used for studio stems and for booth takes alike.

Speech is found by level, 10 ms frames against a threshold relative to the recording's
own noise floor (a quiet booth and a noisy one both work), with gaps shorter than
``gap_ms`` bridged so the pauses inside a line do not split it. Clipping is a run of at
least three consecutive samples at full scale: one full-scale sample is a loud peak, a
flat run is a waveform cut off.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from dastan.dubbing.errors import StemRefused
from dastan.ffmpeg import FFmpegFailed, base_args, run
from dastan.i18n import gettext
from dastan.localization.voice.wavio import Samples

FRAME_MS = 10
CLIP_LEVEL = 0.999
CLIP_RUN = 3
SILENT_DBFS = -60.0  # a recording whose loudest frame is below this holds nothing


@dataclass(frozen=True, slots=True)
class AudioFacts:
    sample_rate_hz: int
    channels: int
    duration_ms: int
    codec: str


def probe_audio(path: Path) -> AudioFacts:
    """Format of the first audio stream; raises StemRefused for a file with no sound."""
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise StemRefused(gettext("'%(file)s' has no sound in it.") % {"file": path.name},
                                  gettext("Deliver a WAV or BWF file."))
            stream = container.streams.audio[0]
            duration = (float(stream.duration * stream.time_base) if stream.duration and stream.time_base
                        else float(container.duration or 0) / 1_000_000)
            return AudioFacts(sample_rate_hz=int(stream.rate or 0), channels=int(stream.channels or 0),
                              duration_ms=round(duration * 1000), codec=stream.codec_context.name)
    except av.error.FFmpegError as exc:
        # Translators: %(error)s is the decoder's own message, in English.
        raise StemRefused(gettext("'%(file)s' is not an audio file the node can read (%(error)s).")
                          % {"file": path.name, "error": exc},
                          gettext("Deliver a WAV or BWF file, 48 kHz.")) from exc


def decode_mono(path: Path, *, rate_hz: int | None = None) -> tuple[Samples, int]:
    """The file as float32 mono samples (channels averaged), at its own rate unless
    ``rate_hz`` is given. Reads any format ffmpeg reads (16/24/32-bit WAV, BWF, WebM)."""
    rate = rate_hz or probe_audio(path).sample_rate_hz or 48000
    try:
        proc = run([*base_args(), "-i", str(path), "-ac", "1", "-ar", str(rate), "-f", "f32le", "-"],
                   what=f"decode {path.name}", text=False)
    except FFmpegFailed as exc:
        # Translators: %(output)s is the end of ffmpeg's output, in English.
        raise StemRefused(gettext("'%(file)s' could not be decoded.") % {"file": path.name},
                          gettext("Deliver a WAV or BWF file; ffmpeg said: %(output)s")
                          % {"output": exc.stderr_tail[-300:]}) from exc
    return np.frombuffer(proc.stdout, dtype="<f4").astype(np.float32), rate


def frame_levels_dbfs(samples: Samples, rate: int) -> Samples:
    """RMS level of each 10 ms frame in dBFS (-120 for digital silence)."""
    n = rate * FRAME_MS // 1000
    frames = len(samples) // n
    if frames == 0:
        return np.zeros(0, dtype=np.float32)
    block = samples[: frames * n].reshape(frames, n).astype(np.float64)
    rms = np.sqrt(np.mean(block * block, axis=1))
    return (20 * np.log10(np.maximum(rms, 1e-6))).astype(np.float32)


def speech_spans_ms(samples: Samples, rate: int, *, gap_ms: int = 250, min_ms: int = 80
                    ) -> list[tuple[int, int]]:
    """(start, end) in ms of each stretch of speech."""
    levels = frame_levels_dbfs(samples, rate)
    if len(levels) == 0 or float(levels.max()) < SILENT_DBFS:
        return []
    floor = float(np.percentile(levels, 10))
    threshold = max(floor + 15.0, float(levels.max()) - 35.0, SILENT_DBFS)
    loud = levels >= threshold
    spans: list[list[int]] = []
    for i in np.flatnonzero(loud):
        at = int(i) * FRAME_MS
        if spans and at - spans[-1][1] <= gap_ms:
            spans[-1][1] = at + FRAME_MS
        else:
            spans.append([at, at + FRAME_MS])
    return [(s, e) for s, e in spans if e - s >= min_ms]


def speech_onset_ms(samples: Samples, rate: int, *, from_ms: int = 0, to_ms: int | None = None) -> int | None:
    """Where speech first starts at or after ``from_ms`` (and before ``to_ms``), or None."""
    for start, end in speech_spans_ms(samples, rate):
        if end > from_ms and (to_ms is None or start < to_ms):
            return max(start, from_ms) if start < from_ms else start
    return None


def clipped_runs(samples: Samples) -> int:
    """How many runs of ≥ 3 consecutive samples sit at full scale."""
    hot = np.abs(samples) >= CLIP_LEVEL
    if not hot.any():
        return 0
    edges = np.diff(np.concatenate([[0], hot.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return int(np.sum((ends - starts) >= CLIP_RUN))


def peak_dbfs(samples: Samples) -> float:
    peak = float(np.max(np.abs(samples))) if len(samples) else 0.0
    return round(20 * np.log10(max(peak, 1e-6)), 1)


def rms_dbfs(samples: Samples) -> float:
    if not len(samples):
        return -120.0
    rms = float(np.sqrt(np.mean(samples.astype(np.float64) ** 2)))
    return round(20 * np.log10(max(rms, 1e-6)), 1)


def window(samples: Samples, rate: int, start_ms: int, end_ms: int) -> Samples:
    return samples[max(0, start_ms * rate // 1000): max(0, end_ms * rate // 1000)]
