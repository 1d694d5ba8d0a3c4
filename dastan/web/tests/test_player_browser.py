"""The title page's player in headless Chromium, on a real HLS package: a generated
Urdu film with a machine-made Russian voice-over and English, Chinese and Urdu
subtitles added through the media app. Menus are clicked, keys pressed, the page
reloaded; axe-core checks each page and screenshots go to test-output/screenshots/."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files import storage as storage_module

from dastan.catalog.demo import load_demo
from dastan.catalog.models import Title
from dastan.jobs.services import run_queued_jobs
from dastan.media.links import open_token
from dastan.media.renditions import add_audio_rendition, add_subtitle_rendition
from dastan.media.services import submit_ingest
from dastan.media.tests.films import film, speech_wav
from dastan.rights.actions import grant_licence
from dastan.rights.tests.factories import terms
from dastan_testing.shared import chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-output" / "screenshots"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
SLUG = "noori-jatt"  # a demo title with Urdu, English, Russian and Chinese texts
CUES = {"en": "The caravan reached Samarkand at dawn.", "zh-Hans": "商队黎明时抵达撒马尔罕。",
        "ur": "قافلہ صبح سویرے سمرقند پہنچا۔"}


@pytest.fixture
def storage_root(tmp_path: Path, settings: Any) -> Iterator[Path]:
    root = tmp_path / "storage"
    root.mkdir()
    # Through the settings wrapper, which undoes every change of the test in order
    # (a nested override_settings leaked its values into later tests).
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(root), "base_url": "/media/"}}}
    settings.DASTAN_X264_PRESET, settings.DASTAN_PLAYBACK_LIMITS, settings.DASTAN_SIGNED_REQUEST_CHECK = \
        "ultrafast", "", ""
    storage_module.default_storage._setup()  # type: ignore[attr-defined]
    yield root


@pytest.fixture
def film_title(transactional_db: None, storage_root: Path, tmp_path: Path) -> dict[str, str]:
    """The demo catalog, with 'noori-jatt' streamed: Urdu sound, a machine Russian
    voice-over, and subtitles. Returns the audio playlist folder of each language."""
    load_demo(io.StringIO())
    title = Title.objects.get(slug=SLUG)
    urdu = speech_wav(tmp_path / "ur.wav", text="قافلہ صبح سویرے سمرقند پہنچا", voice="ur")
    source = film(tmp_path / "film.mp4", seconds=5, audio=(), audio_files=((urdu, "urd"),))
    submit_ingest(title=title, path=source)
    run_queued_jobs(worker="test")
    russian = speech_wav(tmp_path / "ru.wav", text="Караван пришёл в Самарканд на рассвете.", voice="ru")
    add_audio_rendition(title=title, language="ru", audio_file=russian, kind="voice-over",
                        provenance={"engine": "espeak-ng", "model": "ru", "version": "1", "settings": {}})
    for language, text in CUES.items():
        vtt = tmp_path / f"{language}.vtt"
        vtt.write_text(f"WEBVTT\n\n00:00:00.000 --> 00:00:04.500\n{text}\n", encoding="utf-8")
        add_subtitle_rendition(title=title, language=language, vtt_file=vtt, machine_made=language == "zh-Hans")
    return {a.language: a.playlist_name.rsplit("/", 1)[0] + "/" for a in title.audio_renditions.all()}


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


def open_page(browser: Any, url: str, *, language: str, width: int = 1280, path: str = f"/titles/{SLUG}/",
              master: Callable[[Any, Any], None] | None = None, headers: dict[str, str] | None = None,
              scripts: dict[str, Callable[[Any, Any], None]] | None = None, until: str = "networkidle",
              ) -> tuple[Any, list[str]]:
    """``master``, a playwright route handler, answers the page's requests for the master
    playlist (the viewer's network or country changing after the page was made);
    ``scripts`` maps URL patterns to handlers (a script the browser cannot run)."""
    # The policy itself is tested in test_csp_browser.py; here string predicates must run (eval).
    context = browser.new_context(viewport={"width": width, "height": 900 if width > 600 else 844}, bypass_csp=True)
    context.add_cookies([{"name": "dastan_language", "value": language, "url": url}])
    if headers:
        context.set_extra_http_headers(headers)
    if master is not None:
        context.route("**/master.m3u8*", master)  # hls.js asks with ?links=edge
    for pattern, handler in (scripts or {}).items():
        context.route(pattern, handler)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url + path, wait_until=until)
    page.evaluate("document.fonts.ready.then(() => true)")
    return page, requested


def wait_ready(page: Any) -> None:
    page.wait_for_function("window.dastanPlayer && (window.dastanPlayer.ready || window.dastanPlayer.error)",
                           timeout=30000)
    assert page.evaluate("window.dastanPlayer.error") is None


def audio_prefixes(requested: list[str], audio: dict[str, str]) -> list[str]:
    """The languages of the audio playlists the page asked for, in order."""
    language_of = {folder: language for language, folder in audio.items()}
    def folder(url: str) -> str:  # the storage folder of a grant's link or of a folder link
        if "/media/k/" in url:  # /media/k/<signature>/<expires>/<storage folder>/index.m3u8
            return url.split("/media/k/")[1].split("/", 2)[2].rsplit("/", 1)[0] + "/"
        token, rest = url.split("/media/s/")[1].split("/", 1)  # /media/s/<token>/<folder>/index.m3u8
        return open_token(token).prefix + rest.rsplit("/", 1)[0] + "/"

    prefixes = [folder(u) for u in requested if ("/media/s/" in u or "/media/k/" in u) and ".m3u8" in u]
    return [language_of[p] for p in prefixes if p in language_of]


def serious_violations(page: Any) -> list[tuple[str, str, int]]:
    page.evaluate(AXE.read_text())  # not add_script_tag: the CSP refuses an inline <script>
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"], len(v["nodes"])) for v in result["violations"]
            if v["impact"] in ("serious", "critical")]


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_player_plays_and_switches_sound_and_subtitles_through_its_own_menus(
        film_title: dict[str, str], browser: Any, live_server: Any) -> None:
    for width in (1280, 390):
        page, requested = open_page(browser, live_server.url, language="en", width=width)
        wait_ready(page)
        page.click("[data-action=play]")
        page.wait_for_function("document.getElementById('player').currentTime > 1", timeout=30000)

        page.click("[data-menu=audio]")
        menu = page.locator("#menu-audio")
        assert menu.is_visible()
        assert menu.locator("[data-lang=ru]").inner_text().split() == ["Русский", "AI", "voice-over"]
        assert menu.locator("[data-lang=ur]").inner_text() == "اردو"
        shot(page, f"player-audio-menu-en-{width}")
        assert serious_violations(page) == []

        page.evaluate("""() => { window.loadedAudio = [];
            dastanPlayer.hls.on(Hls.Events.AUDIO_TRACK_LOADED, (e, d) => window.loadedAudio.push(d.id)); }""")
        menu.locator("[data-lang=ru]").click()
        page.wait_for_function("window.loadedAudio.length > 0", timeout=30000)
        assert page.evaluate("dastanPlayer.hls.audioTracks[dastanPlayer.hls.audioTrack].lang") == "ru"
        assert menu.locator("[data-lang=ru]").get_attribute("aria-checked") == "true"
        assert audio_prefixes(requested, film_title)[-1] == "ru"
        assert not menu.is_visible()

        page.click("[data-menu=subtitles]")
        page.locator("#menu-subtitles [data-lang=zh-Hans]").click()
        page.wait_for_function("""() => [...document.getElementById('player').textTracks]
            .some(t => t.language === 'zh-Hans' && t.mode === 'showing' && t.cues && t.cues.length > 0)""",
                               timeout=30000)
        cue = page.evaluate("""[...document.getElementById('player').textTracks]
            .find(t => t.language === 'zh-Hans').cues[0].text""")
        assert cue == CUES["zh-Hans"]

        page.click("[data-menu=quality]")
        quality = page.locator("#menu-quality [role=menuitemradio]")
        assert quality.all_inner_texts() == ["Auto", "180p"]  # a 320x180 film has one rung
        assert page.locator("#menu-quality [data-level='-1']").get_attribute("aria-checked") == "true"
        assert page.evaluate("dastanPlayer.hls.autoLevelEnabled") is True
        page.locator("#menu-quality [data-level='0']").click()
        assert page.evaluate("dastanPlayer.hls.autoLevelEnabled") is False
        page.context.close()


def test_russian_viewer_hears_the_russian_voice_over_first(
        film_title: dict[str, str], browser: Any, live_server: Any) -> None:
    page, requested = open_page(browser, live_server.url, language="ru")
    wait_ready(page)
    page.evaluate("document.getElementById('player').play()")
    page.wait_for_function("document.getElementById('player').currentTime > 0.5", timeout=30000)
    assert page.evaluate("dastanPlayer.hls.audioTracks[dastanPlayer.hls.audioTrack].lang") == "ru"
    assert audio_prefixes(requested, film_title)[0] == "ru"
    assert "ИИ-озвучка" in page.locator("#menu-audio [data-lang=ru]").inner_text()


def test_remembered_audio_choice_wins_over_the_interface_language(
        film_title: dict[str, str], browser: Any, live_server: Any) -> None:
    page, _ = open_page(browser, live_server.url, language="ru")
    wait_ready(page)
    page.click("[data-menu=audio]")
    page.locator("#menu-audio [data-lang=ur]").click()
    page.reload(wait_until="networkidle")
    wait_ready(page)
    assert page.evaluate("dastanPlayer.hls.audioTracks[dastanPlayer.hls.audioTrack].lang") == "ur"


def test_keys_seek_five_seconds_and_a_reload_resumes_where_the_viewer_stopped(
        film_title: dict[str, str], browser: Any, live_server: Any) -> None:
    page, _ = open_page(browser, live_server.url, language="en")
    wait_ready(page)
    page.locator("[data-action=play]").focus()
    page.keyboard.press("k")
    page.wait_for_function("!document.getElementById('player').paused", timeout=10000)
    page.keyboard.press("k")
    page.wait_for_function("document.getElementById('player').paused", timeout=10000)
    page.evaluate("document.getElementById('player').currentTime = 0")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("Math.abs(document.getElementById('player').currentTime - 5) < 0.3", timeout=10000)
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("document.getElementById('player').currentTime < 0.3", timeout=10000)
    page.wait_for_function("document.querySelector('.player-time').textContent === '0:00 / 0:05'", timeout=5000)
    page.keyboard.press("m")
    assert page.evaluate("document.getElementById('player').muted") is True
    page.keyboard.press("c")  # subtitles in the interface language, English
    page.wait_for_function("""() => [...document.getElementById('player').textTracks]
        .some(t => t.language === 'en' && t.mode === 'showing')""", timeout=10000)
    # The focus ring is visible on the focused control.
    page.locator("[data-action=play]").focus()
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"

    # Pointing at the timeline shows the storyboard picture of that moment.
    page.wait_for_function("dastanPlayer.storyboard > 0", timeout=10000)
    page.hover(".player-seek", position={"x": 20, "y": 5})
    thumb = page.locator(".storyboard")
    assert thumb.is_visible()
    assert "sprite_001.jpg" in thumb.evaluate("el => el.style.backgroundImage")

    page.evaluate("document.getElementById('player').currentTime = 3; "
                  "document.getElementById('player').dispatchEvent(new Event('timeupdate'))")
    page.reload(wait_until="networkidle")
    wait_ready(page)
    page.wait_for_function("document.getElementById('player').currentTime > 2.5", timeout=30000)


def test_home_lists_new_in_my_language_and_filters_by_language_available(
        film_title: dict[str, str], browser: Any, live_server: Any) -> None:
    for width in (1280, 390):
        page, requested = open_page(browser, live_server.url, language="en", width=width, path="/")
        shot(page, f"home-en-{width}")
        assert serious_violations(page) == []
        fresh = page.locator(".fresh .card-name")
        assert fresh.all_inner_texts() == ["Noori Jatt"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert all(url.startswith(live_server.url) for url in requested), requested
        page.context.close()
    page, _ = open_page(browser, live_server.url, language="en", path="/?available_in=ru")
    assert page.locator("main .cards .card-name").all_inner_texts() == ["Noori Jatt"]
    page.select_option("select[name=available_in]", "kk")
    page.click(".browse-form button")
    page.wait_for_load_state("networkidle")
    assert "available_in=kk" in page.url
    assert page.locator("main .cards .card-name").count() == 0
    page.context.close()


@pytest.mark.parametrize("language", ["ur", "zh-hans"])
def test_title_page_in_the_viewers_language_at_desktop_and_phone_width(
        film_title: dict[str, str], browser: Any, live_server: Any, language: str) -> None:
    for width in (1280, 390):
        page, _ = open_page(browser, live_server.url, language=language, width=width)
        wait_ready(page)
        page.click("[data-menu=subtitles]")
        page.evaluate("document.fonts.ready.then(() => true)")
        shot(page, f"title-{language}-{width}")
        assert serious_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        transport = page.locator(".player-transport").bounding_box()
        menus = page.locator(".player-menus").bounding_box()
        play = page.locator("[data-action=play]").bounding_box()
        seek = page.locator(".player-seek").bounding_box()
        assert play["x"] < seek["x"]  # the timeline runs left to right in every language
        if language == "ur":
            assert page.evaluate("getComputedStyle(document.querySelector('.menu-list')).direction") == "rtl"
            machine = page.locator("#menu-subtitles [data-lang=zh-Hans] .note")
            assert machine.inner_text() == "مشینی ذیلی سرخیاں"
            item = page.locator("#menu-subtitles [data-lang=ur]").bounding_box()
            name = page.locator("#menu-subtitles [data-lang=ur] span").bounding_box()
            assert name["x"] + name["width"] > item["x"] + item["width"] / 2  # starts at the right
            if width > 600:
                assert menus["x"] < transport["x"]  # menus on the inline end: the left
            # Urdu subtitles drawn right to left over the picture.
            page.locator("#menu-subtitles [data-lang=ur]").click()
            page.evaluate("document.getElementById('player').currentTime = 1.5")
            page.wait_for_function("""() => [...document.getElementById('player').textTracks]
                .some(t => t.language === 'ur' && t.activeCues && t.activeCues.length > 0)""", timeout=30000)
            assert page.evaluate("""[...document.getElementById('player').textTracks]
                .find(t => t.language === 'ur').activeCues[0].text""") == CUES["ur"]
            page.wait_for_timeout(300)
            shot(page, f"player-subtitles-ur-{width}")
        else:
            assert page.locator("#menu-subtitles [data-lang=zh-Hans] .note").inner_text() == "机器字幕"
        page.context.close()


def test_playback_goes_on_after_the_first_links_have_expired(
        film_title: dict[str, str], browser: Any, live_server: Any, settings: Any) -> None:
    settings.DASTAN_MEDIA_URL_TTL_S = 6  # the player renews at 3 s
    page, requested = open_page(browser, live_server.url, language="en")
    wait_ready(page)
    refused: list[tuple[int, str]] = []
    page.on("response", lambda r: refused.append((r.status, r.url))
            if ("/media/s/" in r.url or "/media/k/" in r.url) and r.status >= 400 else None)

    def token(url: str) -> str:  # a grant's token (/media/s/) or a folder link's signature (/media/k/)
        return url.split("/media/s/" if "/media/s/" in url else "/media/k/")[1].split("/")[0]

    first = token(next(u for u in requested if "/media/k/" in u))  # hls.js's folder links
    first_grant = token(next(u for u in requested if "/media/s/" in u))  # the page's poster and storyboard
    page.wait_for_timeout(7000)  # paused past the lifetime of every link the page was given
    page.click("[data-menu=audio]")
    page.locator("#menu-audio [data-lang=ru]").click()  # a playlist and segments not loaded yet
    page.evaluate("document.getElementById('player').play()")
    page.wait_for_function("document.getElementById('player').currentTime > 1.5", timeout=30000)
    assert page.evaluate("dastanPlayer.hls.audioTracks[dastanPlayer.hls.audioTrack].lang") == "ru"
    assert page.evaluate("dastanPlayer.links.renewals") >= 1
    later = [u for u in requested if "/media/k/" in u and token(u) != first]
    assert any(film_title["ru"].split("/", 2)[2] in u for u in later), later  # the Russian track, fresh link
    page.hover(".player-seek", position={"x": 20, "y": 5})  # the storyboard picture, fresh token too
    assert first_grant not in page.locator(".storyboard").evaluate("el => el.style.backgroundImage")
    assert refused == []
    page.context.close()


def test_single_key_shortcuts_act_only_while_the_player_has_focus(
        film_title: dict[str, str], browser: Any, live_server: Any) -> None:
    page, _ = open_page(browser, live_server.url, language="en")
    wait_ready(page)
    video = "document.getElementById('player')"
    for outside in ("h1", ".site-header a"):  # WCAG 2.1.4: keys meant for the page, not the film
        page.locator(outside).first.evaluate("el => { el.tabIndex = el.tabIndex; el.focus(); }")
        for key in ("k", "m", "c", "ArrowRight"):
            page.keyboard.press(key)
        assert page.evaluate(f"[{video}.paused, {video}.muted, {video}.currentTime]") == [True, False, 0]
        assert page.evaluate("[...document.getElementById('player').textTracks].every(t => t.mode !== 'showing')")
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("m")
    assert page.evaluate(f"{video}.muted") is False

    page.click(".player video")  # a click on the picture plays and puts the focus in the player
    page.wait_for_function(f"!{video}.paused", timeout=10000)
    assert page.evaluate("document.activeElement === document.querySelector('.player')")
    page.keyboard.press("m")
    assert page.evaluate(f"{video}.muted") is True
    page.keyboard.press("k")
    page.wait_for_function(f"{video}.paused", timeout=10000)
    page.context.close()


def test_the_seek_bar_says_the_position_and_the_length_in_the_viewers_language(
        film_title: dict[str, str], browser: Any, live_server: Any) -> None:
    said = {}
    for language in ("en", "ru", "ky"):
        page, _ = open_page(browser, live_server.url, language=language)
        wait_ready(page)
        page.evaluate("document.getElementById('player').currentTime = 3")
        # The seek bar's words are written with the clock beside it, when the seek is done
        # ('seeked'), a moment after currentTime itself reads 3.
        page.wait_for_function("document.querySelector('.player-seek').getAttribute('aria-valuetext')"
                               " && document.querySelector('.player-time').textContent.startsWith('0:03')",
                               timeout=10000)
        seek = page.get_by_role("slider")
        said[language] = seek.get_attribute("aria-valuetext")
        assert seek.get_attribute("aria-label")
        page.context.close()
    assert said["en"] == "3 seconds of 5 seconds"
    assert said["ru"].startswith("3 секунды") and "5 секунд" in said["ru"], said
    # Chromium has no unit names in Kyrgyz: the clock is said, in the translated frame.
    assert "0:03" in said["ky"] and "0:05" in said["ky"] and "seconds" not in said["ky"], said


def test_an_unreachable_master_tells_the_viewer_to_check_the_connection_and_try_again(
        film_title: dict[str, str], browser: Any, live_server: Any) -> None:
    network = {"up": False}

    def master(route: Any, request: Any) -> None:
        if network["up"]:
            route.continue_()
        else:
            route.abort("internetdisconnected")

    page, _ = open_page(browser, live_server.url, language="en", master=master)
    alert = page.get_by_role("alert")
    alert.locator(".player-failed").wait_for(timeout=30000)
    assert alert.locator("p").all_inner_texts() == [
        "The film could not be loaded. Check your connection, then try again."]
    retry = alert.get_by_role("button", name="Try again")
    assert retry.is_visible()
    page.evaluate("document.fonts.ready.then(() => true)")
    shot(page, "player-error-network-en")
    assert serious_violations(page) == []

    network["up"] = True
    retry.click()
    wait_ready(page)
    assert alert.inner_text() == ""
    page.click("[data-action=play]")
    page.wait_for_function("document.getElementById('player').currentTime > 1", timeout=30000)
    page.context.close()


@pytest.fixture
def licensed_in_kazakhstan(film_title: dict[str, str], settings: Any) -> None:
    """The film under the rights app's decision, with one licence: Kazakhstan."""
    title = Title.objects.get(slug=SLUG)
    assert title.owner is not None  # the demo's titles have owners
    grant_licence.execute(terms=terms("KZ-1", title_id=title.pk, territories=("KZ",), start=date(2020, 1, 1), end=None),
                          licensor=title.owner)
    settings.DASTAN_PLAYBACK_LIMITS = "dastan.rights.playback.playback_limits"
    settings.DASTAN_TRUSTED_PROXIES = "127.0.0.1"  # the country header stands for the node's proxy


def test_a_master_refused_in_the_viewers_country_shows_the_servers_reason_in_their_language(
        licensed_in_kazakhstan: None, browser: Any, live_server: Any) -> None:

    def from_china(route: Any, request: Any) -> None:  # the page was made in Kazakhstan
        route.continue_(headers={**request.headers, "x-country-code": "CN"})

    for language in ("en", "ur"):
        page, _ = open_page(browser, live_server.url, language=language, master=from_china,
                            headers={"X-Country-Code": "KZ"})
        refusal = page.get_by_role("alert").locator(".player-refused")
        refusal.first.wait_for(timeout=30000)
        said = " ".join(refusal.all_inner_texts())
        assert page.get_by_role("alert").get_by_role("button").count() == 0  # trying again would not help
        page.evaluate("document.fonts.ready.then(() => true)")
        shot(page, f"player-error-refused-{language}")
        assert serious_violations(page) == []
        page.context.close()
        if language == "en":
            assert "China" in said, said


def test_without_hls_js_the_browsers_own_hls_plays_the_film(
        film_title: dict[str, str], browser: Any, live_server: Any) -> None:
    """As on iOS Safari, where hls.js cannot run: Chromium plays HLS itself (since 141)."""
    page, requested = open_page(browser, live_server.url, language="en",
                                scripts={"**/hls.min.js": lambda route, request: route.abort()}, until="load")
    wait_ready(page)
    assert page.evaluate("[window.Hls, dastanPlayer.hls]") == [None, None]
    assert page.locator("[data-menu=quality]").is_hidden()  # the browser chooses the rendition
    page.click("[data-action=play]")
    page.wait_for_function("document.getElementById('player').currentTime > 1", timeout=30000)
    # Chromium's own HLS exposes neither audio nor text tracks (Safari's does): the menus
    # offer only what the browser can switch.
    assert page.locator("[data-menu=audio]").is_hidden()
    assert page.locator("#menu-subtitles [role=menuitemradio]:visible").count() == 0
    page.click("[data-menu=subtitles]")
    assert page.locator("#menu-subtitles [role=menuitemradio]:visible").all_inner_texts() == ["Off"]
    assert any("/media/s/" in u and u.endswith(".m4s") for u in requested)
    page.context.close()


def test_a_film_the_browser_cannot_decode_says_to_choose_another_quality_or_browser(
        film_title: dict[str, str], browser: Any, live_server: Any) -> None:
    def garbled(route: Any, request: Any) -> None:  # what arrives is not video
        route.fulfill(status=200, content_type="video/mp4", body=b"\x00" * 4096)

    page, _ = open_page(browser, live_server.url, language="en", until="load",
                        scripts={"**/*.m4s": garbled, "**/*.mp4": garbled})
    alert = page.get_by_role("alert")
    alert.locator(".player-failed").wait_for(timeout=30000)
    assert alert.locator("p").all_inner_texts() == [
        "This browser could not play the film. Choose a lower quality, or try another browser."]
    assert alert.get_by_role("button").count() == 0
    shot(page, "player-error-media-en")
    page.context.close()
