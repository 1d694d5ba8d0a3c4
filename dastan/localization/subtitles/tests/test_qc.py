from __future__ import annotations

import pytest

from dastan.localization.subtitles.cue import Cue
from dastan.localization.subtitles.profiles import default_profile
from dastan.localization.subtitles.qc import RULES, QcIssue, check_cues, numbers_in

RU = default_profile(language="ru")


def _cue(text: str | tuple[str, ...], start: int = 0, end: int = 3000, index: int = 1) -> Cue:
    lines = (text,) if isinstance(text, str) else text
    return Cue(index=index, start_ms=start, end_ms=end, lines=lines)


def _rules(issues: tuple[QcIssue, ...]) -> set[str]:
    return {i.rule for i in issues}


def test_a_clean_cue_raises_no_issue() -> None:
    assert check_cues(cues=[_cue("Мы идём домой.")], profile=RU) == ()


def test_reading_speed_over_the_profile_names_both_speeds() -> None:
    (issue,) = check_cues(cues=[_cue("Мы идём домой и больше не вернёмся.", end=1000)],
                          profile=RU, rules=["reading_speed"])
    assert issue.message == ("Cue 1 must be read at 35.0 characters a second; the adult "
                             "limit for ru is 17.")


def test_children_profile_is_stricter() -> None:
    cue = _cue("Мы идём домой вместе.", end=1400)  # 21 chars: 15 cps
    assert not check_cues(cues=[cue], profile=RU, rules=["reading_speed"])
    children = default_profile(language="ru", audience="children")
    assert _rules(check_cues(cues=[cue], profile=children)) == {"reading_speed"}


def test_line_too_long_counts_graphemes_not_code_points() -> None:
    hi = default_profile(language="hi")
    fits = "क्षत्रिय " * 10  # 90 code points, 40 characters a reader sees
    assert not check_cues(cues=[_cue(fits.strip(), end=5000)], profile=hi,
                          rules=["line_too_long"])
    (issue,) = check_cues(cues=[_cue("a" * 45)], profile=default_profile(language="en"),
                          rules=["line_too_long"])
    assert issue.message == "Cue 1, line 1 has 45 characters; en allows 42."


def test_three_lines_are_too_many() -> None:
    issues = check_cues(cues=[_cue(("Раз", "два", "три"))], profile=RU)
    assert _rules(issues) == {"too_many_lines"}


def test_too_short_and_too_long_on_screen() -> None:
    issues = check_cues(cues=[_cue("Да.", 0, 500), _cue("Нет.", 1000, 9000, index=2)],
                        profile=RU)
    assert [(i.rule, i.cue_index) for i in issues] == [("too_short", 1), ("too_long", 2)]


def test_gap_below_two_frames_and_overlap_are_errors() -> None:
    cues = [_cue("Раз.", 0, 2000), _cue("Два.", 2050, 4000, 2), _cue("Три.", 3900, 6000, 3)]
    issues = check_cues(cues=cues, profile=RU, rules=["gap_too_small", "overlap"])
    assert [(i.rule, i.cue_index) for i in issues] == [("gap_too_small", 1), ("overlap", 2)]
    assert issues[0].hint == "End cue 1 at 1967 ms."


def test_empty_cue_is_an_error() -> None:
    assert _rules(check_cues(cues=[_cue("  ")], profile=RU)) == {"empty_cue"}


def test_kazakh_in_latin_letters_is_the_wrong_script() -> None:
    kk = default_profile(language="kk")
    (issue,) = check_cues(cues=[_cue("Qalaisyz, dosym?")], profile=kk, rules=["wrong_script"])
    assert issue.message == ("Cue 1 is written in Latin; kk subtitles are written in "
                             "Cyrillic.")
    assert not check_cues(cues=[_cue("Қалайсыз, Anna?")], profile=kk, rules=["wrong_script"])


def test_uzbek_in_cyrillic_is_the_wrong_script_for_a_latin_profile() -> None:
    uz = default_profile(language="uz")
    assert _rules(check_cues(cues=[_cue("Салом, дўстим!")], profile=uz)) == {"wrong_script"}
    assert not check_cues(cues=[_cue("Salom, do'stim!")], profile=uz)


