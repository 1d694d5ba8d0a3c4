from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dastan.catalog.models import Title
from dastan.jobs.services import run_queued_jobs
from dastan.media.services import submit_ingest
from dastan.media.tests.films import film, two_language_film


@pytest.fixture(autouse=True)
def _media_root(tmp_path: Path, settings: object) -> object:
    # Each test gets its own storage folder, so "storage unchanged" is checkable.
    root = tmp_path / "storage"
    root.mkdir()
    # Through the settings wrapper, which undoes every change of the test in order (a
    # nested override_settings was undone first, and the wrapper then put back a snapshot
    # taken inside it, leaking this folder into later tests).
    settings.STORAGES = {**settings.STORAGES, "default": {  # type: ignore[attr-defined]
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(root), "base_url": "/media/"}}}
    settings.DASTAN_X264_PRESET = "ultrafast"  # type: ignore[attr-defined]
    return root


@pytest.fixture
def title(db: None) -> Title:
    # Listed, so that its stream reaches viewers once packaged; tests of unpublished
    # titles unlist it themselves.
    return Title.objects.create(slug="maula-jatt-test", original_language="ur", country_of_origin="PK",
                                kind=Title.Kind.FILM, is_published=True)


@pytest.fixture
def small_film(tmp_path: Path) -> Path:
    return film(tmp_path / "small.mp4", seconds=3, size="640x360")


@pytest.fixture
def bilingual_film(tmp_path: Path) -> Path:
    return two_language_film(tmp_path / "bilingual.mp4", tmp_path, seconds=4, size="640x360")


def stored_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def small_film_bytes(small_film: Path) -> bytes:
    return small_film.read_bytes()


@pytest.fixture
def published(title: Title, bilingual_film: Path) -> Title:
    """The bilingual film ingested, packaged and published (the in-process worker)."""
    submit_ingest(title=title, path=bilingual_film)
    run_queued_jobs(worker="test")
    return title


def response_text(response: Any) -> str:
    """A response's body as text, streamed (FileResponse) or not."""
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode()
