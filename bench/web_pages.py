"""Viewer pages: page weight and time to first byte of the home and title pages.

A fresh embedded node (SQLite, local files) gets the demo catalog and a streamed
'noori-jatt' (a 5 s generated film, Urdu sound, a machine Russian voice-over, English,
Chinese and Urdu subtitles), then gunicorn serves it the way ``dastan serve`` does.

- Weight: headless Chromium opens each page once (cold cache) with the interface
  language cookie; the body bytes of every HTML, CSS, JS and font response it actually
  asked for are summed, as sent. The player's
  playlists and segments are counted apart: they are the film, not the page.
- TTFB: a bounded loop of ``--requests`` sequential GETs per page on one keep-alive
  loopback connection; the time from sending the request to reading the status line.

Rights are left out (DASTAN_PLAYBACK_LIMITS empty) so that the player is on the page
without a licence fixture. Nothing is asserted: it prints a table and the command that
reproduces it, and writes bench/results/web_pages.json.

    python bench/web_pages.py [--requests 200] [--workers 2]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
PAGES = {"home (en)": ("/", "en"), "title (en)": ("/titles/noori-jatt/", "en"),
         "title (ur)": ("/titles/noori-jatt/", "ur"), "title (zh-Hans)": ("/titles/noori-jatt/", "zh-hans")}
KINDS = ("document", "stylesheet", "script", "font")

SEED_SCRIPT = r"""
import io, sys, tempfile
from pathlib import Path
import django
django.setup()
from dastan.catalog.demo import load_demo
from dastan.catalog.models import Title
from dastan.jobs.services import run_queued_jobs
from dastan.media.renditions import add_audio_rendition, add_subtitle_rendition
from dastan.media.services import submit_ingest
from dastan.media.tests.films import film, speech_wav
load_demo(io.StringIO())
title = Title.objects.get(slug="noori-jatt")
tmp = Path(tempfile.mkdtemp())
urdu = speech_wav(tmp / "ur.wav", text="قافلہ صبح سویرے سمرقند پہنچا", voice="ur")
submit_ingest(title=title, path=film(tmp / "film.mp4", seconds=5, audio=(), audio_files=((urdu, "urd"),)))
run_queued_jobs(worker="bench")
ru = speech_wav(tmp / "ru.wav", text="Караван пришёл в Самарканд на рассвете.", voice="ru")
add_audio_rendition(title=title, language="ru", audio_file=ru, kind="voice-over",
                    provenance={"engine": "espeak-ng", "model": "ru", "version": "1", "settings": {}})
for code, text in {"en": "The caravan reached Samarkand.", "zh-Hans": "商队抵达撒马尔罕。", "ur": "قافلہ سمرقند پہنچا۔"}.items():
    (tmp / f"{code}.vtt").write_text(f"WEBVTT\n\n00:00:00.000 --> 00:00:04.000\n{text}\n", encoding="utf-8")
    add_subtitle_rendition(title=title, language=code, vtt_file=tmp / f"{code}.vtt", machine_made=code == "zh-Hans")
