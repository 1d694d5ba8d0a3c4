"""The home node's side of remote playback: a peer asks, signed, for a grant for one of
its viewers; this node decides with its own licences and answers, signed, with a master
whose URIs are absolute and signed for the peer's site. The media it opens are served
only to that site's player (its Origin), with CORS for it, from the country the peer
named, while the peer is accepted and the licence allows."""

from __future__ import annotations

import datetime as dt
import json
import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dastan.catalog.models import Organisation, Title
from dastan.federation.identity import public_url, signing_key
from dastan.federation.models import Peer
from dastan.federation.tests.conftest import HOST, PeerServer, entry, publish_doc
from dastan.federation.tests.factories import PeerFactory
from dastan.rights.actions import grant_licence
from dastan.rights.tests.factories import terms
from dastan.signing import keys
from dastan.signing.messages import sign, verify_response
from dastan.signing.models import RefusedRequest

pytestmark = pytest.mark.django_db(transaction=True)

VIEWER = "5f" * 16


@pytest.fixture
def enforced(settings: Any) -> None:
    """Rights enforced as on a real node; the viewer's country from the proxy's header."""
    settings.DASTAN_PLAYBACK_LIMITS = "dastan.rights.playback.playback_limits"
    settings.DASTAN_SIGNED_REQUEST_CHECK = (
        "dastan.rights.playback.check_signed_request,dastan.federation.grants.check_signed_request"
    )
    settings.DASTAN_TRUSTED_PROXIES = "127.0.0.1"
    settings.DASTAN_TERRITORY_HEADERS = ["X-Country-Code"]
    settings.DASTAN_MEDIA_RECHECK_S = 0


@pytest.fixture
def almaty(peer_server: PeerServer) -> tuple[Peer, keys.PrivateKey]:
    """The viewer's node, an accepted peer, with its key published at its address."""
    key = keys.generate(f"{peer_server.url}#k-1")
    publish_doc(peer_server, entry(key))
    peer = PeerFactory.create(
        url=peer_server.url,
        name="Almaty",
        country="KZ",
        key=key,
        keys_fetched_at=timezone.now() - dt.timedelta(minutes=1),
    )
    return peer, key


@pytest.fixture
def licensed(film: Title) -> Title:
    grant_licence.execute(
        terms=terms(
            "PK-KZ-1", title_id=film.pk, territories=("KZ",), start=date(2020, 1, 1), end=None
        ),
        licensor=Organisation.objects.get(slug="lahore-films"),
    )
    return film


def ask(key: keys.PrivateKey, body: dict[str, Any]) -> tuple[Any, dict[str, str]]:
    raw = json.dumps(body).encode()
    headers = sign("POST", HOST + "/federation/grants", key=key, body=raw)
    response = Client().generic(
        "POST", "/federation/grants", raw, content_type="application/json", headers=headers
    )
    return response, headers


def verified(response: Any, request_headers: dict[str, str]) -> None:
    """The answer is this node's, for that request: its signature verifies."""
    mine = signing_key()
    verify_response(
        status=response.status_code,
        headers=dict(response.headers.items()),
        body=response.content,
        request_method="POST",
        request_url=HOST + "/federation/grants",
        request_headers=request_headers,
        lookup={mine.key_id: mine.public()}.get,
    )


def media(url: str, **headers: str) -> Any:
    return Client().get(url.removeprefix(public_url()), headers=headers)


def test_a_grant_for_a_licensed_country_opens_the_films_media_to_the_peers_player_only(
    licensed: Title, almaty: tuple[Peer, keys.PrivateKey], enforced: None
) -> None:
    peer, key = almaty
    response, sent = ask(key, {"title": "zindagi", "territory": "KZ", "viewer": VIEWER})
    assert response.status_code == 200, response.content
    verified(response, sent)
    answer = response.json()
    assert answer["ttl_s"] <= 120
    uris = re.findall(r'URI="([^"]+)"', answer["master"]) + [
        line for line in answer["master"].splitlines() if line and not line.startswith("#")
    ]
    assert uris and all(u.startswith(public_url() + "/media/s/") for u in uris), answer["master"]

    playlist = uris[-1]  # a video rendition's playlist
    ok = media(playlist, Origin=peer.url)
    assert ok.status_code == 200 and ok["Access-Control-Allow-Origin"] == peer.url
    assert "#EXTM3U" in b"".join(ok.streaming_content).decode()
    # A copied link opened directly (no Origin) or by another site's page does not play.
    direct = media(playlist)
    assert (direct.status_code, direct.json()["code"]) == (403, "other_origin")
    elsewhere = media(playlist, Origin="https://pirate.example")
    assert elsewhere.status_code == 403 and "Access-Control-Allow-Origin" not in elsewhere
    # Where this node can tell the viewer's country itself, it must be the one the peer named.
    abroad = media(playlist, Origin=peer.url, **{"X-Country-Code": "CN"})
    assert (abroad.status_code, abroad.json()["code"]) == (451, "territory_mismatch")
    assert abroad["Access-Control-Allow-Origin"] == peer.url  # the peer's player reads why

    # Once peering ends, the grant already handed out stops (DASTAN_MEDIA_RECHECK_S is 0 here)
    # and no new one is given.
    Peer.objects.filter(pk=peer.pk).update(state=Peer.State.ENDED)
    ended = media(playlist, Origin=peer.url)
    assert (ended.status_code, ended.json()["code"]) == (403, "peering_ended")
    again, _ = ask(key, {"title": "zindagi", "territory": "KZ", "viewer": VIEWER})
    assert (again.status_code, again.json()["code"]) == (403, "not_peer")


def test_a_country_or_a_copy_the_licence_does_not_cover_is_refused_with_the_reason_not_logged_as_a_bad_message(
    licensed: Title, almaty: tuple[Peer, keys.PrivateKey], enforced: None
) -> None:
    _, key = almaty
    response, sent = ask(key, {"title": "zindagi", "territory": "CN", "viewer": VIEWER})
    assert response.status_code == 451
    verified(response, sent)  # refusals are signed answers too
    body = response.json()
    assert body["code"] == "not_licensed" and "China" in body["message"], body
    assert body["hint"]
    # A copy kept on the peer needs a licence that allows downloads; this one does not.
    copy, _ = ask(key, {"title": "zindagi", "territory": "KZ", "viewer": VIEWER, "purpose": "mirror"})
    assert copy.status_code == 451 and copy.json()["code"] == "no_cache_copy"
    assert "does not allow a copy" in copy.json()["message"] and "Kazakhstan" in copy.json()["message"]
    assert not RefusedRequest.objects.exists()


def test_a_title_not_shared_with_the_peer_is_not_found(
    licensed: Title, almaty: tuple[Peer, keys.PrivateKey], enforced: None
) -> None:
    peer, key = almaty
    other = Organisation.objects.create(
        name="Karachi Pictures", slug="karachi", kind="studio", country="PK"
    )
    peer.share_all = False
    peer.save()
    peer.share_organisations.set([other])
    response, _ = ask(key, {"title": "zindagi", "territory": "KZ", "viewer": VIEWER})
    assert response.status_code == 404
    missing, _ = ask(key, {"title": "no-such-film", "territory": "KZ", "viewer": VIEWER})
    assert missing.status_code == 404
