"""Search for titles across scripts, on the database's own full-text index.

``search_titles(query="Maula Jatt", language="ur")`` finds the title whether its name is
stored as "Maula Jatt", "مولا جٹ", "Маула Джатт" or "毛拉·贾特": see
:mod:`~dastan.catalog.search.plan` for how a query matches and
:mod:`~dastan.catalog.normalize` for the forms that make it work. Backends:
:mod:`~dastan.catalog.search.sqlite` (FTS5) and :mod:`~dastan.catalog.search.postgres`
(GIN over a tsvector).
"""

from dastan.catalog.search.base import Hit, backend_for
from dastan.catalog.search.index import index_title, rebuild_search_index
from dastan.catalog.search.plan import SearchPlan, plan_search

__all__ = ["Hit", "SearchPlan", "backend_for", "index_title", "plan_search", "rebuild_search_index"]
