"""End to end with the media app: one film, two countries, signed URLs replayed.

Rights decide through the media app's two hooks, ``DASTAN_PLAYBACK_LIMITS =
"dastan.rights.playback.playback_limits"`` (the master playlist) and
``DASTAN_SIGNED_REQUEST_CHECK = "dastan.rights.playback.check_signed_request"`` (each
signed file); countries come from an address-ranges file.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import m3u8
import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from dastan.catalog.models import Title
from dastan.jobs.services import run_queued_jobs
from dastan.rights.actions import grant_licence

from .factories import make_title, owner_of, terms

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
KZ, RU = "10.1.1.1", "192.0.2.5"


@pytest.fixture
def published(tmp_path: Path, settings: object) -> Iterator[Title]:
    """A two-language (en, ru) film, ingested and packaged, in its own storage folder,
    licensed for Central Asia with Russian and Kazakh audio only."""
    from django.core.files import storage as storage_module

    from dastan.media.services import submit_ingest
    from dastan.media.tests.films import two_language_film

    root = tmp_path / "storage"
    root.mkdir()
    ranges = tmp_path / "ranges.csv"
    ranges.write_text("10.0.0.0/8,KZ\n192.0.2.0/24,RU\n")
    # Through pytest-django's ``settings`` (not a nested override_settings): the tests
    # change more settings through it, and one wrapper undoes all of them in order. An
    # override_settings here was restored first, then the wrapper put back the snapshot it
    # took inside it, leaving rights enforcement on for every later test of the run.
    overrides = {
        "STORAGES": {**settings.STORAGES, "default": {  # type: ignore[attr-defined]
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": "/media/"}}},
        "DASTAN_X264_PRESET": "ultrafast", "DASTAN_GEOIP_CSV": str(ranges), "DASTAN_TRUSTED_PROXIES": [],
        "DASTAN_PLAYBACK_LIMITS": "dastan.rights.playback.playback_limits",
        "DASTAN_SIGNED_REQUEST_CHECK": "dastan.rights.playback.check_signed_request",
    }
    for name, value in overrides.items():
        setattr(settings, name, value)
    storage_module.default_storage._setup()  # type: ignore[attr-defined]
    title = make_title(original_language="ru")
    submit_ingest(title=title, path=two_language_film(tmp_path / "f.mp4", tmp_path, seconds=2, size="320x180"))
    run_queued_jobs(worker="test")
    grant_licence.execute(terms=terms("CA-SVOD-1", title_id=title.pk, territories=("Central Asia",),
                                      audio_languages=("ru", "kk"), start=date(2020, 1, 1), end=None),
                          licensor=owner_of(title))
    yield title  # the settings wrapper's undo also resets the default storage (setting_changed)


def _master(title: Title, address: str, client: Client | None = None):  # type: ignore[no-untyped-def]
    return (client or Client()).get(reverse("media:master", kwargs={"slug": title.slug}), REMOTE_ADDR=address,
                                    HTTP_ACCEPT="application/json")


def _first_segment_url(master_text: str, address: str, client: Client) -> str:
    """A media playlist's URL from the master, then its first segment's signed URL."""
    playlist_url = m3u8.loads(master_text).playlists[0].uri
    media = client.get(playlist_url, REMOTE_ADDR=address)
    assert media.status_code == 200
    body = b"".join(media.streaming_content).decode() if media.streaming else media.content.decode()  # type: ignore[attr-defined]
    segment = m3u8.loads(body).segments[0].uri
    return playlist_url.rsplit("/", 1)[0] + "/" + segment


def test_kazakhstan_gets_a_master_with_the_russian_audio_and_russia_gets_451_with_the_reason(
        published: Title) -> None:
    from_kz = _master(published, KZ)
    assert from_kz.status_code == 200
    audio = [m.language for m in m3u8.loads(from_kz.content.decode()).media if m.type == "AUDIO"]
    assert audio == ["ru"]  # English is not licensed in Central Asia
    from_ru = _master(published, RU)
    assert from_ru.status_code == 451
    assert json.loads(from_ru.content)["message"] == (
        "Not licensed for Russia: no licence of this title covers it.")


def test_a_signed_segment_url_fails_after_it_expires(published: Title, settings: object) -> None:
    settings.DASTAN_MEDIA_URL_TTL_S = 4  # type: ignore[attr-defined]
    viewer = Client()
    with time_machine.travel(time.time(), tick=True) as traveller:  # the clock moves on; no waiting
        url = _first_segment_url(_master(published, KZ, viewer).content.decode(), KZ, viewer)
        first = viewer.get(url, REMOTE_ADDR=KZ)
        assert first.status_code == 200, first.content
        traveller.shift(4 + 1.1)
        late = viewer.get(url, REMOTE_ADDR=KZ)
    assert late.status_code == 403 and json.loads(late.content)["code"] == "link_expired"


def test_a_revoked_licence_stops_segment_urls_signed_before_it_within_the_recheck_window(
        published: Title, settings: object) -> None:
    from dastan.rights.actions import revoke_licence
    from dastan.rights.models import Licence

    settings.DASTAN_MEDIA_RECHECK_S = 0  # type: ignore[attr-defined]  # the window, made as small as it goes
    viewer = Client()
    url = _first_segment_url(_master(published, KZ, viewer).content.decode(), KZ, viewer)
    assert viewer.get(url, REMOTE_ADDR=KZ).status_code == 200
    revoke_licence.execute(licence=Licence.objects.get(ref="CA-SVOD-1"))
    refused = viewer.get(url, REMOTE_ADDR=KZ)
    assert refused.status_code == 451
    assert json.loads(refused.content)["message"] == "Not licensed for Kazakhstan: no licence of this title covers it."


def test_a_licence_decision_is_trusted_for_the_recheck_window_only(published: Title, settings: object) -> None:
    from django.core.cache import cache

    from dastan.rights.actions import revoke_licence
    from dastan.rights.models import Licence

    settings.DASTAN_MEDIA_RECHECK_S = 60  # type: ignore[attr-defined]
    viewer = Client()
    url = _first_segment_url(_master(published, KZ, viewer).content.decode(), KZ, viewer)
    revoke_licence.execute(licence=Licence.objects.get(ref="CA-SVOD-1"))
    assert viewer.get(url, REMOTE_ADDR=KZ).status_code == 200  # decided a moment ago
    cache.clear()  # what the end of the window looks like
    assert viewer.get(url, REMOTE_ADDR=KZ).status_code == 451


def test_the_watch_page_outside_the_licence_answers_451_with_the_reason_as_a_page(published: Title) -> None:
    page = Client().get(reverse("media:watch", kwargs={"slug": published.slug}), REMOTE_ADDR=RU)
    assert page.status_code == 451
    assert page["Content-Type"].startswith("text/html")
    assert "Not licensed for Russia: no licence of this title covers it." in page.content.decode()
    assert Client().get(reverse("media:watch", kwargs={"slug": published.slug}), REMOTE_ADDR=KZ).status_code == 200
    missing = Client().get(reverse("media:watch", kwargs={"slug": "no-such-film"}), REMOTE_ADDR=KZ)
    assert missing.status_code == 404 and "No title &#x27;no-such-film&#x27; in this catalog." in missing.content.decode()


def test_a_signed_segment_url_from_kazakhstan_fails_when_replayed_from_russia(published: Title) -> None:
    viewer = Client()
    url = _first_segment_url(_master(published, KZ, viewer).content.decode(), KZ, viewer)
    assert viewer.get(url, REMOTE_ADDR=KZ).status_code == 200
    replay = viewer.get(url, REMOTE_ADDR=RU)
    assert replay.status_code == 451
    assert json.loads(replay.content)["message"] == (
        "This link was issued for Kazakhstan and cannot be used from Russia.")


def test_a_revoked_licence_mints_no_more_folder_links_and_those_out_lapse_within_the_recheck_window(
        published: Title, settings: object) -> None:
    """Folder links (dastan/media/edge_links.py) are checked by the web server alone: the
    rights decision runs when the player renews them through the master, so revocation
    holds by their life, the re-check window."""
    from dastan.rights.actions import revoke_licence
    from dastan.rights.models import Licence

    settings.DASTAN_MEDIA_RECHECK_S = 60  # type: ignore[attr-defined]
    viewer = Client()
    edge_master = reverse("media:master", kwargs={"slug": published.slug}) + "?links=edge"
    with time_machine.travel(time.time(), tick=True) as traveller:  # the clock moves on; no waiting
        master = viewer.get(edge_master, REMOTE_ADDR=KZ)
        url = _first_segment_url(master.content.decode(), KZ, viewer)
        assert url.startswith("/media/k/") and viewer.get(url, REMOTE_ADDR=KZ).status_code == 200
        revoke_licence.execute(licence=Licence.objects.get(ref="CA-SVOD-1"))
        renewal = viewer.get(edge_master, REMOTE_ADDR=KZ)
        assert renewal.status_code == 451
        assert json.loads(renewal.content)["message"] == (
            "Not licensed for Kazakhstan: no licence of this title covers it.")
        traveller.shift(60 + 1)
        lapsed = viewer.get(url, REMOTE_ADDR=KZ)
    assert lapsed.status_code == 403 and json.loads(lapsed.content)["code"] == "link_expired"
