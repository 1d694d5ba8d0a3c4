"""Contract tests over the whole registry: every engine registered in ``ENGINES`` is
covered here without a test of its own. Engines that cannot run on this machine must
still describe themselves and name the fix."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from dastan.catalog.languages import CODES, get_language
from dastan.localization.engines.base import (
    EngineInfo,
    Synthesizer,
    Transcriber,
    Translation,
    Translator,
)
from dastan.localization.engines.langid import script_of
from dastan.localization.engines.registry import (
    ENGINES,
    describe_engines,
    get_engine,
    get_synthesizers,
    get_transcriber,
)
from dastan.localization.errors import EngineUnavailable

PROTOCOLS = {"asr": Transcriber, "mt": Translator, "tts": Synthesizer}
# Sample inputs for a translator's contract run, by the pair tried first.
SAMPLES = {("ur", "hi"): "یہ کتاب اچھی ہے۔", ("be", "ru"): "Ён чытае кнігу.",
           ("hi", "ur"): "यह किताब अच्छी है।", ("en", "ru"): "hello"}


@pytest.fixture
def configured(settings, tiny_mt_dir: Path, models_dir: Path,  # type: ignore[no-untyped-def]
               chat_server):
    """The registry with every engine that can be made to run here: the tiny CTranslate2
    model stands in for an operator's model folder, the protocol test server for an LLM."""
    settings.DASTAN_MODELS_DIR = models_dir
    settings.DASTAN_ENGINES = {"OPTIONS": {
        "ctranslate2": {"models_dir": str(tiny_mt_dir), "compute_type": "float32"},
        "faster-whisper": {"cpu_threads": 2},
        "openai-chat": {"url": chat_server.url, "model": "protocol-test"},
    }}
    return settings


def info_of(name: str) -> EngineInfo:
    try:
        return get_engine(name).describe()  # type: ignore[no-any-return]
    except EngineUnavailable as exc:
        return EngineInfo(name, ENGINES[name][0], False, problem=str(exc))


@pytest.mark.parametrize("name", sorted(ENGINES))
def test_every_engine_describes_itself_under_its_registered_name_and_capability(name,
                                                                               configured):
    info = info_of(name)
    assert info.name == name
    assert info.capability == ENGINES[name][0]
    if info.available:
        for language in info.languages:
            for code in language.split(">"):
                assert code in CODES
    else:
        assert info.problem, f"{name} is unavailable without saying why"


@pytest.mark.parametrize("name", sorted(ENGINES))
def test_every_loadable_engine_implements_its_capability_protocol(name, configured):
    try:
        engine = get_engine(name)
    except EngineUnavailable as exc:
        assert exc.hint, "an engine that cannot load must name the fix"
        return
    assert engine.name == name
    assert isinstance(engine.available(), bool)
    protocol = PROTOCOLS.get(ENGINES[name][0])
    if protocol is not None:
        assert isinstance(engine, protocol)


@pytest.mark.parametrize("name", [n for n, (cap, _) in ENGINES.items() if cap == "mt"])
def test_every_available_translator_answers_one_text_per_input_in_the_target_script(
        name, configured):
    engine = get_engine(name)
    if not engine.available():
        pytest.skip(f"{name} is not available here: {engine.describe().problem}")
    pair = next((p for p in SAMPLES if p in engine.pairs()), None)
    if pair is None:
        pytest.skip(f"{name} has none of the sample pairs")
    source, target = pair
    result = engine.translate(texts=[SAMPLES[pair], ""], source=source, target=target)
    assert isinstance(result, Translation)
    assert (result.source, result.target) == pair
    assert result.texts[0] and result.texts[1] == ""
    assert result.provenance.engine == name
    if name != "openai-chat":  # its test server is a protocol stand-in, not a translator
        assert script_of(result.texts[0]) == get_language(target).script


