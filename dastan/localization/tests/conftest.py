from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dastan.accounts.models import Membership
from dastan.accounts.tokens import issue_api_token
from dastan.catalog.models import Organisation, Title
from dastan.ffmpeg import base_args


@pytest.fixture
def studio(db: None) -> Organisation:
    return Organisation.objects.create(name="Lahore Pictures", slug="lahore-pictures", kind="studio",
                                       country="PK", machine_track_approvals=1)


@pytest.fixture
def member(studio: Organisation) -> Callable[[str, str], tuple[User, Client]]:
    """A user with ``role`` in the studio and an API client authenticated as them."""

    def make(username: str, role: str) -> tuple[User, Client]:
        user = User.objects.create_user(username=username, first_name=username.title(), password="x" * 12)
        Membership.objects.create(user=user, organisation=studio, role=role)
        token = issue_api_token(user=user)
        return user, Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    return make


@pytest.fixture
def film_title(studio: Organisation) -> Title:
    return Title.objects.create(slug="caravan", original_language="en", country_of_origin="PK",
                                owner=studio, kind=Title.Kind.FILM)


def ingest_spoken_film(*, title: Title, tmp_path: Path, settings: Any, video: list[str],
                       video_map: str = "0:v") -> None:
    """SPOKEN in English over 4 seconds of ``video`` (ffmpeg input arguments; the picture is
    ``video_map``), ingested and packaged for real, with its own storage and job folders."""
    from dastan.jobs.services import run_queued_jobs
    from dastan.media.services import submit_ingest

    settings.DASTAN_HOME = tmp_path / "home"  # its own voice cache and job folders
    settings.MEDIA_ROOT = tmp_path / "storage"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "storage"), "base_url": "/media/"}}}
    speech = tmp_path / "speech.wav"
    subprocess.run(["espeak-ng", "-v", "en", "-s", "150", "-w", str(speech), SPOKEN], check=True, capture_output=True)
    source = tmp_path / "film.mp4"
    speech_input = video.count("-i")  # the speech comes after the picture's inputs
    subprocess.run([*base_args(), *video, "-i", str(speech), "-map", video_map,
                    "-map", f"{speech_input}:a", "-c:v", "libx264", "-preset", "ultrafast",
                    "-pix_fmt", "yuv420p", "-c:a", "aac", "-metadata:s:a:0", "language=eng",
                    "-af", "apad", "-t", "4", str(source)], check=True, capture_output=True)
    submit_ingest(title=title, path=source)
    run_queued_jobs(worker="test")


@pytest.fixture
def published_film(film_title: Title, tmp_path: Path, settings: Any) -> Title:
    """A 4-second film saying SPOKEN in English, ingested and packaged for real."""
    ingest_spoken_film(title=film_title, tmp_path=tmp_path, settings=settings,
                       video=["-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=4"])
    # Packaging never publishes; these tests play the film as its viewers would.
    Title.objects.filter(pk=film_title.pk).update(is_published=True)
    film_title.is_published = True
    return film_title


# What the film says (a sentence Whisper base hears right from espeak-ng's voice).
SPOKEN = "My grandfather planted these trees with his own hands."

SRT = """1
00:00:00,500 --> 00:00:02,000
The caravan reached Samarkand

2
00:00:02,200 --> 00:00:03,800
at dawn, with 40 camels.
"""
