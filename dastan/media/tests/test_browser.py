"""A generated two-language film, packaged, opened by ffprobe, parsed by m3u8 and played
by the vendored hls.js in headless Chromium, switching language mid-way."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import m3u8
import pytest

from dastan.catalog.models import Title
from dastan.jobs.services import run_queued_jobs
from dastan.media.services import submit_ingest
from dastan.media.tests.films import two_language_film
from dastan_testing.shared import chromium


@pytest.fixture
def published(transactional_db: None, tmp_path: Path) -> Title:
    title = Title.objects.create(slug="karvon", original_language="en", country_of_origin="UZ",
                                 is_published=True)
    source = two_language_film(tmp_path / "karvon.mp4", tmp_path, seconds=6, size="640x360")
    submit_ingest(title=title, path=source)
    run_queued_jobs(worker="test")
    return title


@pytest.mark.browser
@pytest.mark.slow
def test_hls_js_plays_the_film_and_switches_to_the_russian_rendition(
        published: Title, live_server: Any) -> None:
    master_url = f"{live_server.url}/media/watch/karvon/master.m3u8"

    # Links are bound to the browser's viewer cookie; ffprobe sends one of its own.
    probe = subprocess.run(["ffprobe", "-v", "error", "-headers", "Cookie: dastan_viewer=ffprobe-viewer-key-0123\r\n",
                            "-show_entries", "stream=codec_type,codec_name",
                            "-of", "json", master_url], capture_output=True, text=True, timeout=60, check=False)
    assert probe.returncode == 0, probe.stderr
    kinds = sorted({s["codec_type"] for s in json.loads(probe.stdout)["streams"]})
    assert kinds == ["audio", "video"]

    master = m3u8.load(master_url)
    audio = [(m.group_id, m.language, m.name) for m in master.media if m.type == "AUDIO"]
    assert audio == [("aud", "en", "English"), ("aud", "ru", "Русский")]
    assert {p.stream_info.audio for p in master.playlists} == {"aud"}

    ru_playlist = published.audio_renditions.get(language="ru").playlist_name
    # playwright's event loop forbids ORM calls inside the block
    with chromium() as browser:
        page = browser.new_page(bypass_csp=True)  # policy tested in web/tests/test_csp_browser.py; string predicates use eval
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        page.goto(f"{live_server.url}/media/watch/karvon/")
        page.wait_for_function("window.dastanPlayer.ready || window.dastanPlayer.error", timeout=30000)
        assert page.evaluate("window.dastanPlayer.error") is None
        page.evaluate("document.getElementById('player').play()")
        page.wait_for_function("document.getElementById('player').currentTime > 1", timeout=30000)
        tracks = page.evaluate("hls.audioTracks.map(t => [t.lang, t.name])")
        assert tracks == [["en", "English"], ["ru", "Русский"]]
        page.evaluate("""() => { window.loadedAudio = [];
            hls.on(Hls.Events.AUDIO_TRACK_LOADED, (e, d) => window.loadedAudio.push(d.id));
            hls.audioTrack = 1; }""")
        page.wait_for_function("window.loadedAudio.includes(1)", timeout=30000)
        page.wait_for_function("document.getElementById('player').currentTime > 2", timeout=30000)
        assert page.evaluate("hls.audioTracks[hls.audioTrack].lang") == "ru"
        # hls.js asks for folder links (/media/k/<signature>/<expires>/<storage folder>/<file>).
        opened = [urlsplit(u).path.split("/media/k/")[1].split("/", 2)[2].rsplit("/", 1)[0]
                  for u in requested if "/media/k/" in u]
        assert ru_playlist.rsplit("/", 1)[0] in opened
