"""Which H.264 encoder a whole film's ladder uses (transcode.video_encoder): NVENC only
where it really encodes, x264 elsewhere, named in the job's result; NVENC asked for where
it cannot encode is refused with the fix, and nothing is written. Real ffmpeg: this
machine's ffmpeg lists h264_nvenc (it was built with it) but has no GPU to encode with."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dastan.catalog.models import Title
from dastan.ffmpeg import encoder_works, encoders
from dastan.jobs.capabilities import detect
from dastan.jobs.models import Job, JobState
from dastan.jobs.services import run_queued_jobs
from dastan.media.ffmpeg import ladder_command
from dastan.media.ladder import plan_ladder
from dastan.media.models import MediaAsset
from dastan.media.probe import probe_file
from dastan.media.services import submit_ingest
from dastan.media.transcode import video_encoder

pytestmark = pytest.mark.django_db


def _gpu_here() -> bool:
    return encoder_works("h264_nvenc")


def test_auto_takes_nvenc_only_where_it_really_encodes_and_the_job_names_the_encoder(
        title: Title, small_film: Path) -> None:
    expected = "h264_nvenc" if _gpu_here() else "libx264"
    assert video_encoder() == expected
    # A worker reports NVENC only where it encodes, whatever ffmpeg lists.
    assert ("h264_nvenc" in detect().encoders) == _gpu_here()
    submit_ingest(title=title, path=small_film)
    run_queued_jobs(worker="test")
    transcode = Job.objects.get(kind="media.transcode")
    assert transcode.state == JobState.SUCCEEDED and transcode.result["encoder"] == expected


def test_nvenc_asked_for_where_it_cannot_encode_is_refused_with_the_fix_and_nothing_is_written(
        title: Title, small_film: Path, settings: Any) -> None:
    if _gpu_here():
        pytest.skip("this machine encodes with NVENC: there is nothing to refuse")
    assert "h264_nvenc" in encoders(), "this ffmpeg was built without NVENC: the case cannot arise"
    settings.DASTAN_VIDEO_ENCODER = "h264_nvenc"
    submit_ingest(title=title, path=small_film)
    run_queued_jobs(worker="test")
    transcode = Job.objects.get(kind="media.transcode")
    assert transcode.state == JobState.FAILED
    assert transcode.error_message == "This machine cannot encode with h264_nvenc."
    assert "DASTAN_VIDEO_ENCODER=auto" in transcode.error_hint
    assert MediaAsset.objects.get(title=title).video_renditions.count() == 0
    settings.DASTAN_VIDEO_ENCODER = "x265"
    with pytest.raises(Exception, match="not an encoder Dastan uses"):
        video_encoder()


def test_an_nvenc_ladder_keeps_x264s_segment_grid_and_bitrate_caps(small_film: Path, tmp_path: Path) -> None:
    """What a GPU worker runs: the same outputs, keyframe at every segment, capped rates."""
    plan = plan_ladder(probe_file(small_film))
    args = ladder_command(source=small_film, plan=plan, out_dir=tmp_path, preset="veryfast",
                          storyboard_every_s=10, storyboard_width=160, encoder="h264_nvenc")
    x264 = ladder_command(source=small_film, plan=plan, out_dir=tmp_path, preset="veryfast",
                          storyboard_every_s=10, storyboard_width=160)
    assert args.count("h264_nvenc") == len(plan.rungs) and "libx264" not in args
    assert [a for a in args if a.startswith("expr:")] == [a for a in x264 if a.startswith("expr:")]
    for flag in ("-maxrate", "-bufsize", "-g", "-b:v"):
        assert [args[i + 1] for i, a in enumerate(args) if a == flag] == \
               [x264[i + 1] for i, a in enumerate(x264) if a == flag], flag
    assert [args[i + 1] for i, a in enumerate(args) if a in ("-no-scenecut", "-forced-idr")] == ["1", "1"] * len(
        plan.rungs)
