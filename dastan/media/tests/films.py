"""Test films made on the spot with ffmpeg's lavfi sources and espeak-ng speech: tiny
(2–6 s, 320x180 or 640x360) so the suite stays quick on two cores."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from dastan.media.ffmpeg import base_args


def run(args: Sequence[str]) -> None:
    subprocess.run(list(args), check=True, capture_output=True)


def speech_wav(path: Path, *, text: str, voice: str) -> Path:
    """A sentence spoken by espeak-ng (e.g. voice 'en', 'ru', 'ur')."""
    subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(path), text], check=True,
                   capture_output=True)
    return path


def film(path: Path, *, seconds: float = 3, size: str = "320x180", rate: str = "25",
         audio: Sequence[tuple[str, str]] = (("sine=frequency=440", "eng"),),
         video_filter: str = "", extra: Sequence[str] = (), audio_files: Sequence[tuple[Path, str]] = (), pix_fmt: str = "yuv420p",
         ) -> Path:
    """testsrc2 picture with one audio stream per ``(lavfi source, ISO 639-2 tag)`` and
    per ``(wav file, tag)``; each track padded or cut to the film's length."""
    args = [*base_args(), "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}:duration={seconds}"]
    tags = []
    for source, tag in audio:
        args += ["-f", "lavfi", "-t", str(seconds), "-i", source]
        tags.append(tag)
    for wav, tag in audio_files:
        args += ["-i", str(wav)]
        tags.append(tag)
    args += ["-map", "0:v"]
    for n in range(len(tags)):
        args += ["-map", f"{n + 1}:a"]
    if video_filter:
        args += ["-vf", video_filter]
    args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", pix_fmt, "-c:a", "aac",
             "-af", "apad", "-t", str(seconds)]
    for n, tag in enumerate(tags):
        args += [f"-metadata:s:a:{n}", f"language={tag}"]
    args += [*extra, str(path)]
    run(args)
    return path


def two_language_film(path: Path, tmp: Path, *, seconds: float = 4, size: str = "320x180") -> Path:
    en = speech_wav(tmp / "en.wav", text="The caravan reached Samarkand at dawn.", voice="en")
    ru = speech_wav(tmp / "ru.wav", text="Караван пришёл в Самарканд на рассвете.", voice="ru")
    return film(path, seconds=seconds, size=size, audio=(), audio_files=((en, "eng"), (ru, "rus")))
