"""A viewer on the Kazakh node presses play on the Lahore node's film and Chromium plays it
from Lahore: two `dastan serve` processes on loopback, the grant asked for by Almaty and
decided by Lahore, under both nodes' real Content-Security-Policy. A viewer from a country
the licence does not cover reads Lahore's reason. Where Lahore's licence allows, Almaty keeps
a cache copy and plays it itself, until Lahore withdraws it. Once peering ends, no grant
is given. Lahore's own `dastan serve` keeps Almaty in step (DASTAN_FEDERATION_SYNC_S).
Screenshots go to test-output/screenshots/."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from dastan.federation.tests.nodes import FILM, National, make_node, running
from dastan_testing.shared import chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-output" / "screenshots"
ZINDAGI = {
    "slug": "zindagi-gulzar-hai",
    "ur": "زندگی گلزار ہے",
    "en": "Zindagi Gulzar Hai",
    "zh": "人生如花园",
    "synopsis": "Two students in Karachi, and what their families expect of them.",
    "zh_synopsis": "卡拉奇的两名大学生，以及家人对他们的期望。",
    "licences": {"PK-KZ-SVOD-1": ["KZ", "UZ"]},
    "seconds": 10,
}
# Links live 6 s on both nodes, so the film outlives its first grant: the player renews
# through Almaty while it plays.
NODE_ENV = {"DASTAN_X264_PRESET": "ultrafast", "DASTAN_MEDIA_URL_TTL_S": "6"}
HUMSAFAR = {"slug": "humsafar", "ur": "ہمسفر", "en": "Humsafar", "licences": {"PK-KZ-CACHE-1": ["KZ"]},
            "seconds": 4, "download": True}
RUN_JOBS = """
from dastan.jobs.services import run_queued_jobs
print(run_queued_jobs(worker="test"))
"""
LASTING_LINKS = """
from django.conf import settings
from django.test import RequestFactory
from dastan.federation.mirrors import mirror_master_for_request
from dastan.federation.models import RemoteTitle
settings.DASTAN_MEDIA_URL_TTL_S = 600
request = RequestFactory().get("/", HTTP_X_COUNTRY_CODE="KZ", REMOTE_ADDR="127.0.0.1")
request.COOKIES["dastan_viewer"] = sys.argv[2]
remote = RemoteTitle.objects.select_related("peer").get(remote_slug=sys.argv[1])
print(json.dumps(mirror_master_for_request(request=request, remote=remote)))
"""
NO_DOWNLOADS = """
from datetime import date
from dastan.rights.actions import amend_licence
from dastan.rights.models import Licence
from dastan.rights.tests.factories import terms
licence = Licence.objects.get(ref=sys.argv[1])
amend_licence.execute(licence=licence, terms=terms(licence.ref, title_id=licence.title_id, territories=("KZ",),
                      start=date(2020, 1, 1), end=None, download_allowed=False))
print(json.dumps(licence.ref))
"""
OPERATOR = """
from django.contrib.auth.models import User
from dastan.accounts.models import NodeOperator
NodeOperator.objects.create(user=User.objects.create_user("operator", password="a-long-operator-password"))
print(1)
"""
REACCEPT = """
from dastan.federation.models import Peer
print(Peer.objects.filter(url=sys.argv[1]).update(state="accepted"))
"""
RENEW = """async (lahore) => {
  const tokenOf = (u) => /\\/media\\/s\\/([^/]+)\\//.exec(u)[1];
  const segment = performance.getEntriesByType("resource").map((e) => e.name)
    .find((u) => u.startsWith(lahore + "/media/s/") && u.endsWith(".m4s"));
  const old = await fetch(segment);
  const master = await (await fetch(document.querySelector(".player").dataset.master)).text();
  const fresh = await fetch(segment.replace(tokenOf(segment), tokenOf(master)));
  return [old.status, (await old.json()).code, tokenOf(master) !== tokenOf(segment), fresh.status];
}"""
WATCH = """window.cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.cspViolations.push(
    e.violatedDirective + ' ' + (e.blockedURI || 'inline')));"""


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[National, National, str]]:
    """Lahore (home of the film) and Almaty, peered; Almaty has the film in its catalogue.
    Yields both and the film's address on Almaty."""
    root = tmp_path_factory.mktemp("nodes")
    # Lahore's `dastan serve` syncs with its peers every second, by itself.
    a = make_node(root, "Lahore", "PK", env={**NODE_ENV, "DASTAN_FEDERATION_SYNC_S": "1"})
    b = make_node(root, "Almaty", "KZ", env=NODE_ENV)
    with running(a, b):
        a.run(FILM, json.dumps(ZINDAGI))
        b.dastan("federation", "follow", a.url)
        a.dastan("federation", "accept", b.url)
        wait_for(lambda: b.query("SELECT count(*) FROM federation_remotetitle") == [(1,)], "the film on Almaty", a)
        yield a, b, f"{b.url}/titles/zindagi-gulzar-hai--lahore/"


