"""A long film's chunks on partners' machines, with real processes on loopback: `dastan
serve` as the node, two `dastan worker --remote` machines of a render farm that shares
with the film's studio (no database, no broker: the mezzanine through a signed,
range-capable link, downloaded whole by one machine and read by ranges by the other, the
encoded parts back as checksummed tus uploads), and the node's
own worker, which plans, encodes the sound, verifies sampled chunks and joins.

One of the farm's machines cheats (it draws a box over its pictures, keeping every frame
and keyframe, so only comparing pictures can tell): verification catches it, the machine
is quarantined, its chunk is done again elsewhere, and the join, which waited for the
verifications, uses only verified chunks. The joined film passes the HLS check against
the source, the parts and the uploaded copies are deleted, and only verified work is
credited."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dastan.media.hls_check import check_master
from dastan.media.tests.films import film
from dastan_testing.nodes import Node, WorkerProcess, migrated_sqlite, serving

pytestmark = [pytest.mark.slow]

FILM_S, CHUNK_S, RATE = 48, 12, 15  # four chunks of 180 frames
FINISHED = ("succeeded", "failed", "cancelled")
SETUP = """
import json, sys, django; django.setup()
from dastan.catalog.models import Organisation, Title
from dastan.jobs.remote.enrolment import make_enrolment_token
from dastan.jobs.remote.sharing import share_workers
farm = Organisation.objects.create(name="Farm", slug="farm", kind="studio", country="CN")
lahore = Organisation.objects.create(name="Lahore Films", slug="lahore", kind="studio", country="PK")
share_workers(user=None, lender=farm, borrower=lahore, cap_hours_per_month=None)
Title.objects.create(slug="long-road", original_language="ur", country_of_origin="PK", kind=Title.Kind.FILM,
                     is_published=True, owner=lahore)
