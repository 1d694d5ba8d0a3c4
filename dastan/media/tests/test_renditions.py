"""Adding a language to a published film: a new version with the new track, the video
reused, the old version intact; a failure changes nothing."""

from __future__ import annotations

from pathlib import Path

import m3u8
import pytest

from dastan.catalog.models import Title
from dastan.errors import InvalidInput
from dastan.ffmpeg import FFmpegFailed
from dastan.jobs.services import run_queued_jobs
from dastan.media.errors import InvalidTrack, NotPublished
from dastan.media.models import Stream, Version
from dastan.media.renditions import add_audio_rendition, add_subtitle_rendition
from dastan.media.services import submit_ingest
from dastan.media.storage import read_text
from dastan.media.tests.conftest import stored_files
from dastan.media.tests.films import speech_wav

pytestmark = pytest.mark.django_db

VTT = "WEBVTT\n\n00:00:00.500 --> 00:00:02.000\nКарвон ба Самарқанд расид.\n"


@pytest.fixture
def published(title: Title, small_film: Path) -> Title:
    submit_ingest(title=title, path=small_film)
    run_queued_jobs(worker="test")
    assert Stream.objects.get(title=title).current.number == 1
    return title


def _master(version: Version) -> m3u8.M3U8:
    return m3u8.loads(read_text(version.master_name))


def test_adding_a_dub_publishes_a_new_version_reusing_the_video(published: Title, tmp_path: Path) -> None:
    v1 = Stream.objects.get(title=published).current
    wav = speech_wav(tmp_path / "ru.wav", text="Караван пришёл.", voice="ru")
    provenance = {"engine": "espeak-ng", "model": "ru", "version": "1.51", "settings": {}}
    v2 = add_audio_rendition(title=published, language="ru", audio_file=wav, kind="dub",
                             provenance=provenance)
    assert v2.number == 2 and Stream.objects.get(title=published).current == v2
    assert set(v2.video.all()) == set(v1.video.all())
    dub = _master(v2).media[-1]
    assert (dub.type, dub.language, dub.name, dub.default) == ("AUDIO", "ru", "Русский", "NO")
    assert dub.characteristics == "org.dastan.dub,org.dastan.machine-made"
    assert v2.audio.get(language="ru").provenance == provenance
    # the old version's master still lists only the original sound, for those watching it
    assert [m.language for m in _master(v1).media] == ["en"]


def test_a_dub_shorter_than_the_film_is_padded_to_the_films_length(published: Title, tmp_path: Path) -> None:
    wav = speech_wav(tmp_path / "en.wav", text="Hi.", voice="en")  # about half a second
    version = add_audio_rendition(title=published, language="en", audio_file=wav, kind="voice-over")
    playlist = version.audio.get(language="en", kind="voice-over").playlist_name
    total = sum(s.duration for s in m3u8.loads(read_text(playlist)).segments)
    assert total == pytest.approx(3.0, abs=0.1)


def test_adding_subtitles_marks_machine_translation_and_keeps_the_label(published: Title, tmp_path: Path) -> None:
    vtt = tmp_path / "tg.vtt"
    vtt.write_text(VTT, encoding="utf-8")
    version = add_subtitle_rendition(title=published, language="tg", vtt_file=vtt, machine_made=True,
                                     label="machine-translated, reviewed by Farrukh Q.")
    subs = [m for m in _master(version).media if m.type == "SUBTITLES"]
    assert [(s.language, s.name, s.characteristics) for s in subs] == \
        [("tg", "Тоҷикӣ", "org.dastan.machine-made")]
    assert all(p.stream_info.subtitles == "subs" for p in _master(version).playlists)
    assert version.subtitles.get().label == "machine-translated, reviewed by Farrukh Q."
    sub_playlist = m3u8.loads(read_text(version.subtitles.get().playlist_name))
    assert sub_playlist.segments[0].uri == "subtitles.vtt"


def test_a_corrected_subtitle_track_replaces_the_previous_one_of_its_language(
        published: Title, tmp_path: Path) -> None:
    vtt = tmp_path / "kk.vtt"
    vtt.write_text(VTT, encoding="utf-8")
    add_subtitle_rendition(title=published, language="kk", vtt_file=vtt)
    latest = add_subtitle_rendition(title=published, language="kk", vtt_file=vtt, label="corrected")
    assert [s.label for s in latest.subtitles.all()] == ["corrected"]


def test_a_broken_audio_file_fails_and_leaves_the_published_version_and_storage_as_they_were(
        published: Title, tmp_path: Path, _media_root: Path) -> None:
    before_files = stored_files(_media_root)
    bad = tmp_path / "dub.wav"
    bad.write_bytes(b"RIFF\x00\x00\x00\x00WAVEfmt garbage" * 10)
    with pytest.raises((InvalidTrack, FFmpegFailed), match="dub.wav"):
        add_audio_rendition(title=published, language="ru", audio_file=bad)
    assert Stream.objects.get(title=published).current.number == 1
    assert Version.objects.filter(title=published).count() == 1
    assert stored_files(_media_root) == before_files


def test_a_subtitle_file_that_is_not_webvtt_is_refused_naming_the_format(
        published: Title, tmp_path: Path) -> None:
    srt = tmp_path / "ru.srt"
    srt.write_text("1\n00:00:01,000 --> 00:00:02,000\nПривет\n", encoding="utf-8")
    with pytest.raises(InvalidTrack, match="'ru.srt' is not a WebVTT file"):
        add_subtitle_rendition(title=published, language="ru", vtt_file=srt)
    assert Version.objects.filter(title=published).count() == 1


def test_a_language_outside_dastans_list_is_refused_with_the_list(published: Title, tmp_path: Path) -> None:
    vtt = tmp_path / "fr.vtt"
    vtt.write_text(VTT, encoding="utf-8")
    with pytest.raises(InvalidInput, match="'fr' is not one of Dastan's languages"):
        add_subtitle_rendition(title=published, language="fr", vtt_file=vtt)


def test_a_track_cannot_be_added_before_the_film_is_published(title: Title, tmp_path: Path) -> None:
    vtt = tmp_path / "ru.vtt"
    vtt.write_text(VTT, encoding="utf-8")
    with pytest.raises(NotPublished, match="has no published stream yet"):
        add_subtitle_rendition(title=title, language="ru", vtt_file=vtt)
