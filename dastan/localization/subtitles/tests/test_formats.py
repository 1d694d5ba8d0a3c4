"""Reading and writing subtitle files; every file is written by the test itself."""

from __future__ import annotations

import pytest

from dastan.localization.errors import SubtitleFileInvalid
from dastan.localization.subtitles.cue import Cue
from dastan.localization.subtitles.formats import (
    read_script,
    read_subtitles,
    write_subtitles,
)

SRT = """1
00:00:01,000 --> 00:00:02,500
Hello <i>there</i>

2
00:00:03,000 --> 00:00:04,000
Second
line
"""


def _srt(*blocks: tuple[str, str]) -> bytes:
    return "\n".join(f"{n}\n{timing}\n{text}\n"
                     for n, (timing, text) in enumerate(blocks, start=1)).encode()


def test_srt_cues_keep_times_lines_and_italics() -> None:
    doc = read_subtitles(data=SRT.encode(), language="en")
    assert (doc.format, doc.encoding) == ("srt", "utf-8")
    assert doc.cues == (Cue(1, 1000, 2500, ("Hello <i>there</i>",)),
                        Cue(2, 3000, 4000, ("Second", "line")))


def test_srt_with_windows_line_ends_and_bom_reads_the_same() -> None:
    data = "\ufeff".encode() + SRT.replace("\n", "\r\n").encode()
    assert read_subtitles(data=data).cues == read_subtitles(data=SRT.encode()).cues


def test_a_cue_ending_before_it_starts_is_dropped_and_reported_by_line() -> None:
    data = _srt(("00:00:01,000 --> 00:00:02,000", "One"),
                ("00:01:02,500 --> 00:01:01,000", "Two"))
    doc = read_subtitles(data=data)
    assert [c.text for c in doc.cues] == ["One"]
    assert [str(r) for r in doc.repairs] == [
        "line 6: '00:01:02,500 --> 00:01:01,000' ends before it starts; dropped."]


def test_a_zero_length_cue_is_dropped() -> None:
    doc = read_subtitles(data=_srt(("00:00:01,000 --> 00:00:01,000", "One"),
                                   ("00:00:02,000 --> 00:00:03,000", "Two")))
    assert [c.text for c in doc.cues] == ["Two"]
    assert "line 2: '00:00:01,000 --> 00:00:01,000' lasts no time" in str(doc.repairs[0])


def test_malformed_time_line_shows_the_expected_form() -> None:
    with pytest.raises(SubtitleFileInvalid) as err:
        read_subtitles(data=_srt(("00:00:01,000 --> 00:00:02,000", "One"),
                                 ("00:00:03 --> 00:00:04", "Two")))
    assert str(err.value) == ("line 6: '00:00:03 --> 00:00:04' is not a time line. Write "
                              "it like '00:01:02,500 --> 00:01:04,000'.")


def test_missing_time_line_after_a_cue_number_is_named() -> None:
    data = b"1\n00:00:01,000 --> 00:00:02,000\nOne\n\n2\nTwo without time\n"
    with pytest.raises(SubtitleFileInvalid, match="line 6: 'Two without time' should be a time"):
        read_subtitles(data=data)


def test_seconds_above_59_are_refused() -> None:
    with pytest.raises(SubtitleFileInvalid, match="line 2: .* minutes or seconds above 59"):
        read_subtitles(data=_srt(("00:00:61,000 --> 00:01:02,000", "One")))


def test_cues_out_of_time_order_are_put_in_order_and_reported() -> None:
    data = _srt(("00:00:05,000 --> 00:00:06,000", "One"),
                ("00:00:01,000 --> 00:00:02,000", "Two"))
    doc = read_subtitles(data=data)
    assert [(c.index, c.text) for c in doc.cues] == [(1, "Two"), (2, "One")]
    assert [str(r) for r in doc.repairs] == [
        ("line 6: '00:00:01,000 --> 00:00:02,000' starts before the cue at line 2; put in "
        "time order.")]


