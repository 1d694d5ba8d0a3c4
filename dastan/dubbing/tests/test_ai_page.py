"""A title's public AI page lists the machine-made tracks and the human dub's voices."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from dastan.catalog.models import Organisation
from dastan.dubbing.casting import cast_character
from dastan.dubbing.consent import record_consent
from dastan.dubbing.mixing import mix_human_dub
from dastan.dubbing.publishing import approve_human_dub, publish_human_dub
from dastan.dubbing.takes import record_take_file
from dastan.localization.models import SubtitleTrack

from .conftest import espeak

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_ai_page_says_a_booth_dub_of_synthesized_speech_is_no_actor_and_links_its_credentials(
        ru_track: SubtitleTrack, studio: Organisation, member: Callable[..., Any], tmp_path: Path) -> None:
    producer, reviewer = member("lola", "editor"), member("amina", "reviewer")
    consent = record_consent(by=producer, organisation=studio, person_name="Demo booth operator",
                             starts_on=date(2026, 1, 1), clickthrough_text="Synthesized speech, no actor.")
    for speaker in ("ANNA", "BORIS"):
        cast_character(by=producer, track=ru_track, speaker=speaker, consent=consent)
    for cue in ru_track.cues.all():
        record_take_file(by=producer, cue=cue, recording=espeak(cue.text, tmp_path / f"{cue.pk}.wav"), preroll_ms=0)
    dub = mix_human_dub(by=producer, track=ru_track, mode="voice-over", studio_credit="Demo booth",
                        synthetic_speech=True)
    publish_human_dub(dub=approve_human_dub(dub=dub, reviewer=reviewer), by=reviewer, territories=["KZ"])
    page = Client().get(f"/titles/{ru_track.title.slug}/ai/").content.decode()
    assert "Human dub with AI voice — Demo booth" in page
    assert "synthesized speech recorded through the booth (no actor); consent on record: Demo booth operator" in page
    assert "/credentials/" in page and ".c2pa" in page
