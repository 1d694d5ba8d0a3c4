"""National nodes as real processes for the federation tests: each its own `dastan serve`
(gunicorn), home folder and database (SQLite, or a PostgreSQL database made and dropped
here), with its public address known before it starts (its key ids carry it)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dastan_testing.nodes import Node, free_port, migrated_sqlite, stop_process_group

SCRIPT_HEAD = "import json, sys, django; django.setup()\n"


@dataclass
class National:
    """One running node: its Node (env, database) and its address."""

    name: str
    node: Node
    url: str
    proc: subprocess.Popen[str] | None = None

    def dastan(self, *args: str) -> str:
        return self.node.dastan(*args)

    def run(self, script: str, *args: str) -> Any:
        """Run Python with Django set up on this node; returns the JSON its last line prints."""
        done = subprocess.run([sys.executable, "-c", SCRIPT_HEAD + script, *args], env=self.node.env(),
                              capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            raise AssertionError(f"script on {self.name} failed:\n{done.stdout}\n{done.stderr}")
        lines = done.stdout.strip().splitlines()
        return json.loads(lines[-1]) if lines else None

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return self.node.query(sql, params)

    def get(self, path: str, *, country: str = "") -> tuple[int, str]:
        headers = {"X-Country-Code": country} if country else {}
        request = urllib.request.Request(self.url + path, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def log(self) -> str:
        path = self.node.home / "serve.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""


def make_node(root: Path, name: str, country: str, *, database_url: str | None = None,
              env: dict[str, str] | None = None) -> National:
    home = root / name
    home.mkdir(parents=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    node = Node(home=home, database_url=database_url or migrated_sqlite(home / "dastan.sqlite3"),
                broker_url=f"sqla+sqlite:///{home / 'broker.sqlite3'}", queue_prefix=f"{name}.", lease_s=None,
                extra_env={"DASTAN_NODE_NAME": name, "DASTAN_NODE_COUNTRY": country, "DASTAN_PUBLIC_URL": url,
                           "DASTAN_SERVE_WORKER": "none", "DASTAN_FEDERATION_SYNC_S": "0",  # by hand, unless a test says
                           "DASTAN_FEDERATION_ALLOW_PRIVATE": "true",  # peers on loopback, plain HTTP
                           # viewers' country comes from the proxy in front of the node
                           "DASTAN_TRUSTED_PROXIES": "127.0.0.1", "DASTAN_TERRITORY_HEADERS": "X-Country-Code",
                           **(env or {})})
    return National(name=name, node=node, url=url)


def start(national: National) -> None:
    port = national.url.rsplit(":", 1)[1]
    log = (national.node.home / "serve.log").open("a")
    proc = subprocess.Popen([sys.executable, "-m", "dastan.cli", "serve", "--port", port, "--web-workers", "1"],
                            env=national.node.env(), stdout=subprocess.PIPE, stderr=log, text=True,
                            start_new_session=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if "Dastan is running at" in line:
            break
    else:
        raise AssertionError(f"`dastan serve` of {national.name} did not start:\n{national.log()}")
    threading.Thread(target=proc.stdout.read, daemon=True).start()
    national.proc = proc


def stop(national: National) -> None:
    if national.proc is not None:
        stop_process_group(national.proc)
        national.proc = None


@contextmanager
def running(*nationals: National) -> Iterator[None]:
    try:
        for national in nationals:
            start(national)
        yield
    finally:
        for national in nationals:
            stop(national)


PUBLISH = """
from datetime import date
from dastan.catalog.models import Organisation
from dastan.catalog.services import create_title, set_title_text
from dastan.rights.actions import grant_licence
from dastan.rights.tests.factories import terms
spec = json.loads(sys.argv[1])
owner, _ = Organisation.objects.get_or_create(slug=spec.get("owner", "lahore-films"), defaults={
    "name": "Lahore Films", "kind": "studio", "country": "PK"})
made = []
titles = spec.get("titles") or [{"slug": f"drama-{i:05d}", "ur": f"ڈرامہ {i}", "en": f"Drama {i}",
                                 "licences": {f"PK-{i:05d}": ["KZ"]}} for i in range(spec.get("many", 0))]
for t in titles:
    title = create_title(by=None, owner=owner, slug=t["slug"], kind="film", original_language="ur",
                         country_of_origin="PK", name=t["ur"], year=2012, is_published=True)
    set_title_text(by=None, title=title, language="en", name=t["en"], synopsis=t.get("synopsis", ""))
    if t.get("zh"):
        set_title_text(by=None, title=title, language="zh-hans", name=t["zh"])
    for ref, countries in t.get("licences", {}).items():
        grant_licence.execute(terms=terms(ref, title_id=title.pk, territories=tuple(countries),
                                          start=date(2020, 1, 1), end=None), licensor=owner)
    made.append(title.slug)
print(json.dumps(made))
"""


FILM = """
import subprocess, tempfile
from datetime import date
from pathlib import Path
from dastan.catalog.models import Organisation
from dastan.catalog.services import create_title, set_title_text
from dastan.jobs.services import run_queued_jobs
from dastan.media.services import submit_ingest
from dastan.rights.actions import grant_licence
from dastan.rights.tests.factories import terms
spec = json.loads(sys.argv[1])
owner, _ = Organisation.objects.get_or_create(slug="lahore-films", defaults={
    "name": "Lahore Films", "kind": "studio", "country": "PK"})
title = create_title(by=None, owner=owner, slug=spec["slug"], kind="film", original_language="ur",
                     country_of_origin="PK", name=spec["ur"], year=2012, is_published=True)
set_title_text(by=None, title=title, language="en", name=spec["en"], synopsis=spec.get("synopsis", ""))
if spec.get("zh"):
    set_title_text(by=None, title=title, language="zh-hans", name=spec["zh"], synopsis=spec.get("zh_synopsis", ""))
for ref, countries in spec["licences"].items():
    grant_licence.execute(terms=terms(ref, title_id=title.pk, territories=tuple(countries), start=date(2020, 1, 1),
                                      end=None, download_allowed=bool(spec.get("download"))), licensor=owner)
source = Path(tempfile.mkdtemp()) / "film.mp4"
seconds = str(spec.get("seconds", 8))
subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", f"testsrc2=size=320x180:rate=25:duration={seconds}",
                "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}", "-c:v", "libx264", "-preset",
                "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-metadata:s:a:0", "language=urd",
                "-t", seconds, str(source)], check=True, capture_output=True)
submit_ingest(title=title, path=source)
run_queued_jobs(worker="test")
print(json.dumps(title.slug))
"""
