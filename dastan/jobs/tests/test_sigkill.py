"""Workers lost mid-job: one killed with SIGKILL (on each database and broker) and one
frozen with SIGSTOP then woken. The job is taken back after its lease, runs again on
the other worker and is published exactly once."""

from __future__ import annotations

import os
import signal
import time
import uuid
from pathlib import Path

import pytest

from dastan_testing.nodes import Node, WorkerProcess

STEPS = 8
FINISHED = ("succeeded", "failed", "cancelled")


@pytest.mark.parametrize("node_fixture", [
    pytest.param("sqlite_node", id="sqlite-db+sqlite-broker"),
    pytest.param("redis_node", id="postgres+redis", marks=pytest.mark.services),
    pytest.param("rabbitmq_node", id="postgres+rabbitmq", marks=pytest.mark.services),
])
def test_a_job_whose_worker_is_sigkilled_mid_job_finishes_once_on_the_other_worker(
    node_fixture: str, request: pytest.FixtureRequest, worker_pool: list[WorkerProcess], tmp_path: Path,
) -> None:
    node: Node = request.getfixturevalue(node_fixture)
    tag = uuid.uuid4().hex[:6]
    final_dir = tmp_path / "published"
    # Both workers start together (they take seconds to boot); whichever takes the job
    # is killed, and the other must finish it.
    workers = {w.name: w for w in (node.start_worker(f"{side}-{tag}", log_dir=tmp_path)
                                   for side in ("left", "right"))}
    worker_pool.extend(workers.values())
    [job_id] = node.submit(("test.publish_once", {"final_dir": str(final_dir), "steps": STEPS, "step_s": 0.3}))

    row = node.wait_for(job_id, lambda r: r["state"] in FINISHED or r["progress"] >= 20,
                        timeout_s=60, workers=worker_pool)
    killed = workers.pop(row["worker"])
    killed.kill()
    [survivor] = workers.values()
    assert row["state"] == "running", f"the job ended before its worker could be killed: {row}"
    assert not final_dir.exists(), "a killed attempt must leave nothing in the final place"

    row = node.wait_for(job_id, lambda r: r["state"] in FINISHED, timeout_s=90, workers=[survivor])

    assert (row["state"], row["attempts"], row["worker"]) == ("succeeded", 2, survivor.name)
    assert sorted(p.name for p in final_dir.iterdir()) == [f"job-{job_id}.txt", "ledger.txt"]
    expected = "".join(f"step {i} of {STEPS}\n" for i in range(1, STEPS + 1))
    assert (final_dir / f"job-{job_id}.txt").read_text() == expected
    assert (final_dir / "ledger.txt").read_text().splitlines() == [
        f"job {job_id} attempt 2 worker {survivor.name}"]
    events = node.events(job_id)
    assert [e for e in events if e[0] == "published"] == [("published", 2, survivor.name)]
    assert ("stalled", 1, killed.name) in events
    assert not list((node.home / "work").glob(f"job-{job_id}-*")), "attempt 1's staging folder is left behind"


def test_a_frozen_worker_that_wakes_after_its_job_was_taken_over_publishes_nothing(
    sqlite_node: Node, worker_pool: list[WorkerProcess], tmp_path: Path,
) -> None:
    """OpenCue #2438's case: the old holder is not dead, only silent (SIGSTOP: swapped
    out, a paused VM). When it wakes, its attempt must find its lease gone."""
    node, tag = sqlite_node, uuid.uuid4().hex[:6]
    final_dir = tmp_path / "published"
    workers = {w.name: w for w in (node.start_worker(f"{side}-{tag}", log_dir=tmp_path)
                                   for side in ("left", "right"))}
    worker_pool.extend(workers.values())
    [job_id] = node.submit(("test.publish_once", {"final_dir": str(final_dir), "steps": STEPS, "step_s": 0.3}))
    row = node.wait_for(job_id, lambda r: r["state"] in FINISHED or r["progress"] >= 20,
                        timeout_s=60, workers=worker_pool)
    frozen = workers.pop(row["worker"])
    os.killpg(frozen.proc.pid, signal.SIGSTOP)
    [survivor] = workers.values()
    try:
        node.wait_for(job_id, lambda r: r["attempts"] == 2 or r["state"] in FINISHED, timeout_s=60,
                      workers=[survivor])
    finally:
        os.killpg(frozen.proc.pid, signal.SIGCONT)

    row = node.wait_for(job_id, lambda r: r["state"] in FINISHED, timeout_s=60, workers=[survivor])
    assert (row["state"], row["attempts"], row["worker"]) == ("succeeded", 2, survivor.name)
    refused = f"Job #{job_id} attempt 1 on {frozen.name} lost its lease"
    deadline = time.monotonic() + 30
    while refused not in frozen.log():
        assert time.monotonic() < deadline, f"the woken attempt was not refused:\n{frozen.log()[-3000:]}"
        time.sleep(0.2)
    assert (final_dir / "ledger.txt").read_text().splitlines() == [
        f"job {job_id} attempt 2 worker {survivor.name}"]
    assert [e for e in node.events(job_id) if e[0] in ("published", "succeeded")] == [
        ("published", 2, survivor.name), ("succeeded", 2, survivor.name)]
    assert frozen.proc.poll() is None, "the woken worker carries on taking jobs"
