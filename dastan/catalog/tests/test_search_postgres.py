"""The search tests again, on PostgreSQL: the same module in a child pytest whose default
database is a PostgreSQL one."""

from __future__ import annotations

from pathlib import Path

import pytest

from dastan_testing.shared import rerun_on_postgres


@pytest.mark.services
def test_cross_script_search_passes_on_postgresql() -> None:
    rerun_on_postgres(Path(__file__).with_name("test_search.py"), database="dastan_catalog_search")
