"""Apertium with the Debian pairs installed here: real translations, the rus-bel crash."""

from __future__ import annotations

import re
import shutil

import pytest

from dastan.localization.engines.apertium import Apertium, strip_marks
from dastan.localization.errors import EngineFailed, EngineUnavailable

pytestmark = pytest.mark.skipif(shutil.which("apertium") is None,
                                reason="apertium is not installed")
DEVANAGARI = re.compile(r"[\u0900-\u097F]")
ARABIC = re.compile(r"[\u0600-\u06FF]")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")


@pytest.fixture(scope="module")
def apertium() -> Apertium:
    engine = Apertium()
    if not {("ur", "hi"), ("be", "ru")} <= set(engine.modes().values()):
        pytest.skip("apertium-urd-hin and apertium-bel-rus are needed")
    return engine


def test_urdu_is_translated_to_hindi_in_devanagari(apertium):
    result = apertium.translate(texts=["یہ کتاب بہت اچھی ہے۔"], source="ur", target="hi")
    (text,) = result.texts
    assert DEVANAGARI.search(text) and not ARABIC.search(text)
    assert "किताब" in text and "अच्छी" in text
    assert result.provenance.engine == "apertium" and result.provenance.model == "urd-hin"


def test_hindi_is_translated_to_urdu_in_arabic_script(apertium):
    (text,) = apertium.translate(texts=["यह किताब बहुत अच्छी है।"], source="hi",
                                 target="ur").texts
    assert ARABIC.search(text) and not DEVANAGARI.search(text)
    assert "بہت" in text


def test_belarusian_is_translated_to_russian_with_unknown_words_reported_not_starred(apertium):
    result = apertium.translate(
        texts=["Раніцай рыбакі падзякавалі яму за выратаванне лодак."], source="be",
        target="ru")
    (text,) = result.texts
    assert CYRILLIC.search(text)
    assert "Утром" in text and "спасение лодок" in text
    assert "*" not in text
    assert "падзякавалі" in result.unknown_words[0]


def test_a_batch_keeps_order_count_and_empty_texts(apertium):
    texts = ["Добры дзень", "", "Ён чытае кнігу.", "Раніцай рыбакі\nвярнуліся."]
    result = apertium.translate(texts=texts, source="be", target="ru")
    assert len(result.texts) == 4 and len(result.unknown_words) == 4
    assert result.texts[0].startswith("Хороший")
    assert result.texts[1] == ""
    assert result.texts[2].startswith("Он")
    assert result.texts[3].startswith("Утром рыбаки")  # a cue's line break is joined


def test_the_crashing_rus_bel_mode_is_left_out_of_pairs_with_the_reason(apertium):
    if "rus-bel" not in apertium.modes():
        pytest.skip("apertium-bel-rus has no rus-bel mode here")
    assert ("ru", "be") not in apertium.pairs()
    assert "known crash" in apertium.broken_modes()["rus-bel"]
    info = apertium.describe()
    assert "ru>be" not in info.languages and "rus-bel left out" in info.problem


def test_translating_with_the_crashing_mode_raises_engine_failed_not_empty_text(apertium):
    if "rus-bel" not in apertium.modes():
        pytest.skip("apertium-bel-rus has no rus-bel mode here")
    with pytest.raises(EngineFailed, match=r"Apertium's rus-bel pair returned empty text "
                       r"for 1 of 2 .*apertium-bel-rus 0\.2\.1") as caught:
        apertium.translate(texts=["Мы живём в Минске.", "Как дела?"], source="ru", target="be")
    assert "human translation task" in caught.value.hint


def test_a_pair_without_a_mode_names_the_installed_pairs(apertium):
    with pytest.raises(EngineUnavailable, match="no en→kk pair") as caught:
        apertium.translate(texts=["Hello"], source="en", target="kk")
    assert "be→ru" in caught.value.hint and "human translator" in caught.value.hint


def test_strip_marks_returns_clean_text_and_the_marked_words():
    text, unknown = strip_marks('Он *чытае #домой, "@кнігу".')
    assert text == 'Он чытае домой, "кнігу".'
    assert unknown == ("чытае", "домой", "кнігу")


def test_strip_marks_keeps_the_first_of_two_spellings_unless_the_source_had_a_slash():
    assert strip_marks("में घर जा रहा हूं/हूँ।")[0] == "में घर जा रहा हूं।"
    assert strip_marks("и/или", keep_slashes=True)[0] == "и/или"


def test_a_missing_apertium_command_is_unavailable_with_the_install_line():
    engine = Apertium(binary="apertium-not-installed")
    assert not engine.available()
    info = engine.describe()
    assert not info.available and "apt-get install apertium" in info.problem
