"""The remote worker's side: ``dastan worker --remote URL --enrol TOKEN``.

It keeps, in its own folder (``--home``, default ``$DASTAN_HOME/remote-worker``), its
private key (mode 0600), its identity and its uploads in progress; it never opens the
node's database or broker. Each schedule call reports the attempts it runs and its free
slots; assignments run in threads through the same handlers a local worker runs, with a
:class:`RemoteContext` that fetches inputs through signed links and names outputs, which
go back as resumable uploads in checksummed chunks of at most 64 MiB. An attempt the
node cancels has its child processes (ffmpeg) killed at once; every child also dies
with this process, even on SIGKILL (``dastan.processes``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import re
import signal
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import requests
from django.conf import settings
from django.utils.translation import gettext

from dastan import i18n
from dastan.errors import DastanError
from dastan.i18n import describe, in_english
from dastan.jobs.context import JobContext, attempt_scope
from dastan.jobs.errors import JobCancelled, LeaseLost, WorkerStopping
from dastan.jobs.models import Job
from dastan.jobs.registry import get_handler
from dastan.jobs.remote.input_proxy import InputProxy
from dastan.signing import keys, messages

log = logging.getLogger(__name__)
CHUNK_BYTES = 64 * 1024 * 1024


class RemoteRefused(DastanError):
    code = "remote_refused"


class Identity:
    """The worker's folder: key.pem (0600), identity.json, uploads.json."""

    def __init__(self, home: Path) -> None:
        self.home = home
        home.mkdir(parents=True, exist_ok=True)
        os.chmod(home, 0o700)
        self.key_path, self.id_path = home / "key.pem", home / "identity.json"

    def exists(self) -> bool:
        return self.id_path.exists() and self.key_path.exists()

    def new_key(self) -> keys.PrivateKey:
        """A fresh Ed25519 key made here; its private half never leaves this folder."""
        key = keys.generate("pending")
        fd = os.open(self.key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(key.pem)
        return key

    def key(self) -> keys.PrivateKey:
        data = json.loads(self.id_path.read_text())
        return keys.PrivateKey(data["key_id"], keys.Algorithm.ED25519, self.key_path.read_text())

    def data(self) -> dict[str, Any]:
        return dict(json.loads(self.id_path.read_text()))

    def save(self, data: dict[str, Any]) -> None:
        self.id_path.write_text(json.dumps(data, indent=2))


def key_id_for(public_key_pem: str) -> str:
    """A worker's key id: a fingerprint of its public key (the same on both sides)."""
    return "worker-" + hashlib.sha256(public_key_pem.strip().encode()).hexdigest()[:24]


def _answer(response: requests.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        data = {"message": response.text[:300], "hint": ""}
    if response.status_code >= 400:
        raise RemoteRefused(gettext("The node answered %(status)s: %(message)s")
                            % {"status": response.status_code, "message": data.get("message", "")},
                            str(data.get("hint", "")), code=str(data.get("code", "remote_refused")),
                            status=response.status_code)
    return dict(data)


def enrol(*, node: str, token: str, identity: Identity, name: str, capabilities: list[str],
          facts: dict[str, Any], slots: int) -> dict[str, Any]:
    """Make a key pair here, register its public half with the token, keep the identity."""
    key = identity.new_key()
    public = key.public()
    key = keys.PrivateKey(key_id_for(public.pem), key.algorithm, key.pem)
    body = {"token": token, "name": name, "public_key": public.pem, "capabilities": capabilities,
            "facts": facts, "slots": slots}
    data = _answer(messages.send("POST", f"{node}/compute/enrol", key=key, json_body=body))
    identity.save({"node": node, "name": data["name"], "key_id": data["key_id"], "id": data["id"]})
    return data


class RemoteContext(JobContext):
    """One attempt run on a remote worker: the same interface handlers use, with the
    database replaced by the schedule call (progress, cancel) and signed links (inputs)."""

    def __init__(self, assignment: dict[str, Any], worker: RemoteWorker) -> None:
        job = Job(pk=assignment["job"], kind=assignment["kind"], params=assignment["params"],
                  attempts=assignment["attempt"])
        super().__init__(job=job, token=uuid.UUID(assignment["lease"]), worker=worker.name)
        self.assignment, self.client = assignment, worker
        self.percent, self.note = 0, "started"
        self._by_ranges: list[tuple[str, str, int]] = []  # (input, loopback URL, size) read by ranges

    def _staging_path(self) -> Path:
        return self.client.identity.home / "work" / f"job-{self.job_id}-{self.token.hex[:12]}"

    def _write(self, **fields: Any) -> None:
        self.children.check()
        self.percent = int(fields.get("progress", self.percent))
        self.note = str(fields.get("message", self.note))

    def hold_lease(self) -> None:
        self.children.check()

    def target(self) -> Any:
        raise DastanError("A remote worker cannot read the job's target.",
                          "Give a remote handler what it needs in params and inputs.")

    def publish(self, move_in: Any) -> Any:
        raise DastanError("A remote worker publishes nothing itself.",
                          "Name outputs with ctx.add_output(); the node's publish step moves them in.")

    def log_event(self, kind: str, message: str) -> None:
        log.info("job #%s %s: %s", self.job_id, kind, message)

    def input_path(self, name: str) -> Path:
        """Download the input through its signed link, resuming with Range. An input whose
        sha256 the job names (``params[name + "_sha256"]``: a film's mezzanine) is kept in
        this worker's input cache, checked against that sum, and fetched once for all the
        chunks of that film this worker takes."""
        digest = str(self.params.get(f"{name}_sha256") or "")
        if not re.fullmatch(r"[0-9a-f]{64}", digest):
            local = self.staging_dir() / "inputs" / Path(str(self.params[name])).name
            local.parent.mkdir(parents=True, exist_ok=True)
            return self._download(self.assignment["inputs"][name], local)
        cached = self.client.input_cache / digest
        with self.client.input_lock(digest):
            if cached.exists():
                os.utime(cached)  # recently used: kept by the cache's pruning
                return cached
            partial = cached.with_suffix(".part")
            self._download(self.assignment["inputs"][name], partial)
            if sha256_file(partial) != digest:
                partial.unlink()
                raise DastanError(gettext("Input %(name)s of job #%(job)s arrived changed (its sha256 is not the "
                                          "one the node named).") % {"name": repr(name), "job": self.job_id},
                                  gettext("Retry: it is downloaded again."), code="input_changed")
            os.replace(partial, cached)
            return cached

    def input_source(self, name: str) -> str:
        """A loopback URL that reads the input by ranges when it is larger than
        ``DASTAN_REMOTE_RANGE_INPUT_MB`` and not already in this worker's input cache (a
        chunk then fetches about its own minutes of the film, not the whole film); else
        the downloaded file (:meth:`input_path`)."""
        digest = str(self.params.get(f"{name}_sha256") or "")
        if re.fullmatch(r"[0-9a-f]{64}", digest) and (self.client.input_cache / digest).exists():
            return str(self.input_path(name))
        link = self.assignment["inputs"][name]
        size = self._size(link)
        if size is None or size <= float(settings.DASTAN_REMOTE_RANGE_INPUT_MB) * 1024 * 1024:
            return str(self.input_path(name))
        url = self.client.input_proxy().open(link)
        self._by_ranges.append((name, url, size))
        return url

    def _size(self, link: str) -> int | None:
        """The input's size in bytes, from a one-byte range (None: the node does not say)."""
        with self.client.send("GET", link, headers={"Range": "bytes=0-0"}, stream=True) as response:
            if response.status_code != 206:
                return None
            total = response.headers.get("Content-Range", "").rpartition("/")[2]
            return int(total) if total.isdigit() else None

    def clean_staging(self) -> None:
        for name, url, size in self._by_ranges:
            fetched = self.client.input_proxy().close(url)
            log.info("job #%s: read %s of the %s bytes of input %r by ranges", self.job_id, fetched, size, name)
        self._by_ranges.clear()
        super().clean_staging()

    def _download(self, url: str, local: Path) -> Path:
        for _ in range(5):
            have = local.stat().st_size if local.exists() else 0
            headers = {"Range": f"bytes={have}-"} if have else {}
            response = self.client.send("GET", url, headers=headers, stream=True)
            if response.status_code == 416:
                return local
            if response.status_code not in (200, 206):
                _answer(response)
            with local.open("ab" if response.status_code == 206 else "wb") as fh:
                for block in response.iter_content(1024 * 1024):
                    self.children.check()
                    fh.write(block)
            total = response.headers.get("Content-Range", "").rpartition("/")[2]
            if not total or local.stat().st_size >= int(total):
                return local
        return local


INPUT_CACHE_S = 24 * 3600


def prune_inputs(folder: Path, *, keep_s: float) -> None:
    """Remove cached inputs no attempt used for ``keep_s`` (a film whose chunks are done)."""
    now = time.time()
    for path in folder.iterdir():
        if path.is_file() and now - path.stat().st_mtime > keep_s:
            path.unlink(missing_ok=True)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


class RemoteWorker:
    """The loop: schedule, run assignments in threads, upload, report."""

    def __init__(self, *, identity: Identity, capabilities: list[str], slots: int = 1,
                 chunk_bytes: int = CHUNK_BYTES) -> None:
        data = identity.data()
        self.identity, self.node, self.name = identity, data["node"].rstrip("/"), data["name"]
        self.key = identity.key()
        self.capabilities, self.slots = capabilities, slots
        self.chunk_bytes = min(chunk_bytes, CHUNK_BYTES)
        self.session = requests.Session()
        self.running: dict[int, RemoteContext] = {}
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.input_cache = identity.home / "inputs"
        self.input_cache.mkdir(exist_ok=True)
        self._input_locks: dict[str, threading.Lock] = {}
        self._input_proxy: InputProxy | None = None
        prune_inputs(self.input_cache, keep_s=INPUT_CACHE_S)

    def input_proxy(self) -> InputProxy:
        """The loopback door large inputs are read through by ranges, opened at first use."""
        with self.lock:
            if self._input_proxy is None:
                self._input_proxy = InputProxy(self.send)
            return self._input_proxy

    def input_lock(self, digest: str) -> threading.Lock:
        """One download of an input at a time (two chunks of one film start together)."""
        with self.lock:
            return self._input_locks.setdefault(digest, threading.Lock())

    def send(self, method: str, url: str, *, json_body: Any = None, body: bytes = b"",
             headers: dict[str, str] | None = None, stream: bool = False) -> requests.Response:
        return messages.send(method, url, key=self.key, json_body=json_body, body=body, headers=headers,
                             session=self.session, timeout=60, stream=stream)

    def schedule_once(self) -> dict[str, Any]:
        with self.lock:
            running = [{"job": c.job_id, "lease": str(c.token), "progress": c.percent, "message": c.note}
                       for c in self.running.values()]
            free = self.slots - len(self.running) if not self.stop.is_set() else 0
        answer = _answer(self.send("POST", f"{self.node}/compute/schedule", json_body={
            "running": running, "free_slots": max(0, free), "capabilities": self.capabilities}))
        for cancel in answer.get("cancel", []):
            with self.lock:
                ctx = self.running.get(int(cancel["job"]))
            if ctx is not None and str(ctx.token) == cancel["lease"]:
                ctx.children.stop(LeaseLost(f"Job #{ctx.job_id}: {cancel['reason']}.", "Nothing is uploaded."))
        for assignment in answer.get("assign", []):
            ctx = RemoteContext(assignment, self)
            with self.lock:
                self.running[ctx.job_id] = ctx
            threading.Thread(target=self.run_attempt, args=(ctx,), name=f"job-{ctx.job_id}", daemon=True).start()
        return answer

    def loop(self) -> int:
        while not self.stop.is_set():
            try:
                answer = self.schedule_once()
            except RemoteRefused as exc:
                print(f"worker {self.name}: {exc.message} {exc.hint}", flush=True)
                if exc.status == 401:
                    return 3
                answer = {"interval_s": 5}
            except requests.RequestException as exc:
                log.warning("schedule call failed (%s); trying again", exc)
                answer = {"interval_s": 5}
            self.stop.wait(float(answer.get("interval_s", 5)))
        return 0

    def run_attempt(self, ctx: RemoteContext) -> None:
        spec = get_handler(ctx.kind)
        try:
            with attempt_scope(ctx):
                result = spec.func(ctx) or {}
                ctx.children.check()
                outputs = {name: self.upload(ctx, name, path) for name, path in ctx.outputs.items()}
            self.report(ctx, {"lease": str(ctx.token), "result": result, "outputs": outputs})
        except (LeaseLost, JobCancelled, WorkerStopping) as exc:
            log.warning("job #%s: %s", ctx.job_id, exc)
        except DastanError as exc:
            self.report(ctx, {"lease": str(ctx.token), "error": {
                "code": exc.code, "message": in_english(exc.message), "hint": in_english(exc.hint),
                "message_i18n": describe(exc.message), "hint_i18n": describe(exc.hint), "retryable": True}})
        except Exception as exc:  # noqa: BLE001 -- a handler bug is the node's to record and retry
            # The same words as a local worker's (jobs.services), so the node says them in each reader's language.
            message = i18n.gettext("%(kind)s stopped with an unexpected error: %(error)s") % {
                "kind": ctx.kind, "error": f"{type(exc).__name__}: {exc}"}
            hint = i18n.gettext("The job's log has the technical details; retry it, and report it if it fails again.")
            self.report(ctx, {"lease": str(ctx.token), "error": {
                "code": "internal_error", "message": in_english(message), "hint": in_english(hint),
                "message_i18n": describe(message), "hint_i18n": describe(hint), "retryable": True}})
        finally:
            ctx.clean_staging()
            with self.lock:
                self.running.pop(ctx.job_id, None)

    def report(self, ctx: RemoteContext, body: dict[str, Any]) -> None:
        try:
            _answer(self.send("POST", ctx.assignment["result"], json_body=body))
        except RemoteRefused as exc:
            log.warning("job #%s: result refused: %s", ctx.job_id, exc)

    def upload(self, ctx: RemoteContext, name: str, path: Path) -> dict[str, Any]:
        """Upload ``path`` with tus: resume where the node's copy ends (HEAD), then PATCH
        chunks of at most 64 MiB, each with its sha256."""
        digest, size = sha256_file(path), path.stat().st_size
        state_path = self.identity.home / "uploads.json"
        state = json.loads(state_path.read_text()) if state_path.exists() else {}
        key = f"{ctx.job_id}:{ctx.token}:{name}:{digest}"
        tus = {"Tus-Resumable": "1.0.0"}
        location = state.get(key)
        offset = 0
        if location:
            head = self.send("HEAD", location, headers=tus)
            if head.status_code == 200:
                offset = int(head.headers["Upload-Offset"])
            else:
                location = None
        if not location:
            meta = {"job": str(ctx.job_id), "lease": str(ctx.token), "name": name, "filename": path.name}
            encoded = ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in meta.items())
            created = self.send("POST", ctx.assignment["uploads"], headers={
                **tus, "Upload-Length": str(size), "Upload-Metadata": encoded})
            if created.status_code != 201:
                _answer(created)
            location = created.headers["Location"]
            state[key] = location
            state_path.write_text(json.dumps(state))
        with path.open("rb") as fh:
            while offset < size:
                ctx.children.check()
                fh.seek(offset)
                chunk = fh.read(self.chunk_bytes)
                checksum = base64.b64encode(hashlib.sha256(chunk).digest()).decode()
                answer = self.send("PATCH", location, body=chunk, headers={
                    **tus, "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream",
                    "Upload-Checksum": f"sha256 {checksum}"})
                if answer.status_code != 204:
                    _answer(answer)
                    raise RemoteRefused(gettext("Upload answered %(status)s.") % {"status": answer.status_code},
                                        gettext("Retry."))
                offset = int(answer.headers["Upload-Offset"])
        return {"upload": location.rstrip("/").rsplit("/", 1)[1], "sha256": digest, "bytes": size}


def run(*, node: str | None, token: str | None, home: Path, name: str, capabilities: list[str],
        facts: dict[str, Any], slots: int, chunk_bytes: int = CHUNK_BYTES) -> int:
    """Enrol if needed, then take jobs until SIGTERM / Ctrl-C."""
    identity = Identity(home)
    if not identity.exists():
        if not (node and token):
            raise DastanError(gettext("This worker has no identity in %(folder)s.") % {"folder": home},
                              gettext("Enrol it once: `dastan worker --remote https://node… --enrol TOKEN`."))
        enrol(node=node.rstrip("/"), token=token, identity=identity, name=name, capabilities=capabilities,
              facts=facts, slots=slots)
    worker = RemoteWorker(identity=identity, capabilities=capabilities, slots=slots,
                          chunk_bytes=chunk_bytes)

    def on_signal(signum: int, _frame: Any) -> None:
        worker.stop.set()
        with worker.lock:
            for ctx in worker.running.values():
                ctx.children.stop(WorkerStopping(f"Worker {worker.name} is stopping.", "The node requeues the job."))

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    print(f"worker {worker.name} joined {worker.node} taking jobs for: {', '.join(capabilities) or 'default'}",
          flush=True)
    code = worker.loop()
    deadline = time.monotonic() + 10
    while worker.running and time.monotonic() < deadline:
        time.sleep(0.1)
    return code
