"""A long film's chunk on a partner's machine: its input read by ranges through the worker's
loopback door (dastan/jobs/remote/input_proxy.py) against the whole film downloaded first,
side by side in one run: the bytes fetched and the seconds per chunk, and what a machine
taking one, or every, chunk of the film fetches either way.

One node (SQLite in a temporary home) served by gunicorn as ``dastan serve`` starts it, one
enrolled worker key, and a generated film (``--minutes`` of testsrc2 with grain at
``--bitrate``, a keyframe every 2 s) stored as a remote job's input. Each measured chunk
(``--chunks`` of them, spread over the film, ``--chunk-s`` long) is read as a chunk job
reads it (``ffmpeg -ss <start> -t <chunk> -i <input>``, decoded to nothing) once through
the door, with each of ffmpeg's requests signed on to the node, and once from the
downloaded file. Loopback: the bytes are what a partner's link would carry; the seconds
are a machine's own. Nothing is asserted.

Usage: python bench/range_inputs.py [--minutes 10] [--size 854x480] [--bitrate 3M] [--chunk-s 60] [--chunks 4]
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _decode(source: str, start_s: float, chunk_s: float) -> float:
    from dastan.ffmpeg import base_args

    began = time.perf_counter()
    subprocess.run([*base_args(), "-ss", f"{start_s:.3f}", "-t", f"{chunk_s:.3f}", "-i", source, "-map", "0:v",
                    "-f", "null", "-"], check=True, capture_output=True, timeout=3600)
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--size", default="854x480")
    parser.add_argument("--bitrate", default="3M")
    parser.add_argument("--chunk-s", type=float, default=60.0)
    parser.add_argument("--chunks", type=int, default=4, help="chunks measured, spread over the film")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="dastan-bench-range-"))
    os.environ.update(DASTAN_HOME=str(home), DJANGO_SETTINGS_MODULE="dastan.settings", DASTAN_LOG_LEVEL="ERROR",
                      DASTAN_JOBS_DISPATCH="none", DASTAN_JOB_MODULES="dastan_testing.job_handlers",
                      DASTAN_SERVE_WORKER="none", DASTAN_ALLOWED_HOSTS="127.0.0.1",
                      # one attempt holds its lease for the whole run (no heartbeats here)
                      DASTAN_REMOTE_WORKER_SILENCE_S="36000")
    os.environ.pop("DASTAN_DATABASE_URL", None)
    import django

    django.setup()
    import requests
    from django.core.management import call_command

    from dastan.ffmpeg import base_args
    from dastan.jobs.remote import enrolment
    from dastan.jobs.remote.client import key_id_for
    from dastan.jobs.remote.input_proxy import InputProxy
    from dastan.jobs.services import submit_job
    from dastan.media import storage
    from dastan.signing import keys, messages

    call_command("migrate", verbosity=0)
    seconds = int(args.minutes * 60)
    film = home / "film.mp4"
    print(f"making a {args.minutes:g}-minute {args.size} film at {args.bitrate}b/s…", file=sys.stderr, flush=True)
    subprocess.run([*base_args(), "-f", "lavfi", "-i", f"testsrc2=size={args.size}:rate=25:duration={seconds}",
                    "-vf", "noise=alls=20:allf=t", "-c:v", "libx264", "-preset", "ultrafast", "-b:v", args.bitrate,
                    "-maxrate", args.bitrate, "-bufsize", args.bitrate, "-g", "50", str(film)], check=True)
    size = film.stat().st_size
    name = "bench/film.mp4"
    storage.store_file(film, name)
    key = keys.generate("x")
    public = key.public()
    key = keys.PrivateKey(key_id_for(public.pem), key.algorithm, key.pem)
    token = enrolment.make_enrolment_token(user=None, organisation=None, ttl_s=600)
    enrolment.enrol_worker(token=token, name="bench", public=key.public(), capabilities=["transcode"], facts={})
    submit_job(kind="test.remote_digest", params={"source": name, "final_dir": str(home / "out")})
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    base = f"http://127.0.0.1:{port}"
    # As dastan/commands.py cmd_serve starts it.
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "dastan.wsgi:application", "--bind",
                               f"127.0.0.1:{port}", "--workers", "2", "--threads", "4", "--log-level", "warning"],
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT, start_new_session=True)
    send = functools.partial(messages.send, key=key, session=requests.Session(), timeout=600)
    proxy = InputProxy(send)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = send("POST", f"{base}/compute/schedule", json_body={"running": [], "free_slots": 1})
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        link = answer.json()["assign"][0]["inputs"]["source"]
        began = time.perf_counter()
        local = home / "downloaded.mp4"
        with send("GET", link, stream=True) as response, local.open("wb") as out:
            response.raise_for_status()
            for block in response.iter_content(1024 * 1024):
                out.write(block)
        download_s = time.perf_counter() - began
        if local.stat().st_size != size:
            raise SystemExit(f"the download is {local.stat().st_size} bytes, not {size}")
        step = max(0.0, seconds - args.chunk_s) / max(1, args.chunks - 1)
        rows = []
        for k in range(args.chunks):
            start_s = round(k * step / 2) * 2  # on a keyframe, as chunks are cut
            url = proxy.open(link)
            ranged_s = _decode(url, start_s, args.chunk_s)
            fetched = proxy.close(url)
            rows.append((start_s, fetched, ranged_s, _decode(str(local), start_s, args.chunk_s)))
    finally:
        proxy.shutdown()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(home, ignore_errors=True)
    mb = 1_000_000
    print(f"\nA {args.minutes:g}-minute film of {size / mb:,.1f} MB ({args.size}, {args.bitrate}b/s), chunks of "
          f"{args.chunk_s:g} s ({seconds / args.chunk_s:.0f} in the film); whole download {download_s:.2f} s "
          f"({size / mb / download_s:,.0f} MB/s on loopback)\n")
    print(f"{'chunk from':>10} | {'by ranges: MB':>13} | {'% of film':>9} | {'s':>6} | {'from the file: s':>16}")
    for start_s, fetched, ranged_s, local_s in rows:
        print(f"{start_s:>9.0f}s | {fetched / mb:>13.1f} | {fetched / size * 100:>8.1f}% | {ranged_s:>6.2f} | "
              f"{local_s:>16.2f}")
    per_chunk = sum(r[1] for r in rows) / len(rows)
    every = seconds / args.chunk_s
    print(f"\nA machine taking one chunk fetches {per_chunk / mb:,.1f} MB by ranges against {size / mb:,.1f} MB "
          f"whole ({size / per_chunk:.0f}× less); taking every chunk of the film, about {per_chunk * every / mb:,.0f} "
          f"MB against {size / mb:,.0f} MB once.")
    print(f"Decoding a chunk read by ranges took {sum(r[2] for r in rows) / sum(r[3] for r in rows):.2f}× the time "
          "from the local file (which was downloaded first).")
    print("\nReproduce: python bench/range_inputs.py " + " ".join(sys.argv[1:]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
