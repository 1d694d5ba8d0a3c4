"""A booth take is judged in words an actor can act on: late or early, too long, quiet."""

from __future__ import annotations

import subprocess
from pathlib import Path

from dastan.dubbing.takes import measure_take
from dastan.ffmpeg import base_args

from .conftest import espeak


def _take(tmp: Path, *, delay_ms: int, gain_db: float = 0.0) -> Path:
    line = espeak("Караван пришёл в Самарканд.", tmp / "line.wav")
    out = tmp / f"take-{delay_ms}-{gain_db}.wav"
    subprocess.run([*base_args(), "-i", str(line), "-af",
                    f"adelay={delay_ms}:all=1,volume={gain_db}dB,apad=pad_dur=0.5", "-ar", "48000", "-ac", "1",
                    str(out)], check=True, capture_output=True)
    return out


def test_a_take_400_ms_late_is_told_so(tmp_path: Path) -> None:
    m = measure_take(wav=_take(tmp_path, delay_ms=400), cue_ms=4000)
    assert m.onset_ms is not None and 380 <= m.onset_ms <= 480
    assert m.advice[0].startswith("starts ") and m.advice[0].endswith(" ms late")


def test_a_take_longer_than_its_cue_says_by_how_much(tmp_path: Path) -> None:
    m = measure_take(wav=_take(tmp_path, delay_ms=0), cue_ms=800)
    assert m.over_ms > 300
    assert any(a.endswith("s longer than the mouth movement allows") for a in m.advice), m.advice


def test_a_quiet_take_asks_for_more_gain_and_a_good_one_says_it_is_good(tmp_path: Path) -> None:
    assert any(a.startswith("too quiet") for a in measure_take(wav=_take(tmp_path, delay_ms=0, gain_db=-30),
                                                                cue_ms=4000).advice)
    assert measure_take(wav=_take(tmp_path, delay_ms=0), cue_ms=4000).advice == ("in sync and on level",)
