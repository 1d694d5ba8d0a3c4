from __future__ import annotations

from dastan.localization.subtitles.glossary import enforce_glossary, find_missing_terms


def test_glossary_accepts_inflected_target_terms() -> None:
    assert not find_missing_terms(source_text="We met in Samarkand.",
                                  target_text="Мы встретились в Самарканде.",
                                  glossary={"Samarkand": "Самарканд"})


def test_glossary_source_terms_match_whole_words_only() -> None:
    assert not find_missing_terms(source_text="Start the engine.", target_text="Заводи.",
                                  glossary={"art": "искусство"})


def test_enforce_glossary_replaces_a_term_left_untranslated() -> None:
    assert enforce_glossary(source_text="Welcome to Samarkand.",
                            target_text="Добро пожаловать в Samarkand.",
                            glossary={"Samarkand": "Самарканд"}) == \
        "Добро пожаловать в Самарканд."


def test_chinese_terms_match_without_word_edges() -> None:
    assert find_missing_terms(source_text="欢迎来到撒马尔罕。", target_text="Добро пожаловать.",
                              glossary={"撒马尔罕": "Самарканд"}) == (("撒马尔罕", "Самарканд"),)
    assert not find_missing_terms(source_text="Welcome to Samarkand.",
                                  target_text="欢迎来到撒马尔罕。",
                                  glossary={"Samarkand": "撒马尔罕"})


def test_a_name_kept_as_it_is_counts_as_present() -> None:
    assert not find_missing_terms(source_text="Dastan presents", target_text="Dastan представляет",
                                  glossary={"Dastan": "Dastan"})
