"""Starting media work as jobs: the ingest → transcode → package graph, and adding a
track to a published film in the background."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dastan.catalog.models import Title
from dastan.jobs.models import Job
from dastan.jobs.services import submit_job
from dastan.media.models import Upload


def submit_ingest(*, title: Title, path: Path | None = None, source_name: str = "",
                  filename: str = "", upload: Upload | None = None,
                  created_by: Any = None) -> tuple[Job, Job, Job]:
    """Queue ``media.ingest`` → ``media.transcode`` → ``media.package`` for a source file:
    a local ``path`` (seen by workers only on this host, or a shared disk) or a
    ``source_name`` in the media storage (seen by every worker). Each job waits for the
    one before; a refused file fails the first and cancels the others with the reason."""
    if (path is None) == (not source_name):
        raise ValueError("submit_ingest needs exactly one of path and source_name")
    params = {"title_id": title.pk, "path": str(path) if path else "", "source_name": source_name,
              "filename": filename or (path.name if path else source_name.rsplit("/", 1)[-1]),
              "upload_id": str(upload.pk) if upload else ""}
    ingest = submit_job(kind="media.ingest", target=title, params=params, created_by=created_by)
    transcode = submit_job(kind="media.transcode", target=title, params={"title_id": title.pk},
                           parents=[ingest], created_by=created_by)
    package = submit_job(kind="media.package", target=title, params={"title_id": title.pk},
                         parents=[transcode], created_by=created_by)
    return ingest, transcode, package
