from __future__ import annotations

from dastan.localization.engines.base import Provenance, Segment, Transcript, Word
from dastan.localization.subtitles.align import align_script, cues_from_script
from dastan.localization.subtitles.profiles import default_profile
from dastan.localization.subtitles.qc import check_cues

from .conftest import han_words_spoken, words_spoken


def _heard(language: str, *words: tuple[Word, ...]) -> Transcript:
    segments = tuple(Segment(" ".join(w.text for w in ws), ws[0].start_ms, ws[-1].end_ms, ws)
                     for ws in words)
    return Transcript(language, 0.9, segments, Provenance("faster-whisper", "whisper-base"))


def test_script_words_take_the_recognised_words_times() -> None:
    heard = words_spoken("hello there i told you we would go to the market and uh buy "
                         "some bread", start_ms=1000)
    script = ["ANNA: Hello there!",
              "I told you that we would go to the market and buy some fresh bread."]
    result = align_script(script_lines=script, transcript=_heard("en", heard))
    first, second = result.transcript.segments
    assert (first.speaker, first.text) == ("ANNA", "Hello there!")
    assert [w.text for w in second.words] == script[1].split()
    by_text = {w.text: w for w in heard}
    assert (first.words[0].start_ms, first.words[0].end_ms) == (
        by_text["hello"].start_ms, by_text["hello"].end_ms)
    market = next(w for w in second.words if w.text == "market")
    assert market.start_ms == by_text["market"].start_ms
    assert 0.8 < result.matched_ratio < 1.0  # "that" and "fresh" were not heard
    starts = [w.start_ms for s in result.transcript.segments for w in s.words]
    assert starts == sorted(starts)


def test_words_the_recogniser_missed_sit_between_their_neighbours() -> None:
    heard = words_spoken("we go to the market today")
    result = align_script(script_lines=["We go to the old market today."],
                          transcript=_heard("en", heard))
    words = {w.text: w for w in result.transcript.segments[0].words}
    assert words["the"].end_ms <= words["old"].start_ms <= words["old"].end_ms \
        <= words["market"].start_ms


def test_a_misheard_word_takes_the_time_of_what_was_heard_in_its_place() -> None:
    heard = words_spoken("мы пошли на рынак вчера")  # "рынак": a recognition error
    result = align_script(script_lines=["Мы пошли на рынок вчера."],
                          transcript=_heard("ru", heard))
    (segment,) = result.transcript.segments
    assert (segment.words[3].text, segment.words[3].start_ms) == ("рынок", heard[3].start_ms)


def test_urdu_script_matches_asr_written_with_arabic_yeh_and_kaf() -> None:
    heard = words_spoken("ميں نے كہا تھا")  # Arabic ي and ك, as some models write
    result = align_script(script_lines=["میں نے کہا تھا۔"], transcript=_heard("ur", heard))
    assert result.matched_ratio == 1.0


def test_chinese_aligns_character_by_character() -> None:
    heard = han_words_spoken("我们明天去市场买面包", start_ms=500)
    result = align_script(script_lines=["我们明天一起去市场买面包。"],
                          transcript=_heard("zh-Hans", heard))
    assert result.matched_ratio == 10 / 12
    (segment,) = result.transcript.segments
    assert segment.start_ms == 500 and segment.text == "我们明天一起去市场买面包。"


def test_script_becomes_cues_that_pass_layout_checks() -> None:
    heard = words_spoken("привет я же говорил тебе что мы пойдём на рынок и купим хлеба "
                         "но ты меня совсем не слушал теперь мы голодны", start_ms=2000)
    script = ["Привет. Я же говорил тебе, что мы пойдём на рынок и купим немного хлеба,",
              "но ты меня совсем не слушал. Теперь мы голодны."]
    profile = default_profile(language="ru")
    cues = cues_from_script(script_lines=script, transcript=_heard("ru", heard),
                            profile=profile)
    assert " ".join(c.text for c in cues).split() == " ".join(script).split()
    issues = check_cues(cues=cues, profile=profile)
    assert not {i.rule for i in issues} & {"line_too_long", "too_many_lines", "overlap",
                                           "gap_too_small", "too_long"}


def test_segments_without_word_times_still_lend_their_span() -> None:
    heard = Transcript("en", 1.0, (Segment("good morning everyone", 4000, 6000),),
                       Provenance("test"))
    result = align_script(script_lines=["Good morning, everyone."], transcript=heard)
    (segment,) = result.transcript.segments
    assert (segment.start_ms, segment.end_ms, result.matched_ratio) == (4000, 6000, 1.0)
