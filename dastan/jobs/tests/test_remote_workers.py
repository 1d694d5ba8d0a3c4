"""Remote workers over HTTP, with real processes on loopback: `dastan serve` as the node,
`dastan worker --remote … --enrol …` as partner machines (no database, no broker), and a
local Celery worker as the trusted one that re-does sampled output."""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from dastan.signing import keys, messages
from dastan_testing.nodes import Node, Served, WorkerProcess, is_running, migrated_sqlite, serving

SILENCE_S = 4
FINISHED = ("succeeded", "failed", "cancelled")


def node_python(node: Node, code: str, *args: str) -> Any:
    """Run ``code`` with Django set up on the node; it prints one JSON line, returned."""
    script = "import json, sys, django; django.setup()\n" + code
    done = subprocess.run([sys.executable, "-c", script, *args], env=node.env(), capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


SUBMIT = """
from django.db import transaction
from dastan.catalog.models import Organisation
from dastan.jobs.services import submit_job
kind, params, org = json.loads(sys.argv[1])
with transaction.atomic():
    job = submit_job(kind=kind, params=params, organisation=Organisation.objects.get(slug=org))
print(json.dumps(job.pk))
"""

SETUP = """
from django.db import transaction
from dastan.catalog.models import Organisation
from dastan.jobs.remote.enrolment import make_enrolment_token
from dastan.jobs.services import submit_job
from dastan.jobs.remote.sharing import share_workers
lender = Organisation.objects.create(name="Farm", slug="farm", kind="studio", country="CN")
borrower = Organisation.objects.create(name="Lahore Films", slug="lahore", kind="studio", country="PK")
share_workers(user=None, lender=lender, borrower=borrower, cap_hours_per_month=None)
tokens = [make_enrolment_token(user=None, organisation=lender, ttl_s=600) for _ in range(2)]
with transaction.atomic():
    job = submit_job(kind="test.remote_digest", params=json.loads(sys.argv[1]), organisation=borrower)
print(json.dumps([tokens, job.pk]))
"""


@pytest.fixture
def node(tmp_path: Path) -> Node:
    home = tmp_path / "node"
    home.mkdir()
    return Node(home=home, database_url=migrated_sqlite(home / 'dastan.sqlite3'),
                broker_url=f"sqla+sqlite:///{home / 'broker.sqlite3'}", queue_prefix="",
                extra_env={"DASTAN_SERVE_WORKER": "none", "DASTAN_REMOTE_WORKER_SILENCE_S": str(SILENCE_S),
                           "DASTAN_REMOTE_WORKER_INTERVAL_S": "1", "DASTAN_REMOTE_VERIFY_FIRST": "5"})


def start_remote(node: Node, served: Served, name: str, token: str, tmp_path: Path) -> WorkerProcess:
    return node.start_remote_worker(served.url, name, token, root=tmp_path)


@pytest.fixture
def pool() -> Iterator[list[WorkerProcess]]:
    started: list[WorkerProcess] = []
    yield started
    for w in started:
        w.kill()


def _identity(tmp_path: Path, name: str) -> tuple[keys.PrivateKey, dict[str, Any]]:
    home = tmp_path / f"machine-{name}" / "worker"
    data = json.loads((home / "identity.json").read_text())
    return keys.PrivateKey(data["key_id"], keys.Algorithm.ED25519, (home / "key.pem").read_text()), data


def test_remote_workers_enrol_take_jobs_survive_a_kill_are_fenced_verified_and_credited(
        node: Node, tmp_path: Path, pool: list[WorkerProcess]) -> None:
    final_dir = tmp_path / "published"
    media = node.home / "media" / "compute"
    media.mkdir(parents=True)
    (media / "in.bin").write_bytes(os.urandom(300_000))
    with serving(node, web_workers=2) as served:
        params = {"source": "compute/in.bin", "final_dir": str(final_dir), "steps": 6, "step_s": 0.3,
                  "ffmpeg_s": 10}
        # The job is queued before any worker exists; the first to enrol and call takes it.
        tokens, job_id = node_python(node, SETUP, json.dumps(params))
        names = ("left", "right")
        for name, token in zip(names, tokens, strict=True):
            assert token.startswith("dwe_")
            pool.append(start_remote(node, served, name, token, tmp_path))
        for name in names:  # the private key stays on the machine, readable by it alone
            key_file = tmp_path / f"machine-{name}" / "worker" / "key.pem"
            deadline = time.monotonic() + 60
            while not key_file.exists() and time.monotonic() < deadline:
                time.sleep(0.2)
            assert oct(key_file.stat().st_mode & 0o777) == "0o600"

        # One of them takes it over HTTP and starts ffmpeg; kill that worker's process alone.
        row = node.wait_for(job_id, lambda r: r["state"] == "running", timeout_s=60, workers=pool)
        victim = next(w for w in pool if w.name == row["worker"])
        survivor = next(w for w in pool if w is not victim)
        deadline = time.monotonic() + 20
        ffmpeg: list[int] = []
        while not ffmpeg and time.monotonic() < deadline:
            ffmpeg = [pid for pid, cmd in victim.children().items() if "ffmpeg" in cmd]
            time.sleep(0.1)
        assert ffmpeg, f"no ffmpeg under {victim.name}: {victim.children()}"
        victim.signal_process_only(signal.SIGKILL)
        killed_at = time.time()
        victim.proc.wait(timeout=10)
        deadline = time.monotonic() + 5
        while any(is_running(p) for p in ffmpeg) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(is_running(p) for p in ffmpeg), "the killed worker's ffmpeg still runs"

        row = node.wait_for(job_id, lambda r: r["state"] in FINISHED, timeout_s=90, workers=[survivor])
        assert (row["state"], row["attempts"], row["worker"]) == ("succeeded", 2, survivor.name)
        [(stalled_msg, stalled_at)] = node.query(
            "SELECT message, at FROM jobs_jobevent WHERE job_id = ? AND kind = 'stalled'", (job_id,))
        requeued_at = datetime.fromisoformat(str(stalled_at)).replace(tzinfo=UTC).timestamp()
        assert requeued_at - killed_at <= SILENCE_S + 2, "requeued too late after the kill"
        silent_s = int(re.search(r"\((\d+) s without a heartbeat\)", stalled_msg).group(1))  # type: ignore[union-attr]
        assert silent_s <= SILENCE_S + 1 <= 30, stalled_msg
        assert (final_dir / "ledger.txt").read_text().splitlines() == [
            f"job {job_id} attempt 2 worker {survivor.name}"], "published more than once"

        # The killed worker comes back late: its upload, its result and its heartbeat are fenced.
        key, _ = _identity(tmp_path, victim.name)
        [(assigned,)] = node.query("SELECT message FROM jobs_jobevent WHERE job_id = ? AND kind = 'started' "
                                   "AND worker = ?", (job_id, victim.name))
        old_lease = assigned.removeprefix("lease ")
        meta = ",".join(f"{k} {base64.b64encode(v.encode()).decode()}"
                        for k, v in {"job": str(job_id), "lease": old_lease, "name": "digest"}.items())
        late = messages.send("POST", f"{served.url}/compute/uploads/", key=key,
                             headers={"Tus-Resumable": "1.0.0", "Upload-Length": "10", "Upload-Metadata": meta})
        assert late.status_code == 409, late.text
        assert late.json()["code"] == "stale_attempt"
        late = messages.send("POST", f"{served.url}/compute/jobs/{job_id}/result", key=key,
                             json_body={"lease": old_lease, "result": {}, "outputs": {}})
        assert late.status_code == 409
        back = messages.send("POST", f"{served.url}/compute/schedule", key=key,
                             json_body={"running": [{"job": job_id, "lease": old_lease}], "free_slots": 0})
        assert back.status_code == 200, back.text
        assert [c["job"] for c in back.json()["cancel"]] == [job_id]
        assert node.job(job_id)["state"] == "succeeded" and node.job(job_id)["attempts"] == 2

        # Unsigned, forged and revoked-key requests are refused, and recorded.
        assert requests.post(f"{served.url}/compute/schedule", json={}, timeout=10).json()["code"] == "unsigned"
        forged = keys.generate(_identity(tmp_path, survivor.name)[0].key_id)
        answer = messages.send("POST", f"{served.url}/compute/schedule", key=forged, json_body={})
        assert (answer.status_code, answer.json()["code"]) == (401, "bad_signature")
        node.dastan("workers", "revoke", victim.name)
        answer = messages.send("POST", f"{served.url}/compute/schedule", key=key, json_body={})
        assert (answer.status_code, answer.json()["code"]) == (401, "revoked_key")
        codes = {r[0] for r in node.query("SELECT code FROM signing_refusedrequest WHERE channel = 'compute'")}
        assert {"unsigned", "bad_signature", "revoked_key"} <= codes

        # A job that needs a GPU waits, visibly, while only CPU workers exist.
        gpu_job = node_python(node, SUBMIT, json.dumps(["test.remote_gpu", params, "lahore"]))
        time.sleep(3)
        gpu = node.job(gpu_job)
        assert gpu["state"] == "queued"
        assert node.query("SELECT message FROM jobs_job WHERE id = ?", (gpu_job,))[0][0] == "waiting for a GPU worker"

        # A trusted (local) worker re-does sampled output; a corrupted result gets the worker quarantined.
        pool.append(node.start_worker("trusted", can=",", log_dir=tmp_path))
        bad_params = {**params, "ffmpeg_s": 0, "corrupt_on": survivor.name}
        bad_job = node_python(node, SUBMIT, json.dumps(["test.remote_digest", bad_params, "lahore"]))
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            states = dict(node.query("SELECT job_id, verification FROM jobs_computerecord"))
            if states.get(bad_job) == "failed" or states.get(job_id) == "voided":
                break
            time.sleep(0.5)
        records = dict(node.query("SELECT job_id, verification FROM jobs_computerecord"))
        assert records == {job_id: "passed", bad_job: "failed"}, (records, pool[-1].log()[-3000:])
        assert node.query("SELECT state FROM jobs_remoteworker WHERE name = ?", (survivor.name,)) == [("quarantined",)]
        assert node.query("SELECT action FROM jobs_workeraudit WHERE worker_name = ? AND notify", (survivor.name,)) == [
            ("quarantined",)]
        redone = node.job(bad_job)
        assert redone["state"] == "queued", redone

        # The ledger counts the verified job only.
        csv_text = node.dastan("workers", "ledger", "--csv")
        rows = {line.split(",")[1]: line.split(",") for line in csv_text.strip().splitlines()[1:]}
        assert float(rows["farm"][2]) == pytest.approx(6 / 60, abs=1e-3)
        assert float(rows["lahore"][3]) == pytest.approx(6 / 60, abs=1e-3)
        assert rows["farm"][4] == "1"

