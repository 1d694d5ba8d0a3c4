"""Folder links (dastan/media/edge_links.py): a master asked for with ``?links=edge`` points
every rendition at ``/media/k/<signature>/<expires>/<folder>/``, which the web server
checks itself; where no nginx runs, Django checks the same signature, expiry and cookie,
so the embedded default plays them too. (nginx's own check: tests/test_nginx.py.)"""

from __future__ import annotations

import time
from typing import Any

import m3u8
import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from dastan.catalog.models import Title
from dastan.media import edge_links
from dastan.media.links import VIEWER_COOKIE
from dastan.media.publishing import unpublish_title
from dastan.media.tests.conftest import response_text as _body

pytestmark = pytest.mark.django_db


def _edge_master(client: Client, title: Title) -> Any:
    response = client.get(f"/media/watch/{title.slug}/master.m3u8?links=edge")
    assert response.status_code == 200, response.content
    return response


def _first_segment(client: Client, master_text: str) -> str:
    playlist_url = m3u8.loads(master_text).playlists[0].uri
    media = client.get(playlist_url)
    assert media.status_code == 200, _body(media)
    return playlist_url.rsplit("/", 1)[0] + "/" + m3u8.loads(_body(media)).segments[0].uri


def test_a_master_asked_for_edge_links_points_every_rendition_at_a_folder_link_living_the_recheck_window(
        published: Title, settings: Any) -> None:
    settings.DASTAN_MEDIA_RECHECK_S = 60
    client = Client()
    text = _edge_master(client, published).content.decode()
    master = m3u8.loads(text)
    uris = [p.uri for p in master.playlists] + [m.uri for m in master.media if m.uri]
    assert uris and all(u.startswith("/media/k/") for u in uris), uris
    for uri in uris:
        _, _, _, signature, expires, *folder, _file = uri.split("/")
        assert 58 <= int(expires) - time.time() <= 60  # a revoked licence stops them within the window
        assert signature == edge_links.signature(folder="/".join(folder) + "/", expires=int(expires),
                                                 viewer=client.cookies[VIEWER_COOKIE].value)
    # The grant's own token comes along, for the poster and storyboard, and when to renew.
    assert 'DATA-ID="net.dastan.media.grant",VALUE="/media/s/' in text
    assert 'DATA-ID="net.dastan.media.renew-s",VALUE="30"' in text
    # Without the query (a browser's own HLS, which cannot renew), the grant's links as before.
    plain = m3u8.loads(client.get(f"/media/watch/{published.slug}/master.m3u8").content.decode())
    assert all(p.uri.startswith("/media/s/") for p in plain.playlists)


def test_without_nginx_django_sends_the_files_of_a_folder_link_itself(published: Title) -> None:
    client = Client()
    segment = client.get(_first_segment(client, _edge_master(client, published).content.decode()))
    assert segment.status_code == 200
    assert segment["Content-Type"] == "video/iso.segment"
    assert len(b"".join(segment.streaming_content)) > 1000  # type: ignore[attr-defined]


def test_a_folder_link_in_another_browser_or_tampered_is_refused(published: Title) -> None:
    viewer = Client()
    url = _first_segment(viewer, _edge_master(viewer, published).content.decode())
    _, _, _, signature, expires, *folder, file = url.split("/")
    other_folder = "/".join([*folder[:-1], folder[-1] + "x"])
    tampered = {
        "another browser": (Client(), url),
        "another cookie": (Client(HTTP_COOKIE=f"{VIEWER_COOKIE}={'z' * 32}"), url),
        "signature": (viewer, url.replace(signature, ("A" if signature[0] != "A" else "B") + signature[1:])),
        "expiry": (viewer, url.replace(f"/{expires}/", f"/{int(expires) + 3600}/")),
        "folder": (viewer, f"/media/k/{signature}/{expires}/{other_folder}/{file}"),
    }
    for what, (client, changed) in tampered.items():
        refused = client.get(changed)
        assert refused.status_code == 403, what
        assert refused.json() == {"code": "bad_signature", "message": "This media link is not valid.",
                                  "hint": "Reload the page to get a fresh link."}, what


def test_a_folder_link_opens_nothing_above_its_folder(published: Title) -> None:
    viewer = Client()
    url = _first_segment(viewer, _edge_master(viewer, published).content.decode())
    _, _, _, signature, expires, *folder, _file = url.split("/")
    for rest in ("../master.m3u8", "a/../../x"):
        response = viewer.get(f"/media/k/{signature}/{expires}/{'/'.join(folder)}/{rest}")
        assert response.status_code in (403, 404)


def test_a_folder_link_lapses_with_the_recheck_window_and_the_renewed_master_opens_it_again(
        published: Title, settings: Any) -> None:
    settings.DASTAN_MEDIA_RECHECK_S = 20
    viewer = Client()
    with time_machine.travel(time.time(), tick=True) as traveller:  # the clock moves on; no waiting
        url = _first_segment(viewer, _edge_master(viewer, published).content.decode())
        assert viewer.get(url).status_code == 200
        traveller.shift(21)
        late = viewer.get(url)
        assert late.status_code == 403 and late.json()["code"] == "link_expired"
        assert viewer.get(_first_segment(viewer, _edge_master(viewer, published).content.decode())).status_code == 200


