"""Poster frame, storyboard sprites and the WebVTT thumbnails track that players use to
show a picture above the seek bar. The sprites themselves come out of the one-decode
ladder run (see ffmpeg.ladder_command); this module plans their spacing and describes
them."""

from __future__ import annotations

import math
from pathlib import Path

from dastan.ffmpeg import run_with_progress
from dastan.media import ffmpeg

STORYBOARD_WIDTH_PX = 160
TILES_PER_SPRITE = 100  # 10 x 10, as the ``tile`` filter lays them out
MAX_STORYBOARD_FRAMES = 200


def storyboard_interval_s(duration_s: float) -> float:
    """One picture every 2 s for short films, spread to at most 200 pictures for long ones."""
    return float(max(2, math.ceil(duration_s / MAX_STORYBOARD_FRAMES)))


def vtt_timestamp(seconds: float) -> str:
    ms = round(seconds * 1000)
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, ms = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{ms:03d}"


def write_storyboard_vtt(*, thumbs_dir: Path, duration_s: float, interval_s: float,
                         tile_width: int, tile_height: int) -> Path:
    """``storyboard.vtt``: one cue per picture pointing into its sprite with ``#xywh=``."""
    lines = ["WEBVTT", ""]
    count = max(1, math.ceil(duration_s / interval_s))
    for k in range(count):
        start, end = k * interval_s, min(duration_s, (k + 1) * interval_s)
        sprite, pos = divmod(k, TILES_PER_SPRITE)
        x, y = (pos % 10) * tile_width, (pos // 10) * tile_height
        lines += [f"{vtt_timestamp(start)} --> {vtt_timestamp(end)}",
                  f"sprite_{sprite + 1:03d}.jpg#xywh={x},{y},{tile_width},{tile_height}", ""]
    path = thumbs_dir / "storyboard.vtt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def make_poster(*, source: Path, duration_s: float, out: Path, width: int) -> Path:
    """A poster frame a tenth of the way in (past the logos), as JPEG."""
    at_s = min(max(0.0, duration_s * 0.1), max(0.0, duration_s - 0.5))
    run_with_progress(ffmpeg.still_frame_args(source=source, at_s=at_s, out=out, width=width),
                      what="take the poster frame")
    return out