def test_overlapping_cues_are_clamped_unless_allowed() -> None:
    data = _srt(("00:00:01,000 --> 00:00:03,000", "One"),
                ("00:00:02,000 --> 00:00:04,000", "Two"))
    doc = read_subtitles(data=data)
    assert [(c.start_ms, c.end_ms) for c in doc.cues] == [(1000, 2000), (2000, 4000)]
    assert str(doc.repairs[0]) == ("line 2: '00:00:01,000 --> 00:00:03,000' overlaps the cue "
                                   "at line 6; it now ends at 00:00:02,000.")
    allowed = read_subtitles(data=data, allow_overlaps=True)
    assert [(c.start_ms, c.end_ms) for c in allowed.cues] == [(1000, 3000), (2000, 4000)]
    assert allowed.repairs == ()


@pytest.mark.parametrize("data", [b"", b"  \n\n  "])
def test_empty_file_is_refused(data: bytes) -> None:
    with pytest.raises(SubtitleFileInvalid, match="The file 'x.srt' is empty"):
        read_subtitles(data=data, filename="x.srt")


def test_a_file_that_is_no_subtitle_file_says_what_to_upload() -> None:
    with pytest.raises(SubtitleFileInvalid) as err:
        read_subtitles(data=b"Dear producer,\nplease find the film attached.\n")
    assert str(err.value) == ("line 1: the file is not a subtitle file; it starts 'Dear "
                              "producer,'. Upload SRT, WebVTT, ASS/SSA or TTML subtitles.")


def test_binary_garbage_is_refused() -> None:
    with pytest.raises(SubtitleFileInvalid):
        read_subtitles(data=bytes(range(256)) * 4, language="ru")


# --- legacy encodings ---------------------------------------------------------------------

def _legacy_srt(text: str) -> str:
    return f"1\n00:00:01,000 --> 00:00:03,000\n{text}\n"


def test_windows_1256_urdu_is_decoded_and_arabic_yeh_becomes_urdu_yeh() -> None:
    # Legacy Urdu files used Arabic ي/ك (Windows-1256 has no ی/ک) and "." for "۔".
    urdu = "میں نے تم سے کہا تھا کہ ہم بازار جائیں گے."
    legacy = urdu.replace("ی", "ي").replace("ک", "ك")
    doc = read_subtitles(data=_legacy_srt(legacy).encode("cp1256"), language="ur")
    assert doc.encoding == "cp1256" and doc.cues[0].lines == (urdu,)


def test_windows_1256_persian_is_decoded() -> None:
    persian = "سلام، حالت چطور است؟ من به بازار می\u200cروم"
    legacy = persian.replace("ی", "ي").replace("ک", "ك")
    doc = read_subtitles(data=_legacy_srt(legacy).encode("cp1256"), language="fa")
    assert doc.cues[0].lines == (persian,)


def test_windows_1251_russian_is_decoded() -> None:
    doc = read_subtitles(data=_legacy_srt("Привет, как дела? Ёлка.").encode("cp1251"),
                         language="ru")
    assert (doc.encoding, doc.cues[0].lines) == ("cp1251", ("Привет, как дела? Ёлка.",))


def test_gb18030_chinese_is_decoded() -> None:
    doc = read_subtitles(data=_legacy_srt("我告诉过你，我们明天去市场。").encode("gb18030"),
                         language="zh-Hans")
    assert (doc.encoding, doc.cues[0].lines) == ("gb18030", ("我告诉过你，我们明天去市场。",))


def test_kazakh_letters_missing_from_windows_1251_come_from_kz1048() -> None:
    doc = read_subtitles(data=_legacy_srt("Сәлем, қалың қалай?").encode("kz1048"),
                         language="kk")
    assert doc.cues[0].lines == ("Сәлем, қалың қалай?",)


def test_the_same_bytes_read_as_the_expected_language() -> None:
    data = _legacy_srt("Привет, как дела?").encode("cp1251")
    with pytest.raises(SubtitleFileInvalid) as err:
        read_subtitles(data=data, language="fa")
    assert str(err.value) == ("The subtitle file does not read as fa text in UTF-8, cp1256. "
                              "Open it in a text editor, check the language, and save it "
                              "as UTF-8.")


# --- WebVTT, ASS, TTML --------------------------------------------------------------------

VTT = """WEBVTT
Kind: captions

NOTE written by hand

intro
00:01.000 --> 00:02.500 align:start
<v Anna>Tom &amp; Jerry</v>

00:00:03.000 --> 00:00:04.000
Second
"""


