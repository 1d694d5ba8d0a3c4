"""TTML, IMSC1 and EBU-TT-D subtitles: a small, strict reader and a writer.

pysubs2 does not read TTML. ttconv does, but converts whole documents through its own
model and gives no line numbers for errors; subtitle uploads need only the timed
paragraphs, so this reads ``<p begin end|dur>`` (with ``<span>`` and ``<br/>``) under
``<body>``, times offset by their parents' ``begin`` as TTML's timing model says.

Safety: a document type declaration is refused before parsing (no entity expansion,
no external entities, as defusedxml does), and the SAX parser resolves nothing outside.
Time expressions: clock time ``01:02:03.500`` or ``01:02:03:12`` (frames at
``ttp:frameRate`` × ``ttp:frameRateMultiplier``), offset time ``62.5s``, ``1500ms``,
``2m``, ``1h``, ``30f``, ``10000000t`` (ticks at ``ttp:tickRate``).
"""

from __future__ import annotations

import io
import re
import xml.sax
import xml.sax.handler
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from xml.sax.saxutils import escape, quoteattr

from dastan.i18n import gettext
from dastan.localization.errors import SubtitleFileInvalid
from dastan.localization.subtitles.cue import Cue
from dastan.localization.subtitles.srt import RawCue

TT_NS = "http://www.w3.org/ns/ttml"
TTP_NS = "http://www.w3.org/ns/ttml#parameter"
TTS_NS = "http://www.w3.org/ns/ttml#styling"
TTM_NS = "http://www.w3.org/ns/ttml#metadata"
_CLOCK = re.compile(r"^(\d{1,3}):(\d{2}):(\d{2})(?:(\.\d+)|:(\d{2,})(?:\.(\d+))?)?$")
_OFFSET = re.compile(r"^(\d+(?:\.\d+)?)(h|ms|m|s|f|t)$")


@dataclass(slots=True)
class _Node:
    name: str  # local name, namespace dropped
    attrs: dict[str, str]  # local names for TT attributes, "ns local" for others
    line: int
    children: list[_Node | str] = field(default_factory=list)


class _Builder(xml.sax.handler.ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[_Node] = []
        self.root: _Node | None = None
        self.locator: xml.sax.xmlreader.Locator | None = None

    def setDocumentLocator(self, locator: xml.sax.xmlreader.Locator) -> None:
        self.locator = locator

    def startElementNS(self, name: tuple[str | None, str], qname: str | None,
                       attrs: xml.sax.xmlreader.AttributesNSImpl) -> None:
        values = {(local if ns in (None, TTP_NS, TTS_NS, TTM_NS) else f"{ns} {local}"): v
                  for (ns, local), v in attrs.items()}
        line = (self.locator.getLineNumber() or 0) if self.locator else 0
        node = _Node(("" if name[0] == TT_NS else f"{name[0]} ") + name[1], values, line)
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:
        self.stack.pop()

    def characters(self, content: str) -> None:
        if self.stack:
            self.stack[-1].children.append(content)


def parse_ttml(text: str) -> list[RawCue]:
    """Timed paragraphs of a TTML document; raises :class:`SubtitleFileInvalid` naming
    the line of a malformed document, a bad time or a paragraph without times."""
    if re.search(r"<!(DOCTYPE|ENTITY)", text, re.IGNORECASE):
        raise SubtitleFileInvalid(gettext("The TTML file declares a document type or entities."),
                                  gettext("Remove the <!DOCTYPE ...> declaration; TTML needs none."))
    root = _parse_xml(text)
    if root.name != "tt":
        raise SubtitleFileInvalid(
            gettext("line %(line)s: the root element is <%(element)s>, not a TTML <tt> in the namespace "
                    "http://www.w3.org/ns/ttml.") % {"line": root.line, "element": root.name.split(" ")[-1]},
            gettext("Export the subtitles as TTML, IMSC1 or EBU-TT-D."))
    rate = _frame_rate(root)
    ticks = int(root.attrs.get("tickRate", "0")) or int(rate) or 1
    body = next((c for c in root.children if isinstance(c, _Node) and c.name == "body"), None)
    cues: list[RawCue] = []
    if body is not None:
        _collect(body, 0, rate, ticks, cues)
    return cues


def _parse_xml(text: str) -> _Node:
    builder = _Builder()
    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_namespaces, True)
    parser.setFeature(xml.sax.handler.feature_external_ges, False)
    parser.setFeature(xml.sax.handler.feature_external_pes, False)
    parser.setContentHandler(builder)
    # The text is decoded already: its declaration must not send the parser back to
    # the file's original encoding.
    prolog_fixed = re.sub(r"^(\s*<\?xml[^>]*?)encoding=[\"'][^\"']*[\"']",
                          r'\1encoding="UTF-8"', text)
    try:
        parser.parse(io.BytesIO(prolog_fixed.encode("utf-8")))
    except xml.sax.SAXParseException as exc:
        raise SubtitleFileInvalid(
            gettext("line %(line)s: the TTML is not well-formed XML (%(error)s).")
            % {"line": exc.getLineNumber(), "error": exc.getMessage()},
            gettext("Fix the markup on that line.")) from exc
    if builder.root is None:
        raise SubtitleFileInvalid(gettext("The TTML file has no elements."), gettext("Upload a TTML export."))
    return builder.root


