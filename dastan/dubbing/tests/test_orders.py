"""Mixing and publishing a human dub are jobs: the API answers 202 with the job, refuses
at once what it can tell (no takes, a consent that does not cover a territory) without
queueing anything, and the job's progress is readable while it runs."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from dastan.catalog.models import Organisation
from dastan.dubbing.casting import cast_character
from dastan.dubbing.models import HumanDub
from dastan.dubbing.orders import MIX, PUBLISH
from dastan.dubbing.takes import record_take_file
from dastan.dubbing.tests.factories import actor_consent
from dastan.jobs.models import Job, JobState
from dastan.jobs.services import run_queued_jobs
from dastan.localization.models import SubtitleTrack

from .conftest import espeak

pytestmark = [pytest.mark.slow]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _watch(job_id: int, seen: list[tuple[str, int, str]], stop: threading.Event) -> None:
    """What a page polling the job would read, every 20 ms, from another connection."""
    from django.db import connection

    try:
        while not stop.is_set():
            row = Job.objects.filter(pk=job_id).values_list("state", "progress", "message").first()
            if row and (not seen or seen[-1] != row):
                seen.append(row)
            time.sleep(0.02)
    finally:
        connection.close()


def _run_watching(job_id: int) -> list[tuple[str, int, str]]:
    seen: list[tuple[str, int, str]] = []
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(job_id, seen, stop))
    watcher.start()
    try:
        run_queued_jobs(worker="test")
    finally:
        time.sleep(0.1)
        stop.set()
        watcher.join()
    return seen


def test_mixing_and_publishing_are_jobs_with_progress_and_refusals_come_at_once(
    transactional_db: None,
    ru_track: SubtitleTrack,
    studio: Organisation,
    member: Callable[..., Any],
    tmp_path: Path,
) -> None:
    producer, reviewer = member("lola", "editor"), member("amina", "reviewer")
    dana = actor_consent(by=producer, organisation=studio)
    for speaker in ("ANNA", "BORIS"):
        cast_character(by=producer, track=ru_track, speaker=speaker, consent=dana)
    url = f"/api/v1/dubbing/tracks/{ru_track.pk}/human-dub"

    refused = _client(producer).post(url, {"mode": "voice-over"}, content_type="application/json")
    assert (
        refused.status_code == 422 and refused.json()["message"] == "No cue has a chosen take yet."
    )
    assert not Job.objects.filter(kind=MIX).exists()  # nothing queued for what cannot work

    for cue in ru_track.cues.all():
        record_take_file(
            by=producer,
            cue=cue,
            recording=espeak(cue.text, tmp_path / f"{cue.pk}.wav"),
            preroll_ms=0,
        )
    ordered = _client(producer).post(url, {"mode": "voice-over"}, content_type="application/json")
    assert ordered.status_code == 202, ordered.content
    job_id = ordered.json()["job_id"]
    assert ordered.json()["kind"] == MIX and ordered.json()["state"] == JobState.QUEUED
    again = _client(producer).post(url, {"mode": "voice-over"}, content_type="application/json")
    assert again.json()["job_id"] == job_id  # one mix at a time per track
    status = _client(reviewer).get(url).json()
    assert status["dub"] is None and status["jobs"][0]["state"] == JobState.QUEUED

    seen = _run_watching(job_id)
    running = [
        (pct, what) for state, pct, what in seen if state == JobState.RUNNING and 0 < pct < 100
    ]
    assert len({pct for pct, _ in running}) >= 2, seen  # progress moved while it ran
    assert any("placing every voice" in what for _, what in running), seen
    status = _client(reviewer).get(url).json()
    assert status["jobs"][0] == {**status["jobs"][0], "state": JobState.SUCCEEDED, "progress": 100}
    assert status["dub"]["state"] == HumanDub.State.IN_REVIEW
    print("mix job progress seen by a poller:", [(s, p) for s, p, _ in seen])

    assert _client(reviewer).post(f"{url}/approve").status_code == 200
    outside = _client(reviewer).post(
        f"{url}/publish", {"territories": ["CN"]}, content_type="application/json"
    )
    assert outside.status_code == 409
    assert "Dana Karimova's consent does not cover the territory CN" in outside.json()["message"]
    assert not Job.objects.filter(kind=PUBLISH).exists()

    published = _client(reviewer).post(
        f"{url}/publish", {"territories": ["KZ"]}, content_type="application/json"
    )
    assert published.status_code == 202 and published.json()["kind"] == PUBLISH
    seen = _run_watching(published.json()["job_id"])
    assert any(state == JobState.RUNNING and 10 <= pct < 100 for state, pct, _ in seen), seen
    dub = HumanDub.objects.get(track=ru_track)
    assert dub.state == HumanDub.State.PUBLISHED and dub.territories == ["KZ"] and dub.rendition_id
