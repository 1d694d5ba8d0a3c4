"""WebRTC VAD on generated speech with known silences."""

from __future__ import annotations

from pathlib import Path

import pytest

from dastan.ffmpeg import FFmpegFailed
from dastan.localization.engines.tests.speech import (
    concatenate_wavs,
    duration_s,
    espeak_wav,
    silence_wav,
)
from dastan.localization.engines.vad import WebRtcVad

pytest.importorskip("webrtcvad")


@pytest.fixture(scope="module")
def two_lines(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float, float]:
    """1 s silence, line one, 1.5 s silence, line two, 1 s silence; the lines' lengths."""
    folder = tmp_path_factory.mktemp("vad")
    one = espeak_wav("The boats are back in the harbour.", folder / "one.wav")
    two = espeak_wav("Everyone came down to the sea.", folder / "two.wav")
    out = concatenate_wavs([silence_wav(folder / "s1.wav", seconds=1.0), one,
                            silence_wav(folder / "s2.wav", seconds=1.5), two,
                            silence_wav(folder / "s3.wav", seconds=1.0)], folder / "both.wav")
    return out, duration_s(one), duration_s(two)


def test_two_spoken_lines_give_two_spans_where_they_were_placed(two_lines):
    audio, one_s, two_s = two_lines
    spans = WebRtcVad().speech_spans(audio=audio)
    assert len(spans) == 2
    second_start_ms = (1.0 + one_s + 1.5) * 1000
    assert abs(spans[0].start_ms - 1000) <= 150
    assert abs(spans[1].start_ms - second_start_ms) <= 150
    assert spans[0].end_ms <= (1.0 + one_s) * 1000 + 150
    assert spans[1].end_ms <= second_start_ms + two_s * 1000 + 150


def test_silence_has_no_speech(tmp_path):
    assert WebRtcVad().speech_spans(audio=silence_wav(tmp_path / "s.wav", seconds=2.0)) == []


def test_a_wav_at_22050_hz_is_converted_and_gives_the_same_spans(two_lines, tmp_path):
    import subprocess

    audio, _, _ = two_lines
    resampled = tmp_path / "22k.wav"
    subprocess.run(["sox", str(audio), "-r", "22050", str(resampled)], check=True)
    native = WebRtcVad().speech_spans(audio=audio)
    converted = WebRtcVad().speech_spans(audio=resampled)
    assert len(converted) == len(native)
    assert all(abs(a.start_ms - b.start_ms) <= 60 for a, b in zip(native, converted))


def test_a_file_that_is_not_audio_fails_naming_it(tmp_path):
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"nonsense")
    with pytest.raises(FFmpegFailed, match="junk.wav"):
        WebRtcVad().speech_spans(audio=junk)
