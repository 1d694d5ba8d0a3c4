"""The CTranslate2 adapter on a tiny model the test builds from numpy weights (see
tiny_mt.py): real model loading, real decoding, our tokenizing and NLLB conventions.
It says nothing about translation quality."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dastan.localization.engines.ctranslate2_mt import (
    CTranslate2Translator,
    VocabularyTokenizer,
    read_mt_model,
)
from dastan.localization.errors import EngineUnavailable

pytest.importorskip("ctranslate2")


@pytest.fixture
def translator(tiny_mt_dir: Path) -> CTranslate2Translator:
    return CTranslate2Translator(models_dir=tiny_mt_dir, compute_type="float32")


def test_an_nllb_style_folder_serves_every_pair_of_its_language_tokens(translator):
    assert translator.pairs() == {("en", "ru"), ("en", "be"), ("ru", "en"), ("ru", "be"),
                                  ("be", "en"), ("be", "ru")}
    info = translator.describe()
    assert info.available and info.model == "tiny-nllb" and "en>ru" in info.languages
    assert len(info.sha256) >= 16


def test_the_target_language_token_steers_decoding_and_is_not_in_the_output(translator):
    to_russian = translator.translate(texts=["hello", "world"], source="en", target="ru")
    to_belarusian = translator.translate(texts=["hello", "world"], source="en", target="be")
    assert to_russian.texts == ("привет", "мир")
    assert to_belarusian.texts == ("прывітанне", "свет")


def test_empty_texts_stay_empty_and_provenance_names_model_hash_and_tokenizer(translator,
                                                                              tiny_mt_dir):
    result = translator.translate(texts=["", "hello"], source="en", target="ru")
    assert result.texts == ("", "привет")
    manifest = json.loads((tiny_mt_dir / "tiny-nllb" / "dastan-model.json").read_text())
    assert result.provenance.sha256 == manifest["sha256"]
    assert result.provenance.model == "tiny-nllb"
    assert dict(result.provenance.settings)["tokenizer"] == "vocabulary-greedy"


def test_a_pair_no_folder_serves_is_unavailable(translator):
    with pytest.raises(EngineUnavailable, match="No CTranslate2 model here translates en→kk"):
        translator.translate(texts=["hello"], source="en", target="kk")


def test_a_folder_without_language_tokens_needs_a_pairs_manifest(tiny_mt_dir, tmp_path):
    import shutil

    plain = tmp_path / "opus-mt-x"
    shutil.copytree(tiny_mt_dir / "tiny-nllb", plain)
    (plain / "dastan-model.json").unlink()
    vocabulary = json.loads((plain / "shared_vocabulary.json").read_text())
    stripped = [t if not t.endswith(("_Latn", "_Cyrl")) else f"tok{i}"
                for i, t in enumerate(vocabulary)]
    (plain / "shared_vocabulary.json").write_text(json.dumps(stripped))
    with pytest.raises(EngineUnavailable, match="no NLLB language tokens") as caught:
        read_mt_model(plain)
    assert '"pairs"' in caught.value.hint
    (plain / "dastan-model.json").write_text(json.dumps({"pairs": [["ru", "be"]]}))
    model = read_mt_model(plain)
    assert model.style == "pair" and model.pairs == frozenset({("ru", "be")})


def test_no_model_folder_is_unavailable_with_the_conversion_command(tmp_path):
    info = CTranslate2Translator(models_dir=tmp_path).describe()
    assert not info.available
    assert "ct2-transformers-converter" in info.problem and "DASTAN_MODELS_DIR" in info.problem


def test_the_vocabulary_tokenizer_takes_longest_pieces_and_marks_unknown_characters():
    tokenizer = VocabularyTokenizer(["<unk>", "▁при", "▁привет", "мир", "▁м", "и", "р"])
    assert tokenizer.encode("привет мир") == ["▁привет", "▁м", "и", "р"]
    assert tokenizer.encode("прияя") == ["▁при", "<unk>", "<unk>"]
    assert tokenizer.decode(["▁привет", "▁м", "и", "р"]) == "привет мир"
