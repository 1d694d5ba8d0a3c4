"""Commissioning across organisations: the house's translator sees the commissioned
title's tracks in the commissioned languages and nothing else of the studio's, only
during the term; the studio's approval policy still decides publication."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dastan.accounts.permissions import Action
from dastan.accounts.tokens import issue_api_token
from dastan.catalog.models import Organisation, Title
from dastan.catalog.tests.factories import member_of
from dastan.errors import InvalidInput, NotFound, PermissionDenied
from dastan.localization import assignments, commissions, review
from dastan.localization.access import access_track, may
from dastan.localization.models import Commission, SubtitleTrack
from dastan.localization.tracks import CueData, create_track, edit_cue

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(studio: Organisation) -> dict[str, Any]:
    house = Organisation.objects.create(name="Almaty Subtitles", slug="almaty-subs", kind="studio", country="KZ")
    films = {}
    for slug in ("commissioned", "other"):
        title = Title.objects.create(slug=slug, original_language="en", country_of_origin="PK", owner=studio)
        source = create_track(title=title, language="en", origin="upload", is_source=True,
                              cues=[CueData(500, 2500, f"SECRET {slug} source")])
        for lang in ("kk", "ru"):
            create_track(title=title, language=lang, origin="human", source_track=source,
                         cues=[CueData(500, 2500, f"SECRET {slug} {lang}")])
        films[slug] = title
    editor = member_of(studio, role="editor", username="studio-editor")
    commission = commissions.commission_house(
        studio=studio, house=house, titles=[films["commissioned"]], languages=["kk"],
        ends_at=timezone.now() + timedelta(days=14), by=editor)
    return {"house": house, "films": films, "editor": editor, "commission": commission,
            "translator": member_of(house, role="translator", username="house-translator"),
            "reviewer": member_of(house, role="reviewer", username="house-reviewer"),
            "studio_reviewer": member_of(studio, role="reviewer", username="studio-reviewer")}


def _track(world: dict[str, Any], slug: str, lang: str) -> SubtitleTrack:
    return SubtitleTrack.objects.get(title=world["films"][slug], language=lang)


def test_the_house_translator_sees_the_commissioned_tracks_and_nothing_else(world: dict[str, Any]) -> None:
    who = world["translator"]
    mine = _track(world, "commissioned", "kk")
    assert access_track(user=who, track_id=mine.pk, action=Action.TRANSLATE) == mine
    assert list(commissions.commissioned_tracks(user=who)) == [mine]
    for slug, lang in (("commissioned", "ru"), ("commissioned", "en"), ("other", "kk")):
        with pytest.raises(NotFound):
            access_track(user=who, track_id=_track(world, slug, lang).pk)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user=who)}")
    assert "SECRET commissioned kk" in api.get(f"/api/v1/localization/tracks/{mine.pk}").content.decode()
    refused = api.get(f"/api/v1/localization/tracks/{_track(world, 'other', 'kk').pk}")
    assert refused.status_code == 404 and "SECRET" not in refused.content.decode()
    queue = api.get("/api/v1/localization/queue").json()
    assert [row["track_id"] for row in queue] == []  # no task yet: the studio starts one


def test_the_house_loses_access_when_the_commission_ends(world: dict[str, Any]) -> None:
    who, mine = world["translator"], _track(world, "commissioned", "kk")
    Commission.objects.filter(pk=world["commission"].pk).update(ends_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(NotFound):
        access_track(user=who, track_id=mine.pk)
    with pytest.raises(NotFound):
        edit_cue(cue=mine.cues.get(), author=who, text="late")
    assert list(commissions.commissioned_tracks(user=who)) == []


def test_ending_a_commission_early_ends_access_at_once(world: dict[str, Any]) -> None:
    mine = _track(world, "commissioned", "kk")
    assert may(user=world["translator"], track=mine, action=Action.TRANSLATE)
    commissions.end_commission(commission=world["commission"], by=world["editor"])
    assert not may(user=world["translator"], track=mine, action=Action.VIEW_DRAFTS)


def test_the_house_may_not_publish_and_its_approval_alone_does_not_approve(world: dict[str, Any]) -> None:
    from dastan.localization.publishing import publish_track

    mine = _track(world, "commissioned", "kk")
    edit_cue(cue=mine.cues.get(), author=world["translator"], text="Біз келдік.")
    mine.refresh_from_db()
    approved = review.approve_track(track=mine, reviewer=world["reviewer"])
    assert approved.state == SubtitleTrack.State.IN_REVIEW  # the studio's policy: its own reviewer too
    with pytest.raises(PermissionDenied):
        publish_track(track=approved, by=world["reviewer"])
    assert review.approve_track(track=approved, reviewer=world["studio_reviewer"]).state == "approved"


def test_a_studio_cannot_commission_titles_it_does_not_own(world: dict[str, Any], studio: Organisation) -> None:
    stranger_title = Title.objects.create(slug="theirs", original_language="en", country_of_origin="KZ",
                                          owner=world["house"])
    with pytest.raises(InvalidInput, match="does not own theirs"):
        commissions.commission_house(studio=studio, house=world["house"], titles=[stranger_title],
                                     languages=["kk"], ends_at=timezone.now() + timedelta(days=1),
                                     by=world["editor"])
    with pytest.raises(PermissionDenied):
        commissions.commission_house(studio=studio, house=world["house"], titles=[world["films"]["other"]],
                                     languages=["kk"], ends_at=timezone.now() + timedelta(days=1),
                                     by=world["translator"])


def test_assigning_a_house_translator_puts_the_task_in_their_queue_and_notifies_them(
        world: dict[str, Any]) -> None:
    from dastan.localization.pivots import start_human_translation

    title = world["films"]["commissioned"]
    SubtitleTrack.objects.filter(title=title, language="kk").delete()
    source = SubtitleTrack.objects.get(title=title, language="en")
    due = timezone.now() + timedelta(days=2)
    task = start_human_translation(source_track=source, target_language="kk", by=world["editor"],
                                   assignee=world["translator"], due_at=due)
    queue = assignments.translator_queue(user=world["translator"])
    assert [(v.title, v.language, v.cues_done, v.cues_total) for v in queue] == [("commissioned", "kk", 0, 1)]
    assert world["translator"].notifications.get().url == f"/studio/editor/{task.track_id}/"
    assert assignments.late_tasks(user=world["editor"]) == []
    late = assignments.late_tasks(user=world["editor"], now=due + timedelta(hours=1))
    assert [(v.assignee, v.is_late) for v in late] == [("house-translator", True)]
    with pytest.raises(InvalidInput, match="may not translate"):
        assignments.assign_task(task=task, assignee=member_of(world["house"], role="viewer"), by=world["editor"])
