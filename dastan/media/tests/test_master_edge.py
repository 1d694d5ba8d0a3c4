"""The master playlist at the viewer's edge: kept once per version and limits and signed
per viewer, answered for a viewer without a session before the session stack, and its
token one keyed hash that a rotated key still opens."""

from __future__ import annotations

from typing import Any

import m3u8
import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver

from dastan.accounts.models import LanguagePreference
from dastan.catalog.models import Title
from dastan.lean import _prefixes
from dastan.media import edge_links, links
from dastan.media.errors import BadSignature
from dastan.media.links import VIEWER_COOKIE, open_token, sign_grant
from dastan.media.package import render_master
from dastan.media.playback import PlaybackLimits, _allowed, access_playable, build_master_playlist

pytestmark = pytest.mark.django_db


def _without_token(text: str) -> str:
    token = m3u8.loads(text).playlists[0].uri.split("/")[3]
    return text.replace(token, "TOKEN")


def test_a_kept_master_is_the_playlist_a_fresh_one_would_be_with_a_token_of_its_own(
        published: Title, settings: Any) -> None:
    limits = PlaybackLimits(audio_languages=frozenset({"ru"}), max_height=240, claims={"territory": "KZ"})
    fresh = build_master_playlist(title=published, limits=limits, viewer="a" * 20)  # cache off: rendered
    settings.DASTAN_CATALOG_CACHE_S = 60
    cache.clear()
    kept_first = build_master_playlist(title=access_playable(slug=published.slug, user=None)[0], limits=limits,
                                       viewer="a" * 20)
    with CaptureQueriesContext(connection) as queries:
        title, _version = access_playable(slug=published.slug, user=None)  # as a viewer's request reads it
        kept_again = build_master_playlist(title=title, limits=limits, viewer="b" * 20)
    assert len(queries) == 0
    assert _without_token(kept_first) == _without_token(kept_again) == _without_token(fresh)
    assert [m.language for m in m3u8.loads(kept_again).media] == ["ru"]
    token = m3u8.loads(kept_again).playlists[0].uri.split("/")[3]
    assert kept_again.count(token) == len(m3u8.loads(kept_again).playlists) + len(m3u8.loads(kept_again).media)
    assert open_token(token).claims == {"territory": "KZ", "title": published.slug,
                                        "version": published.stream.current.number}  # type: ignore[attr-defined]
    # Other limits are another playlist, not the kept one.
    wider = build_master_playlist(title=published, limits=PlaybackLimits(), viewer="b" * 20)
    assert {m.language for m in m3u8.loads(wider).media} == {"en", "ru"}


def test_a_master_without_a_session_keeps_its_headers_and_the_viewers_language(published: Title) -> None:
    client = Client()
    client.cookies["dastan_language"] = "ru"
    master = client.get(f"/media/watch/{published.slug}/master.m3u8")
    assert master.status_code == 200
    assert master["Content-Language"] == "ru"
    assert "frame-ancestors 'none'" in master["Content-Security-Policy"]
    assert master["X-Frame-Options"] == "DENY" and master["X-Content-Type-Options"] == "nosniff"
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in master["Vary"].split(",")}
    assert master["Cache-Control"] == "private, no-store"
    assert master["Content-Length"] == str(len(master.content))
    assert set(master.cookies) == {VIEWER_COOKIE}  # no session, no CSRF cookie
    assert open_token(m3u8.loads(master.content.decode()).playlists[0].uri.split("/")[3]).viewer
    missing = client.get("/media/watch/no-such-title/master.m3u8")
    assert missing.status_code == 404 and missing["Content-Language"] == "ru"
    assert missing.json()["code"] == "title_not_found"
    assert client.post(f"/media/watch/{published.slug}/master.m3u8").status_code == 405


def test_a_token_is_one_mac_that_a_rotated_key_still_opens_and_a_changed_one_refuses(settings: Any) -> None:
    token = sign_grant(title_id=1, prefix="titles/x", folders=["a1/v/240p"], viewer="k" * 20)
    assert "/" not in token and open_token(token).folders == ("a1/v/240p/",)
    body, mac = token.rsplit(".", 1)
    assert len(mac) == 32
    for forged in (f"{body}.{mac[:-1]}{'B' if mac[-1] == 'A' else 'A'}", f"{body[:-2]}xy.{mac}", body, ""):
        with pytest.raises(BadSignature, match="not valid"):
            open_token(forged)
    previous = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-new-key-" + "x" * 40, [previous]
    links._verified.cache_clear()  # verdicts are kept per process; the key changed under them
    assert open_token(token).title_id == 1
    settings.SECRET_KEY_FALLBACKS = []
    links._verified.cache_clear()
    with pytest.raises(BadSignature, match="not valid"):
        open_token(token)


def test_a_kept_master_with_folder_links_is_the_one_a_fresh_rendering_signs_folder_by_folder(
        published: Title, settings: Any) -> None:
    """The kept text's folder slots, filled for one viewer, give what rendering each URI
    with that viewer's FolderSigner gives: the same links, one signature per folder."""
    settings.DASTAN_CATALOG_CACHE_S = 60
    cache.clear()
    viewer = "v" * 22
    with time_machine.travel(1_900_000_000, tick=False):
        title, version = access_playable(slug=published.slug, user=None)
        kept = build_master_playlist(title=title, limits=PlaybackLimits(), viewer=viewer, edge=True)
        signer = edge_links.FolderSigner(viewer=viewer)
        video, audio, subtitles = _allowed(version, PlaybackLimits())
        fresh = render_master(video=video, audio=audio, subtitles=subtitles, uri_for=signer.url)
    body = kept.rsplit("#EXT-X-SESSION-DATA", 2)[0]
    assert body == fresh.rstrip("\n") + "\n"
    uris = [p.uri for p in m3u8.loads(kept).playlists] + [m.uri for m in m3u8.loads(kept).media if m.uri]
    assert uris and all(u.startswith(edge_links.PATH) for u in uris)
    assert 'DATA-ID="net.dastan.media.grant"' in kept


def test_the_lean_path_is_found_in_the_url_map_and_a_signed_in_viewer_goes_the_whole_way(
        published: Title, django_user_model: Any) -> None:
    found = _prefixes(get_resolver())
    assert "/media/watch/" in found and "/compute/schedule" in found and "/compute/enrol" in found
    assert not any(p.startswith(("/titles/", "/studio/", "/api/")) for p in found)  # people's pages
    viewer = django_user_model.objects.create_user("viewer", password="long enough password 1")
    client = Client()
    client.force_login(viewer)
    client.cookies["dastan_language"] = "ur"
    assert client.get(f"/media/watch/{published.slug}/master.m3u8").status_code == 200
    # RememberLanguageMiddleware, below the lean path, saw the signed-in viewer.
    assert LanguagePreference.objects.get(user=viewer).language == "ur"
