"""Texts written for someone else, said in their reader's language: a notification in its
recipient's (the language they last used the studio in is remembered by
dastan.accounts.languages, and the notification keeps its message ids, so it follows them
when they switch); a QC finding and its fix in the reviewer's."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from dastan.accounts.models import LanguagePreference
from dastan.accounts.tokens import issue_api_token
from dastan.catalog.models import Organisation, Title
from dastan.catalog.tests.factories import member_of
from dastan.localization import assignments
from dastan.localization.models import Notification, SubtitleTrack
from dastan.localization.pivots import start_human_translation
from dastan.localization.tracks import CueData, create_track

pytestmark = pytest.mark.django_db

DUE = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)


@pytest.fixture
def world(studio: Organisation) -> dict[str, Any]:
    """A film whose Kazakh translation waits for a translator, and the studio's people."""
    title = Title.objects.create(slug="commissioned", original_language="en", country_of_origin="PK", owner=studio)
    source = create_track(title=title, language="en", origin="upload", is_source=True,
                          state=SubtitleTrack.State.APPROVED, cues=[CueData(500, 2500, "We arrived.")])
    editor = member_of(studio, role="editor", username="studio-editor")
    return {"task": start_human_translation(source_track=source, target_language="kk", by=editor),
            "manager": editor, "translator": member_of(studio, role="translator", username="studio-translator")}


def queue(client: Client, language: str) -> str:
    client.cookies["dastan_language"] = language
    return client.get("/studio/queue/").content.decode()


def test_the_studio_remembers_the_language_a_person_uses_it_in(world: dict[str, Any]) -> None:
    client = Client()
    client.force_login(world["translator"])
    queue(client, "ur")
    assert LanguagePreference.objects.get(user=world["translator"]).language == "ur"
    queue(client, "ru")
    assert LanguagePreference.objects.get(user=world["translator"]).language == "ru"


def test_an_assignment_made_in_russian_reaches_an_urdu_translator_in_urdu(world: dict[str, Any]) -> None:
    translator = world["translator"]
    client = Client()
    client.force_login(translator)
    queue(client, "ur")  # the translator works in Urdu
    with translation.override("ru"):  # the house's manager works in Russian
        assignments.assign_task(task=world["task"], assignee=translator, by=world["manager"],
                                due_at=DUE)
    note = Notification.objects.get(user=translator)
    assert note.text == "آپ سے commissioned کا kk میں ترجمہ کرنے کو کہا گیا ہے، آخری وقت 2026-12-01 18:00 UTC۔"
    assert note.text_i18n == {"msgid": "You are asked to translate %(title)s into %(language)s, due %(due)s UTC.",
                              "params": {"title": "commissioned", "language": "kk", "due": "2026-12-01 18:00"}}
    assert note.text in queue(client, "ur")
    # They switch to Russian: the line follows them, on the page and in the API.
    assert "Вас просят перевести commissioned на kk, срок — 2026-12-01 18:00 UTC." in queue(client, "ru")
    token = issue_api_token(user=translator)
    lines = Client().get("/api/v1/localization/notifications", HTTP_AUTHORIZATION=f"Bearer {token}",
                         HTTP_ACCEPT_LANGUAGE="en").json()
    assert [n["text"] for n in lines] == ["You are asked to translate commissioned into kk, due 2026-12-01 18:00 UTC."]


def test_someone_who_never_signed_in_gets_the_sites_language(world: dict[str, Any]) -> None:
    with translation.override("ru"):
        assignments.assign_task(task=world["task"], assignee=world["translator"],
                                by=world["manager"])
    assert Notification.objects.get(user=world["translator"]).text == \
        "You are asked to translate commissioned into kk."


def test_a_notification_from_before_shows_as_it_was_written(world: dict[str, Any]) -> None:
    Notification.objects.create(user=world["translator"], text="You are asked to translate other into kk.")
    client = Client()
    client.force_login(world["translator"])
    assert "You are asked to translate other into kk." in queue(client, "ru")


# --- the subtitle QC's findings, on the review desk and in the API ------------------------------

@pytest.mark.parametrize(("language", "said"), [
    ("ru", "В реплике нет текста. Введите её текст или удалите реплику."),
    ("ur", "اس سطر میں کوئی متن نہیں۔ اس کا متن لکھیں یا سطر حذف کریں۔"),
    ("en", "The cue has no text. Type its text or delete the cue."),
])
def test_a_qc_finding_and_its_fix_are_said_in_the_reviewers_language(
        studio: Organisation, language: str, said: str) -> None:
    title = Title.objects.create(slug="quiet", original_language="en", country_of_origin="PK", owner=studio)
    track = create_track(title=title, language="kk", origin="human", state=SubtitleTrack.State.IN_REVIEW,
                         cues=[CueData(500, 2500, "Біз келдік."), CueData(3000, 4500, " ")])
    reviewer = member_of(studio, role="reviewer", username="studio-reviewer")
    client = Client()
    client.force_login(reviewer)
    client.cookies["dastan_language"] = language
    assert said in client.get(f"/studio/review/{track.pk}/").content.decode()
    token = issue_api_token(user=reviewer)
    issues = Client().get(f"/api/v1/localization/tracks/{track.pk}", HTTP_AUTHORIZATION=f"Bearer {token}",
                          HTTP_ACCEPT_LANGUAGE=language).json()["issues"]
    empty = next(i for i in issues if i["rule"] == "empty_cue")
    assert f"{empty['message']} {empty['hint']}" == said