@pytest.mark.parametrize("name", [n for n, (cap, _) in ENGINES.items() if cap == "tts"])
def test_every_available_synthesizer_speaks_with_its_first_voice(name, configured, tmp_path):
    engine = get_engine(name) if name in [s.name for s in get_synthesizers()] else None
    if engine is None:
        pytest.skip(f"{name} is not available here: {info_of(name).problem}")
    voices = engine.voices()
    assert voices and all(v.engine == name and v.language in CODES for v in voices)
    result = engine.synthesize(text="One, two, three.", voice=voices[0],
                               out_wav=tmp_path / "line.wav")
    assert result.wav.is_file() and result.duration_ms > 300
    assert result.provenance.engine == name


def test_the_default_transcriber_is_the_packaged_whisper_model(configured):
    transcriber = get_transcriber()
    assert transcriber.name == "faster-whisper"
    assert "ky" not in transcriber.describe().languages


def test_describe_engines_has_a_row_for_every_engine_and_voices_by_language(configured):
    rows = describe_engines()
    assert [r.name for r in rows if r.capability != "voice"] == list(ENGINES)
    voice_rows = [r for r in rows if r.capability == "voice"]
    for row in voice_rows:
        assert row.sample_rate_hz and len(row.languages) == 1


def test_an_engine_whose_module_is_missing_is_a_row_with_the_fix_not_a_crash(monkeypatch,
                                                                             configured):
    monkeypatch.setitem(ENGINES, "not-yet", ("tts", "dastan.localization.engines.nope:Nope"))
    (row,) = [r for r in describe_engines() if r.name == "not-yet"]
    assert not row.available
    assert "not installed or not part of this build" in row.problem
    assert "pip install 'dastan[ml]'" in row.problem
    assert "pip install" in row.as_line().splitlines()[1]


def test_get_translator_for_a_pair_takes_the_first_engine_in_mt_order_that_has_it(
        configured):
    from dastan.localization.engines.registry import get_translator

    configured.DASTAN_ENGINES = {**configured.DASTAN_ENGINES,
                                 "MT": ["ctranslate2", "apertium", "openai-chat"]}
    assert get_translator(source="en", target="ru").name == "ctranslate2"
    assert get_translator(source="be", target="ru").name == "ctranslate2"  # tiny model too
    assert get_translator(source="ur", target="hi").name == "apertium"
    assert get_translator(source="ur", target="kk").name == "openai-chat"
    configured.DASTAN_ENGINES = {**configured.DASTAN_ENGINES, "MT": ["apertium"],
                                 "OPTIONS": {}}
    with pytest.raises(EngineUnavailable, match="translates ru→kk") as caught:
        get_translator(source="ru", target="kk")
    assert "human translation task" in caught.value.hint


def test_get_synthesizers_follow_the_tts_preference_order(configured):
    available = [s.name for s in get_synthesizers()]
    if not {"espeak-ng", "festival"} <= set(available):
        pytest.skip("espeak-ng and festival are both needed")
    configured.DASTAN_ENGINES = {**configured.DASTAN_ENGINES, "TTS": ["espeak-ng", "festival"]}
    order = [s.name for s in get_synthesizers()]
    assert order[:2] == ["espeak-ng", "festival"]
    assert sorted(order) == sorted(available)


def test_an_option_the_engine_does_not_take_names_the_setting_to_fix(settings):
    settings.DASTAN_ENGINES = {"OPTIONS": {"apertium": {"binnary": "apertium"}}}
    with pytest.raises(EngineUnavailable, match="options for engine 'apertium'") as caught:
        get_engine("apertium")
    assert "DASTAN_ENGINES['OPTIONS']['apertium']" in caught.value.hint
    assert "binnary" in caught.value.hint


def test_dastan_models_prints_json_with_model_hashes(configured, capsys):
    from dastan.commands import cmd_models

    assert cmd_models(argparse.Namespace(json=True)) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert set(ENGINES) <= set(rows)
    assert len(rows["faster-whisper"]["sha256"]) == 64
    assert rows["ctranslate2"]["available"] and "en>ru" in rows["ctranslate2"]["languages"]
