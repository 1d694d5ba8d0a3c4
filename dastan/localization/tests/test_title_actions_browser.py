"""From the studio's title page in Chromium: assign a language's translator (a commissioned
house's, who declares the pair) and its reviewer with due dates; once it is published,
viewers find it in the player's subtitles menu; withdrawn from the same page, it is gone
from the player's menu and from the master playlist hls.js reads. Screenshots of the
title page go to /tmp/shots/title-actions-{assigned,published,withdrawn}.png."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from dastan.catalog.models import Organisation, Title
from dastan.catalog.tests.factories import member_of
from dastan.localization import commissions, editing, orders, review
from dastan.localization.models import SubtitleTrack, TranslationTask
from dastan.localization.pivots import declare_language_pair
from dastan.localization.publishing import publish_track
from dastan.localization.tracks import CueData, create_track, edit_cue
from dastan.web.tests.test_studio_browser import serious_violations

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-studio-password"
SHOTS = Path("/tmp/shots")


def _signed_in(browser: Any, base: str, username: str) -> Any:
    page = browser.new_context(viewport={"width": 1400, "height": 1000}, bypass_csp=True).new_page()
    page.goto(base + "/studio/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)
    return page


def _player_subtitles(browser: Any, base: str, slug: str) -> tuple[list[str], list[str]]:
    """What a viewer's player offers: the subtitle languages hls.js read from the master
    playlist, and the languages left in the player's subtitles menu."""
    page = browser.new_context(bypass_csp=True).new_page()
    page.goto(f"{base}/titles/{slug}/")
    page.wait_for_function("window.dastanPlayer && (window.dastanPlayer.ready || window.dastanPlayer.error)",
                           timeout=60_000)
    assert page.evaluate("window.dastanPlayer.error") is None
    page.wait_for_function("window.dastanPlayer.hls.subtitleTracks !== undefined")
    from_master = page.evaluate("window.dastanPlayer.hls.subtitleTracks.map(t => t.lang)")
    menu = page.eval_on_selector_all("[role=menuitemradio][data-kind=subtitles]", "els => els.map(e => e.dataset.lang)")
    page.context.close()
    return sorted(from_master), sorted(lang for lang in menu if lang)


def test_assign_from_the_title_page_then_withdraw_a_published_language_from_the_player(
        browser: Any, live_server: Any, published_film: Title) -> None:
    studio = published_film.owner
    assert studio is not None
    manager = member_of(studio, username="manager", role="editor", password=PASSWORD)
    reviewer = member_of(studio, username="reviewer", role="reviewer", password=PASSWORD)
    house = Organisation.objects.create(name="Almaty Subtitles", slug="almaty-subs", kind="studio", country="KZ")
    translator = member_of(house, username="aigerim", role="translator", password=PASSWORD)
    declare_language_pair(user=translator, source_language="en", target_language="kk")
    commissions.commission_house(studio=studio, house=house, titles=[published_film], languages=["kk"],
                                 ends_at=timezone.now() + timedelta(days=30), by=manager)
    create_track(title=published_film, language="en", origin="upload", is_source=True,
                 state=SubtitleTrack.State.APPROVED, cues=[CueData(500, 3000, "We arrived at dawn.")])
    orders.start_localization(title=published_film, by=manager, plans=[orders.LanguagePlan("kk", "person")])

    page = _signed_in(browser, live_server.url, "manager")
    page.goto(f"{live_server.url}/studio/titles/{published_film.slug}/")
    row = page.locator("#language-kk")
    option = row.locator("select[name=person] option[value='translator:aigerim']")
    assert "Almaty Subtitles" in option.inner_text() and "declares en → kk" in option.inner_text()
    row.locator("select[name=person]").select_option("translator:aigerim")
    row.locator("input[name=due]").fill("2099-05-01")
    row.locator(".assign-form button[type=submit]").click()
    page.wait_for_selector(".flash")
    assert "Assigned; they are told." in page.inner_text(".flash")
    row = page.locator("#language-kk")
    assert "aigerim" in row.locator(".language-assignee").inner_text()
    assert "2099-05-01" in row.locator(".language-assignee").inner_text()
    row.locator("select[name=person]").select_option("reviewer:reviewer")
    row.locator("input[name=due]").fill("2099-05-08")
    row.locator(".assign-form button[type=submit]").click()
    page.wait_for_selector(".flash")
    assert "reviewer" in page.locator("#language-kk .language-reviewer").inner_text()
    task = TranslationTask.objects.get(track__title=published_film, track__language="kk")
    assert (task.assignee, task.reviewer) == (translator, reviewer)
    assert task.due_at is not None and task.review_due_at is not None
    assert (task.due_at.date().isoformat(), task.review_due_at.date().isoformat()) == ("2099-05-01", "2099-05-08")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#languages").screenshot(path=str(SHOTS / "title-actions-assigned.png"))

    # The people's part, as they would do it in the editor and on the review desk.
    track = SubtitleTrack.objects.get(title=published_film, language="kk")
    edit_cue(cue=track.cues.get(), author=translator, text="Біз таң атқанда келдік.")
    track = editing.submit_track(track=SubtitleTrack.objects.get(pk=track.pk), by=translator)
    publish_track(track=review.approve_track(track=track, reviewer=reviewer), by=reviewer)
    assert _player_subtitles(browser, live_server.url, published_film.slug) == (["kk"], ["kk"])

    page.reload()
    row = page.locator("#language-kk")
    assert row.get_attribute("data-state") == "published"
    row.locator(".withdraw-form input[name=reason]").fill("Noori's name is misspelt in cue 1.")
    page.locator("#languages").screenshot(path=str(SHOTS / "title-actions-published.png"))
    assert serious_violations(page) == []
    row.locator(".withdraw-form button[type=submit]").click()
    page.wait_for_selector(".flash")
    assert "Withdrawn: viewers no longer see these subtitles" in page.inner_text(".flash")
    assert page.get_attribute("#language-kk", "data-state") == "changes_requested"
    page.locator("#languages").screenshot(path=str(SHOTS / "title-actions-withdrawn.png"))
    assert _player_subtitles(browser, live_server.url, published_film.slug) == ([], [])
    assert TranslationTask.objects.get(pk=task.pk).state == TranslationTask.State.OPEN
    # The same row in Urdu: the page mirrors, dates and routes stay left to right.
    page.context.add_cookies([{"name": "dastan_language", "value": "ur", "url": live_server.url}])
    page.reload()
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('#language-kk time')).direction") == "ltr"
    page.locator("#languages").screenshot(path=str(SHOTS / "title-actions-ur.png"))
