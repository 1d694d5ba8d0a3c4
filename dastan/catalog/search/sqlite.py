"""Title search on SQLite: an FTS5 table beside ``catalog_searchentry``.

The FTS5 table stores its own copy of the four columns, with the entry's id as rowid;
:mod:`dastan.catalog.search.index` writes both in one transaction. The unicode61
tokenizer splits on spaces and punctuation in every script; Chinese arrives already
split per character (see :mod:`dastan.catalog.normalize`), so one character is a word.
"""

from __future__ import annotations

from typing import Any

from django.db import connections

from dastan.catalog.models import SearchEntry
from dastan.catalog.search.base import Hit
from dastan.catalog.search.plan import SYNOPSIS_WEIGHT, Clause, SearchPlan

TABLE = "catalog_search_fts"


def _fts_query(clause: Clause) -> str:
    # Normalised words hold letters, digits and marks only; quoting makes FTS5 read
    # words such as "and" or "near" as words, not operators.
    phrases = " AND ".join('"' + p.replace('"', '""') + '"*' for p in clause.prefixes)
    return f"{{{clause.column}}} : ({phrases})"


class SqliteFts5Backend:
    def __init__(self, alias: str = "default") -> None:
        self.alias = alias

    def create_index(self, schema_editor: Any) -> None:
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
            "words, latin, keys, whole, tokenize = 'unicode61 remove_diacritics 2')"
        )

    def drop_index(self, schema_editor: Any) -> None:
        schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")

    def add(self, entries: list[SearchEntry]) -> None:
        with connections[self.alias].cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TABLE} (rowid, words, latin, keys, whole) VALUES (%s, %s, %s, %s, %s)",
                [(e.pk, e.words, e.latin, e.keys, e.whole) for e in entries],
            )

    def remove(self, entry_ids: list[int]) -> None:
        if not entry_ids:
            return
        marks = ", ".join(["%s"] * len(entry_ids))
        with connections[self.alias].cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({marks})", entry_ids)

    def match(self, plan: SearchPlan, *, limit: int) -> list[Hit]:
        if plan.is_empty():
            return []
        selects = " UNION ALL ".join(
            f"SELECT rowid AS entry_id, {c.score} AS score FROM {TABLE} WHERE {TABLE} MATCH %s"
            for c in plan.clauses
        )
        sql = (
            f"SELECT e.title_id, MAX(m.score * CASE e.field WHEN 'name' THEN 1.0 ELSE {SYNOPSIS_WEIGHT} END) AS best "
            f"FROM ({selects}) m JOIN catalog_searchentry e ON e.id = m.entry_id "
            "GROUP BY e.title_id ORDER BY best DESC, e.title_id DESC LIMIT %s"
        )
        with connections[self.alias].cursor() as cursor:
            cursor.execute(sql, [_fts_query(c) for c in plan.clauses] + [limit])
            return [Hit(title_id=row[0], score=float(row[1])) for row in cursor.fetchall()]
