"""Generated media for the voice tests: an "original" soundtrack made of espeak-ng
English speech placed at the cue times over a quiet 15 kHz tone.

The tone sits above everything the voices can contain (all engines speak at 16 or
22.05 kHz, so nothing above 11 kHz), which lets a test read the original's level in
the finished mix, under the voice and between voices: that is the ducking depth.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from dastan.ffmpeg import base_args
from dastan.localization.voice.cues import VoiceCue
from dastan.localization.voice.wavio import read_wav, write_wav

RATE_HZ = 48000
BED_TONE_HZ = 15000
DURATION_MS = 14000

ENGLISH_LINES = (
    "Where were you last night?",
    "I was at the river, watching the boats.",
    "The fishermen came back before dawn.",
    "Then we leave for the city tomorrow.",
)
CUE_TIMES_MS = ((1000, 3500), (4200, 7200), (7800, 10400), (11000, 13400))
SPEAKERS = ("ANNA", "BORIS", "ANNA", "BORIS")


def cue_list(texts: tuple[str, ...]) -> list[VoiceCue]:
    return [VoiceCue(index=i + 1, start_ms=s, end_ms=e, text=t, speaker=sp)
            for i, ((s, e), t, sp) in enumerate(zip(CUE_TIMES_MS, texts, SPEAKERS, strict=True))]


def make_original(path: Path, *, bed_dbfs: float = -30.0, speech: bool = True) -> Path:
    t = np.arange(DURATION_MS * RATE_HZ // 1000) / RATE_HZ
    track = (10 ** (bed_dbfs / 20) * np.sin(2 * np.pi * BED_TONE_HZ * t)).astype(np.float32)
    if speech:
        for (start, _), line in zip(CUE_TIMES_MS, ENGLISH_LINES, strict=True):
            raw = path.with_name(f"orig-{start}.wav")
            subprocess.run(["espeak-ng", "-v", "en-us", "-w", str(raw), "--stdin"],
                           input=line, text=True, check=True)
            up = path.with_name(f"orig-{start}-48k.wav")
            subprocess.run([*base_args(), "-i", str(raw), "-ar",
                            str(RATE_HZ), str(up)], check=True)
            samples, _ = read_wav(up)
            at = start * RATE_HZ // 1000
            track[at: at + len(samples)] += 0.5 * samples[: len(track) - at]
    write_wav(path, track, RATE_HZ)
    return path


@pytest.fixture(scope="session")
def original_audio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_original(tmp_path_factory.mktemp("original") / "original.wav")


@pytest.fixture(scope="session")
def me_stem(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_original(tmp_path_factory.mktemp("me") / "me.wav", bed_dbfs=-24.0, speech=False)
