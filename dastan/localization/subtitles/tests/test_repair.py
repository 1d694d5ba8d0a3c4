"""A corpus of broken and odd subtitle files, as vendors send them: each is repaired as a
person would (and the repair reported by line), or refused with a sentence that says why.
Every file is written here."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from dastan.localization.errors import SubtitleFileInvalid
from dastan.localization.subtitles.formats import read_subtitles


def _srt(*blocks: tuple[str, str]) -> bytes:
    return "\n".join(f"{n}\n{timing}\n{text}\n"
                     for n, (timing, text) in enumerate(blocks, start=1)).encode()


@dataclass(frozen=True)
class Case:
    data: bytes
    filename: str = ""
    film_duration_ms: int | None = None
    format: str = "srt"
    repairs: tuple[str, ...] = ()  # every repair, as str(repair), in line order
    texts: tuple[str, ...] | None = None  # the cues' text after repair, where it matters
    refusal: str = ""  # a regular expression the refusal's message matches


ASS = """[Script Info]
ScriptType: v4.00+

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, Bold, Italic, Alignment
Style: Default,Arial,20,&H00FFFFFF,0,0,2

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,Salaam
"""
TTML = """<?xml version="1.0" encoding="UTF-8"?>
<tt xmlns="http://www.w3.org/ns/ttml"><body><div>
<p begin="00:00:01.000" end="00:00:02.000">Salaam</p>
</div></body></tt>
"""

CORPUS: dict[str, Case] = {
    "cues out of order": Case(
        _srt(("00:00:05,000 --> 00:00:06,000", "B"), ("00:00:01,000 --> 00:00:02,000", "A")),
        repairs=(("line 6: '00:00:01,000 --> 00:00:02,000' starts before the cue at line 2; "
                 "put in time order."),), texts=("A", "B")),
    "overlapping cues": Case(
        _srt(("00:00:01,000 --> 00:00:04,000", "A"), ("00:00:03,000 --> 00:00:05,000", "B")),
        repairs=(("line 2: '00:00:01,000 --> 00:00:04,000' overlaps the cue at line 6; it now "
                 "ends at 00:00:03,000."),)),
    "two cues starting together": Case(
        _srt(("00:00:01,000 --> 00:00:03,000", "A"), ("00:00:01,000 --> 00:00:02,000", "B")),
        repairs=(("line 6: '00:00:01,000 --> 00:00:02,000' starts with the cue at line 2; the "
                 "two are merged."),), texts=("A B",)),
    "negative start": Case(
        _srt(("-00:00:01,000 --> 00:00:02,000", "A")),
        repairs=(("line 2: '-00:00:01,000 --> 00:00:02,000' starts before the film; it now "
                 "starts at 00:00:00,000."),), texts=("A",)),
    "wholly negative cue": Case(
        _srt(("-00:00:03,000 --> -00:00:01,000", "A"), ("00:00:01,000 --> 00:00:02,000", "B")),
        repairs=(("line 2: '-00:00:03,000 --> -00:00:01,000' is before the film starts; "
                 "dropped."),), texts=("B",)),
    "end before start": Case(
        _srt(("00:00:01,000 --> 00:00:02,000", "A"), ("00:00:09,000 --> 00:00:08,000", "B")),
        repairs=("line 6: '00:00:09,000 --> 00:00:08,000' ends before it starts; dropped.",),
        texts=("A",)),
    "zero-length cue": Case(
        _srt(("00:00:01,000 --> 00:00:01,000", "A"), ("00:00:02,000 --> 00:00:03,000", "B")),
        repairs=("line 2: '00:00:01,000 --> 00:00:01,000' lasts no time; dropped.",),
        texts=("B",)),
    "cue after the film ends": Case(
        _srt(("00:00:01,000 --> 00:00:02,000", "A"), ("00:00:12,000 --> 00:00:13,000", "B")),
        film_duration_ms=10_000,
        repairs=(("line 6: '00:00:12,000 --> 00:00:13,000' starts after the film ends "
                 "(00:00:10,000); dropped."),), texts=("A",)),
    "cue ending five hours after the film": Case(
        _srt(("00:00:08,000 --> 05:00:09,000", "A")), film_duration_ms=10_000,
        repairs=(("line 2: '00:00:08,000 --> 05:00:09,000' ends after the film; it now ends "
                 "with the film at 00:00:10,000."),), texts=("A",)),
    "over-long cue of two lines": Case(
        _srt(("00:00:01,000 --> 00:00:21,000", "First line\nSecond one")),
        repairs=(("line 2: '00:00:01,000 --> 00:00:21,000' stays 20.0 s on screen; split into "
                 "2 cues, one a line."),), texts=("First line", "Second one")),
    "over-long cue of one line": Case(
        _srt(("00:00:01,000 --> 00:00:31,000", "Only line")),
        repairs=(("line 2: '00:00:01,000 --> 00:00:31,000' stays 30.0 s on screen, more than "
                 "10 s; check its end time."),), texts=("Only line",)),
    "WebVTT without its header": Case(
        b"1\n00:00:01.000 --> 00:00:02.000 align:start\n<v Anna>Salaam &amp; welcome\n",
        filename="vendor.srt", format="vtt",
        repairs=(("line 1: the WebVTT header line is missing; read as WebVTT from its time "
                 "lines."),), texts=("Salaam & welcome",)),
    "WebVTT without its header, opening with a NOTE": Case(
        b"NOTE exported by the vendor's tool\n\nintro\n00:01.000 --> 00:02.000\nSalaam\n",
        format="vtt",
        repairs=("line 1: the WebVTT header line is missing; read as WebVTT from its time lines.",),
        texts=("Salaam",)),
    "SRT without cue numbers, after blank lines": Case(
        b"\n\n00:00:01,000 --> 00:00:02,000\nA\n\n00:00:03,000 --> 00:00:04,000\nB\n", texts=("A", "B")),
    "SRT named .txt": Case(_srt(("00:00:01,000 --> 00:00:02,000", "A")), filename="subs.txt",
                           texts=("A",)),
    "SRT with a BOM and Windows line ends": Case(
        "\ufeff".encode() + _srt(("00:00:01,000 --> 00:00:02,000", "A")).replace(b"\n", b"\r\n"),
        texts=("A",)),
    "ASS named .srt": Case(ASS.encode(), filename="dub.srt", format="ass", texts=("Salaam",)),
    "TTML named .txt": Case(TTML.encode(), filename="subs.txt", format="ttml", texts=("Salaam",)),
    "50,000 cues on a 10-second film": Case(
        "".join(f"{n}\n00:00:01,000 --> 00:00:02,000\nLine {n}\n\n" for n in range(1, 50_001)).encode(),
        film_duration_ms=10_000,
        refusal=r"^The file has 50,000 cues for a film of 00:00:10,000; a film that long shows "
                r"at most 40\."),
    "every cue after the film": Case(
        _srt(("00:01:00,000 --> 00:01:02,000", "A")), film_duration_ms=10_000,
        refusal=r"^No cue of the file can be shown: line 2: .* starts after the film ends"),
    "empty file": Case(b"\n\n", filename="x.srt", refusal=r"^The file 'x.srt' is empty\."),
    "a letter, not subtitles": Case(b"Dear vendor,\nthe file follows.\n",
                                    refusal=r"^line 1: the file is not a subtitle file"),
    "malformed time line": Case(_srt(("00:00:01 --> 00:00:02", "A")),
                                refusal=r"^line 2: '00:00:01 --> 00:00:02' is not a time line\."),
}


@pytest.mark.parametrize("case", CORPUS.values(), ids=CORPUS.keys())
def test_a_vendor_file_is_repaired_with_every_repair_reported_or_refused_with_a_reason(case: Case) -> None:
    if case.refusal:
        with pytest.raises(SubtitleFileInvalid, match=case.refusal):
            read_subtitles(data=case.data, filename=case.filename,
                           film_duration_ms=case.film_duration_ms)
        return
    doc = read_subtitles(data=case.data, filename=case.filename,
                         film_duration_ms=case.film_duration_ms)
    assert doc.format == case.format
    assert tuple(str(r) for r in doc.repairs) == case.repairs
    if case.texts is not None:
        assert tuple(c.text for c in doc.cues) == case.texts
    assert [c.index for c in doc.cues] == list(range(1, len(doc.cues) + 1))
    assert all(a.end_ms <= b.start_ms for a, b in zip(doc.cues, doc.cues[1:], strict=False))


def test_a_split_cue_shares_its_time_by_the_length_of_its_lines() -> None:
    doc = read_subtitles(data=_srt(("00:00:00,000 --> 00:00:30,000", "aaaaaaaaa\na")))
    assert [(c.start_ms, c.end_ms) for c in doc.cues] == [(0, 27_000), (27_000, 30_000)]


def test_without_a_film_length_a_long_file_is_not_refused() -> None:
    data = "".join(f"{n}\n00:00:{n:02d},000 --> 00:00:{n:02d},500\nx\n\n" for n in range(60)).encode()
    assert len(read_subtitles(data=data).cues) == 60
