"""Speech made for tests from a known script: espeak-ng (many languages, robotic) and
festival's Russian voice msu_ru_nsh_clunits (far more intelligible). Nothing downloaded."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ENGLISH_SCRIPT = ("The fishermen thanked him in the morning for saving their boats. "
                  "The storm had passed over the village, and the children ran to the sea.")
RUSSIAN_SCRIPT = ("Утром рыбаки поблагодарили его за спасение лодок. "
                  "Буря прошла над деревней, и дети побежали к морю.")


def espeak_wav(text: str, out: Path, *, voice: str = "en") -> Path:
    if not shutil.which("espeak-ng"):
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(out), text], check=True,
                   capture_output=True)
    return out


def festival_russian_wav(text: str, out: Path) -> Path:
    if not shutil.which("text2wave"):
        pytest.skip("festival is not installed (apt-get install festival festvox-ru)")
    script = out.with_suffix(".txt")
    script.write_text(text, encoding="utf-8")
    subprocess.run(["text2wave", "-eval", "(voice_msu_ru_nsh_clunits)", str(script),
                    "-o", str(out)], check=True, capture_output=True)
    return out


def silence_wav(out: Path, *, seconds: float, rate_hz: int = 16000) -> Path:
    subprocess.run(["sox", "-n", "-r", str(rate_hz), "-c", "1", "-b", "16", str(out), "trim",
                    "0", str(seconds)], check=True, capture_output=True)
    return out


def concatenate_wavs(parts: list[Path], out: Path, *, rate_hz: int = 16000) -> Path:
    """One mono WAV at ``rate_hz`` of ``parts`` in order (sox resamples each)."""
    resampled = []
    for index, part in enumerate(parts):
        target = out.with_name(f"{out.stem}.part{index}.wav")
        subprocess.run(["sox", str(part), "-r", str(rate_hz), "-c", "1", "-b", "16",
                        str(target)], check=True, capture_output=True)
        resampled.append(str(target))
    subprocess.run(["sox", *resampled, str(out)], check=True, capture_output=True)
    return out


def duration_s(wav: Path) -> float:
    done = subprocess.run(["soxi", "-D", str(wav)], check=True, capture_output=True, text=True)
    return float(done.stdout)
