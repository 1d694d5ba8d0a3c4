"""A long film transcoded in time chunks: planned on the segment grid, joined without a
gap or a repeated frame, the same segments as the one-job ladder, packaged the same way.

The two-worker run (real processes) and the player are in test_chunks_workers.py."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import m3u8
import pytest

from dastan.catalog.models import Title
from dastan.errors import ConfigurationError
from dastan.jobs.models import Job, JobEvent, JobState
from dastan.jobs.services import run_queued_jobs
from dastan.media.chunk_handlers import parts_prefix
from dastan.media.chunks import (
    Chunk,
    chunk_length_s,
    encode_audio,
    encode_chunk,
    join_chunks,
    plan_chunks,
)
from dastan.media.hls_check import check_master, check_renditions, rung_timeline
from dastan.media.ladder import plan_ladder
from dastan.media.models import MediaAsset, Stream
from dastan.media.probe import probe_file
from dastan.media.services import submit_ingest
from dastan.media.split import CHUNK_KIND, JOIN_KIND, split_progress
from dastan.media.tests.films import film
from dastan.media.transcode import transcode_source


def test_chunks_cover_every_frame_once_and_start_where_the_ladder_puts_keyframes() -> None:
    chunks = plan_chunks(duration_s=3600.0, frame_rate=29.97, chunk_s=120)
    assert chunks[0].frame_rate == Fraction(30000, 1001)  # exact, not 29.97
    assert [c.first_frame for c in chunks[1:]] == [c.first_frame + c.frame_count for c in chunks[:-1]]
    # The first frame at or after each 120 s boundary: frame 3597 is at 120.0199 s.
    assert chunks[1].first_frame == 3597 and chunks[1].start_s == 120
    assert chunks[-1].is_last and not chunks[0].is_last
    assert all(c.start_s % 4 == 0 for c in chunks)


def test_a_short_tail_is_joined_to_the_chunk_before_it() -> None:
    chunks = plan_chunks(duration_s=250.0, frame_rate=25.0, chunk_s=120)
    assert [(c.first_frame, c.start_s) for c in chunks] == [(0, 0), (3000, 120)]
    assert chunks[-1].frame_count >= 250 * 25 - 3000


def test_a_chunk_length_off_the_segment_grid_is_refused_naming_the_setting(settings: Any) -> None:
    settings.DASTAN_CHUNK_S = 30
    with pytest.raises(ConfigurationError, match="DASTAN_CHUNK_S is 30") as caught:
        chunk_length_s()
    assert "multiple of 4" in caught.value.hint


@pytest.fixture
def long_film(tmp_path: Path) -> Path:
    # 30 s at 29.97 fps: the NTSC rate, where a rounded frame rate puts joins a frame off.
    return film(tmp_path / "long.mp4", seconds=30, size="320x180", rate="30000/1001")


def _chunked(source: Path, out: Path, chunks: tuple[Chunk, ...]) -> Path:
    probe = probe_file(source)
    dirs = [encode_chunk(source=source, probe=probe, chunk=c, out_dir=out / f"c{c.index}").out_dir for c in chunks]
    audio = encode_audio(source=source, probe=probe, out_dir=out / "audio").out_dir
    return join_chunks(probe=probe, chunks=chunks, chunk_dirs=dirs, audio_dir=audio, out_dir=out / "joined").out_dir


def _renditions(folder: Path) -> dict[str, Any]:
    return {"video": sorted((folder / "v").glob("*/index.m3u8")), "audio": sorted((folder / "a").glob("*/index.m3u8"))}


@pytest.mark.slow
def test_joined_chunks_have_the_frames_times_and_keyframes_of_one_encode(
        long_film: Path, tmp_path: Path, settings: Any) -> None:
    settings.DASTAN_X264_PRESET = "veryfast"  # with B-frames, as in production
    probe = probe_file(long_film)
    chunks = plan_chunks(duration_s=probe.duration_s, frame_rate=plan_ladder(probe).frame_rate, chunk_s=12)
    assert len(chunks) == 3
    joined = _chunked(long_film, tmp_path / "chunked", chunks)
    one = transcode_source(source=long_film, probe=probe, out_dir=tmp_path / "one").out_dir

    report = check_renditions(**_renditions(joined), source=long_film,
                              joins_frames=[c.first_frame for c in chunks[1:]], expected_frames=899)
    assert report.problems == () and report.frames == {"180p": 899} and report.joins_checked == 2
    ours, theirs = rung_timeline(joined / "v/180p/index.m3u8"), rung_timeline(one / "v/180p/index.m3u8")
    assert ours.times_s == theirs.times_s and ours.keyframes_s == theirs.keyframes_s
    assert ours.first_dts_s == theirs.first_dts_s == 0
    assert (joined / "v/180p/index.m3u8").read_text() == (one / "v/180p/index.m3u8").read_text()
    assert (joined / "a/0/index.m3u8").read_text() == (one / "a/0/index.m3u8").read_text()
    assert (joined / "thumbs/storyboard.vtt").read_text() == (one / "thumbs/storyboard.vtt").read_text()
    assert (joined / "thumbs/sprite_001.jpg").stat().st_size > 1000


@pytest.mark.slow
def test_the_check_finds_a_dropped_frame_and_a_repeated_frame_at_a_join(
        long_film: Path, tmp_path: Path) -> None:
    probe = probe_file(long_film)
    good = plan_chunks(duration_s=probe.duration_s, frame_rate=plan_ladder(probe).frame_rate, chunk_s=12)
    second = good[1]
    # Chunk 2 starting a frame late (a frame lost) or a frame early (a frame shown twice),
    # each placed where chunk 2 belongs: the timeline stays regular, only the pictures say.
    for shift in (1, -1):
        moved = Chunk(index=1, first_frame=second.first_frame + shift, frame_count=second.frame_count - shift,
                      start_s=second.start_s, frame_rate=second.frame_rate)
        joined = _chunked(long_film, tmp_path / f"shift{shift}", (good[0], moved, good[2]))
        expected = f"frame 360 at the join at frame 360 shows source frame {360 + shift}"
        report = check_renditions(**_renditions(joined), source=long_film, joins_frames=[second.first_frame])
        assert any(expected in p for p in report.problems), report.problems


@pytest.mark.django_db
@pytest.mark.slow
def test_a_long_film_is_split_into_chunk_jobs_joined_and_packaged_like_a_short_one(
        title: Title, tmp_path: Path, _media_root: Path, settings: Any) -> None:
    settings.DASTAN_CHUNK_THRESHOLD_S, settings.DASTAN_CHUNK_S = 20, 8
    source = film(tmp_path / "film.mp4", seconds=26, size="320x180")
    _ingest, transcode, package = submit_ingest(title=title, path=source)
    run_queued_jobs(worker="test")
    transcode.refresh_from_db()
    package.refresh_from_db()
    assert transcode.result["split"] is True and package.state == JobState.SUCCEEDED
    chunk_jobs = list(Job.objects.filter(kind=CHUNK_KIND).order_by("pk"))
    assert [j.params["chunk"]["first_frame"] for j in chunk_jobs] == [0, 200, 400]
    assert all(j.state == JobState.SUCCEEDED and j.attempts == 1 for j in chunk_jobs)
    join = Job.objects.get(kind=JOIN_KIND)
    assert set(package.parents.values_list("pk", flat=True)) == {transcode.pk, join.pk}
    assert join.result["frames"] == {"180p": 650} and join.result["joins_checked"] == 2

    progress = split_progress(join_job_id=join.pk)
    assert progress.percent == 100 and [c.percent for c in progress.chunks] == [100, 100, 100]
    asset = MediaAsset.objects.get(title=title)
    assert asset.state == MediaAsset.State.TRANSCODED and asset.video_renditions.count() == 1
    # The joined renditions passed their checks: the parts went, and the join's log says so.
    assert not (_media_root / parts_prefix(asset)).exists() and join.result["parts_deleted"] > 3
    [cleaned] = JobEvent.objects.filter(job=join, kind="cleaned")
    assert f"deleted the 3 chunks' and the sound's parts ({join.result['parts_deleted']} files" in cleaned.message
    version = Stream.objects.get(title=title).current
    master = _media_root / version.master_name
    report = check_master(master=master, source=source, joins_frames=[200, 400], expected_frames=650)
    assert report.ok, report.problems
    assert m3u8.load(str(master)).playlists[0].stream_info.resolution == (320, 180)


@pytest.mark.slow
def test_dastan_ingest_here_runs_a_long_films_chunks_and_shows_the_whole_transcodes_progress(
        transactional_db: None, tmp_path: Path, settings: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from dastan.cli import main

    settings.DASTAN_CHUNK_THRESHOLD_S, settings.DASTAN_CHUNK_S = 20, 8
    Title.objects.create(slug="cli-long", original_language="kk", country_of_origin="KZ", is_published=True)
    source = film(tmp_path / "film.mp4", seconds=26, size="320x180")
    assert main(["ingest", str(source), "--title", "cli-long"]) == 0
    out = capsys.readouterr()
    assert "published cli-long version 1" in out.out
    assert "3 of 3 chunks done" in out.err  # the transcode's bar: the whole, not the planning job
    assert Job.objects.filter(kind=CHUNK_KIND, state=JobState.SUCCEEDED, worker="here").count() == 3


@pytest.mark.django_db
@pytest.mark.slow
def test_a_failed_chunk_takes_the_join_down_and_retrying_it_runs_that_chunk_alone(
        title: Title, tmp_path: Path, settings: Any) -> None:
    from dastan.jobs.models import JobEvent
    from dastan.jobs.services import retry_job, run_job

    settings.DASTAN_CHUNK_THRESHOLD_S, settings.DASTAN_CHUNK_S = 20, 8
    ingest, transcode, package = submit_ingest(title=title, path=film(tmp_path / "f.mp4", seconds=26))
    run_job(job_id=ingest.pk, worker="test")
    run_job(job_id=transcode.pk, worker="test")
    first, broken, last = Job.objects.filter(kind=CHUNK_KIND).order_by("pk")
    good_params = dict(broken.params)
    # A chunk whose frames are not in the source (as a damaged file would make it) fails.
    Job.objects.filter(pk=broken.pk).update(params={**good_params, "chunk": {**good_params["chunk"],
                                                                             "first_frame": 5000}})
    run_queued_jobs(worker="test")
    broken.refresh_from_db()
    package.refresh_from_db()
    assert broken.state == JobState.FAILED and "could not encode chunk 2" in broken.error_message
    assert Job.objects.get(kind=JOIN_KIND).state == JobState.CANCELLED
    assert package.state == JobState.CANCELLED and package.error_code == "parent_failed"
    kept = {j.pk: j.result["prefix"] for j in Job.objects.filter(pk__in=[first.pk, last.pk])}

    Job.objects.filter(pk=broken.pk).update(params=good_params)
    retry_job(job_id=broken.pk)
    run_queued_jobs(worker="test")
    package.refresh_from_db()
    assert package.state == JobState.SUCCEEDED
    for sibling in (first, last):  # done once, their stored output used as it was
        sibling.refresh_from_db()
        assert sibling.result["prefix"] == kept[sibling.pk]
        assert JobEvent.objects.filter(job=sibling, kind="started").count() == 1
    assert JobEvent.objects.filter(job=broken, kind="started").count() == 2
    assert Job.objects.get(kind=JOIN_KIND).result["joins_checked"] == 2
