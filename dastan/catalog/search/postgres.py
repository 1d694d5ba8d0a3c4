"""Title search on PostgreSQL: a GIN index over each entry's prefixed lexemes.

``terms`` holds ``w:маула l:maula k:ml K:mljt …``; the index is on
``array_to_tsvector(string_to_array(terms, ' '))``, which takes the lexemes as they are,
so no text-search configuration or database locale decides how Urdu or Chinese is split
(our normaliser already did). A query is a ``tsquery`` of prefix lexemes
(``'w:маул':* & 'w:джат':*``), built as a literal, not parsed by ``to_tsquery``.
"""

from __future__ import annotations

from typing import Any

from django.db import connections

from dastan.catalog.models import SearchEntry
from dastan.catalog.search.base import Hit
from dastan.catalog.search.plan import SYNOPSIS_WEIGHT, Clause, SearchPlan

INDEX = "catalog_search_terms_gin"
VECTOR = "array_to_tsvector(string_to_array(terms, ' '))"
PREFIX = {"words": "w", "latin": "l", "keys": "k", "whole": "K"}


def _tsquery(clause: Clause) -> str:
    def lexeme(prefix: str) -> str:
        text = f"{PREFIX[clause.column]}:{prefix}".replace("\\", "\\\\").replace("'", "''")
        return f"'{text}':*"

    return " & ".join(lexeme(p) for p in clause.prefixes)


class PostgresTsvectorBackend:
    def __init__(self, alias: str = "default") -> None:
        self.alias = alias

    def create_index(self, schema_editor: Any) -> None:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON catalog_searchentry USING gin ({VECTOR})")

    def drop_index(self, schema_editor: Any) -> None:
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")

    def add(self, entries: list[SearchEntry]) -> None:
        """Nothing to do: the GIN index follows the table."""

    def remove(self, entry_ids: list[int]) -> None:
        """Nothing to do: the GIN index follows the table."""

    def match(self, plan: SearchPlan, *, limit: int) -> list[Hit]:
        if plan.is_empty():
            return []
        queries = [_tsquery(c) for c in plan.clauses]
        cases = " ".join(f"WHEN {VECTOR} @@ %s::tsquery THEN {c.score}" for c in plan.clauses)
        any_of = " || ".join(["%s::tsquery"] * len(queries))
        sql = (
            f"SELECT title_id, MAX((CASE {cases} ELSE 0 END) * "
            f"CASE field WHEN 'name' THEN 1.0 ELSE {SYNOPSIS_WEIGHT} END) AS best "
            f"FROM catalog_searchentry WHERE {VECTOR} @@ ({any_of}) "
            "GROUP BY title_id ORDER BY best DESC, title_id DESC LIMIT %s"
        )
        with connections[self.alias].cursor() as cursor:
            cursor.execute(sql, [*queries, *queries, limit])
            return [Hit(title_id=row[0], score=float(row[1])) for row in cursor.fetchall()]
