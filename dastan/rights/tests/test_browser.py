"""The distributor's rights page in headless Chromium: the chart is drawn server-side as
SVG and screenshotted to test-output/screenshots/rights-chart.png for a person to look at."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from dastan.catalog.models import TitleText
from dastan.rights.actions import grant_licence
from dastan.rights.terms import LicenceType, Quality
from dastan_testing.shared import SCREENSHOTS as SHARED_SCREENSHOTS
from dastan_testing.shared import chromium

from .factories import distributor_of, make_title, make_user, owner_of, terms

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-output" / "screenshots"


@pytest.fixture
def page_with_three_licences(live_server: Any) -> Iterator[tuple[Any, str, str]]:
    title = make_title(slug="steppe-wind")
    TitleText.objects.create(title=title, language="kk", name="Дала желі")
    today = timezone.now().date()
    licensor = owner_of(title)
    grant_licence.execute(licensor=licensor, terms=terms(
        "CA-SVOD-14", title_id=title.pk, territories=("Central Asia",), excluded=("TM",), exclusive=True,
        start=today - timedelta(days=120), end=today + timedelta(days=200), max_quality=Quality.HD))
    grant_licence.execute(licensor=licensor, terms=terms(
        "RU-TVOD-2", title_id=title.pk, territories=("RU", "BY"), licence_type=LicenceType.TVOD,
        start=today + timedelta(days=60), end=None))
    grant_licence.execute(licensor=licensor, terms=terms(
        "IN-FEST-3", title_id=title.pk, territories=("IN",), licence_type=LicenceType.FESTIVAL,
        start=today - timedelta(days=3), end=today + timedelta(days=10), view_cap=300))
    client = Client()
    client.force_login(distributor_of(licensor))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    outsider = Client()
    outsider.force_login(make_user())  # before the browser's event loop: the ORM is sync-only
    outsider_session = outsider.cookies[settings.SESSION_COOKIE_NAME].value
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1240, "height": 900})
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session,
                              "url": live_server.url}])
        page = context.new_page()
        yield page, live_server.url, outsider_session


def test_the_rights_chart_shows_three_licences_holes_and_the_sco_grid(
        page_with_three_licences: tuple[Any, str, str]) -> None:
    page, base, _ = page_with_three_licences
    page.goto(base + "/rights/titles/steppe-wind/", wait_until="networkidle")
    chart = page.locator("#availability-chart svg")
    assert chart.is_visible()
    labels = chart.locator("text").all_text_contents()
    assert {"CA-SVOD-14", "RU-TVOD-2", "IN-FEST-3"} <= set(labels)
    assert "excluded by CA-SVOD-14" in labels  # Turkmenistan's row
    assert chart.locator("rect[fill='url(#hole)']").count() > 5  # Iran, Pakistan, China …
    tiles = page.locator("#sco-grid svg g").evaluate_all(
        "gs => gs.map(g => [g.querySelector('tspan').textContent, g.querySelectorAll('text')[1].textContent])")
    status = {country: word for country, word in tiles}
    assert [c for c, w in status.items() if w == "available"] == ["IN", "KZ", "UZ", "KG", "TJ"]
    assert [c for c, w in status.items() if w == "coming"] == ["RU", "BY"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#availability-chart").screenshot(path=str(SCREENSHOTS / "rights-chart.png"))
    page.screenshot(path=str(SCREENSHOTS / "rights-page.png"), full_page=True)
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()  # printing shows the chart, not the site chrome
    page.screenshot(path=str(SCREENSHOTS / "rights-page-print.png"), full_page=True)


def test_someone_who_is_not_a_rights_manager_is_shown_the_refusal_and_the_fix(
        page_with_three_licences: tuple[Any, str, str]) -> None:
    page, base, outsider_session = page_with_three_licences
    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": outsider_session,
                               "url": base}])
    response = page.goto(base + "/rights/titles/steppe-wind/")
    assert response is not None and response.status == 403
    assert "rights manager" in page.content()


# What may stay in Latin letters on a translated rights page: licence references, ISO
# country codes, the industry's acronyms, file formats, the title's slug, the owner's name,
# and the command and API path of the empty table (none here).
_NOT_ENGLISH = re.compile(r"[A-Z]{2,}-[A-Z]+-\d+|\b[A-Z]{2}\b|\b(?:SVOD|TVOD|AVOD|EST|FVOD|SD|HD|UHD|SVG|JSON|SCO)\b"
                          r"|steppe-wind|Studio \d+|Dastan")


def _english_words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]{3,}", _NOT_ENGLISH.sub(" ", text))


@pytest.mark.parametrize(("language", "direction", "words"), [
    ("ur", "rtl", ("لائسنس", "دستیاب", "قزاخستان")),
    ("ru", "ltr", ("Лицензии", "доступно", "Казахстан")),
    ("fa", "rtl", ("مجوزها", "در دسترس", "قزاقستان")),
])
def test_the_rights_page_and_its_chart_speak_the_readers_language(
        page_with_three_licences: tuple[Any, str, str], language: str, direction: str,
        words: tuple[str, ...]) -> None:
    page, base, _ = page_with_three_licences
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])
    page.goto(base + "/rights/titles/steppe-wind/", wait_until="networkidle")
    assert page.locator("html").get_attribute("dir") == direction
    main = page.locator("#rights").inner_text()
    svg = " ".join(page.locator("#rights svg text").all_text_contents()
                   + page.locator("#rights svg title").all_text_contents()
                   + page.locator("#rights svg").evaluate_all("ss => ss.map(s => s.getAttribute('aria-label'))"))
    assert not _english_words(main), _english_words(main)
    assert not _english_words(svg), _english_words(svg)
    assert all(word in main + svg for word in words[:2]) and words[2] in svg
    # The time axis runs left to right in every language (as timecodes do); the text around it follows the page.
    assert page.locator("#availability-chart .chart").evaluate("f => getComputedStyle(f).direction") == "ltr"
    assert page.locator("#rights table").evaluate("t => getComputedStyle(t).direction") == direction
    SHARED_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHARED_SCREENSHOTS / f"rights-page-{language}.png"), full_page=True)
    page.locator("#availability-chart").screenshot(path=str(SHARED_SCREENSHOTS / f"rights-chart-{language}.png"))
