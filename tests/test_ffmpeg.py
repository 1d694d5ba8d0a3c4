"""The one ffmpeg runner (dastan/ffmpeg.py): DASTAN_FFMPEG chooses the binary and its
ffprobe, and every failure is one picklable FFmpegFailed with the exit status and the
last stderr lines."""

from __future__ import annotations

import pickle
import shutil
import wave
from pathlib import Path
from typing import Any

import imageio_ffmpeg
import pytest

from dastan import ffmpeg
from dastan.errors import ConfigurationError, DastanError
from dastan.ffmpeg import FFmpegFailed, base_args, run, run_with_progress


def _tone(path: Path, *, seconds: float) -> Path:
    run([*base_args(), "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}", "-ar", "22050",
         "-ac", "1", "-c:a", "pcm_s16le", str(path)], what="make a test tone")
    return path


def test_the_default_binary_is_the_imageio_wheels_for_every_caller(settings: Any) -> None:
    settings.DASTAN_FFMPEG = ""
    assert ffmpeg.ffmpeg_exe() == str(Path(imageio_ffmpeg.get_ffmpeg_exe()).resolve())
    assert base_args()[0] == ffmpeg.ffmpeg_exe()
    assert ffmpeg.ffprobe_exe() is None  # the wheel ships no ffprobe
    assert ffmpeg.has_filter("rubberband") and "libx264" in ffmpeg.encoders()


def test_dastan_ffmpeg_names_the_binary_and_its_ffprobe_beside_it(settings: Any) -> None:
    system = shutil.which("ffmpeg")
    assert system is not None, "the tests need Debian's ffmpeg (make test installs it)"
    settings.DASTAN_FFMPEG = "ffmpeg"
    assert ffmpeg.ffmpeg_exe() == str(Path(system).resolve())
    assert ffmpeg.ffprobe_exe() == str(Path(system).resolve().with_name("ffprobe"))
    settings.DASTAN_FFMPEG = ""
    imageio_version = ffmpeg.version()
    settings.DASTAN_FFMPEG = system
    assert ffmpeg.version() != imageio_version  # Debian's 5.x, not the wheel's 9.x


def test_a_binary_that_does_not_exist_is_a_configuration_error_naming_the_setting(
        settings: Any) -> None:
    settings.DASTAN_FFMPEG = "/nowhere/ffmpeg"
    with pytest.raises(ConfigurationError, match="DASTAN_FFMPEG names '/nowhere/ffmpeg'") as caught:
        base_args()
    assert "DASTAN_FFMPEG" in caught.value.hint


def test_a_failure_keeps_the_exit_status_and_stderr_and_survives_pickling(tmp_path: Path) -> None:
    with pytest.raises(FFmpegFailed, match="ffmpeg could not read missing.wav: .*No such file") as caught:
        run([*base_args(), "-i", str(tmp_path / "missing.wav"), "-f", "null", "-"], what="read missing.wav",
            hint="Upload the file again.")
    failed = caught.value
    assert isinstance(failed, DastanError) and failed.code == "ffmpeg_failed"
    assert failed.returncode not in (0, None) and "No such file" in failed.stderr_tail
    copy = pickle.loads(pickle.dumps(failed))
    assert (type(copy), copy.message, copy.hint, copy.returncode, copy.stderr_tail) == (
        FFmpegFailed, failed.message, "Upload the file again.", failed.returncode, failed.stderr_tail)


def test_the_progress_runner_raises_the_same_error(tmp_path: Path) -> None:
    seen: list[float] = []
    with pytest.raises(FFmpegFailed, match="ffmpeg could not encode nothing") as caught:
        run_with_progress([*base_args(), "-i", str(tmp_path / "none.mp4"), str(tmp_path / "out.mp4")],
                          what="encode nothing", duration_s=1, on_progress=lambda f, _: seen.append(f))
    assert caught.value.returncode not in (0, None) and "none.mp4" in caught.value.stderr_tail
    assert seen == []


def test_durations_agree_with_and_without_ffprobe(tmp_path: Path, settings: Any) -> None:
    tone = _tone(tmp_path / "tone.wav", seconds=1.234)
    with wave.open(str(tone)) as wav:
        exact_ms = round(wav.getnframes() * 1000 / wav.getframerate())
    settings.DASTAN_FFMPEG = ""  # no ffprobe: the decoded length
    decoded = ffmpeg.probe_duration_ms(tone)
    settings.DASTAN_FFMPEG = "ffmpeg"  # Debian's, with its ffprobe
    probed = ffmpeg.probe_duration_ms(tone)
    assert decoded == probed == exact_ms == 1234
