"""Spelling per language with the Hunspell dictionaries Debian ships, read by spylls
(a pure-Python Hunspell).

Debian 12 packages dictionaries for en (hunspell-en-us), ru (hunspell-ru), be
(hunspell-be), kk (hunspell-kk), uz (hunspell-uz, Latin script), hi (hunspell-hi) and fa
(myspell-fa). It has none for ur, ky, tg or zh: for those the editor says so instead of
pretending every word is right.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from spylls.hunspell import Dictionary

from dastan.catalog.languages import normalize_code

DICTIONARY_DIRS = (Path("/usr/share/hunspell"), Path("/usr/share/myspell"))
# Our language code → the dictionary's file name, and the Debian package that ships it.
DICTIONARIES: dict[str, tuple[str, str]] = {
    "en": ("en_US", "hunspell-en-us"), "ru": ("ru_RU", "hunspell-ru"), "be": ("be_BY", "hunspell-be"),
    "kk": ("kk_KZ", "hunspell-kk"), "uz": ("uz_UZ", "hunspell-uz"), "hi": ("hi_IN", "hunspell-hi"),
    "fa": ("fa_IR", "myspell-fa"),
}
NO_DICTIONARY = ("ur", "ky", "tg", "zh-hans")
WORD = re.compile(r"[^\W\d_]+(?:[’'-][^\W\d_]+)*", re.UNICODE)
SUGGEST_FOR = 10  # misspellings per request that get suggestions
_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class Misspelling:
    word: str
    start: int  # character offsets in the text
    end: int
    suggestions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SpellingResult:
    language: str
    available: bool
    reason: str  # why there is no check, in plain words
    misspellings: tuple[Misspelling, ...]


def dictionary_path(language: str) -> Path | None:
    name = DICTIONARIES.get(normalize_code(language), ("", ""))[0]
    for folder in DICTIONARY_DIRS:
        if name and (folder / f"{name}.aff").exists() and (folder / f"{name}.dic").exists():
            return folder / name
    return None


@lru_cache(maxsize=16)
def _dictionary(path: str) -> Any:
    return Dictionary.from_files(path)  # 0.1–4 s to read; kept for the process's life


@lru_cache(maxsize=4096)
def _suggest(path: str, word: str, most: int = 5) -> tuple[str, ...]:
    # Hunspell's suggestion search takes a second or two per word in pure Python; a
    # translator meets the same misspelling many times, so each is searched once.
    offered: list[str] = []
    for suggestion in _dictionary(path).suggest(word):
        offered.append(suggestion)
        if len(offered) >= most:
            break
    return tuple(offered)


def check_spelling(*, language: str, text: str, suggestions: int = 3) -> SpellingResult:
    """The words of ``text`` the language's dictionary does not know, with up to
    ``suggestions`` corrections each."""
    code = normalize_code(language)
    path = dictionary_path(code)
    if path is None:
        package = DICTIONARIES.get(code, ("", ""))[1]
        reason = (f"The {package} dictionary is not installed on this node (apt-get install {package})."
                  if package else f"Debian ships no spelling dictionary for {code}; spelling is not checked.")
        return SpellingResult(code, False, reason, ())
    with _lock:  # spylls' caches are not thread-safe
        dictionary = _dictionary(str(path))
        found: list[Misspelling] = []
        for match in WORD.finditer(text):
            word = match.group()
            if dictionary.lookup(word):
                continue
            # Suggestions cost a second or two per new word: a pasted page gets them for its first few.
            offered = _suggest(str(path), word)[:suggestions] if len(found) < SUGGEST_FOR else ()
            found.append(Misspelling(word, match.start(), match.end(), offered))
    return SpellingResult(code, True, "", tuple(found))
