"""Counting characters the way a reader sees them, in every script we subtitle.

Line lengths and reading speeds are counted in *user-perceived characters*: grapheme
clusters, not code points. The rule, written out so it needs no extra package:

* a combining mark (Unicode category M: Arabic harakat, Devanagari matras, nukta,
  accents, variation selectors) belongs to the character before it;
* a Devanagari-style conjunct is one cluster: a consonant after a virama (canonical
  combining class 9) joins the cluster before it, as Unicode 15.1's extended grapheme
  clusters do (``क्ष`` is one);
* ZWJ (U+200D) and ZWNJ (U+200C) shape their neighbours and are never counted; after a
  ZWJ the next character joins the cluster (emoji sequences, Indic half forms);
* bidi controls (LRM, RLM, ALM, embeddings, isolates) and other invisible format
  characters (category Cf: BOM, soft hyphen, ZWSP) are not counted; they stay inside
  the neighbouring cluster so splitting and joining loses nothing;
* a full-width Han character or punctuation counts 1, as in Netflix's 16-per-line
  Chinese limit, which is set in full-width characters.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

ZWJ = "\u200d"
ZWNJ = "\u200c"
RLM = "\u200f"
LRM = "\u200e"
# Category Cf covers these but they are listed for readers: the bidi marks, embeddings
# and isolates that RTL output adds and that must never change a count.
BIDI_CONTROLS = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
                          "\u2066\u2067\u2068\u2069")


def graphemes(text: str) -> list[str]:
    """``text`` split into clusters per the module rule. Invisible characters ride
    inside the cluster next to them, so ``"".join(graphemes(t)) == t``."""
    clusters: list[str] = []
    pending = ""  # invisible characters before the first visible one
    join_next = False
    for char in text:
        category = unicodedata.category(char)
        if char == ZWJ or category == "Cf" or char in BIDI_CONTROLS:
            join_next = join_next or (char == ZWJ and bool(clusters))
            if clusters:
                clusters[-1] += char
            else:
                pending += char
            continue
        after_virama = bool(clusters) and _ends_with_virama(clusters[-1])
        joins = category[0] == "M" or join_next or (after_virama and category == "Lo")
        if joins and clusters and char not in "\r\n":
            clusters[-1] += char
        else:
            clusters.append(pending + char)
            pending = ""
        join_next = False
    if pending:
        clusters.append(pending)  # only invisible characters: counted by count_chars as 0
    return clusters


def _ends_with_virama(cluster: str) -> bool:
    visible = [c for c in cluster if unicodedata.category(c) != "Cf"]
    return bool(visible) and unicodedata.combining(visible[-1]) == 9


@lru_cache(maxsize=65_536)
def count_chars(text: str) -> int:
    """How many characters a reader sees in ``text`` (see the module rule). Cached:
    segmentation counts the same words again and again while it tries line breaks."""
    if text.isascii() and text.isprintable():
        return len(text)  # no marks, joiners or controls: every code point is a cluster
    return sum(1 for g in graphemes(text) if not _invisible(g))


def _invisible(cluster: str) -> bool:
    return all(unicodedata.category(c) == "Cf" for c in cluster)


_MARKUP = re.compile(r"</?[a-zA-Z][^>]*>|\{\\[^}]*\}")


def strip_markup(text: str) -> str:
    """``text`` without formatting tags (``<i>``, ``</b>``, ASS ``{\\an8}``)."""
    return _MARKUP.sub("", text)


def line_chars(line: str) -> int:
    """A line's length as the limit counts it: visible characters, markup left out."""
    return count_chars(strip_markup(line).strip())


def reading_chars(lines: tuple[str, ...] | list[str]) -> int:
    """Characters counted for reading speed: all lines, spaces and punctuation included
    (as Netflix counts), line breaks and markup not."""
    return sum(line_chars(line) for line in lines)
