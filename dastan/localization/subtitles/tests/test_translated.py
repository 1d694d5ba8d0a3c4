from __future__ import annotations

import pytest

from dastan.localization.subtitles.cue import Cue
from dastan.localization.subtitles.profiles import default_profile
from dastan.localization.subtitles.qc import check_cues
from dastan.localization.subtitles.translated import translated_cues

SOURCE = (Cue(1, 1000, 4000, ("I told you we would go", "to the market in Samarkand."), "A"),
          Cue(2, 4500, 6000, ("Yes.",)))


def test_translation_keeps_times_and_breaks_lines_for_the_target() -> None:
    zh = default_profile(language="zh-Hans")
    cues = translated_cues(source_cues=SOURCE, texts=["我告诉过你，我们会去撒马尔罕的市场。", "是的。"],
                           profile=zh)
    assert [(c.index, c.start_ms, c.end_ms, c.speaker) for c in cues] == [
        (1, 1000, 4000, "A"), (2, 4500, 6000, "")]
    assert cues[0].lines == ("我告诉过你，", "我们会去撒马尔罕的市场。")


def test_glossary_terms_left_untranslated_are_forced() -> None:
    ru = default_profile(language="ru")
    (cue, _) = translated_cues(source_cues=SOURCE,
                               texts=["Я же говорил, что мы пойдём на рынок в Samarkand.", "Да."],
                               profile=ru, glossary={"Samarkand": "Самарканд"})
    assert "Самарканд" in cue.text and "Samarkand" not in cue.text


def test_a_translation_too_long_to_fit_stays_whole_for_qc_to_report() -> None:
    ru = default_profile(language="ru")
    long_text = "Очень длинный перевод, " * 6
    cues = translated_cues(source_cues=SOURCE, texts=[long_text, "Да."], profile=ru)
    assert cues[0].lines == (" ".join(long_text.split()),)
    assert "line_too_long" in {i.rule for i in check_cues(cues=cues, profile=ru)}


def test_one_text_per_cue_is_required() -> None:
    with pytest.raises(ValueError, match="1 translated texts for 2 cues"):
        translated_cues(source_cues=SOURCE, texts=["Да."], profile=default_profile(language="ru"))
