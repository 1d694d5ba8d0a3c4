"""The dubbing script: per character, timecodes, original and translated lines and
notes, as CSV and PDF, from approved subtitles only; casting shown per character."""

from __future__ import annotations

import csv
import io
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from dastan.catalog.models import Organisation, Title
from dastan.dubbing.casting import cast_character, characters
from dastan.dubbing.consent import record_consent
from dastan.dubbing.errors import ConsentMissing
from dastan.dubbing.script import dubbing_script, script_csv, script_pdf
from dastan.localization.models import CueComment, SubtitleTrack
from dastan.localization.publishing import TrackNotApproved
from dastan.localization.tracks import CueData, create_track

pytestmark = pytest.mark.django_db


@pytest.fixture
def tracks(studio: Organisation) -> tuple[SubtitleTrack, SubtitleTrack]:
    title = Title.objects.create(slug="caravan", original_language="en", country_of_origin="UZ", owner=studio,
                                 kind=Title.Kind.FILM)
    source = create_track(title=title, language="en", origin="upload", is_source=True, cues=[
        CueData(500, 2000, "The caravan reached Samarkand.", "ANNA"), CueData(2500, 4000, "At dawn.", "BORIS"),
        CueData(4500, 6000, "With forty camels.", "ANNA")])
    ru = create_track(title=title, language="ru", origin="human", source_track=source, cues=[
        CueData(520, 2000, "Караван пришёл в Самарканд.", "ANNA"), CueData(2500, 4000, "На рассвете.", "BORIS"),
        CueData(4500, 6000, "С сорока\nверблюдами.", "ANNA")])
    return source, ru


def test_the_script_lists_each_characters_lines_with_timecodes_original_and_notes(
        tracks: tuple[SubtitleTrack, SubtitleTrack], member: Callable[..., Any], studio: Organisation) -> None:
    _, ru = tracks
    producer = member("lola", "editor")
    with pytest.raises(TrackNotApproved, match="not approved, so there is no dubbing script yet"):
        dubbing_script(user=producer, track=ru)
    SubtitleTrack.objects.filter(pk=ru.pk).update(state=SubtitleTrack.State.APPROVED)
    ru.refresh_from_db()
    CueComment.objects.create(cue=ru.cues.get(index=3), author=producer, text="Breath before 'camels'")
    consent = record_consent(by=producer, organisation=studio, person_name="Dana Karimova", starts_on=date.today(),
                             languages=["ru"], clickthrough_text="I agree.")
    assert characters(ru) == ["ANNA", "BORIS"]
    cast_character(by=producer, track=ru, speaker="ANNA", consent=consent)
    cast_character(by=producer, track=ru, speaker="BORIS", voice_id="espeak-ng:ru+m3")

    rows = list(csv.DictReader(io.StringIO(script_csv(dubbing_script(user=producer, track=ru)))))
    assert [(r["character"], r["cue"]) for r in rows] == [("ANNA", "1"), ("ANNA", "3"), ("BORIS", "2")]
    first, camels, boris = rows
    assert first["start"] == "00:00:00:13" and first["end"] == "00:00:02:00"  # 520 ms at 25 fps
    assert first["original"] == "The caravan reached Samarkand." and first["cast"] == "Dana Karimova (actor)"
    assert camels["translation"] == "С сорока / верблюдами." and camels["notes"] == "Breath before 'camels'"
    assert boris["cast"] == "espeak-ng:ru+m3 (synthetic)"


def test_the_pdf_prints_cyrillic_lines_per_character(
        tracks: tuple[SubtitleTrack, SubtitleTrack], member: Callable[..., Any], tmp_path: Path) -> None:
    _, ru = tracks
    SubtitleTrack.objects.filter(pk=ru.pk).update(state=SubtitleTrack.State.APPROVED)
    ru.refresh_from_db()
    pdf = tmp_path / "script.pdf"
    pdf.write_bytes(script_pdf(dubbing_script(user=member("lola", "editor"), track=ru), heading="caravan — ru"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Караван пришёл в Самарканд." in text and "ANNA — not cast yet" in text and "BORIS" in text


def test_casting_an_actor_whose_consent_covers_another_language_is_refused(
        tracks: tuple[SubtitleTrack, SubtitleTrack], member: Callable[..., Any], studio: Organisation) -> None:
    _, ru = tracks
    producer = member("lola", "editor")
    kazakh_only = record_consent(by=producer, organisation=studio, person_name="Aru", starts_on=date.today(),
                                 languages=["kk"], clickthrough_text="I agree.")
    with pytest.raises(ConsentMissing, match=r"Cannot cast Aru: Aru's consent does not cover ru"):
        cast_character(by=producer, track=ru, speaker="ANNA", consent=kazakh_only)
