"""Assigning translators and reviewers, with due dates; reminding whoever a track waits
for; a commissioned house's manager assigning the house's own people within the
commission, and nothing more."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dastan.accounts.tokens import issue_api_token
from dastan.catalog.models import Organisation, Title
from dastan.catalog.tests.factories import member_of
from dastan.errors import InvalidInput, NotFound, PermissionDenied
from dastan.localization import assignments, commissions, editing
from dastan.localization.models import Commission, Notification, SubtitleTrack, TranslationTask
from dastan.localization.pivots import declare_language_pair, start_human_translation
from dastan.localization.tracks import CueData, create_track, edit_cue

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(studio: Organisation) -> dict[str, Any]:
    house = Organisation.objects.create(name="Almaty Subtitles", slug="almaty-subs", kind="studio", country="KZ")
    films: dict[str, Title] = {}
    for slug in ("commissioned", "other"):
        title = Title.objects.create(slug=slug, original_language="en", country_of_origin="PK", owner=studio)
        create_track(title=title, language="en", origin="upload", is_source=True,
                     state=SubtitleTrack.State.APPROVED, cues=[CueData(500, 2500, "We arrived.")])
        films[slug] = title
    editor = member_of(studio, role="editor", username="studio-editor")
    commission = commissions.commission_house(
        studio=studio, house=house, titles=[films["commissioned"]], languages=["kk"],
        ends_at=timezone.now() + timedelta(days=14), by=editor)
    tasks = {slug: start_human_translation(source_track=SubtitleTrack.objects.get(title=t, is_source=True),
                                           target_language="kk", by=editor) for slug, t in films.items()}
    return {"house": house, "films": films, "editor": editor, "commission": commission, "tasks": tasks,
            "manager": member_of(house, role="admin", username="house-manager"),
            "translator": member_of(house, role="translator", username="house-translator"),
            "reviewer": member_of(house, role="reviewer", username="house-reviewer"),
            "studio_translator": member_of(studio, role="translator", username="studio-translator"),
            "studio_reviewer": member_of(studio, role="reviewer", username="studio-reviewer")}


def test_a_house_manager_assigns_their_own_translator_to_the_commissioned_track(world: dict[str, Any]) -> None:
    task, due = world["tasks"]["commissioned"], timezone.now() + timedelta(days=3)
    assignments.assign_task(task=task, assignee=world["translator"], by=world["manager"], due_at=due)
    task.refresh_from_db()
    assert (task.assignee, task.due_at) == (world["translator"], due)
    assert [v.task_id for v in assignments.translator_queue(user=world["translator"])] == [task.pk]
    assert Notification.objects.get(user=world["translator"]).url == f"/studio/editor/{task.track_id}/"
    # The manager follows the commission's late work, and nothing else of the studio's.
    late = assignments.late_tasks(user=world["manager"], now=due + timedelta(hours=1))
    assert [(v.title, v.assignee, v.is_late) for v in late] == [("commissioned", "house-translator", True)]


def test_a_house_manager_assigns_only_their_own_people_and_only_within_the_commission(
        world: dict[str, Any]) -> None:
    task = world["tasks"]["commissioned"]
    with pytest.raises(InvalidInput, match="on a commission, a house assigns its own people"):
        assignments.assign_task(task=task, assignee=world["studio_translator"], by=world["manager"])
    with pytest.raises(NotFound):  # another title: the house does not even know it exists
        assignments.assign_task(task=world["tasks"]["other"], assignee=world["translator"], by=world["manager"])
    with pytest.raises(PermissionDenied):  # a translator of the house does not assign
        assignments.assign_task(task=task, assignee=world["translator"], by=world["translator"])
    Commission.objects.filter(pk=world["commission"].pk).update(ends_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(NotFound):
        assignments.assign_task(task=task, assignee=world["translator"], by=world["manager"])
    task.refresh_from_db()
    assert task.assignee is None and not Notification.objects.filter(user=world["translator"]).exists()


def test_the_studio_assigns_a_house_translator_and_its_own_reviewer_with_due_dates(world: dict[str, Any]) -> None:
    task = world["tasks"]["commissioned"]
    assignments.assign_task(task=task, assignee=world["translator"], by=world["editor"])
    review_due = timezone.now() + timedelta(days=5)
    assignments.assign_task(task=task, assignee=world["studio_reviewer"], by=world["editor"], role="reviewer",
                            due_at=review_due)
    task.refresh_from_db()
    assert (task.reviewer, task.review_due_at) == (world["studio_reviewer"], review_due)
    assert Notification.objects.get(user=world["studio_reviewer"]).url == f"/studio/review/{task.track_id}/"
    # Until the text is handed in, a reminder goes to the translator; then to the reviewer.
    assert assignments.remind(task=task, by=world["editor"]) == world["translator"]
    track = task.track
    edit_cue(cue=track.cues.get(), author=world["translator"], text="Біз келдік.")
    editing.submit_track(track=SubtitleTrack.objects.get(pk=track.pk), by=world["translator"])
    task = TranslationTask.objects.get(pk=task.pk)
    assert assignments.remind(task=task, by=world["editor"]) == world["studio_reviewer"]
    reminder = Notification.objects.filter(user=world["studio_reviewer"]).first()
    assert reminder is not None and reminder.text.startswith("Reminder: review the kk subtitles of commissioned.")
    late = assignments.late_tasks(user=world["editor"], now=review_due + timedelta(hours=1))
    assert [(v.reviewer, v.is_late) for v in late] == [("studio-reviewer", True)]


def test_the_translator_of_a_track_cannot_be_its_reviewer(world: dict[str, Any]) -> None:
    task = world["tasks"]["commissioned"]
    edit_cue(cue=task.track.cues.get(), author=world["reviewer"], text="Біз келдік.")
    with pytest.raises(InvalidInput, match="house-reviewer translated this track"):
        assignments.assign_task(task=task, assignee=world["reviewer"], by=world["manager"], role="reviewer")
    with pytest.raises(InvalidInput, match="may not review this track"):
        assignments.assign_task(task=task, assignee=world["translator"], by=world["editor"], role="reviewer")


def test_candidates_put_those_who_declare_the_pair_first_and_a_house_sees_its_own(world: dict[str, Any]) -> None:
    track = world["tasks"]["commissioned"].track
    declare_language_pair(user=world["translator"], source_language="en", target_language="kk")
    by_studio = assignments.candidates(track=track, role="translator", by=world["editor"])
    assert [(c.username, c.declares_pair) for c in by_studio][:1] == [("house-translator", True)]
    assert {"studio-translator", "studio-editor", "house-manager"} <= {c.username for c in by_studio}
    by_house = assignments.candidates(track=track, role="translator", by=world["manager"])
    assert {c.organisation for c in by_house} == {"Almaty Subtitles"}
    other = world["tasks"]["other"].track  # not commissioned: only the studio's people
    assert {c.organisation for c in assignments.candidates(track=other, role="reviewer", by=world["editor"])} == {
        "Lahore Pictures"}


def test_an_engine_draft_gets_a_task_when_its_reviewer_is_assigned_and_a_refusal_stores_nothing(
        world: dict[str, Any]) -> None:
    title = world["films"]["other"]
    draft = create_track(title=title, language="ru", origin="machine", provenance={"engine": "apertium"},
                         source_track=SubtitleTrack.objects.get(title=title, is_source=True),
                         cues=[CueData(500, 2500, "Мы прибыли.")])
    with pytest.raises(InvalidInput, match="may not review"):
        assignments.assign_on_track(track=draft, assignee=world["studio_translator"], by=world["editor"],
                                    role="reviewer")
    assert not TranslationTask.objects.filter(track=draft).exists()
    task = assignments.assign_on_track(track=draft, assignee=world["studio_reviewer"], by=world["editor"],
                                       role="reviewer")
    assert (task.state, task.reviewer, task.assignee) == ("submitted", world["studio_reviewer"], None)
    assert "apertium" in task.reason


def test_a_house_manager_assigns_through_the_api(world: dict[str, Any]) -> None:
    task = world["tasks"]["commissioned"]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user=world['manager'])}")
    answer = api.post(f"/api/v1/localization/tasks/{task.pk}/assign",
                      {"assignee": "house-translator", "due_at": "2099-01-01T00:00:00Z"},
                      content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["assignee"] == "house-translator"
    refused = api.post(f"/api/v1/localization/tasks/{task.pk}/assign", {"assignee": "studio-translator"},
                       content_type="application/json")
    assert refused.status_code == 422 and refused.json()["field"] == "assignee"
    hidden = api.post(f"/api/v1/localization/tasks/{world['tasks']['other'].pk}/assign",
                      {"assignee": "house-translator"}, content_type="application/json")
    assert hidden.status_code == 404


def test_the_title_page_offers_each_person_only_the_actions_they_may_take(world: dict[str, Any]) -> None:
    from dastan.localization import orders

    title = world["films"]["commissioned"]
    assignments.assign_task(task=world["tasks"]["commissioned"], assignee=world["translator"], by=world["editor"])
    editor_view = {s.language: s.actions for s in orders.language_states(title=title, by=world["editor"])}
    kazakh = editor_view["kk"]
    assert kazakh is not None and (kazakh.assign, kazakh.remind, kazakh.rerun, kazakh.withdraw) == (
        True, True, False, False)  # no engine drafts en→kk; nothing published to withdraw
    assert "house-translator" in {c.username for c in kazakh.translators}
    translator_view = orders.language_states(title=title, by=world["studio_translator"])[0].actions
    assert translator_view is not None and not (translator_view.assign or translator_view.remind
                                                or translator_view.order_voice)
    SubtitleTrack.objects.filter(title=title, language="kk").update(state=SubtitleTrack.State.PUBLISHED)
    published = orders.language_states(title=title, by=world["studio_reviewer"])[0].actions
    assert published is not None and published.withdraw and not published.assign


def test_the_cli_assigns_and_reminds_as_the_title_page_does(world: dict[str, Any],
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    from dastan.cli import main

    assert main(["language", "commissioned:kk", "assign", "--as", "house-manager", "--person", "house-translator",
                 "--due", "2099-03-01"]) == 0
    assert "translator house-translator assigned, due 2099-03-01" in capsys.readouterr().out
    assert main(["language", "commissioned:kk", "remind", "--as", "studio-editor"]) == 0
    assert "reminded house-translator" in capsys.readouterr().out
    assert main(["language", "commissioned:kk", "assign", "--as", "house-manager", "--person",
                 "studio-translator"]) == 2
    assert "on a commission, a house assigns its own people" in capsys.readouterr().err
    assert main(["language", "other:kk", "withdraw", "--as", "studio-reviewer", "--reason", "x"]) == 2
    assert "are not published" in capsys.readouterr().err
