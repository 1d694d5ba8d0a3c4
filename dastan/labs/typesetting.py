"""One line of text in any of the node's scripts on a reportlab canvas, shaped and in the
right order: Urdu and Persian letters join and read from right to left, Devanagari
conjuncts form and vowel signs sit where they belong, Latin and Cyrillic stay as they are.

How a line is set:

1. Each character gets a bidirectional level by a small form of the Unicode
   Bidirectional Algorithm (UAX #9): the paragraph direction from the first strong
   letter; non-spacing marks take their base's type; a run of neutrals between two
   letters of one direction takes that direction, otherwise the paragraph's; numbers are
   left to right. Explicit embeddings and isolates are not needed for names and titles,
   and are not handled.
2. Runs of one level and one font are cut (Arabic script: Noto Naskh Arabic; Devanagari:
   Noto Sans Devanagari; everything else: DejaVu Sans), then reordered for display
   (UAX #9 rule L2).
3. Each run is shaped by HarfBuzz through reportlab (``uharfbuzz``), which returns its
   glyphs in visual order with their advances and offsets, and drawn at its place.
4. The line is wrapped in a marked-content span whose ``/ActualText`` is the text as
   typed, so copying, search and screen readers get the name, not the glyphs' order.

A script whose font is missing raises :class:`FontMissing` naming the Debian package, so
a certificate never prints boxes instead of a person's name.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr, TTFont, shapeStr
from reportlab.pdfgen.canvas import Canvas

from dastan.errors import ConfigurationError

NOTO = Path("/usr/share/fonts/truetype/noto")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")

# script → (regular, bold) font files and the Debian package that ships them
FONTS: dict[str, tuple[Path, Path, str]] = {
    "default": (DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf", "fonts-dejavu-core"),
    "arabic": (NOTO / "NotoNaskhArabic-Regular.ttf", NOTO / "NotoNaskhArabic-Bold.ttf", "fonts-noto-core"),
    "devanagari": (NOTO / "NotoSansDevanagari-Regular.ttf", NOTO / "NotoSansDevanagari-Bold.ttf",
                   "fonts-noto-core"),
}


class FontMissing(ConfigurationError):
    code = "font_missing"


def script_of(char: str) -> str:
    """'arabic', 'devanagari', or '' for every other script (and for neutrals)."""
    cp = ord(char)
    if 0x0600 <= cp <= 0x06FF or 0x0750 <= cp <= 0x077F or 0x08A0 <= cp <= 0x08FF or 0xFB50 <= cp <= 0xFDFF \
            or 0xFE70 <= cp <= 0xFEFF:
        return "arabic"
    if 0x0900 <= cp <= 0x097F or 0xA8E0 <= cp <= 0xA8FF or 0x1CD0 <= cp <= 0x1CFF:
        return "devanagari"
    return ""


def font_name(script: str, *, bold: bool) -> str:
    """The registered reportlab font for ``script`` (registered on first use)."""
    regular, heavy, package = FONTS[script or "default"]
    path = heavy if bold else regular
    name = f"dastan-{script or 'default'}{'-bold' if bold else ''}"
    if name not in pdfmetrics.getRegisteredFontNames():
        if not path.exists():
            raise FontMissing(_("The font %(font)s, needed to print %(script)s text, is not installed.")
                              % {"font": path.name, "script": script or "Latin and Cyrillic"},
                              _("Install Debian's %(package)s (scripts/install-system-deps does).")
                              % {"package": package})
        pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


def covers(script: str, char: str) -> bool:
    """Whether ``script``'s font has a glyph for ``char``."""
    font = pdfmetrics.getFont(font_name(script, bold=False))
    return ord(char) in font.face.charToGlyph  # type: ignore[attr-defined]


# --- the bidirectional levels (a subset of UAX #9) -----------------------------------------------

def _strong(char: str) -> str:
    """L, R, N (number) or '' (neutral) for ``char``."""
    kind = unicodedata.bidirectional(char)
    if kind == "L":
        return "L"
    if kind in ("R", "AL"):
        return "R"
    if kind in ("EN", "AN"):
        return "N"
    return ""


def paragraph_rtl(text: str) -> bool:
    for char in text:
        kind = _strong(char)
        if kind in ("L", "R"):
            return kind == "R"
    return False


def _types(text: str) -> list[str]:
    """Each character's bidi type, as UAX #9's W1-W7 resolve it: L, R, EN, AN or '' (neutral)."""
    types: list[str] = []
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "NSM":  # W1: a mark takes its base's type
            kind = types[-1] if types else ""
        types.append(kind if kind in ("L", "R", "AL", "EN", "AN") else "")
    base = "R" if paragraph_rtl(text) else "L"
    last = base  # the last strong type seen (sos: the paragraph's)
    for i, kind in enumerate(types):
        if kind in ("L", "R", "AL"):
            last = kind
        elif kind == "EN":  # W2: a number after Arabic letters is an Arabic number; W7: after L, it is L
            types[i] = "AN" if last == "AL" else "L" if last == "L" else "EN"
    return ["R" if t == "AL" else t for t in types]  # W3