def test_webvtt_voice_tags_become_speakers_and_entities_are_decoded() -> None:
    doc = read_subtitles(data=VTT.encode())
    assert doc.format == "vtt"
    assert doc.cues[0] == Cue(1, 1000, 2500, ("Tom & Jerry",), speaker="Anna")
    assert doc.cues[1].start_ms == 3000


def test_webvtt_bad_time_line_names_its_line() -> None:
    with pytest.raises(SubtitleFileInvalid, match="line 3: '00:01.000 -> 00:02.000' is not a time line"):
        read_subtitles(data=b"WEBVTT\n\n00:01.000 -> 00:02.000\nHi\n")


ASS = """[Script Info]
ScriptType: v4.00+

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,2,2,10,10,10,1

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
Dialogue: 0,0:00:01.00,0:00:02.50,Default,Anna,0,0,0,,{\\an8}Hello {\\i1}there{\\i0}\\Nfriend
Comment: 0,0:00:02.00,0:00:03.00,Default,,0,0,0,,a note
Dialogue: 0,0:00:05.00,0:00:04.00,Default,,0,0,0,,Backwards
"""


def test_ass_dialogue_keeps_italics_and_speaker_and_drops_a_backwards_line() -> None:
    good = ASS.rsplit("Dialogue:", 1)[0]
    (cue,) = read_subtitles(data=good.encode()).cues
    assert cue == Cue(1, 1000, 2500, ("Hello <i>there</i>", "friend"), speaker="Anna")
    doc = read_subtitles(data=ASS.encode())
    assert doc.cues == (cue,)
    assert [str(r) for r in doc.repairs] == [
        "line 12: '0:00:05.00,0:00:04.00' ends before it starts; dropped."]


TTML = """<?xml version="1.0" encoding="UTF-8"?>
<tt xmlns="http://www.w3.org/ns/ttml" xmlns:tts="http://www.w3.org/ns/ttml#styling"
    xmlns:ttp="http://www.w3.org/ns/ttml#parameter" ttp:frameRate="25" ttp:tickRate="10000000">
  <body>
    <div begin="10s">
      <p begin="00:00:01.000" end="00:00:02.500">Hello<br/><span tts:fontStyle="italic">there</span></p>
      <p begin="00:00:03:12" dur="1s">Frames</p>
      <p begin="40000000t" end="45000000t">Ticks</p>
    </div>
  </body>
</tt>
"""


def test_ttml_times_offsets_frames_and_ticks() -> None:
    doc = read_subtitles(data=TTML.encode(), allow_overlaps=True)
    assert doc.format == "ttml"
    assert [(c.start_ms, c.end_ms, c.lines) for c in doc.cues] == [
        (11_000, 12_500, ("Hello", "<i>there</i>")),
        (13_480, 14_480, ("Frames",)),  # 12 frames at 25 fps
        (14_000, 14_500, ("Ticks",)),
    ]


def test_ttml_overlap_from_parent_offsets_is_clamped_too() -> None:
    # The third paragraph (14.0 s) starts before the second ends (14.48 s).
    doc = read_subtitles(data=TTML.encode())
    assert [r.line for r in doc.repairs] == [7]
    assert "overlaps the cue at line 8" in doc.repairs[0].message


def test_ttml_bad_time_and_broken_xml_name_their_lines() -> None:
    bad_time = TTML.replace('begin="00:00:03:12"', 'begin="soon"')
    with pytest.raises(SubtitleFileInvalid, match='line 7: begin="soon" is not a TTML time'):
        read_subtitles(data=bad_time.encode())
    broken = TTML.replace("</p>\n      <p begin=\"00:00:03", "\n      <p begin=\"00:00:03", 1)
    with pytest.raises(SubtitleFileInvalid, match="line 9: the TTML is not well-formed XML"):
        read_subtitles(data=broken.encode())


def test_ttml_with_a_doctype_is_refused_before_parsing() -> None:
    bomb = ('<?xml version="1.0"?><!DOCTYPE tt [<!ENTITY a "aaaa">]>'
            '<tt xmlns="http://www.w3.org/ns/ttml"><body><p begin="0s" end="1s">&a;</p>'
            "</body></tt>")
    with pytest.raises(SubtitleFileInvalid, match="declares a document type"):
        read_subtitles(data=bomb.encode())


