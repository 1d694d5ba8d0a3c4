"""Measurements the voice tests make on rendered audio."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import webrtcvad

from dastan.ffmpeg import base_args
from dastan.localization.voice.wavio import Samples, read_wav

FRAME_MS = 30


def voiced_frames(wav: Path, *, aggressiveness: int = 2) -> tuple[np.ndarray, int]:
    """webrtcvad's speech decision per 30 ms frame of a 48 kHz mono WAV."""
    samples, rate = read_wav(wav)
    assert rate == 48000
    frame = rate * FRAME_MS // 1000
    pcm = (np.clip(samples, -1, 0.99997) * 32768).astype("<i2")
    vad = webrtcvad.Vad(aggressiveness)
    n = len(pcm) // frame
    flags = np.array([vad.is_speech(pcm[i * frame:(i + 1) * frame].tobytes(), rate)
                      for i in range(n)])
    return flags, FRAME_MS


def speech_onset_ms(flags: np.ndarray, frame_ms: int, *, after_ms: int, before_ms: int) -> int:
    """Start of the first run of three voiced frames in [after_ms, before_ms)."""
    for i in range(after_ms // frame_ms, min(len(flags) - 2, before_ms // frame_ms)):
        if flags[i] and flags[i + 1] and flags[i + 2]:
            return i * frame_ms
    raise AssertionError(f"no speech between {after_ms} and {before_ms} ms")


def tone_level_db(samples: Samples, rate: int, *, tone_hz: float, start_ms: int,
                  end_ms: int) -> float:
    """Level of one sine in a window (FFT peak around ``tone_hz``), in dB."""
    seg = samples[start_ms * rate // 1000: end_ms * rate // 1000]
    window = np.hanning(len(seg))
    # Divided by the window's sum, a sine reads the same whatever the window length.
    spectrum = np.abs(np.fft.rfft(seg * window)) / window.sum()
    freqs = np.fft.rfftfreq(len(seg), 1 / rate)
    band = (freqs > tone_hz - 100) & (freqs < tone_hz + 100)
    return float(20 * np.log10(spectrum[band].max() + 1e-12))


def mono_of(path: Path) -> tuple[Samples, int]:
    out = path.with_name(path.stem + ".mono48k.wav")
    subprocess.run([*base_args(), "-i", str(path), "-ac", "1",
                    "-ar", "48000", "-c:a", "pcm_s16le", str(out)], check=True)
    return read_wav(out)