def levels(text: str) -> list[int]:
    """The embedding level of each character (even: left to right, odd: right to left)."""
    base = 1 if paragraph_rtl(text) else 0
    kinds = _types(text)
    # N1/N2: neutrals between two strong types of one direction (numbers count as R) take
    # that direction; the others take the paragraph's.
    edge = "R" if base else "L"
    resolved = list(kinds)
    i = 0
    while i < len(kinds):
        if kinds[i]:
            i += 1
            continue
        j = i
        while j < len(kinds) and not kinds[j]:
            j += 1
        before = kinds[i - 1] if i else edge
        after = kinds[j] if j < len(kinds) else edge
        before, after = ("R" if k in ("EN", "AN") else k for k in (before, after))
        resolved[i:j] = [before if before == after else edge] * (j - i)
        i = j
    # I1/I2
    if base == 0:
        return [{"L": 0, "R": 1, "EN": 2, "AN": 2}[k] for k in resolved]
    return [{"R": 1, "L": 2, "EN": 2, "AN": 2}[k] for k in resolved]


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    level: int
    script: str
    numeric: bool


def runs(text: str) -> list[Run]:
    """``text`` cut into runs of one level and one script, in display order (left to right)."""
    if not text:
        return []
    lv = levels(text)
    scripts = [script_of(c) for c in text]
    # Neutrals and marks are set in the font of the letters around them (the one before,
    # else the one after), so a space or a ZWNJ inside a Persian word stays in its run.
    for i, s in enumerate(scripts):
        if not s and _strong(text[i]) != "L":
            near = scripts[i - 1] if i else next((x for x in scripts[i:] if x), "")
            scripts[i] = near if near and covers(near, text[i]) else ""
    cut: list[Run] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or lv[i] != lv[start] or scripts[i] != scripts[start]:
            chunk = text[start:i]
            cut.append(Run(chunk, lv[start], scripts[start], all(_strong(c) in ("N", "") for c in chunk)
                           and any(_strong(c) == "N" for c in chunk)))
            start = i
    # L2: from the highest level down to the lowest odd one, reverse every sequence of runs
    # at that level or higher.
    top = max(r.level for r in cut)
    lowest_odd = min((r.level for r in cut if r.level % 2), default=top + 1)
    for level in range(top, lowest_odd - 1, -1):
        i = 0
        while i < len(cut):
            if cut[i].level >= level:
                j = i
                while j < len(cut) and cut[j].level >= level:
                    j += 1
                cut[i:j] = reversed(cut[i:j])
                i = j
            else:
                i += 1
    return cut


# --- drawing ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SetRun:
    font: str
    glyphs: str  # ShapedStr (glyphs in visual order with HarfBuzz positions), or plain text
    width: float


def set_line(text: str, *, size: float, bold: bool = False) -> list[SetRun]:
    """The runs of ``text`` with their fonts, shaped glyphs and widths, left to right.
    Arabic-script and Devanagari runs are shaped; numbers are not (HarfBuzz would set
    Arabic-Indic digits right to left), nor Latin and Cyrillic (no ligatures to copy out)."""
    out = []
    for run in runs(text):
        font = font_name(run.script, bold=bold)
        if run.script and not run.numeric:  # Latin and Cyrillic need no shaping: kept as typed
            glyphs = shapeStr(run.text, font, size, force=True)
            if isinstance(glyphs, ShapedStr):
                data = glyphs.__shapeData__  # type: ignore[attr-defined]
                out.append(SetRun(font, glyphs, sum(d.x_advance for d in data) * size / 1000))
                continue
        out.append(SetRun(font, run.text, pdfmetrics.stringWidth(run.text, font, size)))
    return out


def _actual_text(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def draw_centred(pdf: Canvas, x: float, y: float, text: str, *, size: float, bold: bool = False) -> float:
    """Draw ``text`` centred on ``x``; returns its width."""
    line = set_line(text, size=size, bold=bold)
    width = sum(r.width for r in line)
    left = x - width / 2
    code = pdf._code  # type: ignore[attr-defined]
    code.append(f"/Span <</ActualText {_actual_text(text)}>> BDC")
    for run in line:
        obj = pdf.beginText(left, y)
        obj.setFont(run.font, size)
        obj.textOut(run.glyphs)
        pdf.drawText(obj)
        left += run.width
    code.append("EMC")
    return width
