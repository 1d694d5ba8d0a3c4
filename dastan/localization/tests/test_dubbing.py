"""Approved subtitles become voice-over renditions in the film's HLS: loudness measured,
machine-made marked, only edited cues spoken again, and an honest "subtitles only" for
a language with no voice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import m3u8
import pytest

from dastan.catalog.models import Organisation, Title
from dastan.localization.dubbing import dub_track
from dastan.localization.models import SubtitleTrack, VoiceTrack
from dastan.localization.review import approve_track
from dastan.localization.tracks import CueData, create_track, edit_cue

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

LINES = {
    "ru": ("Караван пришёл.", "На рассвете."),
    "kk": ("Керуен келді.", "Таң атқанда."),
    "hi": ("कारवां आ गया।", "सुबह होते ही।"),
    "zh-Hans": ("商队到了。", "在黎明时分。"),
    "fa": ("کاروان رسید.", "هنگام سپیده‌دم."),
    "tg": ("Корвон расид.", "Субҳидам."),
}


def _approved(title: Title, language: str, reviewer: Any) -> SubtitleTrack:
    first, second = LINES[language]
    track = create_track(title=title, language=language, origin=SubtitleTrack.Origin.HUMAN,
                         cues=[CueData(300, 1800, first, "A"), CueData(2000, 3800, second, "B")])
    return approve_track(track=track, reviewer=reviewer)


def test_five_languages_become_voice_over_renditions_at_the_target_loudness(
        published_film: Title, studio: Organisation, member: Callable[..., Any]) -> None:
    studio.voice_tracks_need_approval = False
    studio.save()
    reviewer, _ = member("amina", "reviewer")
    for language in ("ru", "kk", "hi", "zh-Hans", "fa"):
        voice, report = dub_track(track=_approved(published_film, language, reviewer))
        assert report is not None and voice.state == VoiceTrack.State.PUBLISHED
        assert abs(voice.loudness["integrated_lufs"] - (-23.0)) <= 1.0, voice.loudness
        assert voice.loudness["true_peak_dbtp"] <= -1.0
        assert voice.fit_counts["flagged"] == 0
        assert voice.provenance, "every model that made the voice is named"

    from dastan.media.playback import build_master_playlist

    master = m3u8.loads(build_master_playlist(title=published_film))
    dubs = {m.language: m for m in master.media if m.type == "AUDIO" and m.language != "en"}
    assert sorted(dubs) == ["fa", "hi", "kk", "ru", "zh-Hans"]
    assert all("machine" in (m.characteristics or "") for m in dubs.values()), [m.characteristics for m in dubs.values()]


def test_editing_one_cue_speaks_only_that_cue_again(published_film: Title, member: Callable[..., Any]) -> None:
    reviewer, _ = member("amina", "reviewer")
    track = _approved(published_film, "ru", reviewer)
    _, first = dub_track(track=track)
    assert first is not None and sorted(first.synthesized_indices) == [1, 2]
    editor, _ = member("dana", "translator")
    edit_cue(cue=track.cues.get(index=2), author=editor, text="Рано утром.")
    track = approve_track(track=SubtitleTrack.objects.get(pk=track.pk), reviewer=reviewer)
    _, again = dub_track(track=track)
    assert again is not None and list(again.synthesized_indices) == [2]


def test_tajik_gets_subtitles_only_with_the_reason(published_film: Title, member: Callable[..., Any]) -> None:
    reviewer, _ = member("amina", "reviewer")
    voice, report = dub_track(track=_approved(published_film, "tg", reviewer))
    assert report is None
    assert voice.state == VoiceTrack.State.UNAVAILABLE
    assert voice.reason.startswith("Subtitles only:") and "Tajik" in voice.reason


def test_dastan_dub_after_an_edit_speaks_only_the_edited_cue(
        published_film: Title, member: Callable[..., Any], capsys: pytest.CaptureFixture[str]) -> None:
    from dastan.cli import main

    reviewer, _ = member("amina", "reviewer")
    editor, _ = member("dana", "translator")
    track = _approved(published_film, "kk", reviewer)
    assert main(["dub", f"{published_film.slug}:kk"]) == 0
    assert "cues synthesized this run: [1, 2]" in capsys.readouterr().out
    edit_cue(cue=track.cues.get(index=1), author=editor, text="Керуен ерте келді.")
    approve_track(track=SubtitleTrack.objects.get(pk=track.pk), reviewer=reviewer)
    assert main(["dub", f"{published_film.slug}:kk"]) == 0
    out = capsys.readouterr().out
    assert "cues synthesized this run: [1]" in out
    assert "LUFS" in out