def _frame_rate(root: _Node) -> Fraction:
    rate = Fraction(root.attrs.get("frameRate", "30"))
    multiplier = root.attrs.get("frameRateMultiplier", "1 1").split()
    if len(multiplier) == 2:
        rate *= Fraction(int(multiplier[0]), int(multiplier[1]))
    return rate


def _collect(node: _Node, offset_ms: int, rate: Fraction, ticks: int,
             out: list[RawCue]) -> None:
    begin = offset_ms + _time(node, "begin", rate, ticks, default=0)
    if node.name == "p":
        end = _end(node, begin, offset_ms, rate, ticks)
        text = "".join(_text(c) for c in node.children)
        lines = tuple(x.strip() for x in text.split("\n") if x.strip())
        timing = f"begin={node.attrs.get('begin', '')!r} end={node.attrs.get('end', '')!r}"
        out.append(RawCue(node.line, timing, begin, end, lines,
                          node.attrs.get("agent", "").lstrip("#")))
        return
    for child in node.children:
        if isinstance(child, _Node):
            _collect(child, begin, rate, ticks, out)


def _end(node: _Node, begin: int, offset_ms: int, rate: Fraction, ticks: int) -> int:
    if "end" in node.attrs:
        return offset_ms + _time(node, "end", rate, ticks, default=0)
    if "dur" in node.attrs:
        return begin + _time(node, "dur", rate, ticks, default=0)
    raise SubtitleFileInvalid(gettext("line %(line)s: this <p> has no end or dur time.") % {"line": node.line},
                              gettext("Add end=\"00:00:02.000\" (or dur) to the paragraph."))


def _text(child: _Node | str) -> str:
    if isinstance(child, str):
        return " ".join(child.split("\n")) if child.strip() else (" " if child else "")
    if child.name == "br":
        return "\n"
    inner = "".join(_text(c) for c in child.children)
    if child.attrs.get("fontStyle") == "italic":
        return f"<i>{inner}</i>"
    return f"<b>{inner}</b>" if child.attrs.get("fontWeight") == "bold" else inner


def _time(node: _Node, attr: str, rate: Fraction, ticks: int, *, default: int) -> int:
    raw = node.attrs.get(attr)
    if raw is None:
        return default
    value = raw.strip()
    if clock := _CLOCK.match(value):
        hours, minutes, seconds, fraction, frames, _sub = clock.groups()
        whole = (int(hours) * 60 + int(minutes)) * 60 + int(seconds)
        seconds_f = Fraction(whole) + (Fraction(fraction) if fraction else 0)
        if frames:
            seconds_f += Fraction(int(frames)) / rate
        return round(seconds_f * 1000)
    if offset := _OFFSET.match(value):
        number, unit = Fraction(offset.group(1)), offset.group(2)
        per_unit = {"h": Fraction(3_600_000), "m": Fraction(60_000), "s": Fraction(1000),
                    "ms": Fraction(1), "f": 1000 / rate, "t": Fraction(1000, ticks)}[unit]
        return round(number * per_unit)
    raise SubtitleFileInvalid(gettext("line %(line)s: %(attribute)s=\"%(value)s\" is not a TTML time.")
                              % {"line": node.line, "attribute": attr, "value": raw},
                              gettext("Write it like 00:01:02.500 or 62.5s."))


def write_ttml(*, cues: Sequence[Cue], language: str, rtl: bool = False) -> str:
    """A TTML/IMSC1 text document; ``rtl`` sets ``tts:direction="rtl"`` on every
    paragraph, which TTML, unlike WebVTT, can say per element."""
    direction = ' tts:direction="rtl" tts:unicodeBidi="embed"' if rtl else ""
    paragraphs = []
    for cue in cues:
        body = "<br/>".join(_styled(escape(line)) for line in cue.lines)
        paragraphs.append(f'      <p begin="{_clock(cue.start_ms)}" end="{_clock(cue.end_ms)}"'
                          f"{direction}>{body}</p>")
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            f'<tt xmlns="{TT_NS}" xmlns:tts="{TTS_NS}" xmlns:ttp="{TTP_NS}" '
            f"xml:lang={quoteattr(language)} ttp:timeBase=\"media\">\n"
            "  <body>\n    <div>\n" + "\n".join(paragraphs) + "\n    </div>\n  </body>\n</tt>\n")


_STYLE_SPANS = {"i": 'tts:fontStyle="italic"', "b": 'tts:fontWeight="bold"',
                "u": 'tts:textDecoration="underline"'}


def _styled(escaped: str) -> str:
    """Our <i>, <b>, <u> (escaped by now) as TTML styled spans."""
    for tag, style in _STYLE_SPANS.items():
        escaped = escaped.replace(f"&lt;{tag}&gt;", f"<span {style}>")
        escaped = escaped.replace(f"&lt;/{tag}&gt;", "</span>")
    return escaped


def _clock(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"
