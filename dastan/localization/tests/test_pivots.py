"""Human pivots: a task starts from any approved track; the desk proposes a route over the
pairs translators declared; the route is in the provenance and on the review desk, with
the original beside the pivot."""

from __future__ import annotations

import pytest
from django.test import Client

from dastan.catalog.models import Organisation, Title
from dastan.catalog.tests.factories import member_of
from dastan.errors import InvalidInput
from dastan.localization import editing, pivots, review
from dastan.localization.models import SubtitleTrack, TranslationTask
from dastan.localization.tracks import CueData, create_track, edit_cue

pytestmark = pytest.mark.django_db


@pytest.fixture
def urdu_film(studio: Organisation) -> Title:
    title = Title.objects.create(slug="heer", original_language="ur", country_of_origin="PK", owner=studio)
    create_track(title=title, language="ur", origin=SubtitleTrack.Origin.UPLOAD, is_source=True,
                 state=SubtitleTrack.State.APPROVED,
                 cues=[CueData(500, 2500, "ہم لاہور پہنچ گئے۔"), CueData(3000, 5000, "صبح ہو گئی۔")])
    return title


def _translate(track: SubtitleTrack, user: object, texts: list[str]) -> None:
    for cue, text in zip(track.cues.all(), texts, strict=True):
        edit_cue(cue=cue, author=user, text=text)
    editing.submit_track(track=track, by=user)


def test_the_desk_proposes_urdu_english_kazakh_from_declared_pairs(urdu_film: Title, studio: Organisation) -> None:
    manager = member_of(studio, role="editor", username="manager")
    lahore = member_of(studio, role="translator", username="lahore")
    almaty = member_of(studio, role="translator", username="almaty")
    pivots.declare_language_pair(user=lahore, source_language="ur", target_language="en")
    pivots.declare_language_pair(user=almaty, source_language="en", target_language="kk")
    route = pivots.propose_route(title=urdu_film, target_language="kk", by=manager)
    assert route.languages == ["ur", "en", "kk"]
    assert [h.translators for h in route.hops] == [("lahore",), ("almaty",)]
    assert pivots.propose_route(title=urdu_film, target_language="ky", by=manager).hops == ()


def test_a_pivot_route_ur_en_kk_is_recorded_and_shown_on_the_review_desk(
        urdu_film: Title, studio: Organisation) -> None:
    manager = member_of(studio, role="editor", username="manager")
    reviewer = member_of(studio, role="reviewer", username="reviewer")
    lahore = member_of(studio, role="translator", username="lahore")
    almaty = member_of(studio, role="translator", username="almaty")
    pivots.declare_language_pair(user=almaty, source_language="en", target_language="kk")
    original = urdu_film.subtitle_tracks.get(language="ur")
    first = pivots.start_human_translation(source_track=original, target_language="en", by=manager,
                                           assignee=lahore, then_languages=["kk"])
    assert first.track.provenance["route"] == ["ur", "en"]
    _translate(first.track, lahore, ["We reached Lahore.", "Morning came."])
    review.approve_track(track=SubtitleTrack.objects.get(pk=first.track_id), reviewer=reviewer)
    kazakh = SubtitleTrack.objects.get(title=urdu_film, language="kk")  # started by the approval
    assert kazakh.provenance["route"] == ["ur", "en", "kk"]
    assert kazakh.pivot_language == "en" and kazakh.source_track is not None
    assert kazakh.source_track.language == "en"
    assert kazakh.provenance["original_track_id"] == original.pk
    assert almaty.notifications.filter(text__contains="ur → en → kk").exists()
    _translate(kazakh, almaty, ["Біз Лахорға жеттік.", "Таң атты."])
    client = Client()
    client.force_login(reviewer)
    page = client.get(f"/studio/review/{kazakh.pk}/").content.decode()
    assert "Route" in page and "Urdu" in page and "English" in page and "Kazakh" in page
    # The original beside the pivot, cue for cue.
    assert "ہم لاہور پہنچ گئے۔" in page and "We reached Lahore." in page and "Біз Лахорға жеттік." in page
    assert TranslationTask.objects.get(track=kazakh).state == TranslationTask.State.SUBMITTED


def test_a_draft_cannot_serve_as_a_pivot(urdu_film: Title, studio: Organisation) -> None:
    manager = member_of(studio, role="editor", username="manager")
    draft = create_track(title=urdu_film, language="ru", origin=SubtitleTrack.Origin.HUMAN,
                         source_track=urdu_film.subtitle_tracks.get(language="ur"),
                         cues=[CueData(500, 2500, "Мы приехали.")])
    with pytest.raises(InvalidInput, match="only an approved track"):
        pivots.start_human_translation(source_track=draft, target_language="ky", by=manager)
    assert not SubtitleTrack.objects.filter(language="ky").exists()
