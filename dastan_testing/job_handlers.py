"""Job handlers for the test suite, loaded only where ``DASTAN_JOB_MODULES`` names this
module (the test settings and the workers that tests start). They do what a real stage
does, in miniature: work in steps with progress, write beside the final place, publish."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path
from typing import Any

from dastan.ffmpeg import base_args, run_with_progress
from dastan.jobs.context import JobContext
from dastan.jobs.errors import RetryableJobError
from dastan.jobs.models import JobEvent
from dastan.jobs.registry import job_handler
from dastan.jobs.remote.ledger import Credit, register_credit, resolution_weight
from dastan.jobs.remote.verification import bytes_equal, register_verifier


def _publish_with_ledger(ctx: JobContext, *, staged: Path, final: Path) -> None:
    """Move ``staged`` in as ``final`` under the lease, with a ledger line and a
    'published' event per landing, so a test can count how often a job landed."""

    def move_in() -> None:
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, final)
        with (final.parent / "ledger.txt").open("a") as ledger:
            ledger.write(f"job {ctx.job_id} attempt {ctx.attempt} worker {ctx.worker}\n")
        JobEvent.objects.create(job_id=ctx.job_id, kind="published", attempt=ctx.attempt,
                                worker=ctx.worker, message=str(final))

    ctx.publish(move_in)


@job_handler("test.publish_once", max_attempts=3)
def publish_once(ctx: JobContext) -> dict[str, Any]:
    """Write ``steps`` lines into staging, ``step_s`` apart, then move the file into
    ``final_dir`` and append one line to its ledger: a double run shows as two lines."""
    steps, step_s = int(ctx.params.get("steps", 6)), float(ctx.params.get("step_s", 0.5))
    final_dir = Path(ctx.params["final_dir"])
    staged = ctx.staging_dir() / "out.txt"
    with staged.open("w") as out:
        for step in range(1, steps + 1):
            time.sleep(step_s)
            out.write(f"step {step} of {steps}\n")
            out.flush()
            ctx.progress(100 * step / (steps + 1), f"step {step} of {steps}")
    final = final_dir / f"job-{ctx.job_id}.txt"
    _publish_with_ledger(ctx, staged=staged, final=final)
    return {"path": str(final), "attempt": ctx.attempt}


@job_handler("test.encode")
def encode(ctx: JobContext) -> dict[str, Any]:
    """Encode ``source`` with real ffmpeg at the speed it plays (``-re``), so that a test
    can act mid-encode, then publish it into ``final_dir`` with a ledger line."""
    source, final_dir = Path(ctx.params["source"]), Path(ctx.params["final_dir"])
    duration_s = float(ctx.params["duration_s"])
    staged = ctx.staging_dir() / "out.mp4"
    exe, *rest = base_args()
    run_with_progress([exe, "-re", *rest, "-i", str(source), "-c:v", "libx264", "-preset", "ultrafast",
                       "-c:a", "aac", str(staged)],
                      what="encode the test film", duration_s=duration_s,
                      on_progress=lambda frac, msg: ctx.progress(frac * 95, msg))
    final = final_dir / f"job-{ctx.job_id}.mp4"
    _publish_with_ledger(ctx, staged=staged, final=final)
    return {"path": str(final)}


@job_handler("test.transcode", needs=("transcode",))
def transcode(ctx: JobContext) -> dict[str, Any]:
    ctx.progress(50, "transcoding")
    return {"worker": ctx.worker}


@job_handler("test.asr", needs=("asr",))
def asr(ctx: JobContext) -> dict[str, Any]:
    ctx.progress(50, "recognising speech")
    return {"worker": ctx.worker}


@job_handler("test.flaky", max_attempts=3)
def flaky(ctx: JobContext) -> dict[str, Any]:
    """Fails its first attempt the way a worker short of disk would."""
    if ctx.attempt == 1:
        raise RetryableJobError(f"{ctx.worker} ran out of scratch space.", "Free disk on that worker.")
    return {"worker": ctx.worker}


# --- a handler remote workers run (dastan.jobs.remote) --------------------------------------------

def _publish_digest(ctx: JobContext, outputs: dict[str, Path], result: dict[str, Any]) -> dict[str, Any]:
    """The node's side of test.remote_digest: copy the output beside its place, then move
    it in under the lease, with a ledger line."""
    final = Path(ctx.params["final_dir"]) / f"job-{ctx.job_id}.txt"
    final.parent.mkdir(parents=True, exist_ok=True)
    staged = final.with_name(f".{final.name}.{ctx.token.hex[:8]}")
    shutil.copyfile(outputs["digest"], staged)

    def move_in() -> None:
        os.replace(staged, final)
        with (final.parent / "ledger.txt").open("a") as ledger_file:
            ledger_file.write(f"job {ctx.job_id} attempt {ctx.attempt} worker {ctx.worker}\n")
        JobEvent.objects.create(job_id=ctx.job_id, kind="published", attempt=ctx.attempt, worker=ctx.worker,
                                message=str(final))

    ctx.publish(move_in)
    return {**result, "path": str(final)}


@job_handler("test.remote_digest", needs=("transcode",), remote=True, publish=_publish_digest,
             inputs=("source",))
def remote_digest(ctx: JobContext) -> dict[str, Any]:
    """Deterministic work on an input file: one sha256 line per step, ``step_s`` apart, and
    optionally ``ffmpeg_s`` seconds of a real-time ffmpeg encode first (a child process to
    kill). A worker named in ``corrupt_on`` writes a wrong last line: the bad partner
    machine that verification must catch."""
    data = ctx.input_path("source").read_bytes()
    ffmpeg_s = float(ctx.params.get("ffmpeg_s", 0))
    if ffmpeg_s:
        exe, *rest = base_args()
        run_with_progress([exe, "-re", *rest, "-f", "lavfi", "-i",
                           f"testsrc=size=160x90:rate=10:duration={ffmpeg_s}", "-c:v", "libx264",
                           "-preset", "ultrafast", str(ctx.staging_dir() / "warmup.mp4")],
                          what="encode the warm-up clip", duration_s=ffmpeg_s,
                          on_progress=lambda frac, msg: ctx.progress(frac * 50, msg))
    steps, step_s = int(ctx.params.get("steps", 4)), float(ctx.params.get("step_s", 0.2))
    lines = []
    for step in range(1, steps + 1):
        time.sleep(step_s)
        lines.append(hashlib.sha256(data + str(step).encode()).hexdigest())
        ctx.progress(50 + 50 * step / (steps + 1), f"step {step} of {steps}")
    if ctx.worker == ctx.params.get("corrupt_on"):
        lines[-1] = "0" * 64
    out = ctx.staging_dir() / "digest.txt"
    out.write_text("\n".join(lines) + "\n")
    ctx.add_output("digest", out)
    return {"steps": steps}


def _digest_credit(params: dict[str, Any], outputs: dict[str, Path], result: dict[str, Any]) -> Credit:
    # Measured on the output: one line is one "second" of 1080p work in this miniature.
    lines = len(outputs["digest"].read_text().splitlines())
    return Credit("encoded", round(lines / 60 * resolution_weight(int(params.get("height", 1080))), 4))


register_verifier("test.remote_digest", bytes_equal)
register_credit("test.remote_digest", _digest_credit)


@job_handler("test.remote_gpu", needs=("gpu",), remote=True, publish=_publish_digest, inputs=("source",))
def remote_gpu(ctx: JobContext) -> dict[str, Any]:
    """Needs a GPU: it must wait, visibly, while only CPU workers exist."""
    return remote_digest(ctx) or {}
