"""How a name is turned into search terms that meet across scripts.

Three forms of every name are indexed, and a query is turned into the same three:

``words``
    The name in its own script, case-folded, with Arabic-script letter variants made one
    (Arabic ``ي``/``ك`` and Persian ``ی``/``ک``), short-vowel marks and tatweel removed,
    and each Han/kana/Hangul character made a word of its own, because Chinese is
    written without spaces and the full-text tokenizers split on spaces.
``latin``
    The name transliterated to ASCII by Unidecode (``Маула Джатт`` → ``maula dzhatt``,
    ``مولا جٹ`` → ``mwl jtt``, ``毛拉·贾特`` → ``mao la jia te``).
``keys``
    A consonant skeleton of each transliterated word, so spellings that differ only in
    vowels and digraphs meet: Arabic script mostly omits short vowels and writes long ones
    as ``w``/``y``; Cyrillic ``дж`` comes out as ``dzh`` where English writes ``j``. Vowels,
    ``h``, ``y`` and non-initial ``w`` are dropped, digraphs folded, doubles collapsed:
    ``Maula Jatt``, ``Маула Джатт`` and ``مولا جٹ`` all give ``ml jt``. ``whole`` is the
    keys run together (``mljt``), which also meets Chinese, where Unidecode gives one word
    per syllable (``mao la jia te`` → ``mljt``).

All of this is computed when a text is indexed and when a query arrives, never while
scanning rows: the database's full-text index does the matching.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from unidecode import unidecode

# Arabic-script letters that Urdu, Persian and Arabic write with different code points.
_ARABIC_VARIANTS = str.maketrans({
    "ي": "ی", "ى": "ی", "ې": "ی", "ے": "ی", "ۓ": "ی",
    "ك": "ک", "ە": "ہ", "ه": "ہ", "ۀ": "ہ", "ة": "ہ", "ۃ": "ہ",
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ی",
    "\u200c": "", "\u200d": "", "\u0640": "",  # zero-width (non-)joiners, tatweel
})
# Letters Unidecode reads differently from how their language says them (Tajik ҷ is "j").
_BEFORE_UNIDECODE = str.maketrans({"ҷ": "j", "Ҷ": "J", "ӯ": "u", "Ӯ": "U", "ә": "a", "Ә": "A",
                                   "ҳ": "h", "Ҳ": "H"})
# Short-vowel marks and other Arabic diacritics (harakat, superscript alef).
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
# Han ideographs, kana and Hangul: each character is a word for the tokenizer.
_CJK = re.compile("([\u2e80-\u2fdf\u3040-\u30ff\u3100-\u31bf\u3400-\u4dbf\u4e00-\u9fff"
                  "\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f])")
_NOT_ASCII_WORD = re.compile(r"[^a-z0-9]+")

# Folded in this order, longest first, so "dzh" is not read as "d" + "zh".
_DIGRAPHS = (
    ("shch", "s"), ("dzh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "h"), ("gh", "g"),
    ("ch", "c"), ("sh", "s"), ("ph", "f"), ("th", "t"), ("ts", "c"), ("ck", "k"),
    ("q", "k"), ("x", "ks"), ("v", "w"),
)
_DROPPED = set("aeiouyh")


@dataclass(frozen=True, slots=True)
class SearchTerms:
    """The three forms of one text, each a list of words."""

    words: tuple[str, ...]
    latin: tuple[str, ...]
    keys: tuple[str, ...]
    whole: str

    def is_empty(self) -> bool:
        return not (self.words or self.latin)


def script_words(text: str) -> tuple[str, ...]:
    """The text's words in their own script, folded for matching."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _ARABIC_MARKS.sub("", text.translate(_ARABIC_VARIANTS))
    text = _CJK.sub(r" \1 ", text)
    # Letters, digits and marks make words: Devanagari vowel signs are marks, not letters.
    kept = "".join(c if unicodedata.category(c)[0] in "LNM" else " " for c in text)
    return tuple(kept.split())


def latin_words(text: str) -> tuple[str, ...]:
    """The text transliterated to lower-case ASCII words."""
    text = unicodedata.normalize("NFKC", text).translate(_BEFORE_UNIDECODE)
    ascii_text = unidecode(text).lower().replace("'", "")
    return tuple(w for w in _NOT_ASCII_WORD.sub(" ", ascii_text).split() if w)


def consonant_key(latin_word: str) -> str:
    """The consonant skeleton of one transliterated word (see the module's docstring)."""
    word = latin_word
    for digraph, replacement in _DIGRAPHS:
        word = word.replace(digraph, replacement)
    kept: list[str] = []
    for index, char in enumerate(word):
        if char in _DROPPED or (char == "w" and index > 0):
            continue
        if kept and kept[-1] == char:
            continue
        kept.append(char)
    return "".join(kept)


def search_terms(text: str) -> SearchTerms:
    """All three forms of ``text``, as indexed and as queried."""
    latin = latin_words(text)
    keys = tuple(consonant_key(w) for w in latin)
    return SearchTerms(
        words=script_words(text),
        latin=latin,
        keys=tuple(k for k in keys if k),
        whole="".join(keys),
    )
