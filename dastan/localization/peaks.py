"""A sound's peaks as audiowaveform draws them, and where speech starts in them: plain
numpy, no Django (the waveform job and bench/waveform.py share it)."""

from __future__ import annotations

import struct
import wave
from pathlib import Path

import numpy as np

SAMPLE_RATE_HZ = 8000  # enough for a picture of speech; 1/6 of the film's samples to read
SAMPLES_PER_PIXEL = 80  # 100 columns a second: 10 ms, finer than a frame
ONSET_SILENCE_MS = 300  # quiet this long before a rise counts as speech starting
ONSET_LEVEL = 0.12  # the rise: this fraction of the film's loudest 10 ms


def read_pcm(wav: Path) -> np.ndarray:
    with wave.open(str(wav), "rb") as fh:
        return np.frombuffer(fh.readframes(fh.getnframes()), dtype="<i2")


def peaks_of(samples: np.ndarray, *, samples_per_pixel: int) -> np.ndarray:
    """(n, 2) int8 min/max per column of ``samples_per_pixel`` 16-bit samples."""
    n = -(-len(samples) // samples_per_pixel)
    padded = np.zeros(n * samples_per_pixel, dtype=np.int16)
    padded[:len(samples)] = samples
    columns = padded.reshape(n, samples_per_pixel)
    # 16 → 8 bits as audiowaveform does: keep the top byte.
    return np.stack([columns.min(axis=1) >> 8, columns.max(axis=1) >> 8], axis=1).astype(np.int8)


def dat_bytes(peaks: np.ndarray, *, sample_rate_hz: int, samples_per_pixel: int) -> bytes:
    """audiowaveform's binary format, version 2: a 24-byte header, then min/max pairs."""
    header = struct.pack("<iIiiIi", 2, 1, sample_rate_hz, samples_per_pixel, len(peaks), 1)  # flags 1: 8-bit
    return header + peaks.astype(np.int8).tobytes()


def speech_onsets_ms(peaks: np.ndarray, *, ms_per_pixel: float) -> list[int]:
    """Where the sound rises out of at least ONSET_SILENCE_MS of quiet."""
    level = np.maximum(np.abs(peaks[:, 0].astype(np.int16)), np.abs(peaks[:, 1].astype(np.int16)))
    if not len(level) or level.max() == 0:
        return []
    loud = level >= max(2, int(level.max() * ONSET_LEVEL))
    quiet_run = int(ONSET_SILENCE_MS / ms_per_pixel)
    onsets, quiet = [], quiet_run  # the film's first sound counts as an onset
    for i, is_loud in enumerate(loud):
        if is_loud:
            if quiet >= quiet_run:
                onsets.append(round(i * ms_per_pixel))
            quiet = 0
        else:
            quiet += 1
    return onsets