"""


@dataclass
class Weight:
    page: str
    wire_bytes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    requests: int = 0
    fonts: list[str] = field(default_factory=list)
    media_requests: int = 0
    media_wire_bytes: int = 0


@dataclass(frozen=True, slots=True)
class Ttfb:
    page: str
    p50_ms: float
    p95_ms: float
    max_ms: float
    html_bytes: int


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    # As `dastan serve` does: collected static files go out compressed and cacheable.
    subprocess.run([sys.executable, "-m", "dastan.cli", "manage", "collectstatic", "--noinput", "-v", "0"],
                   env=env, check=True)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "dastan.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", "4", "--log-level", "warning"], env=env, cwd=ROOT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError(f"gunicorn did not answer on port {port} within 30 s")


def measure_weight(base: str) -> list[Weight]:
    from playwright.sync_api import sync_playwright

    weights = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync"])
        for label, (path, language) in PAGES.items():
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.add_cookies([{"name": "dastan_language", "value": language, "url": base}])
            page = context.new_page()
            responses: list[Any] = []
            page.on("requestfinished", lambda request, sink=responses: sink.append(request))
            page.goto(base + path, wait_until="networkidle")
            page.evaluate("document.fonts.ready.then(() => true)")
            page.wait_for_timeout(500)
            weight = Weight(label)
            for request in responses:
                wire = request.sizes()["responseBodySize"]
                if request.resource_type in KINDS:
                    weight.wire_bytes[request.resource_type] += wire
                    weight.requests += 1
                    if request.resource_type == "font":
                        weight.fonts.append(request.url.rsplit("/", 2)[-2])
                elif "/media/" in request.url:
                    weight.media_requests += 1
                    weight.media_wire_bytes += wire
            weights.append(weight)
            context.close()
        browser.close()
    return weights


def measure_ttfb(port: int, requests: int) -> list[Ttfb]:
    results = []
    for label, (path, language) in PAGES.items():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Cookie": f"dastan_language={language}", "Accept-Encoding": "identity"}
        times, size = [], 0
        for n in range(requests + 5):
            start = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()  # returns once the status line and headers are read
            first_byte = time.perf_counter() - start
            size = len(response.read())
            if n >= 5:  # the first few warm the workers
                times.append(first_byte * 1000)
        conn.close()
        times.sort()
        results.append(Ttfb(label, statistics.median(times), times[int(len(times) * 0.95) - 1], times[-1], size))
    return results


def kib(n: int) -> str:
    return f"{n / 1024:,.1f}"


def print_table(weights: list[Weight], ttfbs: list[Ttfb], args: argparse.Namespace) -> None:
    print(f"\nViewer pages on the embedded default: gunicorn {args.workers} workers × 4 threads, SQLite, "
          f"loopback, {os.cpu_count()} CPUs\n")
    header = (f"{'page':16} {'HTML':>7} {'CSS':>7} {'JS':>7} {'fonts':>7} {'total KiB':>10} "
              f"{'reqs':>5} {'TTFB p50':>9} {'p95':>7} {'max ms':>7}")
    print(header)
    print("-" * len(header))
    by = {t.page: t for t in ttfbs}
    for w in weights:
        t = by[w.page]
        cells = [kib(w.wire_bytes[k]) for k in KINDS]
        print(f"{w.page:16} {cells[0]:>7} {cells[1]:>7} {cells[2]:>7} {cells[3]:>7} "
              f"{kib(sum(w.wire_bytes.values())):>10} {w.requests:>5} "
              f"{t.p50_ms:>9.1f} {t.p95_ms:>7.1f} {t.max_ms:>7.1f}")
    print("\nKiB of response bodies as sent. Static files are collected first, as `dastan serve` does,"
          "\nso whitenoise sends them gzip-compressed.")
    for w in weights:
        print(f"  {w.page}: fonts fetched {sorted(set(w.fonts)) or 'none'}; film before play: "
              f"{w.media_requests} requests, {kib(w.media_wire_bytes)} KiB (not counted above)")
    print(f"TTFB: {args.requests} sequential GETs per page on one keep-alive connection, after 5 warm-up GETs.")
    print("\nReproduce: python bench/web_pages.py " + " ".join(sys.argv[1:]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="GETs per page for TTFB (default 200)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="dastan-bench-web-")
    env = {**os.environ, "DASTAN_HOME": home, "DJANGO_SETTINGS_MODULE": "dastan.settings",
           "DASTAN_SERVE_WORKER": "none", "DASTAN_LOG_LEVEL": "WARNING", "DASTAN_DEBUG": "0",
           "DASTAN_PLAYBACK_LIMITS": "", "DASTAN_SIGNED_REQUEST_CHECK": ""}
    env.pop("DASTAN_DATABASE_URL", None)
    print("preparing a node: demo catalog and a 5 s streamed film…", flush=True)
    subprocess.run([sys.executable, "-m", "dastan.cli", "manage", "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([sys.executable, "-c", SEED_SCRIPT], env=env, check=True, cwd=ROOT)
    port = free_port()
    server = serve(env, port, args.workers)
    try:
        weights = measure_weight(f"http://127.0.0.1:{port}")
        ttfbs = measure_ttfb(port, args.requests)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(home, ignore_errors=True)
    print_table(weights, ttfbs, args)
    out = ROOT / "bench" / "results" / "web_pages.json"
    out.write_text(json.dumps({"weights": [asdict(w) for w in weights], "ttfb": [asdict(t) for t in ttfbs],
                               "args": vars(args)}, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
