"""Turning uploaded bytes into text: UTF-8 first, then the legacy code page the expected
language was typed in on Windows.

Legacy single-byte files decode without error in *any* single-byte code page, so the
bytes alone cannot tell Windows-1256 Urdu from Windows-1251 Russian. The expected
language gives the candidates, most specific first (below), and a decoding is accepted
only when at least 60% of its letters are in the language's script. Without a language,
charset-normalizer guesses, and for single-byte files it guesses wrong often enough
(Windows-1256 Persian came out as Mac Cyrillic in our tests) that callers should always
pass the language the track is meant to be in.

Windows-1256 has no Persian yeh (ی) or keheh (ک): Urdu and Persian files saved in it
carry the Arabic letters ي and ك instead, which look the same joined but break search
and glossary matching, so they are turned into the Urdu/Persian letters on decoding.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from dastan.catalog.languages import get_language
from dastan.i18n import gettext
from dastan.localization.errors import SubtitleFileInvalid
from dastan.localization.subtitles.scripts import script_share

# Code pages that subtitle files in each language were saved in, most common first.
# Kazakh and Tajik letters (қ, ң, ҷ, ӯ ...) are missing from Windows-1251: their own
# code pages come first.
LEGACY_ENCODINGS: dict[str, tuple[str, ...]] = {
    "en": ("cp1252", "latin_1"),
    "uz": ("cp1252", "cp1254", "cp1251"),
    "ru": ("cp1251", "koi8_r", "cp866"),
    "be": ("cp1251", "koi8_u"),
    "ky": ("cp1251",),
    "kk": ("kz1048", "cp1251"),
    "tg": ("koi8_t", "cp1251"),
    "zh-Hans": ("gb18030", "big5"),
    "hi": (),  # Hindi subtitles predate no common code page: UTF-8 or UTF-16 only
    "ur": ("cp1256",),
    "fa": ("cp1256",),
}
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def decode_text(*, data: bytes, language: str | None = None,
                what: str = "subtitle file") -> tuple[str, str]:
    """``(text, encoding)`` for ``data``.

    Tries a byte-order mark, then strict UTF-8, then the legacy code pages of
    ``language`` (all code pages when it is None). Raises :class:`SubtitleFileInvalid`
    when nothing reads as the expected language, naming the code pages tried.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding, what), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if language is None:
        best = from_bytes(data).best()
        if best is None:
            raise SubtitleFileInvalid(gettext("The script is not text in any encoding we know.") if what == "script"
                                      else gettext("The subtitle file is not text in any encoding we know."),
                                      gettext("Save it as UTF-8 text and upload it again."))
        return str(best), best.encoding
    lang = get_language(language)
    candidates = LEGACY_ENCODINGS[lang.code]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if script_share(text, lang.script) >= 0.6 and not _has_controls(text):
            if encoding == "cp1256" and lang.code in ("ur", "fa"):
                text = text.translate(_ARABIC_TO_PERSIAN)
            return text, encoding
    tried = ", ".join(("UTF-8", *candidates))
    raise SubtitleFileInvalid(
        (gettext("The script does not read as %(language)s text in %(encodings)s.") if what == "script"
         else gettext("The subtitle file does not read as %(language)s text in %(encodings)s."))
        % {"language": lang.code, "encodings": tried},
        gettext("Open it in a text editor, check the language, and save it as UTF-8."))


_ARABIC_TO_PERSIAN = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc",
                                    "\u0643": "\u06a9"})


def _has_controls(text: str) -> bool:
    """C1 control characters: bytes that the code page maps to nothing readable."""
    return any("\x80" <= c <= "\x9f" for c in text)


def _strict(data: bytes, encoding: str, what: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1 if "8" in encoding else 0
        values = {"encoding": encoding, "line": line}
        if what == "script":
            message = (gettext("The script starts with a %(encoding)s mark but has bytes that are not "
                               "%(encoding)s at line %(line)s.") if line else
                       gettext("The script starts with a %(encoding)s mark but has bytes that are not %(encoding)s."))
        else:
            message = (gettext("The subtitle file starts with a %(encoding)s mark but has bytes that are not "
                               "%(encoding)s at line %(line)s.") if line else
                       gettext("The subtitle file starts with a %(encoding)s mark but has bytes that are not "
                               "%(encoding)s."))
        raise SubtitleFileInvalid(message % values, gettext("Save it again as UTF-8.")) from exc
