"""A film's subtitles from upload to the HLS master, through people: a language no
engine covers becomes a translator's task; their text is reviewed, approved and
published; machine drafts carry provenance and wait for approval."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import m3u8
import pytest
from django.test import Client

from dastan.catalog.models import Organisation, Title
from dastan.localization.models import CueRevision, SubtitleTrack, TranslationTask
from dastan.localization.tests.conftest import SRT
from dastan.localization.tracks import CueData, create_track

pytestmark = pytest.mark.django_db


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def _translate(client: Client, source_id: int, languages: list[str]) -> list[dict[str, Any]]:
    """Order translations as a studio would: the API answers 202 with a job per language at
    once (no engine runs in the request); a worker runs them; the tracks are then listed."""
    from dastan.jobs.services import run_queued_jobs

    ordered = _post(client, f"/api/v1/localization/tracks/{source_id}/translate", {"target_languages": languages})
    assert ordered.status_code == 202, ordered.content
    assert [o["language"] for o in ordered.json()] == languages
    assert not SubtitleTrack.objects.filter(source_track_id=source_id, language__in=languages).exists()
    run_queued_jobs()
    for order in ordered.json():
        assert client.get(order["job_url"]).json()["state"] == "succeeded"
    slug = SubtitleTrack.objects.get(pk=source_id).title.slug
    tracks = {t["language"]: t for t in client.get(f"/api/v1/localization/titles/{slug}/tracks").json()}
    return [tracks[language] for language in languages]


def _upload_source(client: Client, slug: str) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(f"/api/v1/localization/titles/{slug}/tracks",
                           data={"language": "en", "file": SimpleUploadedFile("caravan.srt", SRT.encode())})
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.slow
def test_a_language_no_engine_covers_goes_to_a_translator_then_review_then_the_hls_master(
        published_film: Title, member: Callable[..., Any]) -> None:
    translator, as_translator = member("dana", "translator")
    _, as_reviewer = member("amina", "reviewer")
    source = _upload_source(as_reviewer, published_film.slug)
    assert source["origin"] == "upload" and source["is_source"] is True

    drafted = _translate(as_reviewer, source["id"], ["kk"])
    kk = drafted[0]
    assert kk["state"] == "awaiting_translator"
    assert "en→kk" in kk["task_reason"]
    tasks = as_translator.get("/api/v1/localization/tasks").json()
    assert [(t["language"], t["track_id"]) for t in tasks] == [("kk", kk["id"])]

    wrong = _post(as_translator, f"/api/v1/localization/tracks/{kk['id']}/translation", {"texts": ["one"]})
    assert wrong.status_code == 422
    assert wrong.json()["message"] == "The kk track has 2 cues but 1 texts were sent."

    texts = ["Керуен Самарқандқа жетті", "таң атқанда, 40 түйемен."]
    submitted = _post(as_translator, f"/api/v1/localization/tracks/{kk['id']}/translation", {"texts": texts})
    assert submitted.json()["state"] == "in_review"
    assert TranslationTask.objects.get(track_id=kk["id"]).state == TranslationTask.State.SUBMITTED
    assert CueRevision.objects.filter(cue__track_id=kk["id"], author=translator).count() == 2

    own = _post(as_translator, f"/api/v1/localization/tracks/{kk['id']}/approve", {})
    assert own.status_code == 403
    unpublishable = as_reviewer.post(f"/api/v1/localization/tracks/{kk['id']}/publish")
    assert unpublishable.status_code == 409
    assert "not approved" in unpublishable.json()["message"]

    approved = _post(as_reviewer, f"/api/v1/localization/tracks/{kk['id']}/approve", {})
    assert approved.json()["state"] == "published", approved.content  # the film has a stream

    from dastan.media.playback import build_master_playlist

    master = m3u8.loads(build_master_playlist(title=published_film))
    subtitles = [m for m in master.media if m.type == "SUBTITLES"]
    assert [(m.language, m.name) for m in subtitles] == [("kk", "Қазақ тілі")]


def test_a_machine_draft_carries_its_engine_and_needs_the_policy_s_approvals(
        studio: Organisation, member: Callable[..., Any]) -> None:
    """Urdu → Hindi by Apertium, for real; the studio's policy asks for two approvals."""
    studio.machine_track_approvals = 2
    studio.save()
    title = Title.objects.create(slug="maula", original_language="ur", country_of_origin="PK", owner=studio)
    source = create_track(title=title, language="ur", origin=SubtitleTrack.Origin.UPLOAD, is_source=True,
                          cues=[CueData(0, 2000, "یہ کتاب بہت اچھی ہے۔")])
    _, first = member("first", "reviewer")
    _, second = member("second", "reviewer")
    hi = _translate(first, source.pk, ["hi"])[0]
    assert (hi["origin"], hi["state"], hi["provenance"]["engine"]) == ("machine", "in_review", "apertium")
    detail = first.get(f"/api/v1/localization/tracks/{hi['id']}").json()
    assert any("\u0900" <= ch <= "\u097f" for ch in detail["cues"][0]["text"]), detail["cues"]
    assert detail["cues"][0]["source_text"] == "یہ کتاب بہت اچھی ہے۔"
    assert "unknown_words" in hi["provenance"]  # what Apertium could not translate, per cue

    assert _post(first, f"/api/v1/localization/tracks/{hi['id']}/approve", {}).json()["state"] == "in_review"
    assert _post(second, f"/api/v1/localization/tracks/{hi['id']}/approve", {}).json()["state"] == "approved"

    cue_id = detail["cues"][0]["id"]
    edited = first.patch(f"/api/v1/localization/cues/{cue_id}", data=json.dumps({"text": "यह किताब अच्छी है।"}),
                         content_type="application/json")
    assert edited.status_code == 200
    after = first.get(f"/api/v1/localization/tracks/{hi['id']}").json()
    assert (after["state"], after["approvals"]) == ("in_review", 0)  # an edit voids approvals


