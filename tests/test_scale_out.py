"""The README's scale-out recipe, run for real: a web node and a worker as separate
processes with different DASTAN_HOMEs and media roots, sharing only PostgreSQL, Redis and
an S3-compatible object store (moto's standalone server, started here). A film made
with ffmpeg is uploaded through tus to the web node, ingested and published by the
worker, and played back: the master playlist from the web node, a segment through the
signed storage URL it leads to.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import replace
from http.cookiejar import CookieJar
from pathlib import Path

import m3u8
import pytest
from tusclient.client import TusClient

from dastan.media.tests.films import film
from dastan_testing.nodes import Node, free_port, postgres_database

pytestmark = [pytest.mark.services, pytest.mark.slow]

BUCKET = "dastan-media"
S3_KEYS = {"DASTAN_S3_ACCESS_KEY": "testing", "DASTAN_S3_SECRET_KEY": "testing",
           "DASTAN_S3_REGION": "us-east-1"}
SETUP = """
import django; django.setup()
from datetime import date
from django.contrib.auth import get_user_model
from dastan.accounts.models import Membership
from dastan.accounts.tokens import issue_api_token
from dastan.catalog.models import Organisation, Title
from dastan.rights.actions import grant_licence
from dastan.rights.tests.factories import terms
studio = Organisation.objects.create(name="Steppe Pictures", slug="steppe", kind="studio", country="KZ")
editor = get_user_model().objects.create_user(username="editor", password="x" * 12)
Membership.objects.create(user=editor, organisation=studio, role=Membership.Role.ADMIN)
title = Title.objects.create(slug="far-film", original_language="kk", country_of_origin="KZ",
                             owner=studio, is_published=True)
grant_licence.execute(terms=terms("KZ-AVOD-1", title_id=title.pk, territories=("KZ",),
                                  start=date(2020, 1, 1), end=None), licensor=studio)
