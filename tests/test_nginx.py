"""The scale path for real: Debian's nginx, configured by `dastan nginx-config`, in front
of a live `dastan serve`. Django decides (signature, browser, rights); nginx sends the
segment bytes, which the header nginx adds shows. A tampered link is refused by Django
before nginx sends anything."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import m3u8
import pytest
import requests

from dastan.media.nginx import DECISION_HEADER, PAGE_CACHE_HEADER, SENT_BY_HEADER
from dastan.media.tests.films import film
from dastan_testing.nodes import Node, free_port, migrated_sqlite, serving, stop_process_group

SEED = """
from dastan.catalog import services
from dastan.catalog.models import Organisation
owner = Organisation.objects.create(name="Lollywood", slug="lollywood", kind="studio", country="PK")
services.create_title(by=None, owner=owner, slug="maula-jatt", kind="film", original_language="ur",
                      country_of_origin="PK", name="Maula Jatt", is_published=True)
"""


def _nginx() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        reason = ("Debian's nginx is not installed (no nginx on PATH nor /usr/sbin/nginx); "
                  "run scripts/install-system-deps. Under CI=true this test fails instead.")
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return found


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"nginx exited {proc.returncode}:\n{log.read_text(errors='replace')}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nginx did not listen on {port}")


@pytest.fixture(scope="module")
def edge(edge_site: tuple[str, Node]) -> str:
    return edge_site[0]


@pytest.fixture(scope="module")
def edge_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Node]]:
    """nginx's address, and the node behind it (for tests that run code on it)."""
    nginx = _nginx()
    home = tmp_path_factory.mktemp("nginx-home")
    node = Node(home=home, database_url=migrated_sqlite(home / 'dastan.sqlite3'),
                broker_url=f"sqla+sqlite:///{home / 'broker.sqlite3'}", queue_prefix="",
                extra_env={"DASTAN_SERVE_WORKER": "none", "DASTAN_DEBUG": "false",
                           "DASTAN_MEDIA_ACCEL_REDIRECT": "/protected-media/",
                           "DASTAN_PLAYBACK_LIMITS": "", "DASTAN_SIGNED_REQUEST_CHECK": "",
                           # Pages kept for anonymous viewers, by Django and nginx's microcache.
                           "DASTAN_CATALOG_CACHE_S": "60", "DASTAN_EDGE_CACHE_S": "30"})
    with serving(node) as served:
        node.dastan("manage", "shell", "-c", SEED)
        node.dastan("ingest", str(film(home / "master.mp4", seconds=3)), "--title", "maula-jatt", timeout_s=300)
        with _nginx_in_front(node, home / "nginx", served.url.removeprefix("http://"), nginx) as edge:
            yield edge, node


