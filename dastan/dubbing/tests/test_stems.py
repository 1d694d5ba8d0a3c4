"""Studio stems: a late cue and a clipped cue are named in the report; a 44.1 kHz or a
silent stem is refused in plain words, and nothing is stored."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dastan.dubbing.errors import StemRefused
from dastan.dubbing.models import StemDelivery
from dastan.dubbing.stems import deliver_stems
from dastan.ffmpeg import base_args
from dastan.localization.dubbing import voice_cues
from dastan.localization.models import SubtitleTrack

from .conftest import CUES, FILM_S, cue_stem, espeak

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _lines(tmp_path: Path) -> dict[int, Path]:
    return {start: espeak(text, tmp_path / f"line-{start}.wav") for start, _, _, text in CUES}


def _stems(tmp_path: Path, *, late_ms: int = 600, rate_hz: int = 48000) -> dict[str, Path]:
    lines = _lines(tmp_path)
    anna = cue_stem(tmp_path / "ANNA.wav", [(500, lines[500]), (4500, lines[4500])], clip_at=4500, rate_hz=rate_hz)
    boris = cue_stem(tmp_path / "BORIS.wav", [(2500 + late_ms, lines[2500]), (6500, lines[6500])], rate_hz=rate_hz)
    return {"ANNA": anna, "BORIS": boris}


def test_the_report_names_the_late_cue_and_the_clipped_cue(
        ru_track: SubtitleTrack, member: Callable[..., Any], tmp_path: Path) -> None:
    engineer = member("rustam", "editor")
    delivery = deliver_stems(by=engineer, track=ru_track, studio="Samarkand Sound", stems=_stems(tmp_path),
                             cues=voice_cues(ru_track), film_ms=FILM_S * 1000)
    report = delivery.report
    assert not report["ok"]
    problems = report["problems"]
    assert any(p.startswith("Cue 2 (BORIS): starts") and "late" in p for p in problems), problems
    assert any(p.startswith("Cue 3 (ANNA)") and "clips" in p for p in problems), problems
    assert len(problems) == 2, problems  # cues 1 and 4 are in sync and clean
    worst = report["worst"][0]
    assert worst["index"] == 2 and 550 <= worst["offset_ms"] <= 750, report["worst"]
    others = {c["index"]: c["offset_ms"] for c in report["cues"] if c["index"] != 2}
    assert all(abs(v) <= 150 for v in others.values()), others
    assert report["loudness"]["ANNA"]["true_peak_dbtp"] > -0.5  # the clipped line shows in the true peak


def test_a_44_1_khz_stem_is_refused_with_the_rate_named(
        ru_track: SubtitleTrack, member: Callable[..., Any], tmp_path: Path) -> None:
    engineer = member("rustam", "editor")
    with pytest.raises(StemRefused, match=r"'ANNA.wav' is 44.1 kHz; the node needs 48 kHz"):
        deliver_stems(by=engineer, track=ru_track, studio="S", stems=_stems(tmp_path, late_ms=0, rate_hz=44100),
                      cues=voice_cues(ru_track), film_ms=FILM_S * 1000)
    assert not StemDelivery.objects.exists()


def test_a_silent_stem_is_refused(ru_track: SubtitleTrack, member: Callable[..., Any], tmp_path: Path) -> None:
    silent = tmp_path / "BORIS.wav"
    subprocess.run([*base_args(), "-f", "lavfi", "-i", "anullsrc=r=48000:cl=mono", "-t", str(FILM_S),
                    "-c:a", "pcm_s16le", str(silent)], check=True, capture_output=True)
    with pytest.raises(StemRefused, match="The BORIS stem 'BORIS.wav' is silent"):
        deliver_stems(by=member("rustam", "editor"), track=ru_track, studio="S", stems={"BORIS": silent},
                      cues=voice_cues(ru_track), film_ms=FILM_S * 1000)
    assert not StemDelivery.objects.exists()


def test_a_stem_shorter_than_the_film_is_refused(
        ru_track: SubtitleTrack, member: Callable[..., Any], tmp_path: Path) -> None:
    lines = _lines(tmp_path)
    short = cue_stem(tmp_path / "ANNA.wav", [(500, lines[500])], seconds=3)
    with pytest.raises(StemRefused, match=r"is 3.0 s long; the film is 8.0 s"):
        deliver_stems(by=member("rustam", "editor"), track=ru_track, studio="S", stems={"ANNA": short},
                      cues=voice_cues(ru_track), film_ms=FILM_S * 1000)
