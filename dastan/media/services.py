"""Starting media work as jobs: the ingest → transcode → package graph, and adding a
track to a published film in the background."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dastan.catalog.models import Title
from dastan.jobs.models import Job
from dastan.jobs.services import submit_job
from dastan.media.models import Upload


def submit_ingest(*, title: Title, path: Path, filename: str = "", upload: Upload | None = None,
                  created_by: Any = None) -> tuple[Job, Job, Job]:
    """Queue ``media.ingest`` → ``media.transcode`` → ``media.package`` for a source file.
    Each job waits for the one before; a refused file fails the first and cancels the
    others with the reason."""
    params = {"title_id": title.pk, "path": str(path), "filename": filename or path.name,
              "upload_id": str(upload.pk) if upload else ""}
    ingest = submit_job(kind="media.ingest", target=title, params=params, created_by=created_by)
    transcode = submit_job(kind="media.transcode", target=title, params={"title_id": title.pk},
                           parents=[ingest], created_by=created_by)
    package = submit_job(kind="media.package", target=title, params={"title_id": title.pk},
                         parents=[transcode], created_by=created_by)
    return ingest, transcode, package