def test_target_equal_to_source_is_untranslated() -> None:
    src = [_cue("See you tomorrow.")]
    issues = check_cues(cues=[_cue("See you tomorrow!")], profile=RU, source_cues=src,
                        source_language="en", rules=["untranslated"])
    assert issues[0].message == "Cue 1 looks untranslated: it is the same as the source."


def test_source_script_left_in_the_target_is_untranslated() -> None:
    fa = default_profile(language="fa")
    issues = check_cues(cues=[_cue("Где ты был вчера?")], profile=fa,
                        source_cues=[_cue("Где ты был вчера?!")], source_language="ru",
                        rules=["untranslated"])
    assert len(issues) == 1
    assert not check_cues(cues=[_cue("دیروز کجا بودی؟")], profile=fa,
                          source_cues=[_cue("Где ты был вчера?")], source_language="ru",
                          rules=["untranslated"])


def test_glossary_term_missing_names_the_required_term() -> None:
    issues = check_cues(cues=[_cue("Добро пожаловать в Самарканд.")], profile=RU,
                        source_cues=[_cue("Welcome to Samarkand, Silk Road city.")],
                        source_language="en",
                        glossary={"Samarkand": "Самарканд", "Silk Road": "Шёлковый путь"},
                        rules=["glossary_term_missing"])
    assert [i.message for i in issues] == [
        ("Cue 1: the glossary renders 'Silk Road' as 'Шёлковый путь', which is not in the "
         "translation.")]


def test_numbers_in_persian_and_devanagari_digits_match_western_ones() -> None:
    assert numbers_in("۱٬۵۰۰ تومان و ۳ نان") == ["1500", "3"]
    assert numbers_in("२०२४ में 15 लोग") == ["2024", "15"]
    fa = default_profile(language="fa")
    src = [_cue("It costs 1,500 and 3 loaves.")]
    assert not check_cues(cues=[_cue("۱٬۵۰۰ تومان برای ۳ نان.")], profile=fa,
                          source_cues=src, rules=["numbers_changed"])


def test_a_changed_number_is_reported_with_both_sets() -> None:
    (issue,) = check_cues(cues=[_cue("Это стоит 1600 и 3 буханки.")], profile=RU,
                          source_cues=[_cue("It costs 1,500 and 3 loaves.")],
                          rules=["numbers_changed"])
    assert issue.message == "Cue 1 has the numbers 1600, 3; the source has 1500, 3."


@pytest.mark.parametrize(("text", "problem"), [
    ("Он сказал (тихо", "'(' is never closed"),
    ("Она ответила: «Нет", "'«' is never closed"),
    ("Тише) пожалуйста", "')' closes nothing"),
    ('He said "no', "a '\"' quote is never closed"),
])
def test_unbalanced_brackets_and_quotes(text: str, problem: str) -> None:
    (issue,) = check_cues(cues=[_cue(text)], profile=RU, rules=["unbalanced_brackets"])
    assert issue.message == f"Cue 1: {problem}."


def test_russian_low_high_quotes_and_chinese_brackets_balance() -> None:
    assert not check_cues(cues=[_cue("Он сказал „да“ и ушёл.")], profile=RU,
                          rules=["unbalanced_brackets"])
    assert not check_cues(cues=[_cue("他说：「好」（真的）。")],
                          profile=default_profile(language="zh-Hans"),
                          rules=["unbalanced_brackets"])


def test_unclosed_or_crossed_tags_are_reported() -> None:
    issues = check_cues(cues=[_cue(("<i>Привет", "мир")), _cue("<b><i>x</b></i>", index=2),
                              _cue("<i>ок</i>", index=3)],
                        profile=RU, rules=["unbalanced_tags"])
    assert [i.cue_index for i in issues] == [1, 2]


