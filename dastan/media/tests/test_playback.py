"""The per-viewer master: filtered by the rights decision, every URI signed and short-lived."""

from __future__ import annotations

import time
from pathlib import Path

import m3u8
import pytest
from django.test import Client

from dastan.catalog.models import Title
from dastan.jobs.services import run_queued_jobs
from dastan.media.errors import BadSignature
from dastan.media.playback import (
    PlaybackLimits,
    PlaybackNotAllowed,
    build_master_playlist,
    name_in_grant,
    open_token,
    sign_prefix,
)
from dastan.media.services import submit_ingest

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(title: Title, bilingual_film: Path) -> Title:
    submit_ingest(title=title, path=bilingual_film)
    run_queued_jobs(worker="test")
    return title


def test_the_master_lists_only_the_languages_and_heights_the_decision_allows(published: Title) -> None:
    limits = PlaybackLimits(audio_languages=frozenset({"ru"}), max_height=240,
                            claims={"territory": "KZ"})
    master = m3u8.loads(build_master_playlist(title=published, limits=limits))
    assert [m.language for m in master.media] == ["ru"]
    assert [p.stream_info.resolution for p in master.playlists] == [(426, 240)]
    token = master.playlists[0].uri.split("/")[3]
    grant = open_token(token)
    assert grant.claims["territory"] == "KZ" and grant.prefix.endswith("/v/240p/")


def test_a_decision_that_leaves_no_sound_is_refused_in_words(published: Title) -> None:
    with pytest.raises(PlaybackNotAllowed, match="No sound of 'maula-jatt-test' may be played here"):
        build_master_playlist(title=published, limits=PlaybackLimits(audio_languages=frozenset({"fa"})))


def test_a_signed_url_serves_the_playlist_and_its_segments_through_the_same_token(published: Title) -> None:
    client = Client()
    master = m3u8.loads(client.get(f"/media/watch/{published.slug}/master.m3u8").content.decode())
    playlist_url = master.playlists[0].uri
    response = client.get(playlist_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.apple.mpegurl"
    media = m3u8.loads(b"".join(response.streaming_content).decode())  # type: ignore[attr-defined]
    segment_url = playlist_url.rsplit("/", 1)[0] + "/" + media.segments[0].uri
    segment = client.get(segment_url)
    assert segment.status_code == 200 and len(b"".join(segment.streaming_content)) > 1000  # type: ignore[attr-defined]


def test_a_token_does_not_open_files_outside_its_folder(published: Title) -> None:
    grant = open_token(sign_prefix(prefix="titles/maula-jatt-test/a1/v/240p"))
    with pytest.raises(BadSignature, match="does not open that file"):
        name_in_grant(grant, "../../mezzanine/x.mp4")
    response = Client().get(f"/media/s/{sign_prefix(prefix='titles/x/a1/v/240p')}/..%2F..%2Fsecret")
    assert response.status_code in (403, 404)


def test_an_expired_or_forged_token_is_refused_with_a_fresh_link_hint() -> None:
    expired = sign_prefix(prefix="titles/x/a1/v/240p", ttl_s=-1)
    with pytest.raises(BadSignature, match="expired"):
        open_token(expired)
    response = Client().get(f"/media/s/{expired[:-3]}abc/index.m3u8")
    assert response.status_code == 403
    assert response.json()["message"] == "This media link is not valid."


def test_the_accel_redirect_setting_lets_the_web_server_send_the_bytes(published: Title, settings: object) -> None:
    settings.DASTAN_MEDIA_ACCEL_REDIRECT = "/protected-media/"  # type: ignore[attr-defined]
    client = Client()
    master = m3u8.loads(client.get(f"/media/watch/{published.slug}/master.m3u8").content.decode())
    response = client.get(master.playlists[0].uri)
    assert response["X-Accel-Redirect"].startswith("/protected-media/titles/maula-jatt-test/")
    assert response.content == b""


def test_signing_happens_per_request_so_a_link_expires(published: Title) -> None:
    master = m3u8.loads(build_master_playlist(title=published, ttl_s=1))
    token = master.playlists[0].uri.split("/")[3]
    assert open_token(token).expires_at <= time.time() + 1


def refuse_outside_kz(request: object, claims: dict[str, object]) -> None:
    from dastan.errors import DastanError

    if claims.get("territory") != request.META.get("HTTP_X_TEST_COUNTRY"):  # type: ignore[attr-defined]
        raise DastanError("This link was issued for Kazakhstan.", "Open the title again.",
                          code="territory_mismatch", status=451)


def test_the_signed_request_hook_refuses_a_link_replayed_elsewhere(published: Title, settings: object) -> None:
    settings.DASTAN_SIGNED_REQUEST_CHECK = f"{__name__}.refuse_outside_kz"  # type: ignore[attr-defined]
    master = m3u8.loads(build_master_playlist(title=published, limits=PlaybackLimits(claims={"territory": "KZ"})))
    url = master.playlists[0].uri
    assert Client().get(url, HTTP_X_TEST_COUNTRY="KZ").status_code == 200
    replay = Client().get(url, HTTP_X_TEST_COUNTRY="RU")
    assert replay.status_code == 451 and replay.json()["code"] == "territory_mismatch"
