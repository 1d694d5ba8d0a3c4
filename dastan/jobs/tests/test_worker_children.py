"""A worker's child processes end with its job: a worker killed (SIGKILL of the process
alone, as the OOM killer does) or stopped (SIGTERM) mid-encode leaves no ffmpeg running,
and a cancelled job's ffmpeg is stopped while the worker carries on. Real workers, real
ffmpeg, a film made with lavfi; the node runs with the settings' default lease, so the
requeue bound checked is the one a real node has."""

from __future__ import annotations

import signal
import subprocess
import time
import uuid
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from dastan.ffmpeg import base_args
from dastan_testing.nodes import Node, WorkerProcess, is_running

FILM_S = 12  # encoded at the speed it plays (-re): long enough to act mid-encode
FINISHED = ("succeeded", "failed", "cancelled")


@pytest.fixture(scope="module")
def film(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("film") / "film.mp4"
    subprocess.run([*base_args(), "-f", "lavfi", "-i", f"testsrc2=size=320x240:rate=25:duration={FILM_S}",
                    "-f", "lavfi", "-i", f"sine=frequency=440:duration={FILM_S}",
                    "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", str(out)],
                   check=True, capture_output=True, timeout=120)
    return out


@pytest.fixture
def real_node(sqlite_node: Node) -> Node:
    """The shared SQLite node, its workers on the default lease and heartbeat."""
    return replace(sqlite_node, lease_s=None)


def _encoding(node: Node, job_id: int, workers: dict[str, WorkerProcess]) -> tuple[WorkerProcess, int]:
    """Wait until a worker encodes the job; return that worker and its ffmpeg's pid."""
    deadline = time.monotonic() + 90
    while True:
        row = node.job(job_id)
        assert row["state"] not in FINISHED, f"the job ended before the test could act: {row}"
        if row["state"] == "running" and row["progress"] >= 10 and row["worker"] in workers:
            worker = workers[row["worker"]]
            ffmpegs = [pid for pid, cmd in worker.children().items() if "ffmpeg" in cmd]
            if ffmpegs:
                return worker, ffmpegs[0]
        assert time.monotonic() < deadline, f"no worker started encoding: {row}\n" + "\n".join(
            w.log()[-2000:] for w in workers.values())
        time.sleep(0.2)


def _gone(pid: int, *, timeout_s: float = 30) -> bool:
    deadline = time.monotonic() + timeout_s
    while is_running(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not is_running(pid)


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _start_two(node: Node, tmp_path: Path, pool: list[WorkerProcess]) -> dict[str, WorkerProcess]:
    tag = uuid.uuid4().hex[:6]
    workers = {w.name: w for w in (node.start_worker(f"{side}-{tag}", log_dir=tmp_path)
                                   for side in ("left", "right"))}
    pool.extend(workers.values())
    return workers


def test_a_worker_sigkilled_mid_encode_leaves_no_ffmpeg_and_its_job_is_requeued_within_30_s_and_done_once(
    real_node: Node, film: Path, worker_pool: list[WorkerProcess], tmp_path: Path,
) -> None:
    node, final_dir = real_node, tmp_path / "published"
    workers = _start_two(node, tmp_path, worker_pool)
    [job_id] = node.submit(("test.encode", {"source": str(film), "final_dir": str(final_dir),
                                            "duration_s": FILM_S}))
    killed, ffmpeg = _encoding(node, job_id, workers)

    killed.signal_process_only(signal.SIGKILL)
    killed.proc.wait(timeout=10)
    [(last_heartbeat,)] = node.query("SELECT heartbeat_at FROM jobs_job WHERE id = ?", (job_id,))

    assert _gone(ffmpeg), f"ffmpeg {ffmpeg} of the killed worker {killed.name} is still running"
    survivor = next(w for name, w in workers.items() if name != killed.name)
    row = node.wait_for(job_id, lambda r: r["state"] in FINISHED, timeout_s=180, workers=[survivor])

    assert (row["state"], row["attempts"], row["worker"]) == ("succeeded", 2, survivor.name)
    [(stalled_at,)] = node.query("SELECT at FROM jobs_jobevent WHERE job_id = ? AND kind = 'stalled'", (job_id,))
    requeued_after_s = (_at(stalled_at) - _at(last_heartbeat)).total_seconds()
    assert 0 < requeued_after_s <= 30, f"requeued {requeued_after_s:.1f} s after the last heartbeat"
    events = node.events(job_id)
    assert [e for e in events if e[0] in ("published", "succeeded")] == [
        ("published", 2, survivor.name), ("succeeded", 2, survivor.name)]
    assert (final_dir / "ledger.txt").read_text().splitlines() == [
        f"job {job_id} attempt 2 worker {survivor.name}"]
    print(f"figure: job #{job_id} requeued {requeued_after_s:.1f} s after its last heartbeat")


def test_a_worker_stopped_with_sigterm_mid_encode_stops_its_ffmpeg_and_gives_the_job_back_at_once(
    real_node: Node, film: Path, worker_pool: list[WorkerProcess], tmp_path: Path,
) -> None:
    node, final_dir = real_node, tmp_path / "published"
    workers = _start_two(node, tmp_path, worker_pool)
    [job_id] = node.submit(("test.encode", {"source": str(film), "final_dir": str(final_dir),
                                            "duration_s": FILM_S}))
    stopped, ffmpeg = _encoding(node, job_id, workers)

    stopped.signal_process_only(signal.SIGTERM)

    assert _gone(ffmpeg), f"ffmpeg {ffmpeg} of the stopping worker {stopped.name} is still running"
    assert stopped.proc.wait(timeout=60) is not None
    survivor = next(w for name, w in workers.items() if name != stopped.name)
    row = node.wait_for(job_id, lambda r: r["state"] in FINISHED, timeout_s=120, workers=[survivor])
    assert (row["state"], row["worker"]) == ("succeeded", survivor.name)
    assert row["attempts"] == 1, "a stopping worker's attempt does not count against the job"
    events = node.events(job_id)
    assert ("released", 1, stopped.name) in events
    assert "stalled" not in [e[0] for e in events], "the job came back without waiting for its lease"
    assert [e[0] for e in events].count("succeeded") == 1


def test_cancelling_a_running_job_stops_its_ffmpeg_publishes_nothing_and_the_worker_carries_on(
    real_node: Node, film: Path, worker_pool: list[WorkerProcess], tmp_path: Path,
) -> None:
    node, final_dir = real_node, tmp_path / "published"
    tag = uuid.uuid4().hex[:6]
    worker = node.start_worker(f"solo-{tag}", log_dir=tmp_path)
    worker_pool.append(worker)
    [job_id] = node.submit(("test.encode", {"source": str(film), "final_dir": str(final_dir),
                                            "duration_s": FILM_S}))
    _, ffmpeg = _encoding(node, job_id, {worker.name: worker})

    node.cancel(job_id)

    assert _gone(ffmpeg), f"ffmpeg {ffmpeg} of the cancelled job is still running"
    assert node.job(job_id)["state"] == "cancelled"
    assert not final_dir.exists(), "a cancelled encode must publish nothing"
    # The worker is free again: it takes the next job and finishes it.
    [next_id] = node.submit(("test.publish_once", {"final_dir": str(tmp_path / "next"), "steps": 1,
                                                   "step_s": 0.1}))
    row = node.wait_for(next_id, lambda r: r["state"] in FINISHED, timeout_s=60, workers=[worker])
    assert (row["state"], row["worker"]) == ("succeeded", worker.name)
    assert f"Job #{job_id} was cancelled." in worker.log()
    assert [e[0] for e in node.events(job_id)].count("succeeded") == 0