print(issue_api_token(user=editor))
"""



def _wait_for_port(port: int, proc: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{what} did not start (exit {proc.poll()})") from None
            time.sleep(0.2)


@pytest.fixture
def s3_url(tmp_path: Path) -> Iterator[str]:
    """moto's S3 server as its own process, with the media bucket made."""
    import boto3

    port = free_port()
    with (tmp_path / "moto.log").open("wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_for_port(port, proc, "moto's S3 server")
        url = f"http://127.0.0.1:{port}"
        boto3.client("s3", endpoint_url=url, aws_access_key_id="testing", aws_secret_access_key="testing",
                     region_name="us-east-1").create_bucket(Bucket=BUCKET)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture
def shared(tmp_path: Path, postgres_url: str, redis_url: str, s3_url: str) -> Iterator[Node]:
    """What the hosts share: a PostgreSQL database of its own, a Redis queue prefix of its
    own, the bucket. Each host gets its own home and media root from this."""
    import redis

    prefix = f"dastan-scale-{uuid.uuid4().hex[:8]}."
    with postgres_database(postgres_url, prefix="dastan_scale") as database_url:
        node = Node(home=tmp_path, database_url=database_url,
                    broker_url=redis_url, queue_prefix=prefix, lease_s=30,
                    extra_env={"DASTAN_S3_BUCKET": BUCKET, "DASTAN_S3_ENDPOINT_URL": s3_url, **S3_KEYS,
                               # viewers' country comes from the proxy in front of the web node
                               "DASTAN_TRUSTED_PROXIES": "127.0.0.1", "DASTAN_TERRITORY_HEADERS": "X-Country-Code"})
        try:
            yield node
        finally:
            client = redis.Redis.from_url(redis_url)
            for key in client.scan_iter(f"{prefix}*"):
                client.delete(key)


def _host(shared: Node, root: Path, **env: str) -> Node:
    root.mkdir()
    return replace(shared, home=root, extra_env={**shared.extra_env, "DASTAN_MEDIA_ROOT": str(root / "media"),
                                                 **env})


def _serve(web: Node) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    err = (web.home / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "dastan.cli", "serve", "--port", str(port),
                             "--web-workers", "1"], env=web.env(), stdout=subprocess.PIPE, stderr=err,
                            text=True, start_new_session=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if "Dastan is running at" in line:
            return proc, line.split("Dastan is running at", 1)[1].strip()
    raise AssertionError(f"`dastan serve` printed no URL:\n{(web.home / 'serve.log').read_text()}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


# One viewer's browser: media links are bound to the session cookie that received them.
_BROWSER = urllib.request.build_opener(_NoRedirect, urllib.request.HTTPCookieProcessor(CookieJar()))


def _get(url: str) -> tuple[int, bytes, str]:
    """GET as the viewer's browser, without following redirects: (status, body, Location)."""
    opener = _BROWSER
    deadline = time.monotonic() + 30
    while True:
        try:
            request = urllib.request.Request(url, headers={"X-Country-Code": "KZ"})  # as the proxy says
            with opener.open(request, timeout=60) as response:
                return response.status, response.read(), response.headers.get("Location", "")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read(), exc.headers.get("Location", "")
        except urllib.error.URLError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_film_uploaded_to_the_web_node_is_published_by_a_worker_on_another_host_and_plays_from_s3(
        tmp_path: Path, shared: Node, s3_url: str, worker_pool: list[object]) -> None:
    import boto3

    web = _host(shared, tmp_path / "web-host", DASTAN_SERVE_WORKER="none")
    farm = _host(shared, tmp_path / "farm-host")
    proc, url = _serve(web)
    try:
        token = subprocess.run([sys.executable, "-c", SETUP], env=web.env(), capture_output=True, text=True,
                               check=True, timeout=120).stdout.strip().splitlines()[-1]
        worker = farm.start_worker("farm-1", can="transcode", log_dir=tmp_path)
        worker_pool.append(worker)

        source = film(tmp_path / "far-film.mp4", seconds=3, size="640x360")
        client = TusClient(f"{url}media/tus/", headers={"Authorization": f"Bearer {token}"})
        uploader = client.uploader(file_path=str(source), chunk_size=256 * 1024,
                                   metadata={"filename": "far-film.mp4", "title": "far-film"})
        uploader.upload()

        [(package_id,)] = web.query("SELECT id FROM jobs_job WHERE kind = 'media.package'")
        row = web.wait_for(package_id, lambda r: r["state"] in ("succeeded", "failed", "cancelled"),
                           timeout_s=300, workers=[worker])
        assert row["state"] == "succeeded", (row, web.events(package_id))
        ran_on = {kind: w for kind, w in web.query("SELECT kind, worker FROM jobs_job")}
        assert ran_on["media.ingest"] == ran_on["media.package"] == "farm-1"

        # Every byte went through the bucket: neither host keeps media on its own disk.
        assert _files_under(web.home / "media") == [] and _files_under(farm.home / "media") == []
        assert _files_under(web.home / "uploads") == []
        s3 = boto3.client("s3", endpoint_url=s3_url, aws_access_key_id="testing",
                          aws_secret_access_key="testing", region_name="us-east-1")
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
        assert any(k.startswith("titles/far-film/mezzanine/") for k in keys)
        assert not [k for k in keys if k.startswith("uploads/")]  # the ingest released the upload

        status, body, _ = _get(f"{url}media/watch/far-film/master.m3u8")
        assert status == 200, body
        master = m3u8.loads(body.decode(), uri=f"{url}media/watch/far-film/")
        playlist_url = urllib.parse.urljoin(url, master.playlists[0].absolute_uri)
        status, body, _ = _get(playlist_url)
        assert status == 200, body
        media = m3u8.loads(body.decode())
        segment_url = urllib.parse.urljoin(playlist_url, media.segments[0].uri)
        status, _, location = _get(segment_url)
        assert status == 302 and location.startswith(f"{s3_url}/{BUCKET}/titles/far-film/")
        assert "Signature=" in location  # signed by the storage, not a public object
        status, segment, _ = _get(location)
        assert status == 200 and len(segment) > 1000
    finally:
        proc.terminate()
        proc.wait(timeout=30)
