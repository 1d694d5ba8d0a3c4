"""The same code on a storage that is not a local folder (Django's InMemoryStorage stands
in for S3): ffmpeg gets local copies, output goes through the storage API, playlists are
served by the app and segments redirect to the storage's own URLs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import m3u8
import pytest
from django.core.files import storage as storage_module
from django.test import Client

from dastan.catalog.models import Title
from dastan.jobs.services import run_queued_jobs
from dastan.media.models import Stream
from dastan.media.renditions import add_audio_rendition
from dastan.media.services import submit_ingest
from dastan.media.tests.conftest import stored_files
from dastan.media.tests.films import speech_wav

pytestmark = pytest.mark.django_db


@pytest.fixture
def object_storage(settings: Any) -> Any:
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.InMemoryStorage",
        "OPTIONS": {"base_url": "https://bucket.example/"}}}
    storage_module.default_storage._setup()  # type: ignore[attr-defined]
    return storage_module.default_storage


def test_a_film_is_published_and_played_from_non_local_storage(
        object_storage: Any, title: Title, small_film: Path, tmp_path: Path, _media_root: Path) -> None:
    submit_ingest(title=title, path=small_film)
    run_queued_jobs(worker="test")
    version = Stream.objects.get(title=title).current
    assert object_storage.exists(version.master_name)
    assert stored_files(_media_root) == []  # nothing went to the local folder
    version = add_audio_rendition(title=title, language="ru", audio_file=speech_wav(
        tmp_path / "ru.wav", text="Привет.", voice="ru"))
    client = Client()
    master = m3u8.loads(client.get(f"/media/watch/{title.slug}/master.m3u8").content.decode())
    playlist_url = master.playlists[0].uri
    playlist = client.get(playlist_url)
    assert playlist.status_code == 200
    segment_uri = m3u8.loads(playlist.content.decode()).segments[0].uri
    segment = client.get(playlist_url.rsplit("/", 1)[0] + "/" + segment_uri)
    assert segment.status_code == 302
    assert segment["Location"].startswith(f"https://bucket.example/titles/{title.slug}/")
