from __future__ import annotations

from dastan.localization.subtitles.counting import count_chars
from dastan.localization.subtitles.linebreak import break_lines
from dastan.localization.subtitles.profiles import default_profile

EN = default_profile(language="en")


def test_short_text_stays_on_one_line() -> None:
    assert break_lines(text="Where are you going?", profile=EN) == ("Where are you going?",)


def test_breaks_after_a_comma_rather_than_in_the_middle() -> None:
    lines = break_lines(text="She looked at the sea, and then she turned around to leave.",
                        profile=EN)
    assert lines == ("She looked at the sea,", "and then she turned around to leave.")


def test_never_leaves_an_article_or_preposition_at_line_end() -> None:
    text = "I will meet you tomorrow morning at the old market near the river bank"
    lines = break_lines(text=text, profile=EN)
    assert lines is not None and len(lines) == 2
    assert lines[0].split()[-1] not in EN.keep_with_next
    assert " ".join(lines) == text


def test_prefers_a_bottom_heavy_shape_when_nothing_else_decides() -> None:
    lines = break_lines(text="Mark Paul John Anna Kate Lena Omar Sami Ivan", profile=EN)
    assert lines == ("Mark Paul John Anna", "Kate Lena Omar Sami Ivan")


def test_russian_line_does_not_end_with_a_preposition() -> None:
    text = "Мы долго ждали его возле старого вокзала в центре нашего города"
    lines = break_lines(text=text, profile=default_profile(language="ru"))
    assert lines is not None and lines[0].split()[-1] not in ("в", "возле")
    assert all(count_chars(x) <= 39 for x in lines)


def test_chinese_breaks_between_characters_but_never_before_closing_punctuation() -> None:
    zh = default_profile(language="zh-Hans")
    lines = break_lines(text="我告诉过你，我们明天一起去市场买一些面包。", profile=zh)
    assert lines == ("我告诉过你，", "我们明天一起去市场买一些面包。")
    for text in ("他说：“我们今天晚上一起去看电影吧！”你觉得怎么样？", "这是一个非常非常长的句子，真的非常长。"):
        result = break_lines(text=text, profile=zh)
        assert result is not None and "".join(result) == text
        assert all(line[0] not in "，。！？”：" for line in result)


def test_urdu_line_does_not_start_with_a_postposition() -> None:
    ur = default_profile(language="ur")
    text = "ہم سب کل صبح شہر کے پرانے بازار سے تازہ پھل خریدنے جائیں گے"
    lines = break_lines(text=text, profile=ur)
    assert lines is not None and len(lines) == 2
    assert lines[1].split()[0] not in ur.keep_with_previous


def test_two_speakers_get_a_line_each() -> None:
    assert break_lines(text="- Where are you going? - To the market.", profile=EN) == (
        "- Where are you going?", "- To the market.")


def test_text_too_long_for_two_lines_is_refused() -> None:
    assert break_lines(text="word " * 30, profile=EN) is None
