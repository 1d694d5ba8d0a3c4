"""QC while the translator types: the review desk's own rules (subtitles/qc.py) on the cue
as it stands on screen, in the translator's interface language; nothing is stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from dastan.catalog.models import Organisation, Title
from dastan.errors import NotFound
from dastan.localization.models import GlossaryTerm, SubtitleTrack
from dastan.localization.selectors import qc_for_track
from dastan.localization.tracks import CueData, create_track
from dastan.localization.workbench import qc_as_typed, qc_of_track

pytestmark = pytest.mark.django_db


@pytest.fixture
def kazakh(film_title: Title, studio: Organisation) -> SubtitleTrack:
    source = create_track(title=film_title, language="en", origin="upload", is_source=True,
                          cues=[CueData(0, 2000, "Noori came with 40 camels."), CueData(2500, 5000, "Welcome!")])
    GlossaryTerm.objects.create(organisation=studio, source_language="en", target_language="kk",
                                source_term="Noori", target_term="Нури")
    return create_track(title=film_title, language="kk", origin="human", source_track=source,
                        cues=[CueData(0, 2000, ""), CueData(2500, 5000, "")])


def _rules(issues: list[Any]) -> set[str]:
    return {i.rule for i in issues}


def test_what_is_typed_is_checked_by_the_desks_rules_and_nothing_is_stored(
        kazakh: SubtitleTrack, member: Callable[..., Any]) -> None:
    translator, _ = member("almaty", "translator")
    cue = kazakh.cues.get(index=1)
    typed = qc_as_typed(cue=cue, user=translator, text="Нура 30 түйемен келді.")
    assert {"glossary_term_missing", "numbers_changed"} <= _rules(typed)
    assert "empty_cue" not in _rules(typed)
    assert _rules(qc_as_typed(cue=cue, user=translator, text="Нури 40 түйемен келді.")) == set()
    late = qc_as_typed(cue=cue, user=translator, text="Нури 40 түйемен келді.", end_ms=2700)
    assert {i.rule: i.message for i in late}["overlap"] == "Ends 200 ms after cue 2 starts."
    cue.refresh_from_db()
    assert (cue.text, cue.end_ms, cue.revision) == ("", 2000, 1)


def test_the_messages_are_in_the_translators_interface_language(
        kazakh: SubtitleTrack, member: Callable[..., Any]) -> None:
    translator, _ = member("almaty", "translator")
    cue = kazakh.cues.get(index=1)
    with translation.override("ru"):
        typed = {i.rule: i.message for i in qc_as_typed(cue=cue, user=translator, text="Нура 30 түйемен келді.")}
    assert typed["glossary_term_missing"] == "Глоссарий передаёт «Noori» как «Нури», а этого нет в переводе."
    assert typed["numbers_changed"] == "Числа расходятся с оригиналом: здесь 30, там 40."
    with translation.override("ur"):
        (empty,) = qc_as_typed(cue=kazakh.cues.get(index=2), user=translator, text="")
    assert (empty.rule, empty.severity, empty.message) == ("empty_cue", "error", "اس سطر میں کوئی متن نہیں۔")


def test_the_editor_opens_with_the_issues_the_review_desk_shows(kazakh: SubtitleTrack,
                                                              member: Callable[..., Any]) -> None:
    translator, _ = member("almaty", "translator")
    on_desk = {(i.rule, i.cue_index) for i in qc_for_track(track=kazakh)}
    assert on_desk and {(i.rule, i.cue_index) for i in qc_of_track(track=kazakh, user=translator)} == on_desk


def test_only_people_who_read_the_draft_may_ask(kazakh: SubtitleTrack, member: Callable[..., Any]) -> None:
    from dastan.catalog.tests.factories import member_of

    stranger = member_of(Organisation.objects.create(name="Elsewhere", slug="elsewhere", kind="studio",
                                                     country="KZ"), role="admin", username="stranger")
    with pytest.raises(NotFound):
        qc_as_typed(cue=kazakh.cues.get(index=1), user=stranger, text="x")
    with pytest.raises(NotFound):
        qc_of_track(track=kazakh, user=stranger)


def test_the_editor_asks_through_the_api_in_its_interface_language(
        kazakh: SubtitleTrack, member: Callable[..., Any]) -> None:
    translator, _ = member("almaty", "translator")
    browser = Client()
    browser.force_login(translator)
    browser.cookies["dastan_language"] = "kk"
    answer = browser.post(f"/api/v1/localization/cues/{kazakh.cues.get(index=2).pk}/qc",
                          {"text": "Қош келдіңіз"}, content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert [(i["rule"], i["message"]) for i in answer.json()] == [
        ("ending_punctuation", "Түпнұсқа «!» белгісімен аяқталады; аударманы да солай аяқтаңыз.")]
    whole = browser.get(f"/api/v1/localization/tracks/{kazakh.pk}/qc").json()
    assert {(i["rule"], i["cue_index"]) for i in whole} == {
        ("empty_cue", 1), ("glossary_term_missing", 1), ("numbers_changed", 1), ("empty_cue", 2)}
