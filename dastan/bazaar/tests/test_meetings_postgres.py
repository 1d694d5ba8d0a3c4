"""The meeting tests again on PostgreSQL, where bookings really run in parallel (SQLite
takes one writer at a time): the same module in a child pytest whose default database is
a PostgreSQL one."""

from __future__ import annotations

from pathlib import Path

import pytest

from dastan_testing.shared import rerun_on_postgres


@pytest.mark.services
def test_ten_concurrent_bookings_on_postgresql_exactly_one_wins() -> None:
    output = rerun_on_postgres(Path(__file__).with_name("test_meetings.py"), database="dastan_bazaar_meetings")
    assert "4 passed" in output