def test_ttml_paragraph_without_end_is_named() -> None:
    with pytest.raises(SubtitleFileInvalid, match="line 7: this <p> has no end or dur"):
        read_subtitles(data=TTML.replace(' dur="1s"', "").encode())


@pytest.mark.parametrize("fmt", ["srt", "vtt", "ass", "ttml"])
@pytest.mark.parametrize("language", ["en", "ru", "zh-Hans", "hi", "ur"])
def test_every_format_round_trips_every_script(fmt: str, language: str) -> None:
    text = {"en": "Tom & <i>Jerry</i>", "ru": "Привет, «мир»", "zh-Hans": "你好，世界。",
            "hi": "नमस्ते, दुनिया।", "ur": "15 منٹ میں Samarkand۔"}[language]
    cues = (Cue(1, 1000, 2500, (text, "2")), Cue(2, 3_600_000, 3_601_000, ("end",)))
    doc = read_subtitles(data=write_subtitles(cues=cues, fmt=fmt, language=language).encode(),
                         language=language)
    got = tuple(Cue(c.index, c.start_ms, c.end_ms, tuple(x.replace("\u200f", "") for x in c.lines))
                for c in doc.cues)
    assert got == cues


def test_script_reads_as_lines_and_refuses_timed_files() -> None:
    script = "АННА: Где ты был?\n\n  ТОМ:   Дома.  \n".encode("cp1251")
    assert read_script(data=script, language="ru") == ("АННА: Где ты был?", "ТОМ: Дома.")
    with pytest.raises(SubtitleFileInvalid, match="line 2: the script has subtitle times"):
        read_script(data=SRT.encode(), language="en")
    with pytest.raises(SubtitleFileInvalid, match="The script is empty"):
        read_script(data=b"\n \n", language="en")


def test_a_missing_blank_line_between_cues_is_named() -> None:
    data = (b"1\n00:00:01,000 --> 00:00:02,000\nOne\n2\n00:00:03,000 --> 00:00:04,000\nTwo\n")
    with pytest.raises(SubtitleFileInvalid) as err:
        read_subtitles(data=data)
    assert str(err.value) == ("line 5: a time line inside the text of the cue timed at line "
                              "2. Put a blank line between the two cues.")


def test_ssa_v4_scripts_are_told_apart_from_ass() -> None:
    ssa = ASS.replace("ScriptType: v4.00+", "ScriptType: v4.00").rsplit("Dialogue:", 1)[0]
    assert read_subtitles(data=ssa.replace("\n", "\r\n").encode()).format == "ssa"


def test_cues_round_trip_through_json_ready_dicts() -> None:
    from dastan.localization.subtitles.cue import cue_from_dict

    cue = Cue(3, 1000, 2500, ("سلام", "دنیا"), speaker="Anna")
    assert cue_from_dict(cue.as_dict()) == cue


EBU_TT_D = """<?xml version="1.0" encoding="UTF-8"?>
<tt:tt xmlns:tt="http://www.w3.org/ns/ttml" xmlns:ttp="http://www.w3.org/ns/ttml#parameter"
  xmlns:tts="http://www.w3.org/ns/ttml#styling" xmlns:ebuttm="urn:ebu:tt:metadata"
  ttp:timeBase="media" ttp:cellResolution="50 30" xml:lang="ru">
  <tt:head>
    <tt:metadata><ebuttm:documentMetadata/></tt:metadata>
    <tt:styling><tt:style xml:id="s1" tts:color="#FFFFFF"/></tt:styling>
  </tt:head>
  <tt:body>
    <tt:div>
      <tt:p xml:id="sub1" begin="00:00:05.000" end="00:00:07.120">
        <tt:span style="s1">Привет,</tt:span><tt:br/><tt:span style="s1">мир!</tt:span>
      </tt:p>
    </tt:div>
  </tt:body>
</tt:tt>
"""


def test_ebu_tt_d_with_prefixed_elements_reads() -> None:
    doc = read_subtitles(data=EBU_TT_D.encode(), language="ru")
    assert doc.format == "ttml"
    assert doc.cues == (Cue(1, 5000, 7120, ("Привет,", "мир!")),)
