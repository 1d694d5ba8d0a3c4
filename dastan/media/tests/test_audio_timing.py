"""A studio's master handled as a post house would: every audio rendition at the
loudness target (EBU R128), the 5.1 downmixed by ITU-R BS.775, sound and picture aligned
to the sample, subtitles timed against the picture's clock, progress that moves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import av
import numpy as np
import pyloudnorm
import pytest

from dastan.catalog.models import Title
from dastan.ffmpeg import base_args
from dastan.jobs.services import run_queued_jobs
from dastan.media.ladder import plan_ladder
from dastan.media.loudness import measure_file
from dastan.media.models import Stream
from dastan.media.package import TIMESTAMP_MAP, with_timestamp_map
from dastan.media.probe import probe_file
from dastan.media.renditions import add_audio_rendition, add_subtitle_rendition
from dastan.media.services import submit_ingest
from dastan.media.storage import read_text
from dastan.media.tests.films import film, flash_and_beep, run, speech_wav, surround_master
from dastan.media.transcode import transcode_source
from dastan.media.validate import corrections_for

pytestmark = pytest.mark.slow


def _joined(rendition_dir: Path, out: Path) -> Path:
    """An fMP4 rendition (init + segments) as one file, as a player reads it."""
    data = (rendition_dir / "init.mp4").read_bytes()
    for segment in sorted(rendition_dir.glob("seg_*.m4s")):
        data += segment.read_bytes()
    out.write_bytes(data)
    return out


def _samples(path: Path) -> tuple[np.ndarray, int]:
    """Decoded float samples (channels, n) and the sample rate."""
    with av.open(str(path)) as container:
        rate = container.streams.audio[0].rate
        chunks = [frame.to_ndarray() for frame in container.decode(audio=0)]
    return np.concatenate(chunks, axis=1), int(rate)


@pytest.mark.django_db
def test_every_audio_rendition_of_a_studio_master_sits_at_minus_23_lufs_under_minus_1_dbtp(
        title: Title, tmp_path: Path, _media_root: Path) -> None:
    master = surround_master(tmp_path / "master.mp4", tmp_path)
    submit_ingest(title=title, path=master)
    run_queued_jobs(worker="test")
    version = Stream.objects.get(title=title).current
    voice_over = speech_wav(tmp_path / "ru.wav", text="Караван пришёл в Самарканд.", voice="ru")
    version = add_audio_rendition(title=title, language="ru", audio_file=voice_over, kind="voice-over")
    renditions = list(version.audio.order_by("pk"))
    assert [(a.language, a.kind) for a in renditions] == [
        ("en", "original"), ("ur", "original"), ("ru", "voice-over")]
    meter = pyloudnorm.Meter(48000)
    for n, rendition in enumerate(renditions):
        joined = _joined(_media_root / Path(rendition.playlist_name).parent, tmp_path / f"{n}.mp4")
        samples, rate = _samples(joined)
        assert rate == 48000 and samples.shape[0] == 2
        integrated = meter.integrated_loudness(samples.T.astype(np.float64))
        true_peak = measure_file(path=joined).true_peak_dbtp
        assert integrated == pytest.approx(-23.0, abs=0.5), rendition
        assert true_peak <= -1.0, rendition
        # what the rendition records is what was measured on the encoded track
        assert rendition.loudness["integrated_lufs"] == pytest.approx(integrated, abs=0.3)
        assert rendition.loudness["true_peak_dbtp"] == pytest.approx(true_peak, abs=0.1)
        assert rendition.loudness["target_lufs"] == -23.0
    english = renditions[0]
    assert english.provenance["downmix"]["rule"] == "ITU-R BS.775"
    assert "downmix" not in renditions[1].provenance  # the stereo dub needs none


def test_the_downmix_puts_the_centre_channel_3_db_under_the_front_channels(tmp_path: Path) -> None:
    # A 1 kHz tone in the centre for two seconds, then the same tone in front-left: the
    # loudness stage applies one gain to both, so their ratio is the downmix's alone.
    tone = "0.1*sin(2*PI*1000*t)"
    channels = [f"{tone}*gte(t\\,2)", "0", f"{tone}*lt(t\\,2)", "0", "0", "0"]
    source = film(tmp_path / "51.mp4", seconds=4,
                  audio=((f"aevalsrc={'|'.join(channels)}:channel_layout=5.1:s=48000", "eng"),),
                  extra=["-ac", "6"])
    probe = probe_file(source)
    assert probe.audio[0].layout == "5.1"
    transcode_source(source=source, probe=probe, out_dir=tmp_path / "out")
    samples, rate = _samples(_joined(tmp_path / "out/a/0", tmp_path / "stereo.mp4"))

    def rms(channel: int, start_s: float, end_s: float) -> float:
        part = samples[channel, int(start_s * rate):int(end_s * rate)]
        return float(np.sqrt(np.mean(part ** 2)))

    centre_db = 20 * np.log10(rms(0, 0.5, 1.5) / rms(0, 2.5, 3.5))
    assert centre_db == pytest.approx(-3.0, abs=1.0)
    assert rms(1, 0.5, 1.5) == pytest.approx(rms(0, 0.5, 1.5), rel=0.05)  # centre in both ears
    assert rms(1, 2.5, 3.5) < 0.01 * rms(0, 2.5, 3.5)  # front-left stays left


def _flash_s(rendition_dir: Path, tmp: Path) -> float:
    """When the white frame shows, by the raw times an HLS player places frames at."""
    joined = _joined(rendition_dir, tmp / "v.mp4")
    with av.open(str(joined), options={"ignore_editlist": "1"}) as container:
        return next(float(f.time) for f in container.decode(video=0)
                    if f.to_ndarray(format="gray").mean() > 100)


def _beep_s(rendition_dir: Path, tmp: Path) -> float:
    samples, rate = _samples(_joined(rendition_dir, tmp / "a.mp4"))
    left = np.abs(samples[0])
    return int(np.argmax(left > 0.5 * left.max())) / rate


@pytest.mark.parametrize("preset", ["ultrafast", "veryfast"])  # without and with B-frames
def test_sound_and_picture_of_one_event_are_less_than_5_ms_apart_after_encoding(
        tmp_path: Path, settings: Any, preset: str) -> None:
    settings.DASTAN_X264_PRESET = preset
    source = flash_and_beep(tmp_path / "sync", at_s=1.0)
    probe = probe_file(source)
    transcode_source(source=source, probe=probe, out_dir=tmp_path / "out")
    flash_s = _flash_s(tmp_path / "out/v" / plan_ladder(probe).rungs[0].name, tmp_path)
    beep_s = _beep_s(tmp_path / "out/a/0", tmp_path)
    # Before: AAC's 1024 priming samples put the sound 21.3 ms late; x264's B-frames put
    # the picture 80 ms late (at 25 fps) by the raw times hls.js plays them at.
    assert abs(beep_s - flash_s) < 0.005, (beep_s, flash_s)


@pytest.mark.django_db
def test_a_language_added_later_is_aligned_with_the_published_picture(
        title: Title, tmp_path: Path, settings: Any, _media_root: Path) -> None:
    settings.DASTAN_X264_PRESET = "veryfast"
    source = flash_and_beep(tmp_path / "sync", at_s=1.0)
    submit_ingest(title=title, path=source)
    run_queued_jobs(worker="test")
    dub = tmp_path / "dub.wav"
    run([*base_args(), "-i", str(source), "-map", "0:a", "-c:a", "pcm_s16le", str(dub)])
    version = add_audio_rendition(title=title, language="ru", audio_file=dub, kind="dub")
    video = min(version.video.all(), key=lambda v: v.height)
    flash_s = _flash_s(_media_root / Path(video.playlist_name).parent, tmp_path)
    added = version.audio.get(language="ru")
    beep_s = _beep_s(_media_root / Path(added.playlist_name).parent, tmp_path)
    assert abs(beep_s - flash_s) < 0.005, (beep_s, flash_s)


def test_transcode_progress_rises_during_a_60_second_encode(tmp_path: Path) -> None:
    source = film(tmp_path / "long.mp4", seconds=60, size="640x360")
    seen: list[float] = []
    transcode_source(source=source, probe=probe_file(source), out_dir=tmp_path / "out",
                     on_progress=lambda fraction, _text: seen.append(fraction))
    during = sorted({round(f, 3) for f in seen if 0 < f < 1})
    assert len(during) >= 3, seen
    assert seen == sorted(seen)
    # the storyboard is still tiled into sprites, now after the encode
    assert sorted(p.name for p in (tmp_path / "out/thumbs").glob("sprite_*.jpg")) == ["sprite_001.jpg"]
    assert not (tmp_path / "out/thumbs/frames").exists()


@pytest.mark.django_db
def test_published_subtitles_carry_the_hls_timestamp_map(title: Title, small_film: Path, tmp_path: Path) -> None:
    submit_ingest(title=title, path=small_film)
    run_queued_jobs(worker="test")
    vtt = tmp_path / "ur.vtt"
    vtt.write_text("WEBVTT\n\n00:00:00.500 --> 00:00:02.000\nقافلہ پہنچا۔\n", encoding="utf-8")
    version = add_subtitle_rendition(title=title, language="ur", vtt_file=vtt)
    playlist_name = version.subtitles.get().playlist_name
    segment = read_text(str(Path(playlist_name).parent / "subtitles.vtt"))
    assert segment.splitlines()[:2] == ["WEBVTT", TIMESTAMP_MAP]
    assert "00:00:00.500 --> 00:00:02.000" in segment


def test_a_vendors_own_timestamp_map_is_replaced_not_doubled() -> None:
    text = "\ufeffWEBVTT\nX-TIMESTAMP-MAP=MPEGTS:900000,LOCAL:00:00:00.000\n\n00:01.000 --> 00:02.000\nHi\n"
    assert with_timestamp_map(text) == \
        f"WEBVTT\n{TIMESTAMP_MAP}\n\n00:01.000 --> 00:02.000\nHi\n"


@pytest.mark.parametrize(("rate", "suffix", "codec"), [
    ("24000/1001", ".mov", ["libx264", "-preset", "veryfast"]),
    ("30000/1001", ".mkv", ["libx264", "-preset", "ultrafast"]),
    ("25", ".ts", ["libx264", "-preset", "medium"]),
    # long-GOP MPEG-2 with B-frames, as XDCAM masters come: was "variable frame rate"
    ("25", ".mxf", ["mpeg2video", "-bf", "2", "-b:v", "8M"]),
])
def test_a_constant_frame_rate_source_is_not_reported_as_corrected(
        tmp_path: Path, rate: str, suffix: str, codec: list[str]) -> None:
    source = tmp_path / f"cfr{suffix}"
    run([*base_args(), "-f", "lavfi", "-i", f"testsrc2=size=320x180:rate={rate}:duration=6",
         "-c:v", *codec, "-pix_fmt", "yuv420p", str(source)])
    probe = probe_file(source)
    assert not probe.is_variable_frame_rate
    assert not [note for note in corrections_for(probe) if "frame rate" in note]
    assert plan_ladder(probe).video_filters == ()



@pytest.mark.django_db
def test_a_node_with_another_loudness_target_normalises_added_languages_to_it(
        title: Title, small_film: Path, tmp_path: Path, settings: Any) -> None:
    submit_ingest(title=title, path=small_film)
    run_queued_jobs(worker="test")
    settings.DASTAN_LOUDNESS = {"integrated_lufs": -24.0}  # ATSC A/85, for a US broadcaster
    wav = speech_wav(tmp_path / "ru.wav", text="Караван пришёл в Самарканд на рассвете.", voice="ru")
    version = add_audio_rendition(title=title, language="ru", audio_file=wav, kind="dub")
    loudness = version.audio.get(language="ru").loudness
    assert loudness["integrated_lufs"] == pytest.approx(-24.0, abs=0.5)
    assert (loudness["target_lufs"], loudness["max_true_peak_dbtp"]) == (-24.0, -1.0)


@pytest.mark.django_db
def test_a_silent_sound_track_is_left_silent_and_recorded_without_a_peak(title: Title, tmp_path: Path) -> None:
    silent = film(tmp_path / "silent.mp4", seconds=2, audio=(("anullsrc=r=48000:cl=stereo", "eng"),))
    submit_ingest(title=title, path=silent)
    run_queued_jobs(worker="test")
    loudness = Stream.objects.get(title=title).current.audio.get().loudness
    assert loudness["true_peak_dbtp"] is None and loudness["integrated_lufs"] <= -70.0
