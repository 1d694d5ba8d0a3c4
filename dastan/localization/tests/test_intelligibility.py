"""Is the dub understandable? The English and Russian voice-over tracks of approved
subtitles are transcribed back by the packaged Whisper model and scored against the
subtitles' words (WER), on the voice alone and on the final mix over the original."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from dastan.demo_script import SCRIPT
from dastan.ffmpeg import base_args
from dastan.localization.engines.metrics import word_error_rate
from dastan.localization.engines.registry import get_transcriber
from dastan.localization.voice.cues import VoiceCue
from dastan.localization.voice.dub import render_voice_track

pytestmark = pytest.mark.slow
FILM_MS = 23000


@pytest.fixture(scope="module")
def urdu_original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo scene's Urdu lines spoken by espeak-ng at their cue times: the film's
    original sound that the voice-over ducks."""
    folder = tmp_path_factory.mktemp("original")
    inputs, delays = [], []
    for n, (start, _end, _speaker, texts) in enumerate(SCRIPT):
        wav = folder / f"{n}.wav"
        subprocess.run(["espeak-ng", "-v", "ur", "-s", "160", "-w", str(wav), texts["ur"]], check=True)
        inputs += ["-i", str(wav)]
        delays.append(f"[{n}:a]aresample=48000,adelay={start}:all=1[d{n}]")
    mix = "".join(f"[d{n}]" for n in range(len(SCRIPT)))
    out = folder / "original.wav"
    subprocess.run([*base_args(), *inputs, "-filter_complex",
                    ";".join([*delays, f"{mix}amix=inputs={len(SCRIPT)}:normalize=0,apad[o]"]),
                    "-map", "[o]", "-ac", "2", "-t", str(FILM_MS / 1000), str(out)], check=True)
    return out


@pytest.mark.parametrize(("language", "bound"), [("en", 0.25), ("ru", 0.45)])
def test_the_voice_over_is_understood_by_speech_recognition(
        language: str, bound: float, urdu_original: Path, tmp_path: Path) -> None:
    cues = [VoiceCue(index=n, start_ms=start, end_ms=end, text=texts[language], speaker=speaker)
            for n, (start, end, speaker, texts) in enumerate(SCRIPT, start=1)]
    report = render_voice_track(cues=cues, language=language, original_audio=urdu_original, mode="voice-over",
                                cache_dir=tmp_path / "cache", out_path=tmp_path / f"{language}.wav")
    reference = " ".join(c.text for c in cues)
    asr = get_transcriber()
    voice = asr.transcribe(audio=report.voice_stem, language=language).text
    mix = asr.transcribe(audio=report.out_path, language=language).text
    wer_voice = word_error_rate(reference=reference, hypothesis=voice)
    wer_mix = word_error_rate(reference=reference, hypothesis=mix)
    print(f"\n{language} voice-over WER: voice alone {wer_voice:.3f}, final mix {wer_mix:.3f}"
          f"\n  heard: {mix}")
    assert wer_voice <= bound, voice
    assert wer_mix <= bound + 0.15, mix