@contextlib.contextmanager
def _nginx_in_front(node: Node, run_dir: Path, upstream: str, nginx: str, **settings: str) -> Iterator[str]:
    """nginx configured by ``dastan nginx-config`` from the node's settings (and ``settings``)
    in front of ``upstream``: its address while it runs."""
    run_dir.mkdir()
    port = free_port()
    conf = run_dir / "nginx.conf"
    conf.write_text(subprocess.run(
        [sys.executable, "-m", "dastan.cli", "nginx-config", "--listen", f"127.0.0.1:{port}", "--upstream",
         upstream, "--run-dir", str(run_dir)], env=node.env(**settings), capture_output=True, text=True,
        check=True, timeout=120).stdout)
    # Run as root (a container), nginx's workers would become nobody, who may not read
    # pytest's private temporary folders; they stay the test's user instead.
    directives = "daemon off;" + (" user root;" if os.geteuid() == 0 else "")
    proc = subprocess.Popen([nginx, "-c", str(conf), "-p", str(run_dir), "-g", directives],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_for_port(port, proc, run_dir / "error.log")
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process_group(proc, sig=signal.SIGQUIT, timeout_s=10)  # nginx's graceful stop


def _first_segment(session: requests.Session, base: str) -> str:
    master = session.get(f"{base}/media/watch/maula-jatt/master.m3u8", timeout=30)
    assert master.status_code == 200, master.text
    media_uri = m3u8.loads(master.text).playlists[0].uri
    media = session.get(base + media_uri, timeout=30)
    assert media.status_code == 200, media.text
    segment = next(line for line in media.text.splitlines() if line.endswith(".m4s"))
    return base + media_uri.rsplit("/", 1)[0] + "/" + segment


def test_a_signed_segment_plays_and_its_bytes_come_from_nginx(edge: str) -> None:
    session = requests.Session()
    url = _first_segment(session, edge)
    response = session.get(url, timeout=30)
    assert response.status_code == 200
    assert response.headers[SENT_BY_HEADER] == "nginx"
    assert response.headers["Content-Type"] == "video/iso.segment"
    assert "immutable" in response.headers["Cache-Control"]
    assert "private" in response.headers["Cache-Control"]
    assert len(response.content) > 1000
    assert "X-Accel-Redirect" not in response.headers


def test_django_decides_once_per_folder_and_nginx_sends_the_rest(edge: str) -> None:
    session = requests.Session()
    first = _first_segment(session, edge)
    playlist = first.rsplit("/", 1)[0] + "/index.m3u8"
    media = session.get(playlist, timeout=30)  # asked for before, by _first_segment: Django decided then
    segments = [line for line in media.text.splitlines() if line.endswith(".m4s")]
    decisions = []
    for name in ["init.mp4", *segments, *segments]:
        response = session.get(first.rsplit("/", 1)[0] + "/" + name, timeout=30)
        assert response.status_code == 200 and response.headers[SENT_BY_HEADER] == "nginx"
        decisions.append(response.headers[DECISION_HEADER])
    assert set(decisions) == {"HIT"}, decisions
    # Another browser with the same link is asked about afresh, and refused by Django.
    stranger = requests.get(first, timeout=30)
    assert stranger.status_code == 403
    assert stranger.json()["code"] == "other_session"


def test_a_tampered_link_is_refused_before_nginx_sends_anything(edge: str) -> None:
    session = requests.Session()
    url = _first_segment(session, edge)
    head, token, rest = url.split("/media/s/", 1)[0], *url.split("/media/s/", 1)[1].split("/", 1)
    tampered = f"{head}/media/s/{token[:-2]}{'AA' if not token.endswith('AA') else 'BB'}/{rest}"
    response = session.get(tampered, timeout=30)
    assert response.status_code == 403
    assert SENT_BY_HEADER not in response.headers
    assert response.json()["message"] == "This media link is not valid."


def test_a_link_from_another_browser_is_refused_through_nginx(edge: str) -> None:
    url = _first_segment(requests.Session(), edge)
    response = requests.get(url, timeout=30)  # no viewer cookie: another browser
    assert response.status_code == 403
    assert SENT_BY_HEADER not in response.headers


def test_the_internal_location_cannot_be_asked_for_directly(edge: str) -> None:
    response = requests.get(f"{edge}/protected-media/titles/", timeout=30)
    assert response.status_code == 404


PEER_GRANT = """
import json
from dastan.catalog.models import Title
from dastan.media.playback import build_master_playlist
print(json.dumps(build_master_playlist(title=Title.objects.get(slug="maula-jatt"), viewer="f" * 32,
                                       origin="https://almaty.example", base_url="")))
"""


def test_a_peers_grant_is_sent_by_nginx_to_that_sites_player_only_with_cors(edge_site: tuple[str, Node]) -> None:
    """A grant made for a federation peer's player (dastan/federation/grants.py) is bound to
    that site's Origin: nginx sends the files with CORS for it, and its cached "yes" is
    never reused for a request without that Origin."""
    edge, node = edge_site
    master = json.loads(node.dastan("manage", "shell", "-c", PEER_GRANT).strip().splitlines()[-1])
    media_uri = m3u8.loads(master).playlists[0].uri
    peer = {"Origin": "https://almaty.example"}
    playlist = requests.get(edge + media_uri, headers=peer, timeout=30)
    assert playlist.status_code == 200, playlist.text
    segment = edge + media_uri.rsplit("/", 1)[0] + "/" + next(
        line for line in playlist.text.splitlines() if line.endswith(".m4s"))
    sent = requests.get(segment, headers=peer, timeout=30)
    assert sent.status_code == 200 and sent.headers[SENT_BY_HEADER] == "nginx"
    assert sent.headers["Access-Control-Allow-Origin"] == "https://almaty.example"
    for other in ({}, {"Origin": "https://pirate.example"}):
        refused = requests.get(segment, headers=other, timeout=30)
        assert refused.status_code == 403 and SENT_BY_HEADER not in refused.headers, refused.headers
        assert refused.json()["code"] == "other_origin"


def test_nginx_keeps_anonymous_pages_and_catalogue_answers_but_not_for_a_session(edge: str) -> None:
    for url in (f"{edge}/", f"{edge}/api/v1/catalog/titles?language=ur"):
        requests.get(url, timeout=30)
        kept = requests.get(url, timeout=30)
        assert kept.status_code == 200 and kept.headers[PAGE_CACHE_HEADER] == "HIT", (url, kept.headers)
        assert "X-Accel-Expires" not in kept.headers
        signed_in = requests.get(url, cookies={"sessionid": "anything"}, timeout=30)
        assert signed_in.headers[PAGE_CACHE_HEADER] == "BYPASS"
    russian = requests.get(f"{edge}/", cookies={"dastan_language": "ru"}, timeout=30)
    assert '<html lang="ru"' in russian.text  # the language is part of nginx's key


def test_nginx_never_keeps_a_title_page_whose_player_links_are_one_viewers(edge: str) -> None:
    session = requests.Session()
    pages = [session.get(f"{edge}/titles/maula-jatt/", timeout=30) for _ in range(2)]
    assert all(p.status_code == 200 and "private" in p.headers["Cache-Control"] for p in pages)
    assert pages[1].headers[PAGE_CACHE_HEADER] != "HIT"
    stranger = requests.get(f"{edge}/titles/maula-jatt/", timeout=30)
    token = stranger.text.split('poster="/media/s/', 1)[1].split("/", 1)[0]
    assert token not in pages[1].text  # each browser's page has links of its own


# --- folder links: nginx checks them itself (dastan/media/edge_links.py) ------------------

def _edge_first_segment(session: requests.Session, base: str) -> tuple[str, str]:
    """The first rendition's media playlist and first segment, as folder links."""
    master = session.get(f"{base}/media/watch/maula-jatt/master.m3u8?links=edge", timeout=30)
    assert master.status_code == 200, master.text
    media_uri = m3u8.loads(master.text).playlists[0].uri
    assert media_uri.startswith("/media/k/"), media_uri
    media = session.get(base + media_uri, timeout=30)
    assert media.status_code == 200, media.text
    segment = next(line for line in media.text.splitlines() if line.endswith(".m4s"))
    return base + media_uri, base + media_uri.rsplit("/", 1)[0] + "/" + segment


def test_a_folder_link_plays_and_nginx_alone_decides_and_sends(edge: str) -> None:
    session = requests.Session()
    playlist_url, segment_url = _edge_first_segment(session, edge)
    expires = int(segment_url.split("/media/k/", 1)[1].split("/")[1])
    assert expires - time.time() <= 60  # DASTAN_MEDIA_RECHECK_S: a revoked licence stops it within a minute
    for url in (playlist_url, segment_url):
        response = session.get(url, timeout=30)
        assert response.status_code == 200, response.text
        assert response.headers[SENT_BY_HEADER] == "nginx"
        assert response.headers[DECISION_HEADER] == "EDGE"  # no question to Django
        assert "private" in response.headers["Cache-Control"]
    assert response.headers["Content-Type"] == "video/iso.segment" and len(response.content) > 1000


def test_a_tampered_folder_link_or_another_browsers_is_refused_by_nginx_with_djangos_reason(edge: str) -> None:
    session = requests.Session()
    _, url = _edge_first_segment(session, edge)
    head, rest = url.split("/media/k/", 1)
    signature, expires, *folder, file = rest.split("/")
    changed = {
        "signature": f"{head}/media/k/{('A' if signature[0] != 'A' else 'B') + signature[1:]}/{expires}/{'/'.join(folder)}/{file}",
        "expiry": f"{head}/media/k/{signature}/{int(expires) + 3600}/{'/'.join(folder)}/{file}",
        "folder": f"{head}/media/k/{signature}/{expires}/{'/'.join([*folder[:-1], folder[-1] + 'x'])}/{file}",
    }
    refusals = {what: session.get(bad, timeout=30) for what, bad in changed.items()}
    refusals["another browser"] = requests.get(url, timeout=30)
    refusals["another cookie"] = requests.get(url, cookies={"dastan_viewer": "z" * 32}, timeout=30)
    for what, refused in refusals.items():
        assert refused.status_code == 403, what
        assert SENT_BY_HEADER not in refused.headers, what
        assert refused.json()["message"] == "This media link is not valid.", what


MINT = """
import time
from dastan.media.edge_links import FolderSigner
print(FolderSigner(viewer="f" * 32, expires=int(time.time()) + {shift_s}).url("{name}"))
"""


def test_an_expired_folder_link_is_refused_by_nginx_and_a_fresh_one_for_the_same_file_plays(
        edge_site: tuple[str, Node]) -> None:
    edge, node = edge_site
    _, url = _edge_first_segment(requests.Session(), edge)
    name = "/".join(url.split("/media/k/", 1)[1].split("/")[2:])  # the storage name
    viewer = {"dastan_viewer": "f" * 32}
    for shift_s, status in ((-5, 403), (30, 200)):
        minted = node.dastan("manage", "shell", "-c", MINT.format(shift_s=shift_s, name=name)).strip().splitlines()[-1]
        response = requests.get(edge + minted, cookies=viewer, timeout=30)
        assert response.status_code == status, (shift_s, response.text)
        if status == 403:
            assert SENT_BY_HEADER not in response.headers and response.json()["code"] == "link_expired"
        else:
            assert response.headers[DECISION_HEADER] == "EDGE"


def test_a_valid_folder_link_to_a_file_that_is_not_there_gets_djangos_answer(edge: str) -> None:
    """nginx opens the file without asking first (no try_files): what it cannot find goes
    to Django, which answers with the reason in the viewer's terms, not nginx's bare page."""
    session = requests.Session()
    _, url = _edge_first_segment(session, edge)
    missing = url.rsplit("/", 1)[0] + "/seg_99999.m4s"
    response = session.get(missing, timeout=30)
    assert response.status_code == 404, response.text
    assert SENT_BY_HEADER not in response.headers
    assert response.json()["message"]  # Django's reason, not nginx's HTML


CDN_MINT = """
from dastan.media.edge_links import FolderSigner
print(FolderSigner(viewer="").url("{name}"))
"""


def test_with_a_cdn_nginx_sends_a_folder_links_files_public_to_any_browser_and_refuses_a_tampered_one(
        edge_site: tuple[str, Node]) -> None:
    """DASTAN_MEDIA_CDN: the configuration checks folder links without a cookie and sends
    their files public, so a CDN in front may keep them; tampered links are still refused.
    A second nginx, generated with the setting, in front of the same node."""
    edge, node = edge_site
    _, url = _edge_first_segment(requests.Session(), edge)
    name = "/".join(url.split("/media/k/", 1)[1].split("/")[2:])  # the storage name
    cdn_env = node.env(DASTAN_MEDIA_CDN="true")
    minted = subprocess.run([sys.executable, "-m", "dastan.cli", "manage", "shell", "-c", CDN_MINT.format(name=name)],
                            env=cdn_env, capture_output=True, text=True, check=True, timeout=120)
    link = minted.stdout.strip().splitlines()[-1]
    # Where the first nginx sends to Django: the same node.
    upstream = re.search(r"upstream dastan \{\s*server ([^;]+);", (node.home / "nginx" / "nginx.conf").read_text())
    assert upstream is not None
    with _nginx_in_front(node, node.home / "nginx-cdn", upstream.group(1), _nginx(), DASTAN_MEDIA_CDN="true") as cdn:
        for cookies in ({}, {"dastan_viewer": "z" * 32}):  # any browser, or the CDN itself
            response = requests.get(cdn + link, cookies=cookies, timeout=30)
            assert response.status_code == 200, response.text
            assert response.headers[DECISION_HEADER] == "EDGE"
            assert response.headers["Cache-Control"].startswith("public, max-age=")
        signature = link.split("/")[3]
        tampered = link.replace(signature, ("A" if signature[0] != "A" else "B") + signature[1:])
        refused = requests.get(cdn + tampered, timeout=30)
        assert refused.status_code == 403 and SENT_BY_HEADER not in refused.headers
