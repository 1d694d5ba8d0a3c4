"""Test films made on the spot with ffmpeg's lavfi sources and espeak-ng speech: tiny
(2–6 s, 320x180 or 640x360) so the suite stays quick on two cores."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from dastan.ffmpeg import base_args


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


def surround_master(path: Path, tmp: Path, *, seconds: float = 8, size: str = "320x180") -> Path:
    """A studio's master: English 5.1 with the dialogue only in the centre channel (quiet
    pink noise in the others, a 50 Hz rumble in the LFE), then an Urdu stereo dub."""
    en = speech_wav(tmp / "en-dialogue.wav",
                    text="The caravan reached Samarkand at dawn. The gates were still closed.",
                    voice="en")
    ur = speech_wav(tmp / "ur-dub.wav", text="قافلہ صبح سویرے سمرقند پہنچا۔ دروازے ابھی بند تھے۔",
                    voice="ur")
    bed = f"anoisesrc=color=pink:amplitude=0.02:sample_rate=48000:duration={seconds}"
    graph = ";".join([
        f"[1:a]aresample=48000,apad,atrim=0:{seconds}[fc]",
        f"{bed}:seed=1[fl]", f"{bed}:seed=2[fr]",
        f"sine=frequency=50:sample_rate=48000:duration={seconds},volume=0.1[lfe]",
        f"{bed}:seed=3,volume=0.5[bl]", f"{bed}:seed=4,volume=0.5[br]",
        "[fl][fr][fc][lfe][bl][br]join=inputs=6:channel_layout=5.1[surround]",
        f"[2:a]aresample=48000,pan=stereo|c0=c0|c1=c0,apad,atrim=0:{seconds}[dub]",
    ])
    run([*base_args(), "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=25:duration={seconds}",
         "-i", str(en), "-i", str(ur), "-filter_complex", graph,
         "-map", "0:v", "-map", "[surround]", "-map", "[dub]",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-b:a", "384k", "-metadata:s:a:0", "language=eng",
         "-metadata:s:a:1", "language=urd", "-t", str(seconds), str(path)])
    return path


def flash_and_beep(path: Path, *, at_s: float = 1.0, seconds: float = 3) -> Path:
    """Black picture with one white frame at ``at_s``, silence with a 1 kHz tone starting
    at ``at_s``: the picture and the sound of one event, to measure their offset."""
    flash = f"geq=lum=if(between(T\\,{at_s}\\,{at_s + 0.039})\\,235\\,16):cb=128:cr=128"
    beep = f"aevalsrc=0.3*sin(2*PI*1000*(t-{at_s}))*gte(t\\,{at_s}):s=48000:d={seconds}"
    run([*base_args(), "-f", "lavfi", "-i", f"color=black:size=320x180:rate=25:duration={seconds},{flash}",
         "-f", "lavfi", "-i", beep, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
         "-c:a", "pcm_s16le", str(path.with_suffix(".mov"))])
    return path.with_suffix(".mov")
