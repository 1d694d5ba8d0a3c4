"""Publication is one rule: nothing unpublished reaches a viewer, whatever path asks.

A title walks through never published → published → unpublished → unpublished and
re-ingested; at each step an anonymous viewer asks every path that reveals its stream.
Links to files are signed for that viewer directly, as if obtained while the title was
published (or leaked by a preview), and re-checked on every request
(``DASTAN_MEDIA_RECHECK_S = 0``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import m3u8
import pytest
from django.test import Client

from dastan.catalog.models import Title
from dastan.catalog.tests.factories import OrganisationFactory, member_of
from dastan.jobs.services import run_queued_jobs
from dastan.media import storage
from dastan.media.links import VIEWER_COOKIE
from dastan.media.playback import PlaybackLimits, sign_version
from dastan.media.publishing import latest_version, publish_title, unpublish_title
from dastan.media.renditions import add_subtitle_rendition
from dastan.media.services import submit_ingest
from dastan.media.tests.films import film
from dastan.media.transcode import poster_name, storyboard_name

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

PATHS = ("master", "variant playlist", "segment", "subtitles", "storyboard", "poster", "stream API",
         "media watch page", "title page")


@pytest.fixture
def unlisted(title: Title, small_film: Path, tmp_path: Path, settings: Any) -> Title:
    """A packaged film with English subtitles whose title was never published."""
    settings.DASTAN_MEDIA_RECHECK_S = 0
    title.is_published = False
    owner: Any = OrganisationFactory()
    title.owner = owner
    title.save()
    submit_ingest(title=title, path=small_film)
    run_queued_jobs(worker="test")
    vtt = tmp_path / "en.vtt"
    vtt.write_text("WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nAt dawn.\n", encoding="utf-8")
    add_subtitle_rendition(title=title, language="en", vtt_file=vtt)
    return title


def statuses(title: Title) -> dict[str, int]:
    """What an anonymous viewer gets from each path now."""
    viewer = Client()
    viewer.get("/")  # any page; the viewer cookie comes with the first signed answer
    key = viewer.cookies[VIEWER_COOKIE].value if VIEWER_COOKIE in viewer.cookies else "anonymous-viewer-key"
    viewer.cookies[VIEWER_COOKIE] = key
    version = latest_version(title)
    assert version is not None
    signed = sign_version(title=title, version=version, limits=PlaybackLimits(), viewer=key)
    video = version.video.first()
    assert video is not None
    segment = m3u8.loads(storage.read_text(video.playlist_name)).segments[0].uri
    # A re-ingested cut starts without the subtitles; the earlier version's still exist.
    with_subtitles = title.stream_versions.filter(subtitles__language="en").order_by("-number").first()
    assert with_subtitles is not None
    subtitles = sign_version(title=title, version=with_subtitles, limits=PlaybackLimits(), viewer=key).url(
        with_subtitles.subtitles.get().playlist_name.replace("index.m3u8", "subtitles.vtt"))
    urls = {
        "master": f"/media/watch/{title.slug}/master.m3u8",
        "variant playlist": signed.url(video.playlist_name),
        "segment": signed.url(video.playlist_name.replace("index.m3u8", segment)),
        "subtitles": subtitles,
        "storyboard": signed.url(storyboard_name(version.asset)),
        "poster": signed.url(poster_name(version.asset)),
        "stream API": f"/api/v1/media/titles/{title.slug}/stream",
        "media watch page": f"/media/watch/{title.slug}/",
        "title page": f"/titles/{title.slug}/",
    }
    return {path: viewer.get(urls[path]).status_code for path in PATHS}


def test_every_playback_path_answers_404_to_a_viewer_unless_the_title_is_published(
        unlisted: Title, tmp_path: Path) -> None:
    seen = {"never published": statuses(unlisted)}
    publish_title(title=unlisted, by=None)
    seen["published"] = statuses(unlisted)
    unpublish_title(title=unlisted, by=None)
    seen["unpublished"] = statuses(unlisted)
    submit_ingest(title=unlisted, path=film(tmp_path / "second-cut.mp4", seconds=2))
    run_queued_jobs(worker="test")
    unlisted.refresh_from_db()
    assert unlisted.stream.current.number == 3  # type: ignore[attr-defined]  # the new cut is packaged…
    seen["unpublished, then re-ingested"] = statuses(unlisted)
    assert not unlisted.is_published  # …and not published

    expected = {state: dict.fromkeys(PATHS, 200 if state == "published" else 404) for state in seen}
    assert seen == expected


def test_the_owners_editor_previews_an_unpublished_title_and_a_viewer_gets_404(unlisted: Title) -> None:
    editor = Client()
    editor.force_login(member_of(unlisted.owner))
    master = editor.get(f"/media/watch/{unlisted.slug}/master.m3u8")
    assert master.status_code == 200
    playlist = editor.get(m3u8.loads(master.content.decode()).playlists[0].uri)
    assert playlist.status_code == 200
    assert editor.get(f"/media/watch/{unlisted.slug}/").status_code == 200
    assert editor.get(f"/api/v1/media/titles/{unlisted.slug}/stream").status_code == 200

    viewer = Client()
    for url in (f"/media/watch/{unlisted.slug}/master.m3u8", f"/api/v1/media/titles/{unlisted.slug}/stream"):
        refused = viewer.get(url)
        assert refused.status_code == 404
        assert refused.json()["message"] == f"No title '{unlisted.slug}' in this catalog."  # as if none existed


def test_the_stream_api_says_when_a_published_title_has_no_stream_yet(title: Title) -> None:
    response = Client().get(f"/api/v1/media/titles/{title.slug}/stream")
    assert response.status_code == 404
    assert response.json()["code"] == "not_published"