def test_question_in_source_needs_a_question_mark_in_urdu_own_form() -> None:
    ur = default_profile(language="ur")
    src = [_cue("Where were you?")]
    assert not check_cues(cues=[_cue("تم کہاں تھے؟")], profile=ur, source_cues=src,
                          rules=["ending_punctuation"])
    assert _rules(check_cues(cues=[_cue("تم کہاں تھے۔")], profile=ur, source_cues=src,
                             rules=["ending_punctuation"])) == {"ending_punctuation"}


def test_every_rule_name_in_issues_is_a_registered_rule() -> None:
    cues = [_cue(""), _cue("x" * 90, 10, 20, 2)]
    assert _rules(check_cues(cues=cues, profile=RU)) <= set(RULES)


def test_a_line_ending_in_an_article_is_a_bad_break() -> None:
    en = default_profile(language="en")
    (issue,) = check_cues(cues=[_cue(("We walked to the", "market in the rain."))],
                          profile=en, rules=["line_break"])
    assert issue.message == ("Cue 1: the break between 'the' and 'market' (lines 1 and 2) "
                             "splits words that belong together.")
    assert not check_cues(cues=[_cue(("We walked to the market", "in the rain."))],
                          profile=en, rules=["line_break"])


def test_a_chinese_line_starting_with_a_comma_is_a_bad_break() -> None:
    zh = default_profile(language="zh-Hans")
    assert _rules(check_cues(cues=[_cue(("我告诉过你", "，我们明天去。"))], profile=zh,
                             rules=["line_break"])) == {"line_break"}


def test_cue_starting_just_before_a_cut_or_ending_near_one_is_reported() -> None:
    en = default_profile(language="en")  # 24 fps
    issues = check_cues(cues=[_cue("Run.", 1000, 2900)], profile=en,
                        shot_changes_ms=[1200, 3000], rules=["shot_change"])
    assert [i.message for i in issues] == [
        "Cue 1 starts 200 ms before a shot change at 00:00:01.200.",
        "Cue 1 ends 100 ms before a shot change at 00:00:03.000."]
    assert issues[1].hint == "End it 2 frames before the cut (00:00:02.917)."
    assert not check_cues(cues=[_cue("Run.", 1200, 2917)], profile=en,
                          shot_changes_ms=[1200, 3000], rules=["shot_change"])


def test_sources_are_paired_by_most_overlap_as_a_full_scan_would_pair_them() -> None:
    """The pairing searches by bisection: on a track with overlaps, gaps and one long source
    cue, it picks what comparing every pair picks."""
    import random

    from dastan.localization.subtitles.qc import _pair_sources

    rng = random.Random(19)
    sources, start = [], 0
    for index in range(1, 300):
        length = 30_000 if index == 150 else rng.randint(700, 6000)
        sources.append(_cue(f"s{index}", start=start, end=start + length, index=index))
        start += rng.randint(-500, 4000) if index != 150 else 1000
        start = max(start, 0)
    targets = tuple(_cue(f"t{i}", start=(s := rng.randint(0, start)), end=s + rng.randint(500, 7000), index=i)
                    for i in range(1, 400))

    def scan(cue: Cue) -> Cue | None:
        best, overlap = None, 0
        for src in sorted(sources, key=lambda c: c.start_ms):
            shared = min(cue.end_ms, src.end_ms) - max(cue.start_ms, src.start_ms)
            if shared > overlap:
                best, overlap = src, shared
        return best

    pairs = _pair_sources(targets, sources)
    assert {c.index: scan(c) for c in targets if scan(c) is not None} == pairs


def test_each_issue_carries_its_figures_for_other_languages() -> None:
    (issue,) = check_cues(cues=[_cue("Мы идём домой и больше не вернёмся.", end=1000)],
                          profile=RU, rules=["reading_speed"])
    assert dict(issue.values) == {"cps": "35.0", "limit": "17"}
    (term,) = check_cues(cues=[_cue("Пришла Нура.")], profile=RU, source_cues=[_cue("Noori came.")],
                         source_language="en", glossary={"Noori": "Нури"}, rules=["glossary_term_missing"])
    assert dict(term.values) == {"term": "Noori", "wanted": "Нури"}
