"""A long film transcoded in chunks by two real worker processes: one of them is killed
mid-chunk, that chunk alone is done again elsewhere, the joined package passes the HLS
check against the source, and it plays across every join in Chromium through hls.js."""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dastan.media.hls_check import check_master
from dastan.media.tests.films import film
from dastan_testing.nodes import Node, WorkerProcess, migrated_sqlite

pytestmark = [pytest.mark.slow]

FILM_S, CHUNK_S, RATE = 80, 20, 15  # four chunks of 300 frames
FINISHED = ("succeeded", "failed", "cancelled")
SETUP = """
import sys, django; django.setup()
from pathlib import Path
from dastan.catalog.models import Title
from dastan.media.services import submit_ingest
title = Title.objects.create(slug="long-road", original_language="kk", country_of_origin="KZ",
                             kind=Title.Kind.FILM, is_published=True)
print(" ".join(str(job.pk) for job in submit_ingest(title=title, path=Path(sys.argv[1]))))
"""
HLS_JS = Path(__file__).resolve().parents[1] / "static" / "media" / "vendor" / "hls.min.js"
PAGE = """<!doctype html><meta charset="utf-8"><title>chunks</title>
<video id="v" muted playsinline></video><script src="hls.min.js"></script><script>
window.errors = [];
const video = document.getElementById("v"), hls = new Hls();
hls.on(Hls.Events.ERROR, (_, d) => window.errors.push(`${d.type}:${d.details}:${d.fatal}`));
hls.on(Hls.Events.MANIFEST_PARSED, (_, d) => { window.levels = d.levels.length; window.ready = true; });
hls.loadSource(new URLSearchParams(location.search).get("master"));
hls.attachMedia(video);
</script>"""


@pytest.fixture
def node(tmp_path: Path) -> Node:
    home = tmp_path / "node"
    home.mkdir()
    node = Node(home=home, database_url=migrated_sqlite(home / 'dastan.sqlite3'),
                broker_url=f"sqla+sqlite:///{home / 'broker.sqlite3'}", queue_prefix="",
                extra_env={"DASTAN_CHUNK_THRESHOLD_S": "40", "DASTAN_CHUNK_S": str(CHUNK_S),
                           # Not ultrafast: on a quiet machine a chunk then ends within one
                           # progress report, and no chunk is ever seen mid-encode to be killed.
                           "DASTAN_X264_PRESET": "medium"})
    return node


def _chunk_rows(node: Node) -> list[dict[str, Any]]:
    cols = ("id", "state", "attempts", "worker", "progress")
    rows = node.query(f"SELECT {', '.join(cols)} FROM jobs_job WHERE kind = 'media.transcode_chunk' ORDER BY id")
    return [dict(zip(cols, row, strict=True)) for row in rows]


def _kill_mid_chunk(node: Node, workers: dict[str, WorkerProcess]) -> tuple[int, str]:
    """Once a chunk is done, SIGKILL the worker of a chunk being encoded; its job id and name."""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        rows = _chunk_rows(node)
        if any(r["state"] == "succeeded" for r in rows):
            running = [r for r in rows if r["state"] == "running" and r["progress"] >= 10
                       and r["worker"] in workers]
            if running:
                workers[running[0]["worker"]].kill()
                return running[0]["id"], running[0]["worker"]
        time.sleep(0.1)
    raise AssertionError(f"no chunk to kill: {_chunk_rows(node)}\n" + "\n".join(
        w.log()[-2000:] for w in workers.values()))


@pytest.fixture
def static_site(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A plain HTTP server on loopback over a folder: the package as files, the page, hls.js."""
    root = tmp_path / "site"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.mark.browser
def test_a_long_film_in_chunks_on_two_workers_survives_a_killed_worker_and_plays_across_every_join(
        node: Node, tmp_path: Path, worker_pool: list[WorkerProcess], browser: Any,
        static_site: tuple[Path, str]) -> None:
    source = film(tmp_path / "long-road.mp4", seconds=FILM_S, size="480x270", rate=str(RATE))
    done = subprocess.run([sys.executable, "-c", SETUP, str(source)], env=node.env(), capture_output=True,
                          text=True, timeout=120, check=True)
    _ingest, transcode, package = (int(n) for n in done.stdout.split())
    tag = uuid.uuid4().hex[:6]
    workers = {w.name: w for w in (node.start_worker(f"{n}-{tag}", can="transcode", log_dir=tmp_path)
                                   for n in ("east", "west"))}
    worker_pool.extend(workers.values())

    killed_job, killed = _kill_mid_chunk(node, workers)
    spare = node.start_worker(f"spare-{tag}", can="transcode", log_dir=tmp_path)
    worker_pool.append(spare)
    alive = [w for name, w in workers.items() if name != killed] + [spare]
    row = node.wait_for(package, lambda r: r["state"] in FINISHED, timeout_s=420, workers=alive)
    assert row["state"] == "succeeded", (row, node.events(package))

    assert node.job(transcode)["result"]  # split: the planning job named its chunks
    chunks = _chunk_rows(node)
    assert len(chunks) == FILM_S // CHUNK_S and all(c["state"] == "succeeded" for c in chunks)
    # The killed worker's chunk ran again, on another worker; no other chunk ran twice.
    assert {c["id"]: c["attempts"] for c in chunks} == {c["id"]: 2 if c["id"] == killed_job else 1 for c in chunks}
    assert [e[0] for e in node.events(killed_job)].count("stalled") == 1
    assert next(c for c in chunks if c["id"] == killed_job)["worker"] != killed
    ran_on = {e[2] for c in chunks for e in node.events(c["id"]) if e[0] == "started"}
    assert len(ran_on) >= 2, f"the chunks all ran on {ran_on}"

    media = node.home / "media"
    [(master_name,)] = node.query("SELECT master_name FROM media_version")
    joins = [n * CHUNK_S * RATE for n in range(1, FILM_S // CHUNK_S)]
    report = check_master(master=media / master_name, source=source, joins_frames=joins,
                          expected_frames=FILM_S * RATE)
    assert report.ok, report.problems
    assert report.frames == {"240p": FILM_S * RATE, "270p": FILM_S * RATE}
    assert report.joins_checked == 2 * len(joins)

    root, url = static_site
    shutil.copyfile(HLS_JS, root / "hls.min.js")
    (root / "play.html").write_text(PAGE)
    (root / "media").symlink_to(media)
    page = browser.new_page()
    page.goto(f"{url}/play.html?master=/media/{master_name}")
    page.wait_for_function("window.ready === true", timeout=30000)
    assert page.evaluate("window.levels") == 2
    for join_s in (n / RATE for n in joins):
        page.evaluate(f"video.currentTime = {join_s - 1.5}; video.play()")
        page.wait_for_function(f"video.currentTime > {join_s + 1.0}", timeout=30000)
    quality = page.evaluate("video.getVideoPlaybackQuality().totalVideoFrames")
    assert quality > 0
    assert [e for e in page.evaluate("window.errors") if e.endswith(":true")] == []
