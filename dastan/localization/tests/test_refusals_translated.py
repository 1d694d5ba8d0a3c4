"""A refusal reaches the person in their interface language: the message and the hint
are translated where the error is raised, so the API (Accept-Language) and the studio's
pages (the language cookie) say them in Urdu or Russian, and in English by default."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from dastan.catalog.models import Organisation
from dastan.localization.models import SubtitleTrack
from dastan.localization.tests.factories import translated_track

pytestmark = pytest.mark.django_db


@pytest.fixture
def kazakh_track(studio: Organisation) -> SubtitleTrack:
    return translated_track(owner=studio, language="kk",
                            source=[(500, 2500, "We paid 40 som."), (3000, 5000, "At dawn.")],
                            lines=[(500, 2500, "Біз 40 сом төледік."), (3000, 5000, "Таң атқанда.")])


def test_the_api_refuses_in_the_language_the_client_asks_for(
        kazakh_track: SubtitleTrack, member: Callable[..., Any]) -> None:
    _, client = member("amina", "reviewer")
    url = f"/api/v1/localization/tracks/{kazakh_track.pk}/request-changes"
    urdu = client.post(url, data={"comment": " "}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="ur")
    assert urdu.status_code == 400
    assert urdu.json()["message"] == "ٹریک واپس بھیجنے کے لیے تبصرہ ضروری ہے۔"
    assert urdu.json()["hint"] == "بتائیں کہ مترجم کو کیا بدلنا چاہیے۔"
    english = client.post(url, data={"comment": " "}, content_type="application/json")
    assert english.json()["message"] == "Sending a track back needs a comment."
    kazakh_track.refresh_from_db()
    assert kazakh_track.state == SubtitleTrack.State.IN_REVIEW


def test_the_review_desk_refuses_an_approval_with_qc_errors_in_russian(
        kazakh_track: SubtitleTrack, member: Callable[..., Any]) -> None:
    cue = kazakh_track.cues.get(index=1)
    cue.text = "Біз қырық сом төледік, бірақ бұл жол экранға сыймайтындай өте ұзын болып шықты."
    cue.save(update_fields=["text"])
    member("amina", "reviewer")
    browser = Client()
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    assert browser.post("/studio/login/", {"username": "amina", "password": "x" * 12}).status_code == 302
    refused = browser.post(f"/studio/review/{kazakh_track.pk}/decide", {"verdict": "approve"}, follow=True)
    page = refused.content.decode()
    assert "В дорожке kk 2 ошибки проверки качества, первая:" in page
    assert "Исправьте реплики на столе проверки" in page
    assert "QC error(s)" not in page
    kazakh_track.refresh_from_db()
    assert kazakh_track.state == SubtitleTrack.State.IN_REVIEW
