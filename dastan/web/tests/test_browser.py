"""The catalog page in headless Chromium: right-to-left Urdu in Nastaliq, Chinese in the
vendored CJK font, nothing fetched from outside the node. Screenshots are written to
test-output/screenshots/ for a person to look at."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dastan.catalog.demo import load_demo
from dastan_testing.shared import chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-output" / "screenshots"


@pytest.fixture
def browser() -> Iterator[Any]:
    load_demo(io.StringIO())  # before the browser starts its event loop in this thread
    with chromium() as browser:
        yield browser


def open_catalog(browser: Any, base_url: str, language: str, *, width: int = 1280) -> tuple[Any, list[str]]:
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies([{"name": "dastan_language", "value": language, "url": base_url}])
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(base_url + "/", wait_until="networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")
    return page, requested


def fonts_rendering(page: Any, selector: str) -> list[dict[str, Any]]:
    """The fonts Chromium actually drew the element's glyphs with (DevTools CSS domain)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]


def loaded_faces(page: Any) -> set[str]:
    return set(page.evaluate(
        "Array.from(document.fonts).filter(f => f.status === 'loaded').map(f => f.family.replace(/\"/g, ''))"))


def test_urdu_catalog_is_right_to_left_in_vendored_nastaliq(browser: Any, live_server: Any) -> None:
    page, requested = open_catalog(browser, live_server.url, "ur")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "catalog-ur.png"), full_page=True)
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # Mirrored: the brand, first in the header, sits at the right edge.
    brand = page.locator(".brand").bounding_box()
    search = page.locator(".search-form").bounding_box()
    assert brand["x"] > search["x"]
    assert page.evaluate("document.fonts.check('16px \"Noto Nastaliq Urdu\"', 'نوری جٹ')")
    assert "Noto Nastaliq Urdu" in loaded_faces(page)
    drawn = fonts_rendering(page, "h2.card-name[lang=ur]")
    assert drawn and all(f["isCustomFont"] for f in drawn), drawn
    assert any("Nastaliq" in f["familyName"] for f in drawn), drawn
    assert all(url.startswith(live_server.url) for url in requested), requested
    assert any("/static/dastan/fonts/noto-nastaliq-urdu/" in url for url in requested)


def test_chinese_catalog_uses_the_vendored_cjk_font(browser: Any, live_server: Any) -> None:
    page, requested = open_catalog(browser, live_server.url, "zh-hans")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "catalog-zh-Hans.png"), full_page=True)
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"
    assert "Noto Sans SC" in loaded_faces(page)
    drawn = fonts_rendering(page, "h2.card-name[lang=zh-Hans]")
    assert drawn and all(f["isCustomFont"] for f in drawn), drawn
    assert any("Noto Sans SC" in f["familyName"] for f in drawn), drawn
    assert all(url.startswith(live_server.url) for url in requested), requested
    # Only the unicode-range pieces that the page's characters need are fetched.
    pieces = [u for u in requested if "/noto-sans-sc/" in u]
    assert 0 < len(pieces) < 60


def test_urdu_catalog_fits_a_phone_screen(browser: Any, live_server: Any) -> None:
    page, _ = open_catalog(browser, live_server.url, "ur", width=390)
    page.screenshot(path=str(SCREENSHOTS / "catalog-ur-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
