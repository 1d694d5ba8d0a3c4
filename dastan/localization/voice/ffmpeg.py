"""The one place the voice code builds ffmpeg and ffprobe argument lists and runs them.

Argument lists only, never shell strings; a failure raises ``EngineFailed`` carrying
ffmpeg's last stderr lines. The system ffmpeg is preferred because Debian builds it
with ``rubberband`` (pitch-preserving time-stretch); the ``imageio-ffmpeg`` binary is
the fallback, and then ``atempo`` stretches instead.
"""

from __future__ import annotations

import json
import re
import shutil
from functools import lru_cache
from pathlib import Path

from dastan import processes
from dastan.localization.errors import EngineFailed, EngineUnavailable


@lru_cache(maxsize=1)
def ffmpeg_binary() -> str:
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError) as exc:
        raise EngineUnavailable(
            "No ffmpeg binary was found.",
            "Install Debian's ffmpeg (apt-get install ffmpeg) or the imageio-ffmpeg wheel.",
        ) from exc


@lru_cache(maxsize=1)
def ffmpeg_version() -> str:
    out = processes.run([ffmpeg_binary(), "-hide_banner", "-version"], capture_output=True,
                        text=True, check=False).stdout
    match = re.search(r"ffmpeg version (\S+)", out)
    return match.group(1) if match else "unknown"


@lru_cache(maxsize=16)
def has_filter(name: str) -> bool:
    out = processes.run([ffmpeg_binary(), "-hide_banner", "-filters"], capture_output=True,
                        text=True, check=False).stdout
    return any(line.split()[1:2] == [name] for line in out.splitlines() if line.strip())


def run_ffmpeg(args: list[str], *, what: str) -> str:
    """Run ``ffmpeg -hide_banner -nostdin -y <args>``; return stderr (where ffmpeg's
    filters print their measurements). Raises ``EngineFailed`` naming ``what``."""
    cmd = [ffmpeg_binary(), "-hide_banner", "-nostdin", "-y", *args]
    proc = processes.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-4:])
        raise EngineFailed(f"ffmpeg failed while {what}.",
                           f"ffmpeg said: {tail}" if tail else "Run ffmpeg by hand to see why.")
    return proc.stderr


def probe_duration_ms(path: Path) -> int:
    """Duration of a media file in integer milliseconds (ffprobe, else decode)."""
    ffprobe = shutil.which("ffprobe")
    if ffprobe:
        proc = processes.run(
            [ffprobe, "-v", "error", "-show_entries", "format=duration", "-of", "json",
             str(path)], capture_output=True, text=True, check=False)
        if proc.returncode == 0:
            duration = json.loads(proc.stdout).get("format", {}).get("duration")
            if duration not in (None, "N/A"):
                return round(float(duration) * 1000)
    # No ffprobe: decode to nothing and read the last "time=" ffmpeg reports.
    err = run_ffmpeg(["-i", str(path), "-f", "null", "-"], what=f"reading {path.name}")
    times = re.findall(r"time=(\d+):(\d+):(\d+(?:\.\d+)?)", err)
    if not times:
        raise EngineFailed(f"Could not tell how long {path.name} is.",
                           "Check that the file holds an audio stream ffmpeg can decode.")
    h, m, s = times[-1]
    return round((int(h) * 3600 + int(m) * 60 + float(s)) * 1000)


def tempo_pitch_filter(*, tempo: float, pitch: float, sample_rate_hz: int) -> str:
    """A filter that speeds speech up by ``tempo`` and shifts it by ``pitch`` while
    keeping the other unchanged: rubberband where built in, otherwise atempo (and a
    resample trick for pitch)."""
    if has_filter("rubberband"):
        return f"rubberband=tempo={tempo:.4f}:pitch={pitch:.4f}"
    parts = []
    if abs(pitch - 1.0) > 1e-3:
        # Playing faster raises pitch and tempo alike; atempo gives the tempo back.
        parts += [f"asetrate={round(sample_rate_hz * pitch)}", f"aresample={sample_rate_hz}"]
        tempo = tempo / pitch
    parts.append(f"atempo={tempo:.4f}")
    return ",".join(parts)


def shift_pitch(*, src: Path, dst: Path, pitch: float, sample_rate_hz: int) -> None:
    """Write ``src`` to ``dst`` (mono 16-bit WAV) with its pitch multiplied by ``pitch``."""
    chain = tempo_pitch_filter(tempo=1.0, pitch=pitch, sample_rate_hz=sample_rate_hz)
    run_ffmpeg(["-i", str(src), "-af", chain, "-ar", str(sample_rate_hz), "-ac", "1",
                "-c:a", "pcm_s16le", str(dst)], what=f"shifting the pitch of {src.name}")
