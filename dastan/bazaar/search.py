"""Search across scripts for profiles and projects, with the catalogue's own
transliteration (:mod:`dastan.catalog.normalize`) and query plan
(:mod:`dastan.catalog.search.plan`): "Chengdu", "成都" and "Ченду" meet.

The three forms of each name and text are computed when a row is written
(:func:`index_for`), never while scanning; a query is planned once and its clauses are
tested against the stored forms. The market holds hundreds of rows, not millions, and
what a person may see is filtered by the database first.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dastan.catalog.normalize import search_terms
from dastan.catalog.search.plan import SearchPlan, plan_search


def index_for(texts: Iterable[str]) -> dict[str, list[str]]:
    words: set[str] = set()
    latin: set[str] = set()
    keys: set[str] = set()
    whole: set[str] = set()
    for text in texts:
        if not text:
            continue
        terms = search_terms(text)
        words.update(terms.words)
        latin.update(terms.latin)
        keys.update(terms.keys)
        if terms.whole:
            whole.add(terms.whole)
        # Each word's own run-together key too, so "chengdu" meets "cheng du" and 成都.
        whole.update(k for k in terms.keys if k)
    return {"words": sorted(words), "latin": sorted(latin), "keys": sorted(keys), "whole": sorted(whole)}


def score(plan: SearchPlan, index: dict[str, Any]) -> int:
    """The best clause's score when the row matches the plan, else 0."""
    best = 0
    for clause in plan.clauses:
        stored = index.get(clause.column, [])
        if all(any(word.startswith(prefix) for word in stored) for prefix in clause.prefixes):
            best = max(best, clause.score)
    return best


def plan(query: str) -> SearchPlan:
    return plan_search(query)
