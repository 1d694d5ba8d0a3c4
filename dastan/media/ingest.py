"""Ingest: checksum, probe and validate a source, then keep it as the title's mezzanine.

Nothing is written until the file has passed: a refused file leaves the catalog, the
media tables and storage as they were.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from dastan.catalog.models import Title
from dastan.i18n import describe, gettext, refill
from dastan.media import storage
from dastan.media.errors import ProbeFailed
from dastan.media.models import MediaAsset, Upload
from dastan.media.probe import ProbeResult, probe_file
from dastan.media.validate import check_mezzanine, recorded_corrections


def sha256_of(path: Path, *, chunk_bytes: int = 4 * 1024 * 1024) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(chunk_bytes):
            digest.update(chunk)
    return digest.hexdigest()


@contextlib.contextmanager
def source_file(*, path: str, source_name: str) -> Iterator[Path]:
    """The ingest's source as a local file: ``path`` itself, or a local copy of
    ``source_name`` from the media storage (a finished upload), so that a worker on
    another host than the web node that received the upload can read it. Raises
    SourceMissing when the stored bytes are gone (expired, or the upload cancelled)."""
    from dastan.media.errors import SourceMissing

    if not source_name:
        yield Path(path)
        return
    if not default_storage.exists(source_name):
        raise SourceMissing(gettext("The uploaded file '%(name)s' is no longer in the media storage.")
                            % {"name": source_name},
                            gettext("Upload the film again; finished uploads are kept for a day "
                                    "(DASTAN_UPLOAD_EXPIRY_S) waiting for their ingest."))
    with storage.local_copy(source_name) as local:
        yield local


def release_upload_bytes(*, upload: Upload) -> None:
    """Forget a finished upload's stored bytes once its film is kept as a mezzanine."""
    if upload.storage_name:
        default_storage.delete(upload.storage_name)
        Upload.objects.filter(pk=upload.pk).update(storage_name="")


@dataclass(frozen=True, slots=True)
class SourceReport:
    sha256: str
    size_bytes: int
    probe: ProbeResult
    corrections: tuple[str, ...]


def inspect_source(*, path: Path, filename: str) -> SourceReport:
    """Checksum, probe and judge ``path``; writes nothing. Raises ProbeFailed or
    MediaRefused with the reason and the fix."""
    digest = sha256_of(path)
    try:
        probe = probe_file(path)
    except ProbeFailed as exc:
        # The probe names the file it read: for an upload that is the server's own copy
        # ("source.bin", "12.part"), which the person who sent "film.mov" never saw.
        if not filename or filename == path.name:
            raise
        named = describe(exc.message).get("params", {}).get("name") == path.name
        message = (refill(exc.message, name=filename) if named
                   else exc.message.replace(f"'{path.name}'", f"'{filename}'"))
        raise ProbeFailed(message, exc.hint, code=exc.code) from exc
    corrections = check_mezzanine(probe, filename=filename)
    return SourceReport(sha256=digest, size_bytes=path.stat().st_size, probe=probe,
                        corrections=tuple(corrections))


def store_mezzanine_file(*, title: Title, path: Path, filename: str, report: SourceReport) -> str:
    """Copy the source into storage under a name made of its checksum (so a retry writes
    the same bytes to the same name); returns the name. Records nothing."""
    suffix = Path(filename).suffix.lower() or ".bin"
    name = f"titles/{title.slug}/mezzanine/{report.sha256[:16]}{suffix}"
    existing = MediaAsset.objects.filter(title=title, sha256=report.sha256).first()
    return existing.storage_name if existing else storage.store_file(path, name)


def record_mezzanine(*, title: Title, stored: str, filename: str, report: SourceReport,
                     upload: Upload | None = None) -> MediaAsset:
    """The asset row for a stored source. Idempotent per (title, sha256)."""
    existing = MediaAsset.objects.filter(title=title, sha256=report.sha256).first()
    if existing is not None:
        return existing
    summary = {**report.probe.as_dict(), **recorded_corrections(report.corrections)}
    try:
        with transaction.atomic():
            return MediaAsset.objects.create(
                title=title, upload=upload, source_filename=filename, storage_name=stored,
                sha256=report.sha256, size_bytes=report.size_bytes, probe=summary)
    except IntegrityError:  # the same file ingested at the same moment by another job
        return MediaAsset.objects.get(title=title, sha256=report.sha256)


def ingest_file(*, title: Title, path: Path, filename: str = "",
                upload: Upload | None = None) -> MediaAsset:
    """Validate ``path`` and store it as a mezzanine of ``title`` (inspect_source, then
    store_mezzanine_file and record_mezzanine). The same bytes for the same title return the existing asset.
    Raises ProbeFailed / MediaRefused; nothing is stored then."""
    filename = filename or path.name
    digest = sha256_of(path)
    existing = MediaAsset.objects.filter(title=title, sha256=digest).first()
    if existing is not None:
        return existing
    report = inspect_source(path=path, filename=filename)
    stored = store_mezzanine_file(title=title, path=path, filename=filename, report=report)
    return record_mezzanine(title=title, stored=stored, filename=filename, report=report, upload=upload)
