"""Jobs reach only workers that can do them, with real workers on the embedded broker."""

from __future__ import annotations

import time
import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from dastan.jobs.routing import queue_for, queues_for_worker
from dastan_testing.nodes import Node, WorkerProcess

FINISHED = ("succeeded", "failed", "cancelled")


def test_a_job_needing_two_capabilities_goes_to_a_queue_only_workers_with_both_listen_to() -> None:
    declared = [("asr", "gpu"), ("transcode",)]
    assert queue_for(["gpu", "asr"]) == "asr+gpu"
    assert queues_for_worker(["asr", "gpu", "tts"], declared=declared) == ["default", "asr", "gpu", "tts", "asr+gpu"]
    assert "asr+gpu" not in queues_for_worker(["asr", "tts"], declared=declared)
    assert queues_for_worker([]) == ["default"]


def test_submitting_a_combination_of_needs_no_handler_declares_is_refused_naming_the_fix() -> None:
    from dastan.errors import InvalidInput
    from dastan.jobs.services import submit_job

    with pytest.raises(InvalidInput, match="No worker takes jobs that need asr and transcode together") as caught:
        submit_job(kind="test.asr", needs=["asr", "transcode"])
    assert caught.value.field == "needs"
    assert "job_handler('test.asr', needs=('asr', 'transcode'))" in caught.value.hint


def test_a_transcode_worker_takes_transcode_jobs_and_leaves_asr_jobs_queued_for_an_asr_worker(
    sqlite_node: Node, worker_pool: list[WorkerProcess], tmp_path: Path,
) -> None:
    tag = uuid.uuid4().hex[:6]
    transcoder = sqlite_node.start_worker(f"transcoder-{tag}", can="transcode", log_dir=tmp_path)
    worker_pool.append(transcoder)
    transcode_id, asr_id = sqlite_node.submit(("test.transcode", {}), ("test.asr", {}))

    done = sqlite_node.wait_for(transcode_id, lambda r: r["state"] in FINISHED, timeout_s=60,
                                workers=[transcoder])
    assert (done["state"], done["worker"]) == ("succeeded", transcoder.name)
    time.sleep(2)  # the transcoder is idle and polling: it would have taken the asr job by now
    assert sqlite_node.job(asr_id)["state"] == "queued"

    recogniser = sqlite_node.start_worker(f"recogniser-{tag}", can="asr", log_dir=tmp_path)
    worker_pool.append(recogniser)
    done = sqlite_node.wait_for(asr_id, lambda r: r["state"] in FINISHED, timeout_s=60,
                                workers=[transcoder, recogniser])
    assert (done["state"], done["worker"]) == ("succeeded", recogniser.name)


def test_a_retry_after_a_failure_runs_on_the_other_worker_not_the_one_that_failed(
    sqlite_node: Node, worker_pool: list[WorkerProcess], tmp_path: Path,
) -> None:
    tag = uuid.uuid4().hex[:6]
    for name in ("left", "right"):
        worker_pool.append(sqlite_node.start_worker(f"{name}-{tag}", log_dir=tmp_path))
    time.sleep(3)  # both have registered and been seen by their sweepers
    [job_id] = sqlite_node.submit(("test.flaky", {}))

    row = sqlite_node.wait_for(job_id, lambda r: r["state"] in FINISHED, timeout_s=60, workers=worker_pool)
    events = sqlite_node.events(job_id)
    [first_failure] = [e for e in events if e[0] == "failed"]
    assert (row["state"], row["attempts"]) == ("succeeded", 2)
    assert row["worker"] != first_failure[2], events


def test_a_job_whose_broker_message_was_lost_is_sent_again_and_finished(
    sqlite_node: Node, worker_pool: list[WorkerProcess], tmp_path: Path,
) -> None:
    """The row is the truth: a broker that lost its messages (a restart without
    persistence) loses no job."""
    node = replace(sqlite_node, extra_env={"DASTAN_JOB_RESEND_S": "2"})
    [job_id] = node.submit(("test.transcode", {}))
    assert node.forget_broker_messages() >= 1
    worker = node.start_worker(f"sweeper-{uuid.uuid4().hex[:6]}", can="transcode", log_dir=tmp_path)
    worker_pool.append(worker)

    row = node.wait_for(job_id, lambda r: r["state"] in FINISHED, timeout_s=60, workers=[worker])
    assert (row["state"], row["attempts"], row["worker"]) == ("succeeded", 1, worker.name)
