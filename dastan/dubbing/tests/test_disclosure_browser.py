"""Disclosure in the player, in headless Chromium on a real HLS package with an AI
voice-over: a viewer placed in China (by the same territory resolver playback uses)
sees the start-of-playback label for at least 2 s; a viewer in Kazakhstan sees the
default, unobtrusive notice and no label. Screenshots: /tmp/shots/dub-*.png."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files import storage as storage_module

from dastan.catalog.demo import load_demo
from dastan.catalog.models import Title
from dastan.dubbing import disclosure
from dastan.jobs.services import run_queued_jobs
from dastan.media.renditions import add_audio_rendition
from dastan.media.services import submit_ingest
from dastan.media.tests.films import film, speech_wav

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path("/tmp/shots")
SLUG = "noori-jatt"


@pytest.fixture
def streamed(transactional_db: None, tmp_path: Path, settings: Any) -> Iterator[Title]:
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "storage"), "base_url": "/media/"}}}
    settings.DASTAN_X264_PRESET, settings.DASTAN_PLAYBACK_LIMITS, settings.DASTAN_SIGNED_REQUEST_CHECK = \
        "ultrafast", "", ""
    settings.DASTAN_TRUSTED_PROXIES = "127.0.0.1"  # the test's browser stands in for a CDN stating the country
    storage_module.default_storage._setup()  # type: ignore[attr-defined]
    # A transactional test before this one flushed every table, the seeded rules with them.
    disclosure.seed_rules()
    load_demo(io.StringIO())
    title = Title.objects.get(slug=SLUG)
    urdu = speech_wav(tmp_path / "ur.wav", text="قافلہ صبح سویرے سمرقند پہنچا", voice="ur")
    submit_ingest(title=title, path=film(tmp_path / "film.mp4", seconds=6, audio=(), audio_files=((urdu, "urd"),)))
    run_queued_jobs(worker="test")
    chinese = speech_wav(tmp_path / "zh.wav", text="商队黎明时抵达撒马尔罕", voice="cmn")
    add_audio_rendition(title=title, language="zh-Hans", audio_file=chinese, kind="voice-over",
                        provenance={"engine": "espeak-ng", "model": "cmn", "version": "1.51", "settings": {}})
    yield title


def _viewer(browser: Any, url: str, *, country: str, language: str) -> Any:
    context = browser.new_context(viewport={"width": 1100, "height": 900}, bypass_csp=True,
                                  extra_http_headers={"CF-IPCountry": country})
    context.add_cookies([{"name": "dastan_language", "value": language, "url": url}])
    page = context.new_page()
    page.goto(f"{url}/titles/{SLUG}/", wait_until="networkidle")
    page.wait_for_function("window.dastanPlayer && (window.dastanPlayer.ready || window.dastanPlayer.error)",
                           timeout=30000)
    return page


def test_a_viewer_in_china_sees_the_ai_label_for_at_least_two_seconds(
        streamed: Title, browser: Any, live_server: Any) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = _viewer(browser, live_server.url, country="CN", language="zh-hans")
    assert page.evaluate("dastanPlayer.hls.audioTracks[dastanPlayer.hls.audioTrack].lang") == "zh-Hans"
    page.evaluate("document.getElementById('player').play()")
    page.wait_for_selector(".ai-label", state="visible", timeout=45000)  # playback starts slowly on a loaded machine
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / "dub-cn-viewer.png"))
    assert page.locator(".ai-label").inner_text() == "AI-generated · 人工智能生成"
    page.wait_for_selector(".ai-label", state="hidden", timeout=10000)
    shown, hidden = page.evaluate("[dastanDisclosure.shown[0], dastanDisclosure.hidden[0]]")
    assert hidden - shown >= 2000, (shown, hidden)
    marking = json.loads(page.locator("data.ai-marking").get_attribute("value"))
    assert marking["ai_generated"] is True and marking["audio"] == ["zh-Hans"] and marking["rule"] == "CN"
    assert "prominent" in page.locator(".ai-notice").get_attribute("class")


def test_a_viewer_in_kazakhstan_sees_the_default_notice_and_no_label(
        streamed: Title, browser: Any, live_server: Any) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = _viewer(browser, live_server.url, country="KZ", language="ru")
    assert page.locator(".ai-label").count() == 0
    notice = page.locator(".ai-notice")
    assert notice.get_attribute("data-rule") == "*" and "ai-notice-unobtrusive" in notice.get_attribute("class")
    assert "ИИ-озвучка" in notice.inner_text()
    page.evaluate("document.getElementById('player').play()")
    page.wait_for_function("document.getElementById('player').currentTime > 1", timeout=30000)
    page.screenshot(path=str(SHOTS / "dub-kz-viewer.png"))
    assert json.loads(page.locator("data.ai-marking").get_attribute("value"))["rule"] == "*"
