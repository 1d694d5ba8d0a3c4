"""Each bad or unusual source: refused with a sentence naming the fix and nothing
stored, or corrected on the way to the ladder."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from dastan.catalog.models import Title
from dastan.ffmpeg import base_args
from dastan.jobs.models import JobState
from dastan.jobs.services import run_queued_jobs
from dastan.media.errors import MediaRefused, ProbeFailed
from dastan.media.ingest import ingest_file
from dastan.media.ladder import plan_ladder
from dastan.media.models import AudioRendition, MediaAsset, Version
from dastan.media.probe import probe_file
from dastan.media.services import submit_ingest
from dastan.media.tests.conftest import stored_files
from dastan.media.tests.films import film, run
from dastan.media.transcode import transcode_source

pytestmark = pytest.mark.django_db


def assert_nothing_changed(title: Title, root: Path) -> None:
    title_before = Title.objects.filter(pk=title.pk).values().get()
    assert MediaAsset.objects.count() == 0
    assert Version.objects.count() == 0
    assert AudioRendition.objects.count() == 0
    assert stored_files(root) == []
    assert Title.objects.filter(pk=title.pk).values().get() == title_before


def test_a_truncated_upload_is_refused_saying_where_it_ends_and_what_the_header_says(
        title: Title, tmp_path: Path, _media_root: Path) -> None:
    whole = film(tmp_path / "whole.mp4", seconds=6, extra=["-movflags", "+faststart"])
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(MediaRefused, match=r"'cut.mp4' ends at 0:03 but its header says 0:06; "
                                           r"the upload may be incomplete") as err:
        ingest_file(title=title, path=cut)
    assert "Upload the file again" in err.value.hint
    assert_nothing_changed(title, _media_root)


def test_a_file_that_is_not_a_video_is_refused_and_nothing_is_stored(
        title: Title, tmp_path: Path, _media_root: Path) -> None:
    notes = tmp_path / "script.mp4"
    notes.write_text("INT. CARAVANSERAI - NIGHT\n" * 200)
    with pytest.raises(ProbeFailed, match="'script.mp4' is not a video file Dastan can read"):
        ingest_file(title=title, path=notes)
    assert_nothing_changed(title, _media_root)


def test_a_film_without_sound_is_refused_through_the_job_and_its_children_are_cancelled(
        title: Title, tmp_path: Path, _media_root: Path) -> None:
    silent = film(tmp_path / "silent.mp4", seconds=2, audio=())
    ingest, transcode, package = submit_ingest(title=title, path=silent)
    run_queued_jobs(worker="test")
    for job in (ingest, transcode, package):
        job.refresh_from_db()
    assert ingest.state == JobState.FAILED
    assert ingest.error_message == "'silent.mp4' has no sound track."
    assert "Export the master with its sound" in ingest.error_hint
    assert (transcode.state, package.state) == (JobState.CANCELLED, JobState.CANCELLED)
    assert_nothing_changed(title, _media_root)


def test_a_tiny_picture_is_refused_naming_the_smallest_size_accepted(
        title: Title, tmp_path: Path, _media_root: Path) -> None:
    tiny = film(tmp_path / "tiny.mp4", seconds=2, size="64x36")
    with pytest.raises(MediaRefused, match="'tiny.mp4' is only 64x36 pixels") as err:
        ingest_file(title=title, path=tiny)
    assert "at least 96 pixels" in err.value.hint
    assert_nothing_changed(title, _media_root)


def test_an_odd_frame_size_is_encoded_at_even_sizes_without_upscaling(tmp_path: Path) -> None:
    odd = film(tmp_path / "odd.mp4", seconds=2, size="321x181", pix_fmt="yuv444p")
    probe = probe_file(odd)
    plan = plan_ladder(probe)
    assert [(r.width, r.height) for r in plan.rungs] == [(320, 180)]
    transcode_source(source=odd, probe=probe, out_dir=tmp_path / "out")
    assert (tmp_path / "out/v/180p/index.m3u8").exists()


def test_a_variable_frame_rate_source_is_made_constant_at_its_usual_rate(tmp_path: Path) -> None:
    vfr = film(tmp_path / "vfr.mp4", seconds=3, video_filter="select='not(between(n,10,30))'",
               extra=["-fps_mode", "vfr"])
    probe = probe_file(vfr)
    assert probe.is_variable_frame_rate and probe.frame_rate == 25.0
    assert "fps=25" in plan_ladder(probe).video_filters
    transcode_source(source=vfr, probe=probe, out_dir=tmp_path / "out")
    assert not probe_file(_remux(tmp_path / "out/v/180p", tmp_path / "v.mp4")).is_variable_frame_rate


def test_an_interlaced_source_is_deinterlaced_with_bwdif(tmp_path: Path) -> None:
    interlaced = film(tmp_path / "tff.mp4", seconds=2, video_filter="setfield=tff",
                      extra=["-flags", "+ilme+ildct"])
    probe = probe_file(interlaced)
    assert probe.is_interlaced
    assert any(f.startswith("bwdif") for f in plan_ladder(probe).video_filters)
    transcode_source(source=interlaced, probe=probe, out_dir=tmp_path / "out")
    assert not probe_file(_remux(tmp_path / "out/v/180p", tmp_path / "p.mp4")).is_interlaced


def test_a_phone_video_recorded_sideways_is_turned_upright(tmp_path: Path) -> None:
    flat = film(tmp_path / "flat.mp4", seconds=2, size="320x180")
    phone = tmp_path / "phone.mp4"
    run([*base_args(), "-display_rotation", "90", "-i", str(flat), "-c", "copy", str(phone)])
    probe = probe_file(phone)
    assert (probe.rotation, probe.display_width, probe.display_height) == (90, 180, 320)
    plan = plan_ladder(probe)
    assert [(r.width, r.height) for r in plan.rungs] == [(180, 320)]
    transcode_source(source=phone, probe=probe, out_dir=tmp_path / "out")
    out = probe_file(_remux(tmp_path / "out/v/180p", tmp_path / "upright.mp4"))
    assert (out.width, out.height, out.rotation) == (180, 320, 0)


def test_five_one_sound_is_downmixed_with_the_centre_in_both_ears(tmp_path: Path) -> None:
    surround = film(tmp_path / "51.mp4", seconds=2,
                    audio=(("sine=frequency=440,pan=5.1|FC=c0", "eng"),),
                    extra=["-ac", "6"])
    probe = probe_file(surround)
    assert probe.audio[0].layout == "5.1"
    transcode_source(source=surround, probe=probe, out_dir=tmp_path / "out")
    left, right = _channel_rms(_remux(tmp_path / "out/a/0", tmp_path / "stereo.mp4"))
    # the centre alone reaches both ears equally (its level is the loudness stage's)
    assert left > 0.02 and left == pytest.approx(right, rel=0.05)


def test_each_audio_track_of_the_source_becomes_its_own_rendition(tmp_path: Path) -> None:
    multi = film(tmp_path / "multi.mp4", seconds=2,
                 audio=(("sine=frequency=440", "eng"), ("sine=frequency=660", "rus"),
                        ("sine=frequency=880", "kaz")))
    probe = probe_file(multi)
    assert [t.language for t in probe.audio] == ["en", "ru", "kk"]
    transcode_source(source=multi, probe=probe, out_dir=tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out/a").iterdir()) == ["0", "1", "2"]


def _remux(rendition_dir: Path, out: Path) -> Path:
    """Join an fMP4 rendition (init + segments) into one file to probe it."""
    data = (rendition_dir / "init.mp4").read_bytes()
    for seg in sorted(rendition_dir.glob("seg_*.m4s")):
        data += seg.read_bytes()
    out.write_bytes(data)
    return out


def _channel_rms(path: Path) -> tuple[float, float]:
    with av.open(str(path)) as container:
        chunks = [f.to_ndarray() for f in container.decode(audio=0)]
    samples = np.concatenate(chunks, axis=1)  # planar float: (channels, n)
    assert samples.shape[0] == 2
    return float(np.sqrt(np.mean(samples[0] ** 2))), float(np.sqrt(np.mean(samples[1] ** 2)))
