"""A published 8-second film with four cues of two characters, and the people of its studio."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from dastan.accounts.models import Membership
from dastan.catalog.models import Organisation, Title
from dastan.ffmpeg import base_args
from dastan.localization.models import SubtitleTrack
from dastan.localization.tracks import CueData, create_track

# (start, end, speaker, line): what the dub's cues say, in Russian and in English for espeak.
CUES = [(500, 2000, "ANNA", "Караван пришёл в Самарканд."), (2500, 4000, "BORIS", "На рассвете."),
        (4500, 6000, "ANNA", "С сорока верблюдами."), (6500, 7800, "BORIS", "Добро пожаловать.")]
FILM_S = 8


def espeak(text: str, out: Path, *, voice: str = "ru", rate_hz: int = 48000) -> Path:
    raw = out.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-s", "160", "-w", str(raw), text], check=True, capture_output=True)
    subprocess.run([*base_args(), "-i", str(raw), "-ar", str(rate_hz), "-ac", "1", str(out)],
                   check=True, capture_output=True)
    return out


@pytest.fixture
def studio(db: None) -> Organisation:
    return Organisation.objects.create(name="Samarkand Sound", slug="samarkand-sound", kind="studio", country="UZ")


@pytest.fixture
def member(studio: Organisation) -> Callable[[str, str], User]:
    def make(username: str, role: str) -> User:
        user = User.objects.create_user(username=username, first_name=username.title(), password="x" * 12)
        Membership.objects.create(user=user, organisation=studio, role=role)
        return user

    return make


@pytest.fixture
def published_film(studio: Organisation, tmp_path: Path, settings: Any) -> Title:
    """An 8 s film (a tone as its sound), ingested and packaged for real."""
    from dastan.jobs.services import run_queued_jobs
    from dastan.media.services import submit_ingest

    settings.DASTAN_HOME = tmp_path / "home"
    settings.MEDIA_ROOT = tmp_path / "storage"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "storage"), "base_url": "/media/"}}}
    title = Title.objects.create(slug="caravan", original_language="en", country_of_origin="UZ", owner=studio,
                                 kind=Title.Kind.FILM)
    source = tmp_path / "film.mp4"
    subprocess.run([*base_args(), "-f", "lavfi", "-i", f"testsrc2=size=320x180:rate=25:duration={FILM_S}",
                    "-f", "lavfi", "-i", f"sine=frequency=220:duration={FILM_S}:sample_rate=48000",
                    "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", "-af", "volume=-20dB", "-metadata:s:a:0", "language=eng", "-t", str(FILM_S),
                    str(source)], check=True, capture_output=True)
    submit_ingest(title=title, path=source)
    run_queued_jobs(worker="test")
    Title.objects.filter(pk=title.pk).update(is_published=True)
    title.is_published = True
    return title


@pytest.fixture
def ru_track(published_film: Title) -> SubtitleTrack:
    track = create_track(title=published_film, language="ru", origin=SubtitleTrack.Origin.HUMAN,
                         cues=[CueData(s, e, text, who) for s, e, who, text in CUES])
    SubtitleTrack.objects.filter(pk=track.pk).update(state=SubtitleTrack.State.APPROVED)
    track.refresh_from_db()
    return track


def cue_stem(out: Path, lines: list[tuple[int, Path]], *, clip_at: int | None = None,
             rate_hz: int = 48000, seconds: float = FILM_S) -> Path:
    """A stem of ``seconds``: each (start ms, WAV) placed at its start; the line at
    ``clip_at`` ms is driven 24 dB into clipping."""
    inputs, graph = [], []
    for n, (start, wav) in enumerate(lines):
        inputs += ["-i", str(wav)]
        boost = ",volume=24dB" if start == clip_at else ""
        graph.append(f"[{n}:a]aresample={rate_hz},adelay={start}:all=1{boost}[a{n}]")
    mix = "".join(f"[a{n}]" for n in range(len(lines)))
    graph.append(f"{mix}amix=inputs={len(lines)}:normalize=0,apad,atrim=0:{seconds}[out]")
    subprocess.run([*base_args(), *inputs, "-filter_complex", ";".join(graph), "-map", "[out]",
                    "-ar", str(rate_hz), "-ac", "1", "-c:a", "pcm_s16le", str(out)], check=True, capture_output=True)
    return out