print(json.dumps([make_enrolment_token(user=None, organisation=farm, ttl_s=600) for _ in range(2)]))
"""
INGEST = """
import sys, django; django.setup()
from pathlib import Path
from dastan.catalog.models import Title
from dastan.media.services import submit_ingest
jobs = submit_ingest(title=Title.objects.get(slug="long-road"), path=Path(sys.argv[1]))
print(" ".join(str(job.pk) for job in jobs))
"""


@pytest.fixture
def node(tmp_path: Path) -> Node:
    home = tmp_path / "node"
    home.mkdir()
    return Node(
        home=home,
        database_url=migrated_sqlite(home / "dastan.sqlite3"),
        broker_url=f"sqla+sqlite:///{home / 'broker.sqlite3'}",
        queue_prefix="",
        extra_env={
            "DASTAN_SERVE_WORKER": "none",
            "DASTAN_REMOTE_WORKER_SILENCE_S": "20",
            "DASTAN_REMOTE_WORKER_INTERVAL_S": "1",
            "DASTAN_REMOTE_VERIFY_FIRST": "5",
            "DASTAN_CHUNK_THRESHOLD_S": "30",
            "DASTAN_CHUNK_S": str(CHUNK_S),
            "DASTAN_X264_PRESET": "ultrafast",
        },
    )


@pytest.fixture
def pool() -> Iterator[list[WorkerProcess]]:
    started: list[WorkerProcess] = []
    yield started
    for w in started:
        w.kill()


def _rows(
    node: Node, sql: str, cols: tuple[str, ...], params: tuple[Any, ...] = ()
) -> list[dict[str, Any]]:
    return [dict(zip(cols, row, strict=True)) for row in node.query(sql, params)]


def _wait_for_identity(home: Path, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not (home / "identity.json").exists():
        assert time.monotonic() < deadline, f"{home} did not enrol"
        time.sleep(0.2)


def test_a_films_chunks_run_on_partners_machines_a_cheat_is_caught_and_the_join_uses_verified_chunks(
    node: Node, tmp_path: Path, pool: list[WorkerProcess]
) -> None:
    source = film(tmp_path / "long-road.mp4", seconds=FILM_S, size="320x180", rate=str(RATE))
    with serving(node, web_workers=2) as served:
        done = subprocess.run(
            [sys.executable, "-c", SETUP],
            env=node.env(),
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        honest_token, cheat_token = json.loads(done.stdout.strip().splitlines()[-1])
        # The honest machine reads the film by ranges (as for a mezzanine past
        # DASTAN_REMOTE_RANGE_INPUT_MB), the other downloads it whole: verification
        # compares both against the node's own encode.
        pool.append(
            node.start_remote_worker(
                served.url,
                "farm-honest",
                honest_token,
                root=tmp_path,
                DASTAN_REMOTE_RANGE_INPUT_MB="0",
                DASTAN_LOG_LEVEL="INFO",
            )
        )
        pool.append(
            node.start_remote_worker(
                served.url,
                "farm-cheap",
                cheat_token,
                root=tmp_path,
                DASTAN_JOB_MODULES="dastan_testing.job_handlers,dastan_testing.media_handlers",
            )
        )
        for name in ("farm-honest", "farm-cheap"):
            _wait_for_identity(tmp_path / f"machine-{name}" / "worker")
        pool.append(node.start_worker("node-own", can="transcode", log_dir=tmp_path))
        done = subprocess.run(
            [sys.executable, "-c", INGEST, str(source)],
            env=node.env(),
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        _ingest, _transcode, package = (int(n) for n in done.stdout.split())
        row = node.wait_for(package, lambda r: r["state"] in FINISHED, timeout_s=600, workers=pool)
        assert row["state"] == "succeeded", (
            row,
            node.events(package),
            [w.log()[-2000:] for w in pool],
        )

    chunks = _rows(
        node,
        "SELECT id, state, worker, attempts FROM jobs_job WHERE kind = 'media.transcode_chunk' "
        "ORDER BY id",
        ("id", "state", "worker", "attempts"),
    )
    assert len(chunks) == FILM_S // CHUNK_S and all(c["state"] == "succeeded" for c in chunks)
    records = _rows(
        node,
        "SELECT r.job_id, r.worker_name, r.verification, r.minutes, r.verify_job_id, "
        "g.slug, v.slug FROM jobs_computerecord r JOIN catalog_organisation g ON g.id = r.giver_id "
        "JOIN catalog_organisation v ON v.id = r.receiver_id ORDER BY r.id",
        ("job", "worker", "verification", "minutes", "verify_job", "giver", "receiver"),
    )
    honest = [r for r in records if r["worker"] == "farm-honest"]
    cheap = [r for r in records if r["worker"] == "farm-cheap"]
    # Both partner machines took chunks over HTTP; every chunk of a new machine was sampled.
    assert honest and cheap and len(honest) + len(cheap) == len(records), records
    assert all(r["verification"] == "passed" for r in honest)
    read = [line for line in pool[0].log().splitlines() if "by ranges" in line]
    assert len(read) >= len(honest), pool[0].log()[-3000:]
    assert all(r["verify_job"] for r in records)
    assert {(r["giver"], r["receiver"]) for r in records} == {("farm", "lahore")}

    # The cheat was caught by its pictures and quarantined (a second chunk it took before
    # that is voided); each of its chunks was done again elsewhere.
    assert [r["verification"] for r in cheap if r["verification"] != "voided"] == ["failed"], cheap
    [(detail,)] = node.query(
        "SELECT verify_detail FROM jobs_computerecord WHERE verification = 'failed'"
    )
    assert "dB further from the source than our encode" in detail, detail
    assert node.query("SELECT state FROM jobs_remoteworker WHERE name = 'farm-cheap'") == [
        ("quarantined",)
    ]
    assert node.query(
        "SELECT action FROM jobs_workeraudit WHERE worker_name = 'farm-cheap' AND notify"
    ) == [("quarantined",)]
    for caught in cheap:
        redone = next(c for c in chunks if c["id"] == caught["job"])
        assert redone["worker"] != "farm-cheap"
        assert "redone" in [e[0] for e in node.events(redone["id"])]

    # The join waited for every verification and started after the last one ended.
    [(join_id, join_started)] = node.query(
        "SELECT id, started_at FROM jobs_job WHERE kind = 'media.join_chunks'"
    )
    parents = {
        r[0]
        for r in node.query(
            "SELECT to_job_id FROM jobs_job_parents WHERE from_job_id = ?", (join_id,)
        )
    }
    verify_jobs = {r["verify_job"] for r in records}
    assert verify_jobs <= parents
    ends = [
        r[0]
        for r in node.query(
            f"SELECT finished_at FROM jobs_job WHERE id IN "
            f"({', '.join(str(v) for v in verify_jobs)})"
        )
    ]
    assert all(end and str(end) <= str(join_started) for end in ends), (ends, join_started)

    # The joined film is whole: aligned segments, every URI resolves, no gap or repeat at a join.
    media = node.home / "media"
    [(master_name,)] = node.query("SELECT master_name FROM media_version")
    joins = [n * CHUNK_S * RATE for n in range(1, FILM_S // CHUNK_S)]
    report = check_master(
        master=media / master_name, source=source, joins_frames=joins, expected_frames=FILM_S * RATE
    )
    assert report.ok, report.problems
    assert report.frames == {"180p": FILM_S * RATE}

    # The parts went once the join passed; the partners' uploaded copies once judged.
    assert list(media.rglob("parts")) == []
    assert [e for e in node.events(join_id) if e[0] == "cleaned"]
    assert node.query("SELECT COUNT(*) FROM media_upload") == [(0,)]
    assert [p for p in (media / "uploads").rglob("*") if p.is_file()] == []
    # The machine that downloads inputs fetched the film once, checked against its
    # sha256, for all its chunks; the one reading by ranges kept nothing.
    [(sha256,)] = node.query("SELECT sha256 FROM media_mediaasset")
    cache = tmp_path / "machine-farm-cheap" / "worker" / "inputs"
    assert [p.name for p in cache.iterdir()] == [sha256]
    assert list((tmp_path / "machine-farm-honest" / "worker" / "inputs").iterdir()) == []

    # Credit: verified work only, measured on the output (frames counted on the node).
    assert all(
        r["minutes"] == pytest.approx(CHUNK_S / 60 * (180 / 1080) ** 2, abs=2e-4) for r in honest
    )
    csv_text = node.dastan("workers", "ledger", "--csv")
    given = {
        line.split(",")[1]: float(line.split(",")[2]) for line in csv_text.strip().splitlines()[1:]
    }
    assert given["farm"] == pytest.approx(sum(r["minutes"] for r in honest), abs=0.01)
