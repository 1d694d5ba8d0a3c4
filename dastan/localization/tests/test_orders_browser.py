"""From the studio's title page in Chromium: start a film's localization into three
languages — Urdu by engine (Apertium hi→ur), Kazakh by a named person, Kyrgyz by a person
through an English pivot — and follow each language's state on the page to published."""

from __future__ import annotations

from typing import Any

import pytest

from dastan.catalog.models import Title
from dastan.catalog.tests.factories import member_of
from dastan.jobs.services import run_queued_jobs
from dastan.localization import editing, review
from dastan.localization.engines.registry import find_translation_route
from dastan.localization.models import SubtitleTrack
from dastan.localization.publishing import publish_track
from dastan.localization.tracks import CueData, create_track, edit_cue

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-studio-password"


def _translate(track: SubtitleTrack, who: Any, text: str) -> None:
    for cue in track.cues.all():
        edit_cue(cue=cue, author=who, text=text)
    editing.submit_track(track=track, by=who)


def _state(page: Any, language: str) -> str:
    return str(page.get_attribute(f"#language-{language}", "data-state"))


def test_three_languages_started_on_the_title_page_reach_published(
        browser: Any, live_server: Any, published_film: Title) -> None:
    if find_translation_route("hi", "ur") is None:
        pytest.skip("Apertium's hi→ur pair is not installed (apt-get install apertium-urd-hin).")
    member_of(published_film.owner, username="manager", role="editor", password=PASSWORD)
    reviewer = member_of(published_film.owner, username="reviewer", role="reviewer", password=PASSWORD)
    almaty, lahore, bishkek = (member_of(published_film.owner, username=n, role="translator", password=PASSWORD) for n in ("almaty", "lahore", "bishkek"))
    Title.objects.filter(pk=published_film.pk).update(original_language="hi")
    create_track(title=published_film, language="hi", origin="upload", is_source=True,
                 cues=[CueData(0, 2000, "यह किताब बहुत अच्छी है।")])
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + "/studio/login/")
    page.fill("#id_username", "manager")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(live_server.url + f"/studio/titles/{published_film.slug}/")
    form = page.locator("form.localize-form")
    for code in ("ur", "kk", "ky"):
        form.locator(f"input[name=language][value={code}]").check()
    assert form.locator("select[name=route_ur]").input_value() == "engine"  # the page knows the engine
    form.locator("select[name=route_kk]").select_option("person")
    form.locator("select[name=assignee_kk]").select_option("almaty")
    form.locator("select[name=route_ky]").select_option("pivot")
    form.locator("select[name=via_ky]").select_option("en")  # not there yet: its own leg comes first
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".flash")
    assert "Localization started." in page.inner_text(".flash")
    run_queued_jobs(worker="test")  # the worker's part: the engine's draft
    page.reload()
    assert (_state(page, "ur"), _state(page, "kk"), _state(page, "en")) == (
        "in_review", "awaiting_translator", "awaiting_translator")
    assert "almaty" in page.inner_text("#language-kk") and "hi → en" in page.inner_text("#language-en")
    # The people's part, as they would do it in the editor and on the review desk.
    _translate(SubtitleTrack.objects.get(title=published_film, language="kk"), almaty, "Бұл кітап өте жақсы.")
    _translate(SubtitleTrack.objects.get(title=published_film, language="en"), lahore, "This book is very good.")
    for code in ("ur", "kk", "en"):
        review.approve_track(track=SubtitleTrack.objects.get(title=published_film, language=code),
                             reviewer=reviewer, override_reason="a short test line")
    page.reload()
    assert _state(page, "ky") == "awaiting_translator" and "hi → en → ky" in page.inner_text("#language-ky")
    _translate(SubtitleTrack.objects.get(title=published_film, language="ky"), bishkek, "Бул китеп абдан жакшы.")
    review.approve_track(track=SubtitleTrack.objects.get(title=published_film, language="ky"), reviewer=reviewer,
                         override_reason="a short test line")
    for code in ("ur", "kk", "ky"):
        publish_track(track=SubtitleTrack.objects.get(title=published_film, language=code), by=reviewer)
    page.reload()
    assert [_state(page, code) for code in ("ur", "kk", "ky")] == ["published"] * 3
