"""A long film in time chunks vs the one-job ladder, through real worker processes.

Side by side in one run, on one generated film (testsrc2 + sine, low resolution so a
10-minute film fits a small machine) and the settings a node uses:

  one job      the film under DASTAN_CHUNK_THRESHOLD_S: one `media.transcode` job, one
               decode for every rung (the short-film path), on one worker
  chunked ×1   the same film split (DASTAN_CHUNK_S): chunk jobs + the sound + the join,
               on one worker: the overhead of splitting
  chunked ×2   the same, on two workers
  verify       verify_chunk on a sample of the chunks (encode again here + compare), as a
               share of the chunks' own encoding time: what checking every chunk of a new
               worker costs, and what a 10 % sample costs once it has a record

Each worker is pinned to its own core (--cores-per-worker, 1 by default), as separate
machines would be: on a shared 2-core box two unpinned workers only take turns. The time
measured is from the transcode job's start to its renditions being recorded (the
transcode, or the join), read from the job rows; migrating and ingesting are not counted.

Usage: .venv/bin/python bench/chunks.py [--minutes 10] [--size 480x270] [--chunk-s 60]
         [--preset veryfast] [--verify-sample 3] [--cores-per-worker 1]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dastan.ffmpeg import base_args, ffmpeg_exe
from dastan_testing.nodes import Node, WorkerProcess

SETUP = """
import sys, django; django.setup()
from pathlib import Path
from dastan.catalog.models import Title
from dastan.media.services import submit_ingest
title = Title.objects.create(slug="bench-film", original_language="kk", country_of_origin="KZ",
                             kind=Title.Kind.FILM, is_published=True)
print(" ".join(str(job.pk) for job in submit_ingest(title=title, path=Path(sys.argv[1]))))
"""
# The parts are deleted once the join is checked, so a sample of chunks is encoded here as
# a partner would, then verified as a trusted worker does (encode again + compare).
VERIFY = """
import json, sys, tempfile, django; django.setup()
from pathlib import Path
from dastan.jobs.models import Job
from dastan.media import storage
from dastan.media.chunks import Chunk
from dastan.media.chunks import encode_chunk
from dastan.media.transcode import probe_from_summary
from dastan.media.verify import verify_chunk
out = []
for job in Job.objects.filter(kind="media.transcode_chunk").order_by("pk")[: int(sys.argv[1])]:
    chunk, probe = Chunk.from_params(job.params["chunk"]), probe_from_summary(job.params["probe"])
    with tempfile.TemporaryDirectory() as tmp, storage.local_copy(job.params["source"]) as source:
        submitted = encode_chunk(source=source, probe=probe, chunk=chunk, out_dir=Path(tmp) / "partner",
                                 preset=job.params["preset"])
        verdict = verify_chunk(source=source, probe=probe, chunk=chunk, submitted_dir=submitted.out_dir,
                               work_dir=Path(tmp) / "verify")
    out.append({"job": job.pk, "passed": verdict.passed, "seconds": verdict.seconds,
                "encode_s": (job.finished_at - job.started_at).total_seconds(),  # its one attempt
                "psnr": [s.psnr_db for s in verdict.scores], "ssim": [s.ssim for s in verdict.scores]})
