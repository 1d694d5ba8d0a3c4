"""The demo's localization loads the scene in eleven languages, labelled as people's work."""

from __future__ import annotations

import io

import pytest

from dastan.catalog.demo import load_demo as load_catalog
from dastan.localization.demo import load_demo
from dastan.localization.models import CueRevision, SubtitleTrack

pytestmark = pytest.mark.django_db


def test_the_demo_scene_has_eleven_approved_tracks_and_keeps_the_apertium_draft_in_history() -> None:
    out = io.StringIO()
    load_catalog(out=out)
    load_demo(out=out)
    tracks = {t.language: t for t in SubtitleTrack.objects.filter(title__slug="noori-jatt")}
    assert len(tracks) == 11
    assert {t.state for t in tracks.values()} == {SubtitleTrack.State.APPROVED}
    assert tracks["ur"].is_source and tracks["ur"].origin == SubtitleTrack.Origin.UPLOAD
    assert {t.origin for lang, t in tracks.items() if lang != "ur"} == {SubtitleTrack.Origin.HUMAN}
    hindi_history = CueRevision.objects.filter(cue__track=tracks["hi"], cue__index=1).order_by("created_at")
    assert [r.provenance.get("engine") for r in hindi_history] == ["apertium", "human"]
    load_demo(out=out)  # a second run changes nothing
    assert SubtitleTrack.objects.filter(title__slug="noori-jatt").count() == 11
