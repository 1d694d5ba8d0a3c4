"""The claim tests again on PostgreSQL, where schedule calls really run in parallel: the
same module in a child pytest whose default database is a PostgreSQL one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dastan_testing.shared import rerun_on_postgres


@pytest.mark.services
def test_schedule_calls_on_postgresql_skip_each_others_claims() -> None:
    output = rerun_on_postgres(
        Path(__file__).with_name("claims_on_postgres.py"), database="dastan_jobs_claims"
    )
    assert "1 passed" in output


@pytest.mark.services
def test_schedule_calls_on_postgresql_cost_the_same_queries_whatever_the_queue() -> None:
    """The one-statement claim (FOR UPDATE SKIP LOCKED) and renewal are PostgreSQL's own SQL."""
    output = rerun_on_postgres(
        Path(__file__).with_name("test_remote_schedule_cost.py"), database="dastan_jobs_cost"
    )
    assert "3 passed" in output


@pytest.mark.services
def test_pools_fair_share_and_fencing_hold_on_postgresql() -> None:
    """The candidate slices per organisation use PostgreSQL's JSON operators (needs, the
    block list): the scheduling tests again there, the long queue that must not starve
    another organisation's jobs included."""
    output = rerun_on_postgres(Path(__file__).with_name("test_remote_scheduling.py"),
                               database="dastan_jobs_scheduling")
    # Every test of the module ran and passed there (rerun_on_postgres fails on a failure or skip).
    assert re.search(r"\b\d+ passed", output) and " deselected" not in output