def test_an_unpublished_title_mints_no_more_folder_links_and_those_out_lapse_within_the_window(
        published: Title, settings: Any) -> None:
    viewer = Client()
    with time_machine.travel(time.time(), tick=True) as traveller:
        url = _first_segment(viewer, _edge_master(viewer, published).content.decode())
        unpublish_title(title=published, by=None)
        renewal = viewer.get(f"/media/watch/{published.slug}/master.m3u8?links=edge")
        assert renewal.status_code == 404
        traveller.shift(edge_links.ttl_s() + 1)
        assert viewer.get(url).status_code == 403


def test_folder_links_are_not_offered_when_every_request_must_be_rechecked(published: Title, settings: Any) -> None:
    settings.DASTAN_MEDIA_RECHECK_S = 0
    text = _edge_master(Client(), published).content.decode()
    assert "/media/k/" not in text and "/media/s/" in text


def test_a_secret_nginx_cannot_hold_names_the_setting_and_how_to_make_one(settings: Any) -> None:
    settings.DASTAN_MEDIA_EDGE_SECRET = 'short"; return 200;'
    with pytest.raises(ImproperlyConfigured, match="DASTAN_MEDIA_EDGE_SECRET must be at least 32"):
        edge_links.secret()
    settings.DASTAN_MEDIA_EDGE_SECRET = "s" * 40
    assert edge_links.secret() == "s" * 40


# Paths after a link's token or signature that open nothing, whichever kind of link.
OUTSIDE = ("", "/etc/passwd", "../master.m3u8", "a1/v/240p/../../../mezzanine/x.mp4", "a1/../../x",
           "a1//v/240p/seg.m4s", "a1/v/240p/", "a1/v/240p/..", "..")


@pytest.mark.parametrize("path", OUTSIDE)
def test_both_kinds_of_link_refuse_a_path_outside_them_alike(path: str) -> None:
    from django.test import RequestFactory

    from dastan.media.errors import BadSignature
    from dastan.media.links import name_in_grant, open_token, sign_grant

    grant = open_token(sign_grant(title_id=1, prefix="titles/x/", folders=["a1/v/240p"], viewer="k" * 20))
    request = RequestFactory().get("/", HTTP_COOKIE=f"{VIEWER_COOKIE}={'k' * 32}")
    folder = path.rsplit("/", 1)[0] + "/"
    expires = int(time.time()) + 60
    signed = edge_links.signature(folder=folder, expires=expires, viewer="k" * 32)  # a valid signature
    refusals = []
    for check in (lambda: name_in_grant(grant, path),
                  lambda: edge_links.check_request(request=request, signed=signed, expires=expires, path=path)):
        with pytest.raises(BadSignature) as refused:
            check()
        refusals.append((refused.value.code, refused.value.message))
    assert refusals[0] == refusals[1] == ("outside_grant", "This media link does not open that file.")


def test_for_a_cdn_every_viewer_gets_the_same_folder_links_which_any_cache_may_keep_while_they_live(
        published: Title, settings: Any) -> None:
    """DASTAN_MEDIA_CDN: one URL per folder for every viewer asking within half the window,
    files sent public, no cookie needed; tampering and expiry are still refused."""
    settings.DASTAN_MEDIA_CDN = True
    settings.DASTAN_MEDIA_RECHECK_S = 60
    with time_machine.travel(1_800_000_007, tick=False) as traveller:
        one, two = Client(), Client(HTTP_COOKIE=f"{VIEWER_COOKIE}={'z' * 32}")
        first, second = (_edge_master(c, published).content.decode() for c in (one, two))
        assert m3u8.loads(first).playlists[0].uri == m3u8.loads(second).playlists[0].uri
        assert 'DATA-ID="net.dastan.media.renew-s",VALUE="15"' in first  # before the shortest life
        url = _first_segment(one, first)
        expires = int(url.split("/")[4])
        assert 30 < expires - 1_800_000_007 <= 60
        anyone = Client().get(url)  # no cookie: what a CDN's request to the node looks like
        assert anyone.status_code == 200, _body(anyone)
        assert anyone["Cache-Control"] == "public, max-age=60, immutable"
        tampered = url.replace(f"/{expires}/", f"/{expires + 30}/")
        assert Client().get(tampered).status_code == 403
        traveller.shift(expires - 1_800_000_007 + 1)
        late = Client().get(url)
        assert late.status_code == 403 and late.json()["code"] == "link_expired"


def test_folder_links_stay_bound_to_the_browser_and_private_without_a_cdn(published: Title) -> None:
    viewer = Client()
    url = _first_segment(viewer, _edge_master(viewer, published).content.decode())
    assert viewer.get(url)["Cache-Control"].startswith("private, ")
    assert Client().get(url).status_code == 403
