"""A film's source text: heard by speech recognition, aligned from a script, or uploaded;
a broken file changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dastan.catalog.models import Title
from dastan.localization.engines.metrics import word_error_rate
from dastan.localization.errors import SubtitleFileInvalid
from dastan.localization.models import SubtitleTrack, WaveformPeaks
from dastan.localization.profiles import profile_for
from dastan.localization.sources import (
    align_script_file,
    film_rate_and_cuts,
    import_subtitle_file,
    transcribe,
    transcribe_title,
)
from dastan.localization.subtitles.align import cues_from_script
from dastan.localization.tests.conftest import SPOKEN, ingest_spoken_film
from dastan.media.models import MediaAsset


@pytest.mark.slow
def test_speech_recognition_makes_the_source_track_from_the_film_itself(published_film: Title) -> None:
    track = transcribe_title(title=published_film)
    heard = " ".join(c.text.replace("\n", " ") for c in track.cues.all())
    assert (track.origin, track.language, track.is_source, track.state) == ("asr", "en", True, "in_review")
    assert word_error_rate(reference=SPOKEN, hypothesis=heard) <= 0.2, heard
    assert track.provenance["engine"] == "faster-whisper" and len(track.provenance["sha256"]) == 64
    assert all(c.end_ms > c.start_ms for c in track.cues.all())


@pytest.mark.slow
def test_a_script_without_times_is_timed_by_the_audio(published_film: Title) -> None:
    track = align_script_file(title=published_film, data=SPOKEN.encode())
    cue = track.cues.get()
    assert cue.text.replace("\n", " ") == SPOKEN
    assert 0 <= cue.start_ms < 1500 and cue.end_ms > 1500  # the speech starts the film


@pytest.mark.slow
def test_a_script_sent_through_the_api_is_timed_by_a_job_not_in_the_request(
        published_film: Title, member: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dastan.jobs.services import run_queued_jobs

    _, client = member("dana", "translator")
    ordered = client.post(f"/api/v1/localization/titles/{published_film.slug}/script",
                          {"language": "en", "file": SimpleUploadedFile("scene.txt", SPOKEN.encode())})
    assert ordered.status_code == 202, ordered.content
    assert not SubtitleTrack.objects.filter(title=published_film, language="en").exists()
    run_queued_jobs(worker="test")
    cue = SubtitleTrack.objects.get(title=published_film, language="en").cues.get()
    assert cue.text.replace("\n", " ") == SPOKEN and 0 <= cue.start_ms < 1500


@pytest.mark.django_db
def test_a_broken_subtitle_file_names_the_line_and_stores_nothing(film_title: Title) -> None:
    broken = b"1\n00:00:01,000 --> 00:00:02,000\nHello\n\n2\n00:00:05 --> 00:00:04\nBye\n"
    with pytest.raises(SubtitleFileInvalid, match="line 6"):
        import_subtitle_file(title=film_title, language="en", data=broken, filename="bad.srt")
    assert not SubtitleTrack.objects.filter(title=film_title).exists()


def _packaged(title: Title, *, duration_s: float) -> None:
    """A packaged version of ``title`` as the database records it (its files are not needed
    to know the film's length)."""
    from dastan.media.models import MediaAsset, Version

    asset = MediaAsset.objects.create(title=title, source_filename="film.mov", storage_name="film.mov",
                                      sha256="0" * 64, size_bytes=1, probe={"duration_s": duration_s})
    Version.objects.create(title=title, number=1, asset=asset, master_name="master.m3u8")


@pytest.mark.django_db
def test_an_imported_file_is_bounded_by_the_film_and_its_repairs_are_kept_in_provenance(film_title: Title) -> None:
    _packaged(film_title, duration_s=10.0)
    data = (b"1\n00:00:01,000 --> 00:00:02,000\nHello\n\n"
            b"2\n00:00:08,000 --> 05:00:00,000\nLong\n\n"
            b"3\n00:00:12,000 --> 00:00:13,000\nAfter\n")
    track = import_subtitle_file(title=film_title, language="en", data=data, filename="vendor.srt")
    assert [(c.text, c.end_ms) for c in track.cues.order_by("index")] == [("Hello", 2000), ("Long", 10_000)]
    assert [(r["line"], r["action"]) for r in track.provenance["repairs"]] == [(6, "clamped"), (10, "dropped")]
    assert "starts after the film ends (00:00:10,000)" in track.provenance["repairs"][1]["message"]


@pytest.mark.django_db
def test_fifty_thousand_cues_on_a_ten_second_film_are_refused_and_nothing_stored(film_title: Title) -> None:
    _packaged(film_title, duration_s=10.0)
    data = "".join(f"{n}\n00:00:01,000 --> 00:00:02,000\nx\n\n" for n in range(1, 50_001)).encode()
    with pytest.raises(SubtitleFileInvalid, match="50,000 cues for a film of 00:00:10,000"):
        import_subtitle_file(title=film_title, language="en", data=data, filename="wrong-film.srt")
    assert not SubtitleTrack.objects.filter(title=film_title).exists()


@pytest.mark.django_db
def test_an_upload_through_the_api_answers_with_every_repair(film_title: Title, member: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    _, client = member("rana", "reviewer")
    vendor = (b"1\n00:00:05,000 --> 00:00:06,000\nLater\n\n"
              b"2\n00:00:01,000 --> 00:00:02,000\nEarlier\n")
    response = client.post(f"/api/v1/localization/titles/{film_title.slug}/tracks",
                           data={"language": "en", "file": SimpleUploadedFile("vendor.txt", vendor)})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["provenance"]["format"] == "srt" and body["cue_count"] == 2
    assert body["provenance"]["repairs"] == [{
        "line": 6, "action": "sorted",
        "message": "'00:00:01,000 --> 00:00:02,000' starts before the cue at line 2; put in time order."}]


@pytest.mark.slow
def test_a_second_audio_stream_is_transcribed_in_its_own_language_on_request(
        studio: Any, member: Any, tmp_path: Any, settings: Any) -> None:
    """A master with English and Russian sound: the studio asks for the Russian stream, and
    its transcript becomes the Russian track, in review, beside the (untouched) source."""
    from dastan.jobs.services import run_queued_jobs
    from dastan.media.services import submit_ingest
    from dastan.media.tests.films import two_language_film

    settings.MEDIA_ROOT = tmp_path / "storage"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "storage"), "base_url": "/media/"}}}
    settings.DASTAN_X264_PRESET = "ultrafast"
    title = Title.objects.create(slug="two-voices", original_language="en", country_of_origin="KZ", owner=studio)
    submit_ingest(title=title, path=two_language_film(tmp_path / "film.mp4", tmp_path))
    run_queued_jobs(worker="test")
    _, client = member("amina", "reviewer")

    wrong = client.post("/api/v1/localization/titles/two-voices/transcribe", data={"languages": ["kk"]},
                        content_type="application/json")
    assert wrong.status_code == 422 and "its audio is in en, ru" in wrong.json()["message"]
    ordered = client.post("/api/v1/localization/titles/two-voices/transcribe", data={"languages": ["ru"]},
                          content_type="application/json")
    assert ordered.status_code == 202, ordered.content
    run_queued_jobs(worker="test")
    track = SubtitleTrack.objects.get(title=title, language="ru")
    assert (track.origin, track.state, track.is_source) == ("asr", "in_review", False)
    text = " ".join(track.cues.values_list("text", flat=True))
    assert any("\u0400" <= ch <= "\u04ff" for ch in text), text  # Russian heard as Russian


