from __future__ import annotations

from dastan.localization.subtitles.counting import count_chars, graphemes, reading_chars


def test_devanagari_conjuncts_and_matras_count_inside_their_cluster() -> None:
    assert count_chars("क्षत्रिय") == 3  # क्ष + त्रि + य
    assert count_chars("नमस्ते") == 3
    assert count_chars("हिंदी") == 2


def test_arabic_harakat_do_not_add_characters() -> None:
    assert count_chars("سَلَامٌ") == count_chars("سلام") == 4


def test_zwnj_inside_persian_words_is_not_counted() -> None:
    assert count_chars("می\u200cخواهم") == 7


def test_bidi_marks_are_not_counted_even_at_line_start() -> None:
    assert count_chars("\u200fسلام 12\u200f") == count_chars("سلام 12") == 7


def test_full_width_han_and_punctuation_count_one_each() -> None:
    assert count_chars("你好，世界。") == 6


def test_decomposed_accent_counts_as_one_letter() -> None:
    assert count_chars("е\u0308ж") == 2


def test_clusters_join_back_to_the_original_text() -> None:
    text = "\u200fمی\u200cخواهم क्षत्रिय 👨\u200d👩\u200d👧"
    assert "".join(graphemes(text)) == text


def test_reading_count_leaves_out_markup() -> None:
    assert reading_chars(("<i>Hello</i>", "{\\an8}there")) == 10
