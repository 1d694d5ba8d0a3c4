from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from dastan.ffmpeg import FFmpegFailed, base_args
from dastan.localization.subtitles.shots import detect_shot_changes, parse_showinfo


def test_cuts_in_a_generated_video_are_found_to_the_frame(tmp_path: Path) -> None:
    video = tmp_path / "cuts.mp4"
    subprocess.run(
        [*base_args(),
         "-f", "lavfi", "-i", "color=c=red:s=160x90:r=24:d=1.5",
         "-f", "lavfi", "-i", "testsrc=s=160x90:r=24:d=1",
         "-f", "lavfi", "-i", "color=c=blue:s=160x90:r=24:d=1",
         "-filter_complex", "[0][1][2]concat=n=3:v=1:a=0", "-pix_fmt", "yuv420p", str(video)],
        check=True)
    cuts = detect_shot_changes(video=video)
    assert len(cuts) == 2
    assert abs(cuts[0] - 1500) <= 42 and abs(cuts[1] - 2500) <= 42  # within one frame


def test_showinfo_lines_become_sorted_unique_milliseconds() -> None:
    stderr = ("[Parsed_showinfo_1 @ 0x1] n:   1 pts:  60 pts_time:2.5     duration\n"
              "[Parsed_showinfo_1 @ 0x1] n:   0 pts:  36 pts_time:1.5     duration\n"
              "[Parsed_showinfo_1 @ 0x1] n:   1 pts:  60 pts_time:2.5     duration\n"
              "frame=  3 fps=0.0 q=-0.0 Lsize=N/A time=00:00:03.00\n")
    assert parse_showinfo(stderr=stderr) == (1500, 2500)


def test_a_file_that_is_not_a_video_fails_with_ffmpegs_reason(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.mp4"
    bogus.write_text("not a video")
    with pytest.raises(FFmpegFailed, match="ffmpeg could not find shot changes in notes.mp4") as caught:
        detect_shot_changes(video=bogus)
    assert caught.value.returncode not in (0, None)
    assert "Invalid data found when processing input" in caught.value.stderr_tail
