"""Segmentation holds its layout guarantees for any speech, not only the examples."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dastan.localization.engines.base import Provenance, Segment, Transcript, Word
from dastan.localization.subtitles.counting import line_chars
from dastan.localization.subtitles.profiles import default_profile
from dastan.localization.subtitles.qc import check_cues
from dastan.localization.subtitles.segment import segment_transcript

WORDS = {
    "en": ["the", "a", "market", "bread,", "and", "we", "go.", "never", "tomorrow?", "I",
           "extraordinarily", "to"],
    "ru": ["в", "и", "рынок", "хлеба,", "мы", "пойдём.", "никогда", "завтра?", "не",
           "достопримечательности"],
    "hi": ["और", "में", "बाज़ार", "रोटी,", "हम", "जाएँगे।", "कभी", "कल?", "क्षत्रिय"],
    "fa": ["و", "به", "بازار", "نان،", "ما", "می‌رویم.", "هرگز", "فردا؟", "سیب‌زمینی"],
    "zh-Hans": ["我们", "明天", "去", "市场，", "买", "面包。", "真的吗？", "的"],
}

speech = st.tuples(
    st.sampled_from(sorted(WORDS)),
    st.lists(st.tuples(st.integers(0, 99), st.integers(80, 900), st.integers(0, 2500),
                       st.sampled_from(["", "A", "B"])), min_size=1, max_size=120),
)


@settings(max_examples=60, deadline=None)
@given(speech)
def test_cues_never_break_layout_or_spacing_rules(case: tuple[str, list[tuple[int, int, int,
                                                                              str]]]) -> None:
    language, steps = case
    profile = default_profile(language=language)
    vocabulary = WORDS[language]
    segments, t = [], 0
    for pick, length_ms, pause_ms, speaker in steps:
        word = Word(vocabulary[pick % len(vocabulary)], t, t + length_ms)
        segments.append(Segment(word.text, word.start_ms, word.end_ms, (word,), speaker))
        t = word.end_ms + pause_ms
    cues = segment_transcript(transcript=Transcript(language, 1.0, tuple(segments),
                                                    Provenance("test")), profile=profile)
    rules = {i.rule for i in check_cues(cues=cues, profile=profile)}
    assert not rules & {"too_many_lines", "overlap", "gap_too_small", "too_long", "empty_cue"}
    assert all(line_chars(line) <= profile.chars_per_line for c in cues for line in c.lines)
    joiner = "" if language == "zh-Hans" else " "
    spoken = joiner.join(s.text for s in segments)
    said = joiner.join(line.removeprefix("- ").removeprefix("-") for c in cues
                       for line in c.lines)
    assert said.split() == spoken.split() if joiner else said.replace(" ", "") == spoken
