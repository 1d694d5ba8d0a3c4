"""Anonymous viewers' pages and catalogue answers kept whole (dastan/web/page_cache.py):
answered without a query, per language and country, nothing of one viewer in the kept
bytes, stale as soon as the catalogue or a licence changes."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from dastan.catalog import services
from dastan.catalog.demo import load_demo
from dastan.catalog.models import Title
from dastan.catalog.tests.factories import OrganisationFactory, member_of
from dastan.jobs.services import run_queued_jobs
from dastan.media import links
from dastan.media.services import submit_ingest
from dastan.media.tests.films import film
from dastan.rights import cache as rights_cache
from dastan.rights.actions import grant_licence
from dastan.rights.tests.factories import owner_of, terms
from dastan.web.page_cache import page_key

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _kept(settings: Any) -> None:
    settings.DASTAN_CATALOG_CACHE_S = settings.DASTAN_RIGHTS_CACHE_S = 60  # off in the rest of the suite
    cache.clear()


@pytest.fixture
def demo() -> None:
    load_demo(io.StringIO())


def _queries(client: Client, url: str) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response, len(queries)


def test_a_kept_home_page_is_answered_without_a_query_in_the_viewers_language(demo: None) -> None:
    client = Client()
    client.cookies["dastan_language"] = "ru"
    first, _ = _queries(client, "/")
    again, count = _queries(client, "/")
    assert count == 0 and again.content == first.content
    assert "Нури Джатт" in again.content.decode()
    other = Client(HTTP_ACCEPT_LANGUAGE="ur")
    assert '<html lang="ur" dir="rtl">' in other.get("/").content.decode()


def test_a_kept_page_holds_no_csrf_token_and_switches_language_with_a_get(demo: None) -> None:
    html = Client().get("/").content.decode()
    assert "csrfmiddlewaretoken" not in html
    assert 'action="/language/" method="get"' in html
    response = Client().get("/language/", {"language": "fa", "next": "/titles/song-of-the-steppe/"})
    assert response.status_code == 302 and response["Location"] == "/titles/song-of-the-steppe/"
    assert response.cookies["dastan_language"].value == "fa"


def test_the_language_switch_never_sends_the_viewer_to_another_site() -> None:
    response = Client().get("/language/", {"language": "ru", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_signed_in_people_get_their_own_page_with_the_post_language_form(demo: None) -> None:
    client = Client()
    client.force_login(member_of(OrganisationFactory(), username="ayesha"))
    client.get("/")
    _, count = _queries(client, "/")
    html = client.get("/").content.decode()
    assert count > 0 and "csrfmiddlewaretoken" in html and "Sign out" in html


def test_a_catalogue_change_is_seen_at_once(demo: None, django_capture_on_commit_callbacks: Callable[..., Any]) -> None:
    client = Client()
    assert "A renamed film" not in client.get("/api/v1/catalog/titles?language=en").content.decode()
    title = Title.objects.get(slug="song-of-the-steppe")
    with django_capture_on_commit_callbacks(execute=True):
        services.set_title_text(by=None, title=title, language="en", name="A renamed film")
    assert "A renamed film" in client.get("/api/v1/catalog/titles?language=en").content.decode()
    assert "A renamed film" in client.get("/").content.decode()


def test_pages_are_kept_per_country_and_catalogue_answers_for_all(settings: Any) -> None:
    settings.DASTAN_TRUSTED_PROXIES = "127.0.0.1"
    factory = RequestFactory()
    kz, ru = (factory.get("/", HTTP_CF_IPCOUNTRY=c) for c in ("KZ", "RU"))
    assert page_key(kz, by_country=True) != page_key(ru, by_country=True)
    api_kz, api_ru = (factory.get("/api/v1/catalog/titles", HTTP_CF_IPCOUNTRY=c) for c in ("KZ", "RU"))
    assert page_key(api_kz, by_country=False) == page_key(api_ru, by_country=False)


@pytest.fixture
def playable(tmp_path: Path, settings: Any) -> Title:
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "storage"), "base_url": "/media/"}}}
    settings.DASTAN_X264_PRESET = "ultrafast"
    settings.DASTAN_PLAYBACK_LIMITS = ""  # every country: this test is about the kept page
    settings.DASTAN_SIGNED_REQUEST_CHECK = ""
    title = services.create_title(by=None, owner=OrganisationFactory.create(), slug="kept-film", kind="film",
                                  original_language="ru", country_of_origin="RU", name="Край", is_published=True)
    submit_ingest(title=title, path=film(tmp_path / "film.mp4", seconds=2))
    run_queued_jobs(worker="test")
    return title


def test_a_kept_title_page_signs_its_player_links_for_each_viewer(playable: Title) -> None:
    tokens = []
    for n in range(2):
        client = Client()
        response, count = _queries(client, "/titles/kept-film/")
        html = response.content.decode()
        assert links.PageGrants.MARK not in html
        token = re.search(r'poster="/media/s/([^/]+)/', html).group(1)  # type: ignore[union-attr]
        viewer = client.cookies[links.VIEWER_COOKIE].value
        assert links.open_token(token).viewer == links.viewer_digest(viewer)
        assert "private" in response["Cache-Control"] and "X-Accel-Expires" not in response
        poster = client.get(re.search(r'poster="([^"]+)"', html).group(1))  # type: ignore[union-attr]
        assert poster.status_code == 200
        tokens.append(token)
        if n == 1:
            assert count == 0  # the second viewer's page came from the cache
    assert tokens[0] != tokens[1]


def test_answers_without_viewer_parts_tell_nginx_how_long_to_keep_them(demo: None, settings: Any) -> None:
    settings.DASTAN_EDGE_CACHE_S = 3
    Client().get("/")
    response = Client().get("/")
    assert response["X-Accel-Expires"] == "3" and "private" not in response.get("Cache-Control", "")


def test_a_master_playlist_is_decided_and_signed_without_a_query_once_kept(playable: Title, settings: Any) -> None:
    """Publication, the rights decision (licences from the rights read cache, a trusted
    proxy's country) and the renditions are all kept; only the signing is per viewer."""
    settings.DASTAN_PLAYBACK_LIMITS = "dastan.rights.playback.playback_limits"
    settings.DASTAN_SIGNED_REQUEST_CHECK = "dastan.rights.playback.check_signed_request"
    settings.DASTAN_TRUSTED_PROXIES = "127.0.0.1"
    grant_licence.execute(terms=terms(title_id=playable.pk, start=date(2020, 1, 1), end=None),
                          licensor=owner_of(playable))
    rights_cache.bump_version()  # what the grant's commit does outside the test's transaction
    client = Client(HTTP_CF_IPCOUNTRY="KZ")
    url = "/media/watch/kept-film/master.m3u8"
    _queries(client, url)  # decided, kept
    again, count = _queries(client, url)
    assert count == 0
    assert again.content.decode().count("/media/s/") >= 2 and "private" in again["Cache-Control"]
    refused = Client(HTTP_CF_IPCOUNTRY="RU").get(url)
    assert refused.status_code == 451  # the kept licences still decide per country
