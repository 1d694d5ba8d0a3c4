"""The one place that runs ffmpeg: argument lists (never shell strings), progress read
from ``-progress pipe:1``, and failures raised with ffmpeg's last stderr lines.

The binary is the one shipped in the ``imageio-ffmpeg`` wheel, so every machine encodes
with the same ffmpeg (9.x, with libx264) whatever its distribution packages.
"""

from __future__ import annotations

import collections
import subprocess
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from dastan import processes
from dastan.media.errors import FFmpegFailed

if TYPE_CHECKING:
    from dastan.media.ladder import LadderPlan

ProgressFn = Callable[[float, str], None]

HLS_SEGMENT_S = 4  # PeerTube's choice too; every rung and audio track cuts at these times


@lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


def base_args() -> list[str]:
    return [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error"]


def run_ffmpeg(
    args: Sequence[str],
    *,
    what: str,
    duration_s: float | None = None,
    on_progress: ProgressFn | None = None,
    hint: str = "",
) -> None:
    """Run ffmpeg with ``args`` (the full list, from :func:`base_args`); report progress
    as a fraction 0–1 of ``duration_s``. Raises FFmpegFailed naming ``what`` it was
    doing, with the last lines ffmpeg wrote to stderr."""
    cmd = [*args[:1], "-progress", "pipe:1", "-nostats", *args[1:]]
    tail: collections.deque[str] = collections.deque(maxlen=12)
    # processes.started: ffmpeg dies with the worker and stops when the job is cancelled.
    with processes.started(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           errors="replace") as proc:
        reader = threading.Thread(target=_drain, args=(proc.stderr, tail), daemon=True)
        reader.start()
        assert proc.stdout is not None
        for line in proc.stdout:
            key, _, value = line.strip().partition("=")
            if key == "out_time_us" and on_progress and duration_s and value.isdigit():
                done_s = int(value) / 1_000_000
                on_progress(min(1.0, done_s / duration_s), f"{what}: {done_s:.0f}/{duration_s:.0f} s")
        code = proc.wait()
        reader.join(timeout=5)
    if code != 0:
        last = " | ".join(line for line in tail if line.strip()) or f"exit status {code}"
        raise FFmpegFailed(
            f"ffmpeg could not {what}: {last}",
            hint or "Check that the file plays in a media player; if it does, report this "
            "error with the file's details from `ffprobe`.",
        )


def _drain(stream: object, tail: collections.deque[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        tail.append(line.rstrip())


def hls_output_args(*, playlist: Path, segment_type: str = "fmp4") -> list[str]:
    """VOD HLS with fMP4 segments named ``seg_00000.m4s`` beside ``init.mp4``."""
    return [
        "-f", "hls", "-hls_time", str(HLS_SEGMENT_S), "-hls_playlist_type", "vod",
        "-hls_segment_type", segment_type, "-hls_fmp4_init_filename", "init.mp4",
        "-hls_segment_filename", str(playlist.parent / "seg_%05d.m4s"),
        "-hls_flags", "independent_segments",
        str(playlist),
    ]


def x264_args(*, bitrate_kbps: int, frame_rate: float, preset: str) -> list[str]:
    """H.264 High at a capped bitrate, a keyframe exactly every HLS segment (scene cuts
    may not add keyframes, so every rung's segments start at the same instants)."""
    gop = max(1, round(frame_rate * HLS_SEGMENT_S))
    return [
        "-c:v", "libx264", "-preset", preset, "-profile:v", "high", "-pix_fmt", "yuv420p",
        "-b:v", f"{bitrate_kbps}k", "-maxrate", f"{int(bitrate_kbps * 1.1)}k",
        "-bufsize", f"{int(bitrate_kbps * 2)}k",
        "-g", str(gop), "-keyint_min", str(gop), "-sc_threshold", "0",
        "-force_key_frames", f"expr:gte(t,n_forced*{HLS_SEGMENT_S})",
    ]


def aac_stereo_args(*, bitrate_kbps: int = 128, downmix: str = "") -> list[str]:
    """AAC-LC stereo 48 kHz; ``downmix`` is a pan filter for sources of more channels."""
    args = ["-c:a", "aac", "-b:a", f"{bitrate_kbps}k", "-ar", "48000", "-ac", "2"]
    if downmix:
        args = ["-af", downmix, *args]
    return args


def still_frame_args(*, source: Path, at_s: float, out: Path, width: int) -> list[str]:
    """One JPEG frame at ``at_s`` seconds (input seeking: cheap even in a long film)."""
    return [*base_args(), "-ss", f"{at_s:.3f}", "-i", str(source), "-frames:v", "1",
            "-vf", f"scale={width}:-2,setsar=1", "-q:v", "3", str(out)]


def ladder_command(
    *,
    source: Path,
    plan: LadderPlan,
    out_dir: Path,
    preset: str,
    storyboard_every_s: float,
    storyboard_width: int,
) -> list[str]:
    """One ffmpeg process that decodes the source once and writes every rung, every
    audio track and the storyboard sprites: ``split`` hands the same decoded frames to
    each scaler, so decoding (and the corrections) happen once, not once per rung.

    Layout under ``out_dir``: ``v/<rung>/index.m3u8``, ``a/<n>/index.m3u8``,
    ``thumbs/sprite_001.jpg``…
    """
    branches = len(plan.rungs) + 1
    pre = ",".join([*plan.video_filters, f"split={branches}"])
    graph = [f"[0:v:0]{pre}" + "".join(f"[s{i}]" for i in range(branches))]
    for i, rung in enumerate(plan.rungs):
        graph.append(f"[s{i}]scale={rung.width}:{rung.height}:flags=bicubic,setsar=1[v{i}]")
    graph.append(f"[s{len(plan.rungs)}]fps=1/{storyboard_every_s:g},"
                 f"scale={storyboard_width}:-2,setsar=1,tile=10x10[sb]")
    args = [*base_args(), "-i", str(source), "-filter_complex", ";".join(graph)]
    for i, rung in enumerate(plan.rungs):
        playlist = out_dir / "v" / rung.name / "index.m3u8"
        playlist.parent.mkdir(parents=True, exist_ok=True)
        args += ["-map", f"[v{i}]", "-an", "-sn", "-dn",
                 *x264_args(bitrate_kbps=rung.bitrate_kbps, frame_rate=plan.frame_rate, preset=preset),
                 *hls_output_args(playlist=playlist)]
    for track in plan.audio:
        playlist = out_dir / "a" / str(track.index) / "index.m3u8"
        playlist.parent.mkdir(parents=True, exist_ok=True)
        args += ["-map", f"0:a:{track.index}", "-vn", "-sn", "-dn",
                 *aac_stereo_args(downmix=track.downmix), *hls_output_args(playlist=playlist)]
    (out_dir / "thumbs").mkdir(parents=True, exist_ok=True)
    args += ["-map", "[sb]", "-c:v", "mjpeg", "-q:v", "4", "-fps_mode", "passthrough",
             str(out_dir / "thumbs" / "sprite_%03d.jpg")]
    return args


def audio_rendition_command(*, source: Path, playlist: Path, duration_s: float) -> list[str]:
    """An added language: any audio file → AAC stereo HLS exactly as long as the film
    (silence added at the end of a short track, a long one cut), so it ends with the
    picture."""
    playlist.parent.mkdir(parents=True, exist_ok=True)
    return [*base_args(), "-i", str(source), "-map", "0:a:0", "-vn", "-sn", "-dn",
            "-af", "apad", "-t", f"{duration_s:.3f}",
            *aac_stereo_args(), *hls_output_args(playlist=playlist)]
