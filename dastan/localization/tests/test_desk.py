"""The review desk in a browser's terms: sign in, see source and translation side by
side with QC issues, edit a cue, comment, approve."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from dastan.catalog.models import Organisation
from dastan.localization.models import CueRevision, SubtitleTrack
from dastan.localization.tests.factories import translated_track
from dastan_testing.shared import chromium

pytestmark = pytest.mark.django_db


@pytest.fixture
def kazakh_track(studio: Organisation) -> SubtitleTrack:
    return translated_track(owner=studio, language="kk",
                            source=[(500, 2500, "We paid 40 som."), (3000, 5000, "At dawn.")],
                            lines=[(500, 2500, "Біз 45 сом төледік."), (3000, 5000, "Таң атқанда.")])


def _signed_in(member: Callable[..., Any], name: str, role: str) -> tuple[Any, Client]:
    user, _ = member(name, role)
    client = Client()
    assert client.post("/studio/login/", {"username": name, "password": "x" * 12}).status_code == 302
    return user, client


def test_the_desk_asks_a_stranger_to_sign_in(kazakh_track: SubtitleTrack) -> None:
    response = Client().get(f"/studio/review/{kazakh_track.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/studio/login/")


def test_a_reviewer_sees_both_languages_and_the_changed_number(
        kazakh_track: SubtitleTrack, member: Callable[..., Any]) -> None:
    _, client = _signed_in(member, "amina", "reviewer")
    listing = client.get("/studio/review/").content.decode()
    assert f"/studio/review/{kazakh_track.pk}/" in listing
    page = client.get(f"/studio/review/{kazakh_track.pk}/").content.decode()
    assert "We paid 40 som." in page and "Біз 45 сом төледік." in page
    assert "40" in page and "45" in page and 'class="issue issue-' in page


def test_an_edit_from_the_desk_is_kept_in_the_cue_history_and_approval_follows(
        kazakh_track: SubtitleTrack, member: Callable[..., Any]) -> None:
    translator, as_translator = _signed_in(member, "dana", "translator")
    cue = kazakh_track.cues.get(index=1)
    as_translator.post(f"/studio/review/{kazakh_track.pk}/cues/{cue.pk}",
                       {"text": "Біз 40 сом төледік.", "start_ms": "500", "end_ms": "2600"})
    cue.refresh_from_db()
    assert (cue.text, cue.end_ms) == ("Біз 40 сом төледік.", 2600)
    assert CueRevision.objects.filter(cue=cue, author=translator).exists()
    bad = as_translator.post(f"/studio/review/{kazakh_track.pk}/cues/{cue.pk}", {"end_ms": "soon"}, follow=True)
    assert "is not a time in milliseconds" in bad.content.decode()
    cue.refresh_from_db()
    assert cue.end_ms == 2600  # the bad edit changed nothing

    _, as_reviewer = _signed_in(member, "amina", "reviewer")
    as_reviewer.post(f"/studio/review/{kazakh_track.pk}/cues/{cue.pk}/comment", {"text": "Good."})
    as_reviewer.post(f"/studio/review/{kazakh_track.pk}/decide", {"verdict": "approve"})
    kazakh_track.refresh_from_db()
    assert kazakh_track.state == SubtitleTrack.State.APPROVED
    assert cue.comments.get().text == "Good."


@pytest.mark.browser
def test_screenshots_of_the_desk_in_english_and_urdu(
        transactional_db: None, live_server: Any, member: Callable[..., Any], kazakh_track: SubtitleTrack) -> None:
    member("amina", "reviewer")
    out = Path(__file__).resolve().parents[3] / "test-output" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        for language, width in (("en", 1280), ("ur", 1280), ("ur", 390)):
            context = browser.new_context(viewport={"width": width, "height": 900})
            context.add_cookies([{"name": "dastan_language", "value": language, "url": live_server.url}])
            page = context.new_page()
            page.goto(f"{live_server.url}/studio/login/?next=/studio/review/{kazakh_track.pk}/")
            page.fill("#id_username", "amina")
            page.fill("#id_password", "x" * 12)
            page.click("form.login-form button[type=submit]")
            page.wait_for_selector("table.cues")
            assert page.evaluate("document.documentElement.dir") == ("rtl" if language == "ur" else "ltr")
            page.screenshot(path=str(out / f"review-desk-{language}-{width}.png"), full_page=True)
            context.close()


def test_the_api_refuses_a_cookie_request_without_the_csrf_token(
        kazakh_track: SubtitleTrack, member: Callable[..., Any]) -> None:
    """A page on another site cannot approve a track with a reviewer's session cookie."""
    reviewer, _ = member("amina", "reviewer")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(reviewer)
    assert browser.get(f"/api/v1/localization/tracks/{kazakh_track.pk}").status_code == 200  # reads are fine
    forged = browser.post(f"/api/v1/localization/tracks/{kazakh_track.pk}/approve", data="{}",
                          content_type="application/json")
    assert forged.status_code == 401
    kazakh_track.refresh_from_db()
    assert kazakh_track.state == SubtitleTrack.State.IN_REVIEW


def test_the_desk_approves_a_track_with_qc_errors_only_with_a_reason_it_records(
        kazakh_track: SubtitleTrack, member: Callable[..., Any]) -> None:
    cue = kazakh_track.cues.get(index=1)
    cue.text = "Біз қырық сом төледік, бірақ бұл жол экранға сыймайтындай өте ұзын болып шықты."
    cue.save(update_fields=["text"])
    _, as_reviewer = _signed_in(member, "amina", "reviewer")
    page = as_reviewer.get(f"/studio/review/{kazakh_track.pk}/").content.decode()
    assert 'name="override_reason"' in page
    refused = as_reviewer.post(f"/studio/review/{kazakh_track.pk}/decide", {"verdict": "approve"}, follow=True)
    assert "QC error(s)" in refused.content.decode()
    kazakh_track.refresh_from_db()
    assert kazakh_track.state == SubtitleTrack.State.IN_REVIEW
    as_reviewer.post(f"/studio/review/{kazakh_track.pk}/decide",
                     {"verdict": "approve", "override_reason": "The channel allows long lines."})
    kazakh_track.refresh_from_db()
    assert kazakh_track.state == SubtitleTrack.State.APPROVED
    assert kazakh_track.provenance["qc_overrides"][0]["reason"] == "The channel allows long lines."
