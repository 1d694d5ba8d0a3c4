"""The whole path in-process through jobs: ingest → transcode → package."""

from __future__ import annotations

from pathlib import Path

import m3u8
import pytest

from dastan.catalog.models import Title
from dastan.jobs.models import JobState
from dastan.jobs.services import run_queued_jobs
from dastan.media.models import MediaAsset, Stream
from dastan.media.services import submit_ingest
from dastan.media.storage import read_text

pytestmark = pytest.mark.django_db


def test_a_bilingual_film_becomes_a_ladder_with_one_audio_rendition_per_language(
        title: Title, bilingual_film: Path, _media_root: Path) -> None:
    jobs = submit_ingest(title=title, path=bilingual_film)
    run_queued_jobs(worker="test")
    for job in jobs:
        job.refresh_from_db()
        assert (job.state, job.progress, job.error_message) == (JobState.SUCCEEDED, 100, "")
    asset = MediaAsset.objects.get(title=title)
    assert asset.state == MediaAsset.State.TRANSCODED
    assert [(v.width, v.height) for v in asset.video_renditions.all()] == [(426, 240), (640, 360)]
    version = Stream.objects.get(title=title).current
    master = m3u8.loads(read_text(version.master_name))
    audio = [m for m in master.media if m.type == "AUDIO"]
    assert [(m.language, m.name, m.default) for m in audio] == [("en", "English", "YES"), ("ru", "Русский", "NO")]
    assert all(p.stream_info.audio == "aud" for p in master.playlists)
    assert sorted(p.stream_info.resolution for p in master.playlists) == [(426, 240), (640, 360)]
    durations = {v.height: [s.duration for s in m3u8.loads(read_text(v.playlist_name)).segments]
                 for v in asset.video_renditions.all()}
    assert durations[240] == durations[360]  # every rung cuts at the same keyframes
    assert durations[360][0] == 4.0
    assert (_media_root / asset.folder / "thumbs" / "storyboard.vtt").read_text().startswith("WEBVTT")
    assert (_media_root / asset.folder / "thumbs" / "poster.jpg").stat().st_size > 1000


def test_transcoding_reports_progress_read_from_ffmpeg(title: Title, small_film: Path,
                                                      tmp_path: Path) -> None:
    from dastan.media.probe import probe_file
    from dastan.media.transcode import transcode_source

    seen: list[float] = []
    transcode_source(source=small_film, probe=probe_file(small_film), out_dir=tmp_path / "out",
                     on_progress=lambda frac, msg: seen.append(frac))
    assert seen and seen == sorted(seen) and seen[-1] == pytest.approx(1.0, abs=0.05)


def test_ingesting_the_same_file_twice_publishes_once(title: Title, small_film: Path) -> None:
    submit_ingest(title=title, path=small_film)
    run_queued_jobs(worker="test")
    submit_ingest(title=title, path=small_film)
    run_queued_jobs(worker="test")
    assert MediaAsset.objects.filter(title=title).count() == 1
    assert title.stream_versions.count() == 1
