"""The editor's server side: its page, its data (source, glossary, memory with scores),
per-cue revisions that refuse a stale save with the other person's text, split and merge
keeping the history, spelling with Debian's dictionaries."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from dastan.catalog.models import Organisation, Title
from dastan.localization.models import CueRevision, GlossaryTerm, MemoryEntry, SubtitleTrack
from dastan.localization.spelling import check_spelling, dictionary_path
from dastan.localization.tracks import CueData, create_track

pytestmark = pytest.mark.django_db


@pytest.fixture
def kazakh(studio: Organisation) -> SubtitleTrack:
    title = Title.objects.create(slug="caravan", original_language="en", country_of_origin="PK", owner=studio)
    source = create_track(title=title, language="en", origin="upload", is_source=True,
                          cues=[CueData(500, 2500, "Noori reached Samarkand."), CueData(3000, 5000, "At dawn.")])
    GlossaryTerm.objects.create(organisation=studio, source_language="en", target_language="kk",
                                source_term="Noori", target_term="Нури")
    MemoryEntry.objects.create(organisation=studio, source_language="en", target_language="kk", source_key="x",
                               source_text="At dawn, friends.", target_text="Таң атқанда.")
    return create_track(title=title, language="kk", origin="human", source_track=source,
                        cues=[CueData(500, 2500, ""), CueData(3000, 5000, "")])


def test_the_editor_page_carries_its_strings_in_the_interface_language(
        kazakh: SubtitleTrack, member: Callable[..., Any]) -> None:
    dana, _ = member("dana", "translator")
    client = Client()
    client.force_login(dana)
    client.cookies["dastan_language"] = "kk"
    page = client.get(f"/studio/editor/{kazakh.pk}/").content.decode()
    assert "Пернетақта" in page and "Alt+S" in page  # the help panel, in Kazakh
    config = json.loads(page.split('id="editor-config" type="application/json">')[1].split("</script>")[0])
    assert config["strings"]["saved"] == "Сақталды" and config["target_dir"] == "ltr"


def test_the_workbench_offers_glossary_and_scored_memory_matches(
        kazakh: SubtitleTrack, member: Callable[..., Any]) -> None:
    _, api = member("dana", "translator")
    data = api.get(f"/api/v1/localization/tracks/{kazakh.pk}/workbench").json()
    first, second = data["cues"]
    assert first["terms"] == [{"source": "Noori", "target": "Нури"}]
    assert second["memory"][0]["target_text"] == "Таң атқанда." and 60 <= second["memory"][0]["score"] < 100
    assert data["profile"]["chars_per_line"] > 0


def test_a_stale_save_is_refused_with_the_other_persons_text(kazakh: SubtitleTrack,
                                                             member: Callable[..., Any]) -> None:
    _, dana = member("dana", "translator")
    _, aruzhan = member("aruzhan", "translator")
    cue = kazakh.cues.get(index=1)
    first = dana.patch(f"/api/v1/localization/cues/{cue.pk}", {"text": "Нури келді.", "base_revision": 1},
                       content_type="application/json")
    assert first.status_code == 200 and first.json()["revision"] == 2
    stale = aruzhan.patch(f"/api/v1/localization/cues/{cue.pk}", {"text": "Нури жетті.", "base_revision": 1},
                          content_type="application/json")
    assert stale.status_code == 409 and "dana" in stale.json()["message"] and "Нури келді." in stale.json()["message"]
    cue.refresh_from_db()
    assert cue.text == "Нури келді."
    merged = aruzhan.patch(f"/api/v1/localization/cues/{cue.pk}", {"text": "Нури Самарқандқа жетті.",
                                                                    "base_revision": 2},
                           content_type="application/json")
    assert merged.json()["revision"] == 3
    assert list(CueRevision.objects.filter(cue=cue).values_list("text", flat=True)) == [
        "", "Нури келді.", "Нури Самарқандқа жетті."]


def test_split_and_merge_renumber_the_cues_and_keep_the_history(kazakh: SubtitleTrack,
                                                                 member: Callable[..., Any]) -> None:
    _, api = member("dana", "translator")
    first = kazakh.cues.get(index=1)
    parts = api.post(f"/api/v1/localization/cues/{first.pk}/split",
                     {"at_ms": 1500, "text_before": "Нури", "text_after": "келді."},
                     content_type="application/json").json()
    assert [(p["index"], p["start_ms"], p["end_ms"]) for p in parts] == [(1, 500, 1500), (2, 1500, 2500)]
    assert list(kazakh.cues.values_list("index", flat=True)) == [1, 2, 3]
    merged = api.post(f"/api/v1/localization/cues/{parts[1]['id']}/merge", {}, content_type="application/json")
    assert (merged.json()["index"], merged.json()["end_ms"], merged.json()["text"]) == (2, 5000, "келді.")
    assert list(kazakh.cues.values_list("index", flat=True)) == [1, 2]
    assert CueRevision.objects.filter(note__startswith="merged with cue 3").exists()


def test_spelling_flags_a_kazakh_misspelling_and_says_plainly_where_there_is_no_dictionary() -> None:
    if dictionary_path("kk") is None:
        pytest.skip("Debian's Kazakh dictionary is not installed (apt-get install hunspell-kk).")
    kazakh = check_spelling(language="kk", text="Таң атты. Біз кеттіkк")
    assert kazakh.available and [m.word for m in kazakh.misspellings] == ["кеттіkк"]
    urdu = check_spelling(language="ur", text="صبح ہو گئی")
    assert not urdu.available and "no spelling dictionary for ur" in urdu.reason
