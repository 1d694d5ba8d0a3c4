from __future__ import annotations

import pysubs2
import pytest

from dastan.localization.subtitles.cue import Cue
from dastan.localization.subtitles.formats import read_subtitles
from dastan.localization.subtitles.webvtt import first_strong_direction, rtl_line, write_webvtt

RTL_CUES = (
    Cue(1, 1000, 3000, ("15 منٹ میں پہنچو۔", "Samarkand میں ملیں گے")),
    Cue(2, 4000, 6000, ("- کیا تم تیار ہو؟", "- ہاں!")),
    Cue(3, 7000, 9000, ("«سلام» گفت و رفت.", "قیمت: 2,500 تومان")),
    Cue(4, 10_000, 12_000, ("ملاقات با John.",)),
)


@pytest.mark.parametrize("language", ["ur", "fa"])
def test_every_rtl_line_reads_right_to_left_from_its_first_strong_character(
        language: str) -> None:
    vtt = write_webvtt(cues=RTL_CUES, language=language)
    doc = read_subtitles(data=vtt.encode(), language=language)
    lines = [line for cue in doc.cues for line in cue.lines]
    assert len(lines) == 7
    assert all(first_strong_direction(line) == "rtl" for line in lines)


def test_without_the_mark_such_lines_would_read_left_to_right() -> None:
    assert first_strong_direction("15 منٹ") == "rtl"  # digits are weak: Arabic wins here
    assert first_strong_direction("Samarkand میں") == "ltr"
    assert first_strong_direction(rtl_line("Samarkand میں")) == "rtl"


def test_rtl_output_parses_back_in_pysubs2_with_the_same_text_and_times() -> None:
    vtt = write_webvtt(cues=RTL_CUES, language="ur")
    events = pysubs2.SSAFile.from_string(vtt, format_="vtt").events
    assert [(e.start, e.end) for e in events] == [(c.start_ms, c.end_ms) for c in RTL_CUES]
    assert [e.plaintext.replace("\u200f", "").split("\n") for e in events] == \
        [list(c.lines) for c in RTL_CUES]


def test_line_ending_in_a_latin_word_and_punctuation_is_closed_with_a_mark() -> None:
    assert rtl_line("ملاقات با John.") == "\u200fملاقات با John.\u200f"
    assert rtl_line("سلام.") == "\u200fسلام."


def test_marks_are_not_doubled_when_a_line_already_has_them() -> None:
    assert rtl_line(rtl_line("- ہاں!")) == rtl_line("- ہاں!")


def test_left_to_right_languages_get_no_marks_and_escaped_text() -> None:
    vtt = write_webvtt(cues=[Cue(1, 0, 1000, ("Tom & <i>Jerry</i> <3",))], language="en",
                       align="start", line_percent=90)
    assert "\u200f" not in vtt
    assert "00:00:00.000 --> 00:00:01.000 align:start line:90%" in vtt
    assert "Tom &amp; <i>Jerry</i> &lt;3" in vtt


def test_every_cue_carries_its_alignment() -> None:
    vtt = write_webvtt(cues=RTL_CUES, language="fa")
    assert vtt.startswith("WEBVTT\nLanguage: fa\n")
    assert vtt.count("align:center") == len(RTL_CUES)


def test_speakers_become_voice_tags_that_read_back() -> None:
    vtt = write_webvtt(cues=[Cue(1, 0, 1000, ("سلام",), speaker="Anna")], language="fa",
                       speakers=True)
    assert read_subtitles(data=vtt.encode()).cues[0].speaker == "Anna"


def test_unknown_alignment_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="align must be one of"):
        write_webvtt(cues=RTL_CUES, language="fa", align="middle")


@pytest.mark.parametrize("language", ["ur", "fa"])
def test_segmented_rtl_speech_survives_webvtt_with_layout_intact(language: str) -> None:
    from dastan.localization.subtitles.profiles import default_profile
    from dastan.localization.subtitles.qc import check_cues
    from dastan.localization.subtitles.segment import segment_transcript

    from .conftest import transcript
    from .test_segment import SPEECH

    profile = default_profile(language=language)
    cues = segment_transcript(transcript=transcript(language, *SPEECH[language]),
                              profile=profile)
    back = read_subtitles(data=write_webvtt(cues=cues, language=language).encode(),
                          language=language).cues
    assert [(c.start_ms, c.end_ms) for c in back] == [(c.start_ms, c.end_ms) for c in cues]
    assert all(first_strong_direction(line) == "rtl" for c in back for line in c.lines)
    assert check_cues(cues=back, profile=profile) == check_cues(cues=cues, profile=profile)