def wait_for(done: Callable[[], bool], what: str, home: National, timeout_s: float = 60) -> None:
    """Lahore's `dastan serve` syncs by itself every second: wait for what it brings."""
    deadline = time.monotonic() + timeout_s
    while not done():
        assert time.monotonic() < deadline, f"no {what} after {timeout_s} s:\n{home.log()}"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


def viewer_in(browser: Any, node: National, country: str) -> tuple[Any, list[str]]:
    """A page whose requests to ``node`` say the viewer is in ``country``, as the node's
    proxy would; its requests to other sites (the home node's media) say nothing."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH)
    context.route(
        f"{node.url}/**",
        lambda route, request: route.continue_(
            headers={**request.headers, "x-country-code": country}
        ),
    )
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    return page, requested


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def refusal(page: Any) -> str:
    page.wait_for_selector(".player-refused", timeout=30000)
    return str(page.inner_text(".player-refused"))


def test_a_viewer_in_kazakhstan_plays_the_lahore_film_from_lahore_through_a_grant(
    pair: tuple[National, National, str], browser: Any
) -> None:
    a, b, film_page = pair
    page, requested = viewer_in(browser, b, "KZ")
    response = page.goto(film_page, wait_until="networkidle")
    policy = response.headers["content-security-policy"]
    assert (
        f"media-src 'self' blob: {a.url}" in policy
        and f"connect-src 'self' blob: {a.url}" in policy
    ), policy
    assert "From the Lahore node" in page.inner_text(".home-node")
    # Nothing is asked of Lahore before the viewer presses play.
    assert not [u for u in requested if "/federation/play/" in u or u.startswith(a.url)]

    page.click("[data-action=play]")
    page.wait_for_function("() => document.getElementById('player').currentTime > 7", timeout=60000)
    shot(page, "federation-remote-play-kz")
    from_lahore = [u for u in requested if u.startswith(a.url + "/media/s/")]
    assert any(u.endswith(".m4s") for u in from_lahore), requested
    assert [u for u in requested if u.startswith(b.url + "/federation/play/")], (
        "the master came through Almaty"
    )
    assert not [u for u in requested if u.startswith(b.url + "/media/")], (
        "no media bytes pass through Almaty"
    )
    assert page.evaluate("() => window.dastanPlayer.error") is None
    # The first grant (6 s) has lapsed: Lahore refuses its links now, saying why, to this
    # page; asking Almaty again gives a fresh grant whose links Lahore serves.
    expired_status, expired_code, renewed, fresh_status = page.evaluate(RENEW, a.url)
    assert (expired_status, expired_code) == (403, "link_expired")
    assert renewed and fresh_status == 200
    assert page.evaluate("() => window.cspViolations") == []
    page.context.close()


def test_a_viewer_in_china_is_told_why_by_the_films_home_node(
    pair: tuple[National, National, str], browser: Any
) -> None:
    a, _, film_page = pair
    page, requested = viewer_in(browser, pair[1], "CN")
    page.goto(film_page, wait_until="networkidle")
    page.click("[data-action=play]")
    said = refusal(page)
    assert "China" in said, said  # Lahore's licence for KZ and UZ does not reach China
    shot(page, "federation-remote-refused-cn")
    assert not [u for u in requested if u.startswith(a.url + "/media/")]
    page.context.close()


def test_screenshots_the_lahore_film_on_almaty_in_urdu_and_chinese_and_lahores_peers_ledger(
        pair: tuple[National, National, str], browser: Any) -> None:
    a, b, film_page = pair
    for language, name in (("ur", "زندگی گلزار ہے"), ("zh-hans", "人生如花园")):
        page, _ = viewer_in(browser, b, "KZ")
        page.context.add_cookies([{"name": "dastan_language", "value": language, "url": b.url}])
        page.goto(film_page, wait_until="networkidle")
        assert name in page.inner_text("h1") and page.locator(".home-node").count() == 1
        assert page.evaluate("() => document.documentElement.dir") == ("rtl" if language == "ur" else "ltr")
        shot(page, f"federation-remote-title-{language}")
        page.context.close()

    a.run(OPERATOR)
    page, _ = viewer_in(browser, a, "PK")
    page.goto(a.url + "/federation/peers/")
    page.fill("#id_username", "operator")
    page.fill("#id_password", "a-long-operator-password")
    page.click("form.login-form button[type=submit]")
    page.wait_for_url(a.url + "/federation/peers/")
    ledger = page.inner_text("#peer-ledger")
    assert "Almaty" in ledger and "Accepted" in ledger, ledger
    shot(page, "federation-peers-ledger")
    page.context.close()


def test_almaty_keeps_a_cache_copy_where_lahores_licence_allows_and_drops_it_when_lahore_withdraws(
        pair: tuple[National, National, str]) -> None:
    a, b, _ = pair
    a.run(FILM, json.dumps(HUMSAFAR))
    wait_for(lambda: b.query("SELECT count(*) FROM federation_remotetitle") == [(2,)], "Humsafar on Almaty", a)
    assert "2 titles considered" in b.dastan("federation", "mirror", a.url, "on")
    assert b.run(RUN_JOBS) == 1  # one copy: Zindagi's licence allows no downloads, Humsafar's does
    [(prefix, version)] = b.query("SELECT mirror_prefix, mirror_version FROM federation_remotetitle "
                                  "WHERE mirror_prefix != ''")
    assert (prefix, version) == ("mirrors/lahore/humsafar/v1/", 1)

    viewer = requests.Session()
    viewer.headers["X-Country-Code"] = "KZ"
    master = viewer.get(f"{b.url}/federation/play/humsafar--lahore/master.m3u8", timeout=30)
    assert master.status_code == 200 and a.url not in master.text, master.text  # it plays from Almaty
    playlist_uri = next(line for line in master.text.splitlines() if line.startswith("/media/s/"))
    playlist = viewer.get(b.url + playlist_uri, timeout=30)
    segment = b.url + playlist_uri.rsplit("/", 1)[0] + "/" + next(
        line for line in playlist.text.splitlines() if line.endswith(".m4s"))
    assert viewer.get(segment, timeout=30).status_code == 200
    # A link to the copy handed out just before Lahore withdraws it, living 10 minutes.
    lasting = b.run(LASTING_LINKS, "humsafar", str(viewer.cookies["dastan_viewer"]))
    lasting_uri = next(line for line in lasting.splitlines() if line.startswith("/media/s/"))
    lasting_segment = b.url + lasting_uri.rsplit("/", 1)[0] + "/" + segment.rsplit("/", 1)[1]
    assert viewer.get(lasting_segment, timeout=30).status_code == 200
    # Only this node's viewers in a licensed country: its own decision, with Lahore's facts.
    abroad = viewer.get(f"{b.url}/federation/play/humsafar--lahore/master.m3u8", headers={"X-Country-Code": "CN"})
    assert abroad.status_code == 451 and "China" in abroad.json()["message"]

    # Lahore's licence stops allowing downloads: within one sync Almaty no longer serves
    # its copy, deletes it, and the film plays from Lahore again.
    a.run(NO_DOWNLOADS, "PK-KZ-CACHE-1")
    wait_for(lambda: b.query("SELECT count(*) FROM federation_remotetitle WHERE mirror_prefix != ''") == [(0,)],
             "the copy withdrawn", a)
    # Refused as withdrawn, or, while the node still trusts its last check of that link
    # (DASTAN_MEDIA_RECHECK_S), not found: its files are gone.
    gone = viewer.get(lasting_segment, timeout=30)
    assert (gone.status_code, gone.json()["code"]) in ((410, "mirror_withdrawn"), (404, "not_found")), gone.text
    assert not [path for path in (b.node.home / "media" / prefix).rglob("*") if path.is_file()]
    again = viewer.get(f"{b.url}/federation/play/humsafar--lahore/master.m3u8", timeout=30)
    assert again.status_code == 200 and f"{a.url}/media/s/" in again.text


def test_once_peering_ends_no_grant_is_given_and_the_viewer_is_told(
    pair: tuple[National, National, str], browser: Any
) -> None:
    a, b, film_page = pair
    a.dastan("federation", "end", b.url, "--reason", "contract renegotiation")
    # Almaty was told and refuses itself; were it not (its row still says accepted),
    # Lahore refuses the grant: both say the same to the viewer.
    for stale in (False, True):
        if stale:
            b.run(REACCEPT, a.url)
        page, requested = viewer_in(browser, b, "KZ")
        page.goto(film_page, wait_until="networkidle")
        page.click("[data-action=play]")
        assert "no longer shares its films" in refusal(page)
        assert not [u for u in requested if u.startswith(a.url + "/media/")]
        page.context.close()
    [(code,)] = a.query("SELECT code FROM signing_refusedrequest WHERE path = '/federation/grants'")
    assert code == "not_peer"
