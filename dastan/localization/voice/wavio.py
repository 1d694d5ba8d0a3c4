"""Mono 16-bit WAV in and out as float32 numpy arrays (what every engine writes)."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import numpy.typing as npt

Samples = npt.NDArray[np.float32]


def read_wav(path: Path) -> tuple[Samples, int]:
    """Samples in [-1, 1] (channels averaged to mono) and the sample rate."""
    with wave.open(str(path), "rb") as wav:
        rate = wav.getframerate()
        channels = wav.getnchannels()
        width = wav.getsampwidth()
        raw = wav.readframes(wav.getnframes())
    if width != 2:
        raise ValueError(f"{path.name}: expected 16-bit PCM, got {8 * width}-bit")
    data = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    if channels > 1:
        data = data.reshape(-1, channels).mean(axis=1).astype(np.float32)
    return data, rate


def to_pcm16(samples: Samples) -> bytes:
    return bytes((np.clip(samples, -1.0, 32767 / 32768) * 32768.0).astype("<i2").tobytes())


def write_wav(path: Path, samples: Samples, rate: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(to_pcm16(samples))


def duration_ms_of(path: Path) -> int:
    with wave.open(str(path), "rb") as wav:
        return round(1000 * wav.getnframes() / wav.getframerate())
