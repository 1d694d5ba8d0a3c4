"""What a search backend implements, and which one a database connection uses.

A backend keeps the database's own full-text index over
:class:`~dastan.catalog.models.SearchEntry` rows and answers a
:class:`~dastan.catalog.search.plan.SearchPlan` with scored title ids. To add one for
another database: write a module with a class implementing :class:`SearchBackend`, and
add its vendor to :data:`BACKENDS`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import connections
from django.utils.translation import gettext

from dastan.catalog.models import SearchEntry
from dastan.catalog.search.plan import SearchPlan
from dastan.errors import ConfigurationError

BACKENDS = {
    "sqlite": "dastan.catalog.search.sqlite.SqliteFts5Backend",
    "postgresql": "dastan.catalog.search.postgres.PostgresTsvectorBackend",
}


@dataclass(frozen=True, slots=True)
class Hit:
    title_id: int
    score: float


class SearchBackend(Protocol):
    def create_index(self, schema_editor: Any) -> None:
        """Create the index structures (run by the catalog's migration)."""

    def drop_index(self, schema_editor: Any) -> None:
        """Remove what create_index made."""

    def add(self, entries: list[SearchEntry]) -> None:
        """Index entries just written (their ids are set)."""

    def remove(self, entry_ids: list[int]) -> None:
        """Forget entries about to be deleted."""

    def match(self, plan: SearchPlan, *, limit: int) -> list[Hit]:
        """Title ids matching the plan, best first, at most ``limit``."""


def backend_for(alias: str = "default") -> SearchBackend:
    vendor = connections[alias].vendor
    path = BACKENDS.get(vendor)
    if path is None:
        raise ConfigurationError(
            gettext("Title search has no backend for the '%(vendor)s' database.") % {"vendor": vendor},
            gettext("Use SQLite or PostgreSQL in DASTAN_DATABASE_URL, or add a backend to "
                    "dastan.catalog.search.base.BACKENDS."),
        )
    module_name, class_name = path.rsplit(".", 1)
    backend: SearchBackend = getattr(importlib.import_module(module_name), class_name)(alias)
    return backend
