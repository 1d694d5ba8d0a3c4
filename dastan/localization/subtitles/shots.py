"""Shot changes (cuts) in a video, for snapping cue times (:mod:`.timing`).

ffmpeg's ``scene`` score (0–1, how much a frame differs from the one before) with the
``select`` filter keeps the frames above ``threshold``; ``showinfo`` prints their
``pts_time``. 0.3 finds hard cuts and ignores camera moves in ordinary footage; lower it
for dark or low-contrast films. Only the video is decoded (``-an -sn``).
"""

from __future__ import annotations

import re
from pathlib import Path

from dastan import ffmpeg

SCENE_THRESHOLD = 0.3  # ffmpeg's scene score above which a frame starts a new shot
_PTS_TIME = re.compile(r"\bpts_time:\s*(-?\d+(?:\.\d+)?)")


def detect_shot_changes(*, video: Path, threshold: float = SCENE_THRESHOLD,
                        timeout_s: float = 3600) -> tuple[int, ...]:
    """Times (ms, ascending) of the cuts in ``video``.

    Raises :class:`~dastan.ffmpeg.FFmpegFailed` with ffmpeg's last lines when it cannot
    read the video (or takes over ``timeout_s``), and ``ValueError`` for a threshold
    outside 0–1 (a programming error).
    """
    if not 0 < threshold < 1:
        raise ValueError(f"threshold must be between 0 and 1, not {threshold}.")
    # showinfo prints the kept frames at the info level.
    done = ffmpeg.run([*ffmpeg.base_args(loglevel="info"), "-i", str(video), "-an", "-sn", "-dn",
                       "-vf", f"select='gt(scene,{threshold})',showinfo", "-f", "null", "-"],
                      what=f"find shot changes in {video.name}", timeout_s=timeout_s,
                      hint="Check that the file is a video ffmpeg can play.")
    return parse_showinfo(stderr=done.stderr)


def parse_showinfo(*, stderr: str) -> tuple[int, ...]:
    """Cut times (ms) from ffmpeg ``showinfo`` lines, sorted, duplicates removed."""
    times = {round(float(m.group(1)) * 1000) for line in stderr.splitlines()
             if "Parsed_showinfo" in line and (m := _PTS_TIME.search(line))}
    return tuple(sorted(t for t in times if t >= 0))
