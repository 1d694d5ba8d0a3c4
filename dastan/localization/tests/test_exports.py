"""Approved tracks leave as the files distributors ask for; drafts do not."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from dastan.catalog.models import Organisation, Title
from dastan.localization.models import SubtitleTrack
from dastan.localization.subtitles.formats import read_subtitles
from dastan.localization.tracks import CueData, create_track

pytestmark = pytest.mark.django_db
CUES = [CueData(1000, 2500, "Нури пришла\nна рассвете."), CueData(3000, 4200, "Караван ждёт.")]


@pytest.fixture
def approved(studio: Organisation) -> SubtitleTrack:
    title = Title.objects.create(slug="noori", original_language="ur", country_of_origin="PK", owner=studio,
                                 is_published=True)
    track = create_track(title=title, language="ru", origin="human", cues=CUES)
    SubtitleTrack.objects.filter(pk=track.pk).update(state=SubtitleTrack.State.APPROVED)
    return track


@pytest.mark.parametrize("fmt", ["srt", "vtt", "ttml", "ass"])
def test_an_approved_track_exports_and_reads_back_to_the_same_cues(
        approved: SubtitleTrack, member: Callable[..., Any], fmt: str) -> None:
    _, client = member("lena", "reviewer")
    response = client.get(f"/api/v1/localization/tracks/{approved.pk}/export?format={fmt}")
    assert response.status_code == 200, response.content
    assert f'filename="noori.ru.{fmt}"' in response["Content-Disposition"]
    back = read_subtitles(data=response.content, language="ru", filename=f"x.{fmt}")
    assert [(c.start_ms, c.end_ms, "\n".join(c.lines)) for c in back.cues] == \
        [(c.start_ms, c.end_ms, c.text) for c in CUES]


def test_a_track_in_review_is_not_exported_and_says_to_approve_it_first(
        approved: SubtitleTrack, member: Callable[..., Any]) -> None:
    SubtitleTrack.objects.filter(pk=approved.pk).update(state=SubtitleTrack.State.IN_REVIEW)
    _, client = member("lena", "reviewer")
    response = client.get(f"/api/v1/localization/tracks/{approved.pk}/export")
    assert response.status_code == 409 and "approve it in the review desk" in response.json()["hint"]


def test_an_unknown_format_names_the_formats_there_are(approved: SubtitleTrack, member: Callable[..., Any]) -> None:
    _, client = member("lena", "reviewer")
    response = client.get(f"/api/v1/localization/tracks/{approved.pk}/export?format=stl")
    assert response.status_code == 422 and "srt, vtt, ttml, ass" in response.json()["hint"]


# 70 characters: two lines of Russian's 39 hold it (38 and 31), two of BBC's 37 do not.
LONG = "Караван долго ждал у ворот Самарканда, но Нури так и не пришла к нему."


@pytest.mark.parametrize(("profile", "lines"), [
    ("house", ("Нури пришла на рассвете.",)),  # Russian's 39 characters hold it on one line
    ("one-line", ("Нури пришла на рассвете.",)),
    ("bbc", ("Нури пришла на рассвете.",)),
])
def test_a_broadcasters_line_rules_break_each_cue_again_on_export(
        approved: SubtitleTrack, member: Callable[..., Any], profile: str, lines: tuple[str, ...]) -> None:
    _, client = member("lena", "reviewer")
    response = client.get(f"/api/v1/localization/tracks/{approved.pk}/export?format=srt&profile={profile}")
    assert response.status_code == 200, response.content
    assert f'filename="noori.ru.{profile}.srt"' in response["Content-Disposition"]
    assert response["X-Dastan-Rewrapped-Cues"] == "1"  # the first cue was two lines
    back = read_subtitles(data=response.content, language="ru", filename="x.srt")
    assert back.cues[0].lines == lines and back.cues[1].lines == ("Караван ждёт.",)
    assert [(c.start_ms, c.end_ms) for c in back.cues] == [(c.start_ms, c.end_ms) for c in CUES]


def test_a_cue_a_profiles_lines_cannot_hold_is_named_and_nothing_is_exported(
        approved: SubtitleTrack, member: Callable[..., Any]) -> None:
    from dastan.localization.models import Cue

    Cue.objects.filter(track=approved, start_ms=3000).update(text=LONG)
    _, client = member("lena", "reviewer")
    fits = client.get(f"/api/v1/localization/tracks/{approved.pk}/export?format=vtt&profile=house")
    assert fits.status_code == 200, fits.content
    back = read_subtitles(data=fits.content, language="ru", filename="x.vtt")
    assert back.cues[1].lines == ("Караван долго ждал у ворот Самарканда,", "но Нури так и не пришла к нему.")
    refused = client.get(f"/api/v1/localization/tracks/{approved.pk}/export?format=vtt&profile=bbc")
    assert refused.status_code == 422, refused.content
    error = refused.json()
    assert error["message"] == ("1 cue(s) do not fit 2 line(s) of 37 characters (bbc): cue 2 at 00:00:03.000.")
    assert "Split or shorten these cues in the editor" in error["hint"]
    unknown = client.get(f"/api/v1/localization/tracks/{approved.pk}/export?profile=teletext")
    assert unknown.status_code == 422 and "house, bbc, ebu-stl, one-line" in unknown.json()["hint"]


@pytest.mark.django_db(transaction=True)
def test_the_cli_writes_an_approved_track_as_ttml(approved: SubtitleTrack, tmp_path: Any) -> None:
    from django.conf import settings

    out = tmp_path / "noori.ru.ttml"
    env_db = settings.DATABASES["default"]["NAME"]
    done = subprocess.run([sys.executable, "-m", "dastan.cli", "export-subtitles", "noori:ru", "--format", "ttml",
                           "-o", str(out)], capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, "DASTAN_DATABASE_URL": f"sqlite:///{env_db}",
                               "DJANGO_SETTINGS_MODULE": "dastan_testing.settings"})
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert 'xml:lang="ru"' in text and "Караван ждёт." in text


def test_the_review_desk_links_an_approved_tracks_files_and_they_download(
        approved: SubtitleTrack, member: Callable[..., Any]) -> None:
    from django.test import Client

    user, _ = member("lena", "reviewer")
    client = Client()
    client.force_login(user)
    page = client.get(f"/studio/review/{approved.pk}/").content.decode()
    link = f"/api/v1/localization/tracks/{approved.pk}/export?format=ttml"
    assert f'href="{link}"' in page
    assert client.get(link).status_code == 200  # the desk's session is enough to read it