print(json.dumps(out))
"""


def make_film(path: Path, *, minutes: float, size: str) -> None:
    seconds = int(minutes * 60)
    subprocess.run([
        *base_args(), "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=25:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}:sample_rate=48000",
        "-c:v", "libx264", "-preset", "ultrafast", "-crf", "16", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-ac", "2", str(path)], check=True)


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value)


def run_case(*, film: Path, workers: int, split: bool, args: argparse.Namespace, keep: Path) -> dict[str, object]:
    home = keep / f"{'chunked' if split else 'one'}-{workers}"
    home.mkdir()
    node = Node(home=home, database_url=f"sqlite:///{home / 'dastan.sqlite3'}",
                broker_url=f"sqla+sqlite:///{home / 'broker.sqlite3'}", queue_prefix="", lease_s=None,
                extra_env={"DASTAN_CHUNK_THRESHOLD_S": "0" if split else str(10**9),
                           "DASTAN_CHUNK_S": str(args.chunk_s), "DASTAN_X264_PRESET": args.preset})
    node.dastan("manage", "migrate", "--noinput", "-v", "0", timeout_s=600)
    ids = subprocess.run([sys.executable, "-c", SETUP, str(film)], env=node.env(), capture_output=True,
                         text=True, check=True, timeout=600).stdout.split()
    transcode, package = int(ids[1]), int(ids[2])
    started: list[WorkerProcess] = []
    cores = sorted(os.sched_getaffinity(0))
    try:
        for n in range(workers):
            worker = node.start_worker(f"bench-{n}-{uuid.uuid4().hex[:4]}", can="transcode", log_dir=home)
            if args.cores_per_worker:
                mine = cores[n * args.cores_per_worker:(n + 1) * args.cores_per_worker] or cores
                os.sched_setaffinity(worker.proc.pid, set(mine))  # its ffmpeg children inherit it
            started.append(worker)
        row = node.wait_for(package, lambda r: r["state"] in ("succeeded", "failed", "cancelled"),
                            timeout_s=7200, workers=started)
        assert row["state"] == "succeeded", (row, node.events(package))
    finally:
        for worker in started:
            worker.stop()
    # From the transcode's first start to its renditions' rows, both read from the rows
    # themselves: a job's started_at is its last attempt's, and a reaped attempt restarts it.
    [(begin,)] = node.query("SELECT MIN(at) FROM jobs_jobevent WHERE job_id = ? AND kind = 'started'", (transcode,))
    [(end,)] = node.query("SELECT MAX(created_at) FROM media_audiorendition")
    chunks = node.query("SELECT MIN(s.at), MAX(d.at), j.worker FROM jobs_job j "
                        "JOIN jobs_jobevent s ON s.job_id = j.id AND s.kind = 'started' "
                        "JOIN jobs_jobevent d ON d.job_id = j.id AND d.kind = 'succeeded' "
                        "WHERE j.kind = 'media.transcode_chunk' GROUP BY j.id, j.worker")
    return {"node": node, "wall_s": (_at(end) - _at(begin)).total_seconds(), "chunks": len(chunks),
            "chunk_s": sum((_at(b) - _at(a)).total_seconds() for a, b, _ in chunks),
            "workers_used": len({w for _, _, w in chunks}) or 1}


def main() -> int:
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--size", default="480x270")
    parser.add_argument("--chunk-s", type=int, default=60)
    parser.add_argument("--preset", default="veryfast")
    parser.add_argument("--verify-sample", type=int, default=3)
    parser.add_argument("--cores-per-worker", type=int, default=1, help="0: no pinning")
    args = parser.parse_args()
    print(f"ffmpeg {Path(ffmpeg_exe()).name}, {os.cpu_count()} CPUs (load {os.getloadavg()[0]:.1f}), "
          f"film {args.minutes:g} min {args.size} 25 fps, x264 {args.preset}, chunks of {args.chunk_s} s, "
          f"{args.cores_per_worker or 'all'} core(s) per worker\n")
    with tempfile.TemporaryDirectory(prefix="dastan-bench-chunks-") as tmp:
        folder = Path(tmp)
        film = folder / "film.mp4"
        make_film(film, minutes=args.minutes, size=args.size)
        cases = [("one job, 1 worker", 1, False), ("chunked, 1 worker", 1, True), ("chunked, 2 workers", 2, True)]
        results = {}
        for label, workers, split in cases:
            t0 = time.perf_counter()
            results[label] = run_case(film=film, workers=workers, split=split, args=args, keep=folder)
            print(f"  ({label}: case done in {time.perf_counter() - t0:.0f} s with setup)", file=sys.stderr)
        base = float(results["one job, 1 worker"]["wall_s"])  # type: ignore[arg-type]
        real_s = args.minutes * 60
        print(f"{'case':<20} | {'wall s':>7} | {'× real time':>11} | {'vs one job':>10} | {'chunks':>6} | "
              f"{'workers used':>12}")
        for label, r in results.items():
            wall = float(r["wall_s"])  # type: ignore[arg-type]
            print(f"{label:<20} | {wall:7.1f} | {real_s / wall:11.2f} | {wall / base:9.2f}× | {r['chunks']!s:>6} | "
                  f"{r['workers_used']!s:>12}")
        node: Node = results["chunked, 1 worker"]["node"]  # type: ignore[assignment]
        verified = json.loads(subprocess.run(
            [sys.executable, "-c", VERIFY, str(args.verify_sample)], env=node.env(), capture_output=True,
            text=True, check=True, timeout=7200).stdout.strip().splitlines()[-1])
        verify_s = sum(v["seconds"] for v in verified)
        encode_s = sum(v["encode_s"] for v in verified)
        share = verify_s / encode_s
        print(f"\nverify_chunk on {len(verified)} chunks: {verify_s:.1f} s against {encode_s:.1f} s of their "
              f"chunk jobs = {share:.2f}× each chunk's work; all passed: {all(v['passed'] for v in verified)}; "
              f"PSNR {min(min(v['psnr']) for v in verified):.1f} dB, SSIM {min(min(v['ssim']) for v in verified):.4f}"
              f" (lowest)")
        print(f"  checking every chunk (a new worker): +{share * 100:.0f} % of the chunks' encoding; "
              f"a 10 % sample: +{share * 10:.0f} %")
    print("\nReproduce: .venv/bin/python bench/chunks.py " + " ".join(sys.argv[1:]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
