"""Localization started from the studio's title page: one language by engine (hi→ur,
Apertium), one by a person, one by a person through a pivot (hi → en → ky); each followed
on the page to published."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from dastan.catalog.models import Title
from dastan.errors import InvalidInput
from dastan.jobs.services import run_queued_jobs
from dastan.localization import editing, orders, review
from dastan.localization.cli import cmd_localize
from dastan.localization.engines.registry import find_translation_route
from dastan.localization.models import SubtitleTrack
from dastan.localization.publishing import publish_track
from dastan.localization.tracks import CueData, create_track, edit_cue

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _translate(track: SubtitleTrack, who: Any, text: str) -> None:
    for cue in track.cues.all():
        edit_cue(cue=cue, author=who, text=text)
    editing.submit_track(track=track, by=who)


def test_three_languages_started_from_the_title_page_are_followed_to_published(
        published_film: Title, member: Callable[..., Any]) -> None:
    if find_translation_route("hi", "ur") is None:
        pytest.skip("Apertium's hi→ur pair is not installed (apt-get install apertium-urd-hin).")
    editor, _ = member("manager", "editor")
    reviewer, _ = member("reviewer", "reviewer")
    kazakh, _ = member("almaty", "translator")
    english, _ = member("lahore", "translator")
    kyrgyz, _ = member("bishkek", "translator")
    Title.objects.filter(pk=published_film.pk).update(original_language="hi")
    create_track(title=published_film, language="hi", origin="upload", is_source=True,
                 state=SubtitleTrack.State.APPROVED, cues=[CueData(0, 2000, "यह किताब बहुत अच्छी है।")])
    page = Client()
    page.force_login(editor)
    form = {"language": ["ur", "kk", "ky"], "route_ur": "engine", "route_kk": "person", "assignee_kk": "almaty",
            "route_ky": "pivot", "via_ky": "en", "assignee_ky": "bishkek"}
    answer = page.post(f"/studio/titles/{published_film.slug}/localize", form, follow=True).content.decode()
    assert "Localization started." in answer
    run_queued_jobs(worker="test")  # the engine's language, and its publish step (waiting for approval)
    states = {s.language: s for s in orders.language_states(title=published_film, by=editor)}
    assert states["ur"].made_by == "apertium" and states["ur"].state == "in_review"
    assert (states["kk"].assignee, states["kk"].state) == ("almaty", "awaiting_translator")
    assert states["en"].route == ("hi", "en")  # the pivot's own leg first
    _translate(SubtitleTrack.objects.get(title=published_film, language="kk"), kazakh, "Бұл кітап өте жақсы.")
    _translate(SubtitleTrack.objects.get(title=published_film, language="en"), english, "This book is very good.")
    for language in ("ur", "kk", "en"):
        track = SubtitleTrack.objects.get(title=published_film, language=language)
        review.approve_track(track=track, reviewer=reviewer, override_reason="short test line")
    kyrgyz_track = SubtitleTrack.objects.get(title=published_film, language="ky")  # started by en's approval
    assert kyrgyz_track.provenance["route"] == ["hi", "en", "ky"]
    _translate(kyrgyz_track, kyrgyz, "Бул китеп абдан жакшы.")
    review.approve_track(track=SubtitleTrack.objects.get(pk=kyrgyz_track.pk), reviewer=reviewer,
                         override_reason="short test line")
    for language in ("ur", "kk", "ky"):
        publish_track(track=SubtitleTrack.objects.get(title=published_film, language=language), by=reviewer)
    html = page.get(f"/studio/titles/{published_film.slug}/").content.decode()
    for language in ("ur", "kk", "ky"):
        row = html.split(f'id="language-{language}"')[1].split("</tr>")[0]
        assert 'data-state="published"' in row and "Published" in row
    assert "hi → en → ky" in html


def test_an_engine_route_where_no_engine_exists_is_refused_and_nothing_starts(
        film_title: Title, member: Callable[..., Any]) -> None:
    editor, _ = member("manager", "editor")
    create_track(title=film_title, language="en", origin="upload", is_source=True,
                 cues=[CueData(0, 2000, "Hello.")])
    with pytest.raises(InvalidInput, match="No engine on this node translates en→kk"):
        orders.start_localization(title=film_title, by=editor, plans=[
            orders.LanguagePlan("ky", "person"), orders.LanguagePlan("kk", "engine")])
    assert not SubtitleTrack.objects.filter(title=film_title, is_source=False).exists()


def test_the_cli_starts_the_same_routes_as_the_page(film_title: Title, member: Callable[..., Any],
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    member("manager", "editor")
    member("bishkek", "translator")
    create_track(title=film_title, language="en", origin="upload", is_source=True, cues=[CueData(0, 2000, "Hello.")])
    russian = create_track(title=film_title, language="ru", origin="human",
                           source_track=SubtitleTrack.objects.get(title=film_title, language="en"),
                           cues=[CueData(0, 2000, "Привет.")])
    SubtitleTrack.objects.filter(pk=russian.pk).update(state=SubtitleTrack.State.APPROVED)  # people approved it
    args = argparse.Namespace(film=film_title.slug, to="ky,kk", voice_over=False, here=True, as_user="manager",
                              route=["ky=pivot:ru:bishkek", "kk=person"])
    assert cmd_localize(args) == 0
    ky = SubtitleTrack.objects.get(title=film_title, language="ky")
    assert ky.provenance["route"] == ["en", "ru", "ky"]
    assert ky.task.assignee is not None and ky.task.assignee.username == "bishkek"
    assert "en → ru → ky" in capsys.readouterr().out


def test_the_cli_runs_the_localization_jobs_here_and_follows_them_to_the_end(
        transactional_db: None, film_title: Title, capsys: pytest.CaptureFixture[str]) -> None:
    if find_translation_route("hi", "ur") is None:
        pytest.skip("Apertium's hi→ur pair is not installed (apt-get install apertium-urd-hin).")
    Title.objects.filter(pk=film_title.pk).update(original_language="hi")
    film_title.refresh_from_db()
    create_track(title=film_title, language="hi", origin="upload", is_source=True,
                 state=SubtitleTrack.State.APPROVED, cues=[CueData(0, 2000, "यह किताब बहुत अच्छी है।")])
    args = argparse.Namespace(film=film_title.slug, to="ur", voice_over=False, here=True, route=None)
    assert cmd_localize(args) == 0
    out = capsys.readouterr()
    assert "translate  ur" in out.err and "publish    ur" in out.err  # a bar per job
    assert "ur" in out.out and "In review" in out.out
    assert SubtitleTrack.objects.get(title=film_title, language="ur").provenance["engine"] == "apertium"
