from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dastan.ffmpeg import FFmpegFailed, base_args, probe_duration_ms, run
from dastan.localization.voice.ffmpeg import shift_pitch
from dastan.localization.voice.wavio import read_wav, write_wav


def _dominant_hz(path: Path) -> float:
    samples, rate = read_wav(path)
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[spectrum.argmax()])


def test_pitch_shift_moves_the_pitch_and_keeps_the_duration(tmp_path: Path) -> None:
    rate = 22050
    t = np.arange(rate * 2) / rate
    write_wav(tmp_path / "a.wav", (0.5 * np.sin(2 * np.pi * 200 * t)).astype(np.float32), rate)
    shift_pitch(src=tmp_path / "a.wav", dst=tmp_path / "b.wav", pitch=1.19, sample_rate_hz=rate)
    assert _dominant_hz(tmp_path / "b.wav") == pytest.approx(238, abs=4)
    assert probe_duration_ms(tmp_path / "b.wav") == pytest.approx(2000, abs=30)


def test_an_ffmpeg_failure_raises_with_ffmpegs_own_words(tmp_path: Path) -> None:
    with pytest.raises(FFmpegFailed, match="could not read the missing file: .*No such file") as caught:
        run([*base_args(), "-i", str(tmp_path / "missing.wav"), "-f", "null", "-"],
            what="read the missing file")
    assert caught.value.returncode not in (0, None)
    assert "No such file" in caught.value.stderr_tail
