"""Resumable uploads (the domain side of tus 1.0; tus.py speaks the HTTP).

An upload's bytes grow in a local file under DASTAN_HOME/uploads/ (appending needs a
local file); when the last byte arrives its sha256 is recorded and, if the upload names
a title, the ingest job graph is queued. Limits are checked before a byte is written.

Settings (all optional): DASTAN_UPLOAD_MAX_BYTES (default 200 GiB),
DASTAN_UPLOAD_FREE_DISK_RESERVE_BYTES (default 2 GiB kept free),
DASTAN_UPLOAD_EXPIRY_S (default 24 h without progress).
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import shutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from dastan.errors import NotFound
from dastan.media.errors import (
    ChecksumMismatch,
    InsufficientStorage,
    OffsetMismatch,
    UploadError,
    UploadGone,
    UploadTooLarge,
)
from dastan.media.models import Upload

CHECKSUM_ALGORITHMS: dict[str, Callable[[], Any]] = {"sha256": hashlib.sha256, "sha1": hashlib.sha1}
READ_BYTES = 1024 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "DASTAN_UPLOAD_MAX_BYTES", 200 * 1024**3))


def free_disk_reserve_bytes() -> int:
    return int(getattr(settings, "DASTAN_UPLOAD_FREE_DISK_RESERVE_BYTES", 2 * 1024**3))


def expiry_s() -> int:
    return int(getattr(settings, "DASTAN_UPLOAD_EXPIRY_S", 24 * 3600))


def upload_dir() -> Path:
    path = Path(settings.DASTAN_HOME) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def part_path(upload: Upload) -> Path:
    return upload_dir() / f"{upload.pk}.part"


def _gib(n: int) -> str:
    return f"{n / 1024**3:.1f} GiB"


def check_upload_size(length_bytes: int) -> None:
    if length_bytes < 0:
        raise UploadError("The upload's length is negative.", "Send Upload-Length in bytes.")
    if length_bytes > max_upload_bytes():
        raise UploadTooLarge(
            f"This file is {_gib(length_bytes)}; this node accepts uploads up to "
            f"{_gib(max_upload_bytes())}.",
            "Export a smaller master (a mezzanine codec such as ProRes 422 LT or high-bitrate "
            "H.264), or ask the node's operator to raise DASTAN_UPLOAD_MAX_BYTES.")
    free = shutil.disk_usage(upload_dir()).free
    if length_bytes > free - free_disk_reserve_bytes():
        raise InsufficientStorage(
            f"There is not enough free disk space for a {_gib(length_bytes)} upload "
            f"({_gib(free)} free, {_gib(free_disk_reserve_bytes())} kept in reserve).",
            "Ask the node's operator to free disk space or move DASTAN_HOME to a larger disk, "
            "then start the upload again.")


def create_upload(*, owner: Any, length_bytes: int, metadata: dict[str, str]) -> Upload:
    """Record an upload of ``length_bytes`` and create its empty file. Raises
    UploadTooLarge (413) or InsufficientStorage (507) before anything is written."""
    check_upload_size(length_bytes)
    if metadata.get("title"):
        access_title_for_upload(user=owner, slug=metadata["title"])
    upload = Upload.objects.create(
        owner=owner, length_bytes=length_bytes, metadata=metadata,
        filename=(metadata.get("filename") or "")[:255],
        expires_at=timezone.now() + timedelta(seconds=expiry_s()))
    part_path(upload).touch()
    return upload


def access_title_for_upload(*, user: Any, slug: str) -> Any:
    """The title an upload is meant for, if ``user`` may add media to it: staff, or an
    administrator or editor of the organisation that owns the title."""
    from dastan.accounts.models import Membership
    from dastan.catalog.models import Title
    from dastan.errors import PermissionDenied

    title = Title.objects.filter(slug=slug).first()
    if title is None:
        raise NotFound(f"No title '{slug}' in the catalog.",
                       "Create the title first, then upload its film with its slug in the "
                       "'title' metadata.", field="title")
    if getattr(user, "is_staff", False) or title.owner_id is None:
        return title
    allowed = Membership.objects.filter(user=user, organisation_id=title.owner_id,
                                        role__in=[Membership.Role.ADMIN, Membership.Role.EDITOR])
    if not allowed.exists():
        raise PermissionDenied(f"You cannot add media to '{slug}'.",
                               "Ask an administrator of the organisation that owns the title "
                               "to make you an editor there.")
    return title


def access_upload(*, upload_id: Any, user: Any) -> Upload:
    """The upload, if ``user`` created it. Another user's upload is reported as not found
    (its existence is not disclosed); an expired one as gone."""
    upload = Upload.objects.filter(pk=upload_id, owner_id=getattr(user, "pk", None)).first()
    if upload is None:
        raise NotFound("No such upload.", "Start a new upload; an upload belongs to the "
                       "account that created it.")
    if upload.state == Upload.State.RECEIVING and upload.expires_at < timezone.now():
        raise UploadGone("This upload expired after a day without progress.",
                         "Start the upload again from the beginning.")
    return upload


def parse_checksum(header: str) -> tuple[str, bytes] | None:
    if not header:
        return None
    name, _, value = header.strip().partition(" ")
    if name.lower() not in CHECKSUM_ALGORITHMS:
        raise UploadError(f"Checksum algorithm '{name}' is not supported.",
                          "Use one of: " + ", ".join(CHECKSUM_ALGORITHMS) + ".",
                          code="checksum_algorithm", status=400)
    try:
        return name.lower(), base64.b64decode(value, validate=True)
    except ValueError as exc:
        raise UploadError("The Upload-Checksum value is not base64.",
                          "Send 'sha256 <base64 digest>'.", status=400) from exc


def append_chunk(*, upload: Upload, offset: int, read: Callable[[int], bytes],
                 content_length: int, checksum: tuple[str, bytes] | None) -> Upload:
    """Append the request body at ``offset``. With a checksum, the chunk is kept only if
    it matches (else ChecksumMismatch, 460); without one, whatever arrived before a
    dropped connection is kept, as tus intends. Returns the upload with its new offset."""
    if offset + content_length > upload.length_bytes:
        raise UploadTooLarge(
            f"This chunk would end at byte {offset + content_length}, past the declared "
            f"length {upload.length_bytes}.", "Send exactly the bytes of the file.")
    path = part_path(upload)
    with path.open("r+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)  # one writer per upload; the second waits, then fails the offset check
        upload.refresh_from_db()
        if upload.state != Upload.State.RECEIVING:
            raise OffsetMismatch("This upload is already complete.", "Nothing more to send.")
        if offset != upload.offset_bytes:
            raise OffsetMismatch(
                f"The chunk starts at byte {offset} but the upload has {upload.offset_bytes} bytes.",
                "Ask for the current offset (HEAD) and resume from there.")
        fh.seek(offset)
        fh.truncate()
        digest = CHECKSUM_ALGORITHMS[checksum[0]]() if checksum else None
        received = 0
        while received < content_length:
            data = read(min(READ_BYTES, content_length - received))
            if not data:
                break
            fh.write(data)
            received += len(data)
            if digest is not None:
                digest.update(data)
        if digest is not None and checksum and (received != content_length or digest.digest() != checksum[1]):
            fh.truncate(offset)
            raise ChecksumMismatch("The chunk's checksum does not match the bytes received.",
                                   "Send the chunk again from the same offset.")
        fh.flush()
        Upload.objects.filter(pk=upload.pk).update(
            offset_bytes=offset + received, updated_at=timezone.now(),
            expires_at=timezone.now() + timedelta(seconds=expiry_s()))
    upload.refresh_from_db()
    if upload.offset_bytes == upload.length_bytes:
        finish_upload(upload=upload)
    return upload


def finish_upload(*, upload: Upload) -> Upload:
    """Record the whole file's sha256 and queue its ingest when it names a title."""
    from dastan.media.ingest import sha256_of

    digest = sha256_of(part_path(upload))
    Upload.objects.filter(pk=upload.pk).update(state=Upload.State.COMPLETE, sha256=digest)
    upload.refresh_from_db()
    slug = upload.metadata.get("title")
    if slug:
        from dastan.catalog.models import Title
        from dastan.media.services import submit_ingest

        title = Title.objects.filter(slug=slug).first()
        if title is not None:
            submit_ingest(title=title, path=part_path(upload), filename=upload.filename,
                          upload=upload, created_by=upload.owner)
    return upload


def terminate_upload(*, upload: Upload) -> None:
    part_path(upload).unlink(missing_ok=True)
    upload.delete()


def expire_uploads(*, now: Any = None) -> int:
    """Delete unfinished uploads idle past their expiry, with their bytes, and the
    leftover bytes of finished uploads that were never ingested (a refused file).
    Returns how many uploads were removed or emptied."""
    now = now or timezone.now()
    count = 0
    for upload in Upload.objects.filter(expires_at__lt=now):
        if upload.state == Upload.State.RECEIVING:
            terminate_upload(upload=upload)
            count += 1
        elif part_path(upload).exists():
            part_path(upload).unlink()
            count += 1
    return count