@pytest.fixture
def film_with_a_cut(film_title: Title, tmp_path: Path, settings: Any) -> Title:
    """SPOKEN over 4 seconds of picture that cuts from red to blue at 0.2 s, ingested for real."""
    ingest_spoken_film(title=film_title, tmp_path=tmp_path, settings=settings, video_map="[v]", video=[
        "-f", "lavfi", "-i", "color=red:size=320x180:rate=25:duration=0.2",
        "-f", "lavfi", "-i", "color=blue:size=320x180:rate=25:duration=3.8",
        "-filter_complex", "[0:v][1:v]concat=n=2:v=1[v]"])
    return film_title


@pytest.mark.slow
def test_timed_text_snaps_to_the_films_shot_changes(film_with_a_cut: Title) -> None:
    """The speech starts a few frames before the cut at 200 ms: the aligned cue starts on
    the cut, as the profile's shot rule says, and the film's own rate counts the frames."""
    fps, cuts = film_rate_and_cuts(title=film_with_a_cut)
    assert fps == 25.0 and cuts == (200,)
    cue = align_script_file(title=film_with_a_cut, data=SPOKEN.encode()).cues.get()
    assert cue.start_ms == 200, cue.start_ms
    # Without the cut, the same words start where speech recognition heard them: earlier.
    unsnapped = cues_from_script(script_lines=[SPOKEN], transcript=transcribe(title=film_with_a_cut),
                                 profile=profile_for(language="en", fps=fps))
    assert unsnapped[0].start_ms < 200, unsnapped
    # What the editor's peaks job stored is used without looking at the picture again.
    asset = MediaAsset.objects.get(title=film_with_a_cut)
    WaveformPeaks.objects.create(title=film_with_a_cut, asset_id=asset.pk, storage_name="x.dat", sample_rate_hz=8000,
                                 samples_per_pixel=80, length=1, duration_ms=4000, shot_changes_ms=[120])
    assert film_rate_and_cuts(title=film_with_a_cut) == (25.0, (120,))


def test_the_review_desk_sends_a_script_to_be_timed_and_refuses_a_missing_file(film_title: Title, member: Any) -> None:
    from dastan.jobs.models import Job
    from dastan.localization.tracks import CueData, create_track

    source = create_track(title=film_title, language="en", origin="upload", is_source=True,
                          cues=[CueData(0, 1500, "Hello.")])
    user, _ = member("lena", "translator")
    client = Client()
    client.force_login(user)  # the desk is a page: a session, not the API's token
    page = client.get(f"/studio/review/{source.pk}/").content.decode()
    assert f'action="/studio/review/{source.pk}/script"' in page and 'name="profile"' not in page  # not approved
    sent = client.post(f"/studio/review/{source.pk}/script",
                       {"language": "en", "script": SimpleUploadedFile("script.txt", SPOKEN.encode())}, follow=True)
    assert "The script is being timed" in sent.content.decode()
    [job] = Job.objects.filter(kind="localization.align_script")
    assert job.params["language"] == "en" and job.params["script"] == SPOKEN
    empty = client.post(f"/studio/review/{source.pk}/script", {"language": "en"}, follow=True)
    assert "Choose the script file to align." in empty.content.decode()
    assert Job.objects.filter(kind="localization.align_script").count() == 1
