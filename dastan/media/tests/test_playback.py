"""The per-viewer master: filtered by the rights decision, every URI signed once per
grant, short-lived and bound to the browser that asked."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import m3u8
import pytest
from django.core.files import storage as storage_module
from django.core.files.storage import InMemoryStorage
from django.test import Client, override_settings

from dastan.catalog.models import Title
from dastan.jobs.services import run_queued_jobs
from dastan.media.errors import BadSignature
from dastan.media.links import VIEWER_COOKIE, name_in_grant, open_token, sign_grant
from dastan.media.playback import PlaybackLimits, PlaybackNotAllowed, build_master_playlist
from dastan.media.publishing import unpublish_title
from dastan.media.services import submit_ingest
from dastan.media.tests.conftest import response_text as _body

pytestmark = pytest.mark.django_db


def _first_segment(client: Client, master_text: str) -> tuple[str, str]:
    """The first variant playlist's URL and its first segment's URL."""
    playlist_url = m3u8.loads(master_text).playlists[0].uri
    media = client.get(playlist_url)
    assert media.status_code == 200, _body(media)
    return playlist_url, playlist_url.rsplit("/", 1)[0] + "/" + m3u8.loads(_body(media)).segments[0].uri


def test_the_master_lists_only_the_languages_and_heights_the_decision_allows(published: Title) -> None:
    limits = PlaybackLimits(audio_languages=frozenset({"ru"}), max_height=240,
                            claims={"territory": "KZ"})
    master = m3u8.loads(build_master_playlist(title=published, limits=limits))
    assert [m.language for m in master.media] == ["ru"]
    assert [p.stream_info.resolution for p in master.playlists] == [(426, 240)]
    grant = open_token(master.playlists[0].uri.split("/")[3])
    assert grant.claims["territory"] == "KZ"
    opened = [grant.prefix + folder for folder in grant.folders]
    assert [f for f in opened if "/v/" in f] == [published.stream.current.video.get(height=240)  # type: ignore[attr-defined]
                                                 .playlist_name.removesuffix("index.m3u8")]  # not 360p


def test_every_uri_of_a_master_shares_one_token(published: Title) -> None:
    master = m3u8.loads(build_master_playlist(title=published))
    tokens = {uri.split("/")[3] for uri in [*(p.uri for p in master.playlists), *(m.uri for m in master.media)]}
    assert len(tokens) == 1


def test_a_decision_that_leaves_no_sound_is_refused_in_words(published: Title) -> None:
    with pytest.raises(PlaybackNotAllowed, match="No sound of 'maula-jatt-test' may be played here"):
        build_master_playlist(title=published, limits=PlaybackLimits(audio_languages=frozenset({"fa"})))


def test_a_signed_url_serves_the_playlist_and_its_segments_through_the_same_token(published: Title) -> None:
    client = Client()
    master = client.get(f"/media/watch/{published.slug}/master.m3u8")
    assert VIEWER_COOKIE in master.cookies and master.cookies[VIEWER_COOKIE]["httponly"]
    playlist_url, segment_url = _first_segment(client, master.content.decode())
    assert client.get(playlist_url)["Content-Type"] == "application/vnd.apple.mpegurl"
    segment = client.get(segment_url)
    assert segment.status_code == 200 and len(b"".join(segment.streaming_content)) > 1000  # type: ignore[attr-defined]


def test_a_url_copied_into_another_browser_is_refused_and_says_to_reload(published: Title) -> None:
    browser_a = Client()
    _, segment_url = _first_segment(browser_a, browser_a.get(f"/media/watch/{published.slug}/master.m3u8")
                                    .content.decode())
    assert browser_a.get(segment_url).status_code == 200
    browser_b = Client()
    browser_b.get(f"/media/watch/{published.slug}/master.m3u8")  # B has a viewer cookie of its own
    for other in (browser_b, Client()):
        refused = other.get(segment_url)
        assert refused.status_code == 403
        assert refused.json() == {"code": "other_session",
                                  "message": "This media link was issued to another browser session.",
                                  "hint": "Reload the page: the player asks for links of its own."}


def test_links_live_the_configured_seconds(published: Title, settings: Any) -> None:
    settings.DASTAN_MEDIA_URL_TTL_S = 120
    master = m3u8.loads(build_master_playlist(title=published))
    expires_in_s = open_token(master.playlists[0].uri.split("/")[3]).expires_at - time.time()
    assert 118 <= expires_in_s <= 120


def test_an_expired_link_is_refused_and_says_to_reload(published: Title) -> None:
    client = Client()
    client.get(f"/media/watch/{published.slug}/master.m3u8")
    key = client.cookies[VIEWER_COOKIE].value
    master = build_master_playlist(title=published, viewer=key, ttl_s=-1)
    refused = client.get(m3u8.loads(master).playlists[0].uri)
    assert refused.status_code == 403
    assert refused.json() == {
        "code": "link_expired", "message": "This media link has expired.",
        "hint": "Reload the page: the player asks for fresh links by itself while it plays."}


def test_a_forged_token_is_refused_with_a_reload_hint() -> None:
    token = sign_grant(title_id=1, prefix="titles/x", folders=["a1/v/240p"], viewer="k" * 20)
    response = Client().get(f"/media/s/{token[:-3]}abc/a1/v/240p/index.m3u8")
    assert response.status_code == 403
    assert response.json()["message"] == "This media link is not valid."
    assert response.json()["hint"] == "Reload the page to get a fresh link."


def test_a_refused_link_speaks_the_viewers_language() -> None:
    token = sign_grant(title_id=1, prefix="titles/x", folders=["a1/v/240p"], viewer="k" * 20)
    client = Client()
    client.cookies["dastan_language"] = "ur"
    response = client.get(f"/media/s/{token[:-3]}abc/a1/v/240p/index.m3u8")
    assert response.status_code == 403
    assert response.json()["message"] == "یہ میڈیا لنک درست نہیں ہے۔"
    assert response.json()["hint"] == "نیا لنک حاصل کرنے کے لیے صفحہ دوبارہ لوڈ کریں۔"


def test_a_token_opens_only_the_folders_of_its_grant() -> None:
    grant = open_token(sign_grant(title_id=1, prefix="titles/maula-jatt-test", folders=["a1/v/240p"],
                                  viewer="k" * 20))
    assert name_in_grant(grant, "a1/v/240p/seg_00001.m4s") == "titles/maula-jatt-test/a1/v/240p/seg_00001.m4s"
    for outside in ("../../mezzanine/x.mp4", "a1/v/360p/seg_00001.m4s", "a1/v/240p/../../mezzanine/x.mp4",
                    "/etc/passwd", "a1/v/240px/seg.m4s"):
        with pytest.raises(BadSignature, match="does not open that file"):
            name_in_grant(grant, outside)


def test_an_unpublished_title_stops_links_signed_before_within_the_recheck_window(
        published: Title, settings: Any) -> None:
    settings.DASTAN_MEDIA_RECHECK_S = 0  # re-check on every request: the window is the test's
    client = Client()
    _, segment_url = _first_segment(client, client.get(f"/media/watch/{published.slug}/master.m3u8")
                                    .content.decode())
    assert client.get(segment_url).status_code == 200
    unpublish_title(title=published, by=None)
    gone = client.get(segment_url)
    assert gone.status_code == 404 and gone.json()["code"] == "title_not_found"


def test_a_publication_check_is_trusted_for_the_recheck_window_only(published: Title, settings: Any) -> None:
    settings.DASTAN_MEDIA_RECHECK_S = 60
    client = Client()
    _, segment_url = _first_segment(client, client.get(f"/media/watch/{published.slug}/master.m3u8")
                                    .content.decode())
    unpublish_title(title=published, by=None)
    assert client.get(segment_url).status_code == 200  # checked a moment ago: trusted for 60 s
    from django.core.cache import cache

    cache.clear()  # what 60 s later looks like
    assert client.get(segment_url).status_code == 404


def test_the_accel_redirect_setting_lets_the_web_server_send_the_bytes(published: Title, settings: Any) -> None:
    settings.DASTAN_MEDIA_ACCEL_REDIRECT = "/protected-media/"
    client = Client()
    master = m3u8.loads(client.get(f"/media/watch/{published.slug}/master.m3u8").content.decode())
    response = client.get(master.playlists[0].uri)
    assert response["X-Accel-Redirect"].startswith("/protected-media/titles/maula-jatt-test/")
    assert response.content == b""


def refuse_outside_kz(request: object, claims: dict[str, object]) -> None:
    from dastan.errors import DastanError

    if claims.get("territory") != request.META.get("HTTP_X_TEST_COUNTRY"):  # type: ignore[attr-defined]
        raise DastanError("This link was issued for Kazakhstan.", "Open the title again.",
                          code="territory_mismatch", status=451)


def test_the_signed_request_hook_refuses_a_link_replayed_elsewhere(published: Title, settings: Any) -> None:
    settings.DASTAN_SIGNED_REQUEST_CHECK = f"{__name__}.refuse_outside_kz"
    client = Client()
    client.get(f"/media/watch/{published.slug}/master.m3u8")
    master = m3u8.loads(build_master_playlist(title=published, viewer=client.cookies[VIEWER_COOKIE].value,
                                              limits=PlaybackLimits(claims={"territory": "KZ"})))
    url = master.playlists[0].uri
    assert client.get(url, HTTP_X_TEST_COUNTRY="KZ").status_code == 200
    replay = client.get(url, HTTP_X_TEST_COUNTRY="RU")
    assert replay.status_code == 451 and replay.json()["code"] == "territory_mismatch"


class ExpiringURLStorage(InMemoryStorage):
    """Like django-storages' S3Storage: ``url`` takes how long the presigned URL lives."""

    def url(self, name: str | None, expire: int | None = None) -> str:
        return f"https://bucket.example/{name}?expires_in={expire}"


def test_object_storage_urls_live_no_longer_than_our_links(title: Title, small_film: Path, settings: Any) -> None:
    settings.DASTAN_MEDIA_URL_TTL_S = 90
    with override_settings(STORAGES={**settings.STORAGES, "default": {
            "BACKEND": f"{__name__}.ExpiringURLStorage"}}):
        storage_module.default_storage._setup()  # type: ignore[attr-defined]
        try:
            submit_ingest(title=title, path=small_film)
            run_queued_jobs(worker="test")
            client = Client()
            _, segment_url = _first_segment(client, client.get(f"/media/watch/{title.slug}/master.m3u8")
                                            .content.decode())
            segment = client.get(segment_url)
        finally:
            storage_module.default_storage._setup()  # type: ignore[attr-defined]
    assert segment.status_code == 302 and segment["Location"].endswith("?expires_in=90")
