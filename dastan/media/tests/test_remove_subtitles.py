"""Taking a language's subtitles out of a published film: a new version whose master no
longer lists them, the video and the other tracks reused, the old version intact."""

from __future__ import annotations

from pathlib import Path

import m3u8
import pytest

from dastan.catalog.models import Title
from dastan.jobs.services import run_queued_jobs
from dastan.media.models import Stream, Version
from dastan.media.publishing import publish_title, unpublish_title
from dastan.media.renditions import (
    add_audio_rendition,
    add_subtitle_rendition,
    remove_subtitle_rendition,
)
from dastan.media.services import submit_ingest
from dastan.media.storage import read_text
from dastan.media.tests.films import speech_wav

pytestmark = pytest.mark.django_db
VTT = "WEBVTT\n\n00:00:00.500 --> 00:00:02.000\n{}\n"


@pytest.fixture
def published(title: Title, small_film: Path, tmp_path: Path) -> Title:
    submit_ingest(title=title, path=small_film)
    run_queued_jobs(worker="test")
    for code, line in (("kk", "Керуен келді."), ("ru", "Караван пришёл.")):
        vtt = tmp_path / f"{code}.vtt"
        vtt.write_text(VTT.format(line), encoding="utf-8")
        add_subtitle_rendition(title=title, language=code, vtt_file=vtt)
    return title


def _languages(version: Version) -> list[tuple[str, str]]:
    return [(m.type, m.language) for m in m3u8.loads(read_text(version.master_name)).media]


def test_removing_a_language_publishes_a_master_without_it_and_keeps_the_rest(published: Title) -> None:
    before = Stream.objects.get(title=published).current
    after = remove_subtitle_rendition(title=published, language="kk", note="withdrew kk: wrong names")
    assert after is not None and Stream.objects.get(title=published).current == after
    assert after.number == before.number + 1 and after.note == "withdrew kk: wrong names"
    assert _languages(after) == [("AUDIO", "en"), ("SUBTITLES", "ru")]
    assert set(after.video.all()) == set(before.video.all())
    assert ("SUBTITLES", "kk") in _languages(before)  # those watching the old version keep it
    assert remove_subtitle_rendition(title=published, language="kk") is None  # nothing left to remove


def test_a_voice_made_from_the_subtitles_goes_with_them_in_one_version(published: Title, tmp_path: Path) -> None:
    voice = add_audio_rendition(title=published, language="kk", kind="voice-over",
                                audio_file=speech_wav(tmp_path / "kk.wav", text="Keruen keldi.", voice="kk"))
    rendition = voice.audio.get(language="kk")
    after = remove_subtitle_rendition(title=published, language="kk", audio_rendition_ids=[rendition.pk])
    assert after is not None and after.number == voice.number + 1
    assert _languages(after) == [("AUDIO", "en"), ("SUBTITLES", "ru")]


def test_a_language_removed_while_unpublished_does_not_come_back_with_the_film(published: Title) -> None:
    publish_title(title=published, by=None)
    unpublish_title(title=published, by=None)
    remove_subtitle_rendition(title=published, language="ru")
    again = publish_title(title=published, by=None)
    assert _languages(again) == [("AUDIO", "en"), ("SUBTITLES", "kk")]
