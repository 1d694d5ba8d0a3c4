"""Glossaries: source terms that must come out as one chosen target term.

A glossary maps a source term to the target term an organisation chose for it: a
translation ("Silk Road" → "Шёлковый путь"), a transliteration ("Samarkand" →
"Самарканд") or the name kept as it is ("Dastan" → "Dastan"). Source terms match as
whole words, case-insensitively; target terms match at a word start, so inflected forms
("в Самарканде") count as present.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache


def find_missing_terms(*, source_text: str, target_text: str,
                       glossary: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """(source term, target term) pairs whose source term is in ``source_text`` and whose
    target term is not in ``target_text``."""
    return tuple((src, dst) for src, dst in glossary.items()
                 if _source_pattern(src).search(source_text)
                 and not _target_pattern(dst).search(target_text))


def enforce_glossary(*, source_text: str, target_text: str,
                     glossary: Mapping[str, str]) -> str:
    """``target_text`` with glossary terms forced where a translation left the source
    term untranslated (machine translation copies unknown names as they are). Terms the
    translation rendered some other way are left for a reviewer: QC's
    ``glossary_term_missing`` names them."""
    out = target_text
    for src, dst in find_missing_terms(source_text=source_text, target_text=target_text,
                                       glossary=glossary):
        out = _source_pattern(src).sub(dst.replace("\\", "\\\\"), out)
    return out


@lru_cache(maxsize=1024)
def _source_pattern(term: str) -> re.Pattern[str]:
    edge = "" if _unspaced(term) else r"(?!\w)"
    return re.compile(_start(term) + re.escape(term.strip()) + edge, re.IGNORECASE)


@lru_cache(maxsize=1024)
def _target_pattern(term: str) -> re.Pattern[str]:
    return re.compile(_start(term) + re.escape(term.strip()), re.IGNORECASE)


def _start(term: str) -> str:
    return "" if _unspaced(term) else r"(?<!\w)"


def _unspaced(term: str) -> bool:
    """Han text has no spaces, so a term there has no word edges to look for."""
    return any("\u3400" <= c <= "\u9fff" for c in term)
