"""A remote worker reads a large input by ranges (dastan/jobs/remote/input_proxy.py): ffmpeg
reads the node's signed input link through a loopback door that signs each of its
requests, and a slice of a film costs about that slice's bytes, not the whole file, with
the very frames read from the file itself. Against a real node door (live_server)."""

from __future__ import annotations

import functools
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import requests
from django.core.files.storage import default_storage

from dastan.ffmpeg import base_args
from dastan.jobs.remote.input_proxy import InputProxy
from dastan.jobs.services import submit_job
from dastan.jobs.tests.test_remote_transfer import enrolled
from dastan.signing import messages

pytestmark = pytest.mark.django_db(transaction=True)


def _frames(source: str) -> list[str]:
    """The decoded frames' checksums of seconds 20–22 of ``source``, seeking as a chunk does."""
    done = subprocess.run([*base_args(), "-ss", "20", "-t", "2", "-i", source, "-map", "0:v", "-f", "framemd5", "-"],
                          capture_output=True, text=True, check=True, timeout=120)
    return [line for line in done.stdout.splitlines() if not line.startswith("#")]


def test_a_slice_of_a_large_input_read_by_ranges_costs_its_bytes_and_gives_the_same_frames(
        live_server: Any, tmp_path: Path) -> None:
    film = tmp_path / "film.mp4"
    subprocess.run([*base_args(), "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=40",
                    "-vf", "noise=alls=30:allf=t", "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "4M",
                    "-g", "25", str(film)], check=True, timeout=300)
    with film.open("rb") as fh:
        name = default_storage.save("compute-tests/film.mp4", fh)
    size = film.stat().st_size
    _worker, key = enrolled()
    submit_job(kind="test.remote_digest", params={"source": name, "final_dir": str(tmp_path)})
    send = functools.partial(messages.send, key=key, session=requests.Session(), timeout=60)
    answer = send("POST", f"{live_server.url}/compute/schedule", json_body={"running": [], "free_slots": 1})
    [assignment] = answer.json()["assign"]
    proxy = InputProxy(send)
    try:
        url = proxy.open(assignment["inputs"]["source"])
        assert _frames(url) == _frames(str(film))  # the same frames, 50 of them
        assert len(_frames(str(film))) == 50
        fetched = proxy.close(url)
        # The index and about two of forty seconds (and what ffmpeg had asked for when it stopped).
        assert 0 < fetched < size / 2, (fetched, size)
        # A name the door does not know (or no longer knows) opens nothing.
        assert requests.get(url, timeout=10).status_code == 404
    finally:
        proxy.shutdown()


def test_an_unsigned_or_foreign_request_through_the_door_is_refused_by_the_node(live_server: Any) -> None:
    """The door signs with the worker's key: the node still decides (a stranger's key, 409)."""
    with (Path(__file__).parent / "__init__.py").open("rb") as fh:
        name = default_storage.save("compute-tests/small.bin", fh)
    _worker, key = enrolled("w1")
    _other, stranger = enrolled("w2")
    submit_job(kind="test.remote_digest", params={"source": name, "final_dir": "/nonexistent"})
    send = functools.partial(messages.send, key=key, session=requests.Session(), timeout=60)
    [assignment] = send("POST", f"{live_server.url}/compute/schedule",
                        json_body={"running": [], "free_slots": 1}).json()["assign"]
    proxy = InputProxy(functools.partial(messages.send, key=stranger, session=requests.Session(), timeout=60))
    try:
        refused = requests.get(proxy.open(assignment["inputs"]["source"]), timeout=30)
        assert refused.status_code == 409
        assert json.loads(refused.content)["code"]  # the node's reason comes through
    finally:
        proxy.shutdown()
