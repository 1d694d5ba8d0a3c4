"""verify_chunk: an honest chunk passes, a tampered one fails with the rule it broke."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dastan.ffmpeg import base_args
from dastan.media.chunks import (
    Chunk,
    ChunkOutputInvalid,
    check_chunk_outputs,
    encode_chunk,
    plan_chunks,
)
from dastan.media.ffmpeg import x264_args
from dastan.media.ladder import plan_ladder
from dastan.media.probe import ProbeResult, probe_file
from dastan.media.split import CHUNK_KIND
from dastan.media.tests.films import film, run
from dastan.media.verify import verify_chunk, verify_chunk_outputs

pytestmark = pytest.mark.slow


@pytest.fixture
def setup(tmp_path: Path, settings: Any) -> tuple[Path, ProbeResult, Chunk]:
    settings.DASTAN_X264_PRESET = "veryfast"
    source = film(tmp_path / "film.mp4", seconds=24, size="320x180")
    probe = probe_file(source)
    chunk = plan_chunks(duration_s=probe.duration_s, frame_rate=plan_ladder(probe).frame_rate, chunk_s=8)[1]
    return source, probe, chunk


def _tampered(honest: Path, out: Path, video_filter: str) -> Path:
    """The honest chunk's rung encoded again through ``video_filter``, same rate and GOP."""
    rung = out / "v" / "180p.mp4"
    rung.parent.mkdir(parents=True)
    run([*base_args(), "-i", str(honest / "v" / "180p.mp4"), "-vf", video_filter,
         *x264_args(bitrate_kbps=plan_ladder(probe_file(honest / "v" / "180p.mp4")).rungs[0].bitrate_kbps,
                    frame_rate=25, preset="veryfast"), str(rung)])
    return out


def test_an_honest_chunk_passes_and_a_tampered_one_fails_naming_the_rule(
        setup: tuple[Path, ProbeResult, Chunk], tmp_path: Path) -> None:
    source, probe, chunk = setup
    honest = encode_chunk(source=source, probe=probe, chunk=chunk, out_dir=tmp_path / "honest").out_dir
    verdict = verify_chunk(source=source, probe=probe, chunk=chunk, submitted_dir=honest, work_dir=tmp_path / "v1")
    assert verdict.passed, verdict.reason
    [score] = verdict.scores
    assert score.frames_submitted == score.frames_expected == 200
    assert score.ssim > 0.97 and score.psnr_db > 35
    assert abs(score.source_psnr_db - score.reference_source_psnr_db) < 0.5
    assert verdict.seconds > 0

    boxed = _tampered(honest, tmp_path / "boxed", "drawbox=x=20:y=20:w=60:h=40:color=red:t=fill")
    verdict = verify_chunk(source=source, probe=probe, chunk=chunk, submitted_dir=boxed, work_dir=tmp_path / "v2")
    assert not verdict.passed
    assert "180p: " in verdict.reason and "further from the source than our encode" in verdict.reason

    noisy = _tampered(honest, tmp_path / "noisy", "noise=alls=20:allf=t")
    verdict = verify_chunk(source=source, probe=probe, chunk=chunk, submitted_dir=noisy, work_dir=tmp_path / "v3")
    assert not verdict.passed and "dB further from the source" in verdict.reason


def test_frames_from_the_wrong_place_fail_even_with_the_right_count(
        setup: tuple[Path, ProbeResult, Chunk], tmp_path: Path) -> None:
    source, probe, chunk = setup
    shifted = Chunk(index=chunk.index, first_frame=chunk.first_frame + 5, frame_count=chunk.frame_count,
                    start_s=chunk.start_s, frame_rate=chunk.frame_rate)
    wrong = encode_chunk(source=source, probe=probe, chunk=shifted, out_dir=tmp_path / "wrong").out_dir
    verdict = verify_chunk(source=source, probe=probe, chunk=chunk, submitted_dir=wrong, work_dir=tmp_path / "v")
    assert not verdict.passed
    assert verdict.scores[0].reference_source_psnr_db - verdict.scores[0].source_psnr_db > 5

    short = encode_chunk(source=source, probe=probe, chunk=Chunk(
        index=chunk.index, first_frame=chunk.first_frame, frame_count=150, start_s=chunk.start_s,
        frame_rate=chunk.frame_rate), out_dir=tmp_path / "short").out_dir
    verdict = verify_chunk(source=source, probe=probe, chunk=chunk, submitted_dir=short, work_dir=tmp_path / "v4")
    assert not verdict.passed and verdict.reason == "180p: 150 frames submitted, the chunk has 200"


def test_the_chunk_job_kind_runs_on_remote_workers_and_is_verified_by_its_pictures() -> None:
    from dastan.jobs.registry import get_handler
    from dastan.jobs.remote.verification import verifier_for
    from dastan.media.chunk_handlers import store_chunk_part

    spec = get_handler(CHUNK_KIND)
    assert (spec.remote, spec.inputs, spec.publish) == (True, ("source",), store_chunk_part)
    assert verifier_for(CHUNK_KIND) is verify_chunk_outputs


def test_the_node_refuses_a_partners_chunk_that_is_not_what_encode_chunk_writes(
        setup: tuple[Path, ProbeResult, Chunk], tmp_path: Path) -> None:
    source, probe, chunk = setup
    honest = encode_chunk(source=source, probe=probe, chunk=chunk, out_dir=tmp_path / "honest")
    outputs = {name: honest.out_dir / name for name in honest.files}
    assert check_chunk_outputs(probe=probe, chunk=chunk, outputs=outputs) == 200
    # A name outside the chunk's folder is refused before anything is stored under it.
    with pytest.raises(ChunkOutputInvalid, match=r"unexpected files \(\.\./\.\./media/x\.mp4\)"):
        check_chunk_outputs(probe=probe, chunk=chunk, outputs={**outputs, "../../media/x.mp4": honest.out_dir / "v" / "180p.mp4"})
    with pytest.raises(ChunkOutputInvalid, match=r"lacks rungs \(v/180p\.mp4\)"):
        check_chunk_outputs(probe=probe, chunk=chunk, outputs={n: p for n, p in outputs.items() if n.startswith("thumbs/")})
    # Frames counted here, not taken from the worker: a chunk cut short is refused.
    short = encode_chunk(source=source, probe=probe, chunk=Chunk(
        index=chunk.index, first_frame=chunk.first_frame, frame_count=150, start_s=chunk.start_s,
        frame_rate=chunk.frame_rate), out_dir=tmp_path / "short")
    with pytest.raises(ChunkOutputInvalid, match=r"\{'180p': 150\} frames per rung, not 200"):
        check_chunk_outputs(probe=probe, chunk=chunk, outputs={"v/180p.mp4": short.out_dir / "v" / "180p.mp4"})
