"""A worker killed with SIGKILL mid-job: the job is taken back after its lease, runs again
on another worker and is published exactly once, on each database and broker."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from dastan.jobs.testing import Node, WorkerProcess

STEPS = 6
FINISHED = ("succeeded", "failed", "cancelled")


@pytest.mark.parametrize("node_fixture", [
    pytest.param("sqlite_node", id="sqlite-db+sqlite-broker"),
    pytest.param("redis_node", id="postgres+redis", marks=pytest.mark.services),
    pytest.param("rabbitmq_node", id="postgres+rabbitmq", marks=pytest.mark.services),
])
def test_a_job_whose_worker_is_sigkilled_mid_job_finishes_once_on_the_next_worker(
    node_fixture: str, request: pytest.FixtureRequest, worker_pool: list[WorkerProcess], tmp_path: Path,
) -> None:
    node: Node = request.getfixturevalue(node_fixture)
    tag = uuid.uuid4().hex[:6]
    final_dir = tmp_path / "published"
    first = node.start_worker(f"first-{tag}", log_dir=tmp_path)
    worker_pool.append(first)
    [job_id] = node.submit(("test.publish_once", {"final_dir": str(final_dir), "steps": STEPS, "step_s": 0.4}))

    node.wait_for(job_id, lambda r: r["state"] == "running" and r["progress"] >= 25,
                  timeout_s=60, workers=[first])
    first.kill()
    assert not final_dir.exists(), "a killed attempt must leave nothing in the final place"

    second = node.start_worker(f"second-{tag}", log_dir=tmp_path)
    worker_pool.append(second)
    row = node.wait_for(job_id, lambda r: r["state"] in FINISHED, timeout_s=90, workers=[first, second])

    assert (row["state"], row["attempts"], row["worker"]) == ("succeeded", 2, second.name)
    assert sorted(p.name for p in final_dir.iterdir()) == [f"job-{job_id}.txt", "ledger.txt"]
    expected = "".join(f"step {i} of {STEPS}\n" for i in range(1, STEPS + 1))
    assert (final_dir / f"job-{job_id}.txt").read_text() == expected
    assert (final_dir / "ledger.txt").read_text().splitlines() == [
        f"job {job_id} attempt 2 worker {second.name}"]
    events = node.events(job_id)
    assert [e for e in events if e[0] == "published"] == [("published", 2, second.name)]
    assert ("stalled", 1, first.name) in events
    assert not list((node.home / "work").glob(f"job-{job_id}-*")), "attempt 1's staging folder is left behind"
