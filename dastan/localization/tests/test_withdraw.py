"""Withdrawing a published language: the film's next master playlist no longer lists it,
the track goes back to its translator with the reason in its history, and publishing it
again after a fix brings it back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import m3u8
import pytest

from dastan.catalog.models import Title
from dastan.errors import InvalidInput, PermissionDenied
from dastan.localization import editing, review
from dastan.localization.models import Notification, SubtitleTrack, TranslationTask
from dastan.localization.pivots import start_human_translation
from dastan.localization.publishing import TrackNotPublished, publish_track, withdraw_track
from dastan.localization.tracks import CueData, create_track, edit_cue
from dastan.media.models import Stream
from dastan.media.storage import read_text

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _subtitles(title: Title) -> list[str]:
    master = m3u8.loads(read_text(Stream.objects.get(title=title).current.master_name))
    return [m.language for m in master.media if m.type == "SUBTITLES"]


def _translate(track: SubtitleTrack, who: Any, text: str) -> SubtitleTrack:
    for cue in track.cues.all():
        edit_cue(cue=cue, author=who, text=text)
    return editing.submit_track(track=SubtitleTrack.objects.get(pk=track.pk), by=who)


@pytest.fixture
def published_kazakh(published_film: Title, member: Callable[..., Any]) -> dict[str, Any]:
    people = {name: member(name, role)[0] for name, role in (
        ("manager", "editor"), ("reviewer", "reviewer"), ("almaty", "translator"))}
    source = create_track(title=published_film, language="en", origin="upload", is_source=True,
                          state=SubtitleTrack.State.APPROVED, cues=[CueData(500, 2500, "We arrived.")])
    task = start_human_translation(source_track=source, target_language="kk", by=people["manager"],
                                   assignee=people["almaty"])
    track = _translate(task.track, people["almaty"], "Біз келдік.")
    publish_track(track=review.approve_track(track=track, reviewer=people["reviewer"]), by=people["reviewer"])
    assert _subtitles(published_film) == ["kk"]
    return {**people, "track": SubtitleTrack.objects.get(pk=track.pk), "task": task, "title": published_film}


def test_withdrawing_a_language_takes_it_out_of_the_master_and_back_to_its_translator(
        published_kazakh: dict[str, Any]) -> None:
    world, title = published_kazakh, published_kazakh["title"]
    before = Stream.objects.get(title=title).current.number
    track = withdraw_track(track=world["track"], by=world["reviewer"], reason="Noori's name is misspelt.")
    assert _subtitles(title) == []
    assert Stream.objects.get(title=title).current.number == before + 1
    assert (track.state, track.published_at) == (SubtitleTrack.State.CHANGES_REQUESTED, None)
    last = track.reviews.order_by("-created_at", "-id").first()
    assert last is not None and last.comment == "Withdrawn from viewers: Noori's name is misspelt."
    assert [(w["by"], w["reason"], w["version"]) for w in track.provenance["withdrawals"]] == [
        ("reviewer", "Noori's name is misspelt.", before + 1)]
    assert track.provenance["route"] == ["en", "kk"]  # the rest of its provenance stays
    assert TranslationTask.objects.get(pk=world["task"].pk).state == TranslationTask.State.OPEN
    told = Notification.objects.filter(user=world["almaty"]).first()
    assert told is not None and "withdrawn from viewers: Noori's name is misspelt." in told.text
    # Fixed, approved again and published again: viewers see it once more.
    fixed = _translate(track, world["almaty"], "Біз келдік, Нури.")
    publish_track(track=review.approve_track(track=fixed, reviewer=world["reviewer"]), by=world["reviewer"])
    assert _subtitles(title) == ["kk"]


def test_only_the_studios_reviewers_withdraw_and_a_refusal_changes_nothing(
        published_kazakh: dict[str, Any]) -> None:
    world, title = published_kazakh, published_kazakh["title"]
    before = Stream.objects.get(title=title).current.number
    with pytest.raises(PermissionDenied):
        withdraw_track(track=world["track"], by=world["almaty"], reason="I want to change it.")
    with pytest.raises(InvalidInput, match="needs a reason"):
        withdraw_track(track=world["track"], by=world["reviewer"], reason="  ")
    track = SubtitleTrack.objects.get(pk=world["track"].pk)
    assert track.state == SubtitleTrack.State.PUBLISHED and _subtitles(title) == ["kk"]
    assert Stream.objects.get(title=title).current.number == before
    withdraw_track(track=track, by=world["reviewer"], reason="Wrong names.")
    with pytest.raises(TrackNotPublished, match="nothing to withdraw"):
        withdraw_track(track=SubtitleTrack.objects.get(pk=track.pk), by=world["reviewer"], reason="Again.")
