"""A query turned into the clauses every search backend runs.

A title matches when any clause matches one of its indexed texts; each clause has a
score, and a title's best score orders the results:

====  ===========================================================  =====
form  matches when                                                  score
====  ===========================================================  =====
words every query word begins a word of the text in its own script    4
latin every transliterated query word begins a transliterated word    3
keys  every consonant key (two letters or more) begins a word's key   2
whole the run-together key (three letters or more) begins the text's  1
====  ===========================================================  =====

Matches in a synopsis count a quarter of a match in a name.
"""

from __future__ import annotations

from dataclasses import dataclass

from dastan.catalog.normalize import search_terms

SYNOPSIS_WEIGHT = 0.25
# Keys shorter than this match too much ("t" begins half the catalog): left out.
MIN_KEY_LETTERS = 2
MIN_WHOLE_LETTERS = 3
# A name is a few words; a pasted paragraph should not become a query of hundreds of terms.
MAX_QUERY_WORDS = 8


@dataclass(frozen=True, slots=True)
class Clause:
    column: str  # "words", "latin", "keys" or "whole"
    prefixes: tuple[str, ...]  # all must begin a word of the column
    score: int


@dataclass(frozen=True, slots=True)
class SearchPlan:
    query: str
    clauses: tuple[Clause, ...]

    def is_empty(self) -> bool:
        return not self.clauses


def plan_search(query: str) -> SearchPlan:
    """The clauses for ``query``; empty when the query has no letters or digits."""
    terms = search_terms(query[:500])
    clauses: list[Clause] = []
    if terms.words:
        clauses.append(Clause("words", terms.words[:MAX_QUERY_WORDS], 4))
    if terms.latin:
        clauses.append(Clause("latin", terms.latin[:MAX_QUERY_WORDS], 3))
    keys = tuple(k for k in terms.keys if len(k) >= MIN_KEY_LETTERS)[:MAX_QUERY_WORDS]
    if keys:
        clauses.append(Clause("keys", keys, 2))
    if len(terms.whole) >= MIN_WHOLE_LETTERS:
        clauses.append(Clause("whole", (terms.whole,), 1))
    return SearchPlan(query=query, clauses=tuple(clauses))