def test_a_reviewer_sees_quality_issues_for_each_cue(studio: Organisation, member: Callable[..., Any]) -> None:
    title = Title.objects.create(slug="qc", original_language="en", country_of_origin="KZ", owner=studio)
    source = create_track(title=title, language="en", origin=SubtitleTrack.Origin.UPLOAD, is_source=True,
                          cues=[CueData(0, 1500, "We paid 40 som."), CueData(1500, 1700, "Go!")])
    target = create_track(title=title, language="kk", origin=SubtitleTrack.Origin.HUMAN, source_track=source,
                          cues=[CueData(0, 1500, "Біз 45 сом төледік."), CueData(1500, 1700, "Go!")])
    _, client = member("rev", "reviewer")
    issues = client.get(f"/api/v1/localization/tracks/{target.pk}").json()["issues"]
    rules = {(i["cue_index"], i["rule"]) for i in issues}
    assert (1, "numbers_changed") in rules
    assert (2, "untranslated") in rules
    assert (2, "too_short") in rules


def test_a_glossary_term_added_through_the_api_is_forced_into_the_machine_draft(
        studio: Organisation, member: Callable[..., Any]) -> None:
    """Apertium leaves the name untranslated; the studio's chosen spelling is forced in."""
    title = Title.objects.create(slug="noori", original_language="ur", country_of_origin="PK", owner=studio)
    source = create_track(title=title, language="ur", origin=SubtitleTrack.Origin.UPLOAD, is_source=True,
                          cues=[CueData(0, 2500, "نوری گاؤں گیا۔")])
    _, client = member("amina", "reviewer")
    _, outsider = member("dana", "translator")
    term = {"source_language": "ur", "target_language": "hi", "source_term": "نوری", "target_term": "नूरी",
            "title": "noori"}
    refused = _post(outsider, "/api/v1/localization/organisations/lahore-pictures/glossary", term)
    assert refused.status_code == 403
    added = _post(client, "/api/v1/localization/organisations/lahore-pictures/glossary", term)
    assert added.status_code == 200, added.content
    listed = client.get("/api/v1/localization/organisations/lahore-pictures/glossary").json()
    assert [(t["source_term"], t["target_term"], t["title"]) for t in listed] == [("نوری", "नूरी", "noori")]
    hi = _translate(client, source.pk, ["hi"])[0]
    text = client.get(f"/api/v1/localization/tracks/{hi['id']}").json()["cues"][0]["text"]
    assert "नूरी" in text, text
