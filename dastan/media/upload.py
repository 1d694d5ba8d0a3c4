"""Resumable uploads (the domain side of tus 1.0; tus.py speaks the HTTP).

An upload's bytes grow in a local file under DASTAN_HOME/uploads/ (appending needs a
local file); when the last byte arrives its sha256 is recorded, the file moves into the
media storage (``uploads/<id>/...``), and, if the upload names a title, the ingest job
graph is queued with that storage name. The ingest may run on any worker, on any host:
it reads the bytes from storage, not from this node's disk.

One lock per upload (an flock on its part file) orders everything that changes it: a
PATCH, the DELETE of the same upload, and the move into storage. Whoever comes second
finds the upload gone or complete and is told so (404 / 409), never a half state.

Limits are checked before a byte is written: the size limit here, the organisation's
quota and the free disk in quota.py. Settings (all optional): DASTAN_UPLOAD_MAX_BYTES
(default 200 GiB), DASTAN_UPLOAD_EXPIRY_S (default 24 h without progress), and those of
quota.py.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import fcntl
import hashlib
import re
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext

from dastan.accounts.permissions import Action, NotAllowed, check
from dastan.errors import NotFound
from dastan.media import quota, storage
from dastan.media.errors import (
    ChecksumMismatch,
    OffsetMismatch,
    UploadError,
    UploadGone,
    UploadInUse,
    UploadTooLarge,
)
from dastan.media.models import Upload

CHECKSUM_ALGORITHMS: dict[str, Callable[[], Any]] = {"sha256": hashlib.sha256, "sha1": hashlib.sha1}
READ_BYTES = 1024 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "DASTAN_UPLOAD_MAX_BYTES", 200 * 1024**3))


def expiry_s() -> int:
    return int(getattr(settings, "DASTAN_UPLOAD_EXPIRY_S", 24 * 3600))


def upload_dir() -> Path:
    path = Path(settings.DASTAN_HOME) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def part_path(upload: Upload) -> Path:
    return upload_dir() / f"{upload.pk}.part"


def check_upload_size(length_bytes: int) -> None:
    if length_bytes < 0:
        raise UploadError(gettext("The upload's length is negative."), gettext("Send Upload-Length in bytes."))
    if length_bytes > max_upload_bytes():
        raise UploadTooLarge(
            gettext("This file is %(size)s; this node accepts uploads up to %(limit)s.")
            % {"size": quota.format_bytes(length_bytes), "limit": quota.format_bytes(max_upload_bytes())},
            gettext("Export a smaller master (a mezzanine codec such as ProRes 422 LT or high-bitrate "
                    "H.264), or ask the node's operator to raise DASTAN_UPLOAD_MAX_BYTES."))


def upload_organisation(*, owner: Any, title: Any | None) -> Any | None:
    """Whose quota an upload counts against: the title's owner, else the uploader's
    organisation when there is exactly one."""
    if title is not None and title.owner_id is not None:
        return title.owner
    from dastan.catalog.models import Organisation

    orgs = list(Organisation.objects.filter(memberships__user=owner)[:2])
    return orgs[0] if len(orgs) == 1 else None


def create_upload(*, owner: Any, length_bytes: int, metadata: dict[str, str]) -> Upload:
    """Record an upload of ``length_bytes`` and create its empty file. Raises
    UploadTooLarge, UploadQuotaExceeded or InsufficientStorage (all 413) before anything
    is written; the declared length stays reserved while the upload is pending. A
    zero-byte upload raises UploadError (400): it would wait for bytes that never come."""
    if length_bytes == 0:
        name = (metadata.get("filename") or "").strip()
        raise UploadError(
            (gettext("The file %(name)s is empty (0 bytes), so there is no film to upload.") % {"name": repr(name)}
             if name else gettext("The file is empty (0 bytes), so there is no film to upload.")),
            gettext("Choose the film's master file; a 0-byte file is usually an export or copy that "
                    "did not finish."), code="empty_upload")
    check_upload_size(length_bytes)
    title = access_title_for_upload(user=owner, slug=metadata["title"]) if metadata.get("title") else None
    organisation = upload_organisation(owner=owner, title=title)

    def create() -> Upload:
        return Upload.objects.create(
            owner=owner, organisation=organisation, length_bytes=length_bytes, metadata=metadata,
            filename=(metadata.get("filename") or "")[:255],
            expires_at=timezone.now() + timedelta(seconds=expiry_s()))

    upload = quota.reserve_upload(organisation=organisation, owner=owner, length_bytes=length_bytes,
                                  folder=upload_dir(), create=create)
    part_path(upload).touch()
    return upload


def access_title_for_upload(*, user: Any, slug: str) -> Any:
    """The title an upload is meant for, if ``user`` may upload films for the organisation
    that owns it (the permission table's ``upload_media``). An unpublished title of another
    organisation is reported as not found; a title without an owner takes no uploads."""
    from dastan.catalog.models import Title

    title = Title.objects.select_related("owner").filter(slug=slug).first()
    if title is None:
        raise NotFound(gettext("No title '%(slug)s' in the catalog.") % {"slug": slug},
                       # Translators: 'title' is the name of a tus metadata key; keep it as it is.
                       gettext("Create the title first, then upload its film with its slug in the "
                               "'title' metadata."), field="title")
    if title.owner_id is None:
        raise NotAllowed(gettext("'%(slug)s' belongs to no organisation, so nobody may upload its film.")
                         % {"slug": slug},
                         gettext("Set the title's owner organisation first (an operator can, in the admin)."))
    check(user=user, action=Action.UPLOAD_MEDIA, organisation=title.owner, hidden=not title.is_published)
    return title


def access_upload(*, upload_id: Any, user: Any) -> Upload:
    """The upload, if ``user`` created it. Another user's upload is reported as not found
    (its existence is not disclosed); an expired one as gone. An id that is not an upload's
    (not a UUID) is not found either, rather than a database error."""
    try:
        key = upload_id if isinstance(upload_id, uuid.UUID) else uuid.UUID(str(upload_id))
    except ValueError:
        key = None
    upload = Upload.objects.filter(pk=key, owner_id=getattr(user, "pk", None)).first() if key else None
    if upload is None:
        raise NotFound(gettext("No such upload."), gettext("Start a new upload; an upload belongs to the "
                                                           "account that created it."))
    if upload.state == Upload.State.RECEIVING and upload.expires_at < timezone.now():
        raise UploadGone(gettext("This upload expired after a day without progress."),
                         gettext("Start the upload again from the beginning."))
    return upload


def parse_checksum(header: str) -> tuple[str, bytes] | None:
    """``Upload-Checksum: <algorithm> <base64 digest>`` → (algorithm, digest), or None
    when absent. Raises UploadError (400) naming what is wrong with it."""
    if not header.strip():
        return None
    name, _, value = header.strip().partition(" ")
    if name.lower() not in CHECKSUM_ALGORITHMS:
        raise UploadError(gettext("Checksum algorithm '%(name)s' is not supported.") % {"name": name[:40]},
                          gettext("Use one of: %(algorithms)s.") % {"algorithms": ", ".join(CHECKSUM_ALGORITHMS)},
                          code="checksum_algorithm", status=400)
    algorithm = name.lower()
    try:
        digest = base64.b64decode(value.strip(), validate=True)
    except (ValueError, binascii.Error) as exc:
        raise UploadError(gettext("The Upload-Checksum value is not base64."),
                          _checksum_hint(algorithm), status=400) from exc
    if len(digest) != CHECKSUM_ALGORITHMS[algorithm]().digest_size:
        raise UploadError(gettext("The Upload-Checksum value is not a %(algorithm)s digest (wrong length).")
                          % {"algorithm": algorithm}, _checksum_hint(algorithm), status=400)
    return algorithm, digest


def _checksum_hint(algorithm: str) -> str:
    # Translators: keep "<base64 digest of the chunk>" readable; it describes what to send.
    return gettext("Send '%(algorithm)s <base64 digest of the chunk>'.") % {"algorithm": algorithm}


def _gone() -> NotFound:
    return NotFound(gettext("This upload was terminated (or never existed)."),
                    gettext("Start a new upload; nothing of this one is kept."))


@contextlib.contextmanager
def _locked(upload: Upload) -> Iterator[tuple[Upload | None, Any]]:
    """Hold the upload's lock and yield its row as it is now (None once deleted) and its
    open part file (None once the bytes went to storage). The part file is removed only
    after the row says complete or the row is gone, so a missing file means a final state."""
    try:
        fh = part_path(upload).open("r+b")
    except FileNotFoundError:
        yield Upload.objects.filter(pk=upload.pk).first(), None
        return
    with fh:
        fcntl.flock(fh, fcntl.LOCK_EX)  # released when the file closes
        yield Upload.objects.filter(pk=upload.pk).first(), fh


def append_chunk(*, upload: Upload, offset: int, read: Callable[[int], bytes],
                 content_length: int, checksum: tuple[str, bytes] | None) -> Upload:
    """Append the request body at ``offset``. With a checksum, the chunk is kept only if
    it matches (else ChecksumMismatch, 460); without one, whatever arrived before a
    dropped connection is kept, as tus intends. The last byte stores the file (see
    :func:`finish_upload`). Returns the upload with its new offset. Raises NotFound when
    the upload was terminated meanwhile, OffsetMismatch (409) when ``offset`` is not the
    upload's, UploadTooLarge (413) for a chunk past the declared length."""
    with _locked(upload) as (current, fh):
        if current is None:
            raise _gone()
        if current.state != Upload.State.RECEIVING or fh is None:
            raise OffsetMismatch(gettext("This upload is already complete."), gettext("Nothing more to send."))
        if offset != current.offset_bytes:
            raise OffsetMismatch(
                gettext("The chunk starts at byte %(offset)s but the upload has %(received)s bytes.")
                % {"offset": offset, "received": current.offset_bytes},
                gettext("Ask for the current offset (HEAD) and resume from there."))
        if offset + content_length > current.length_bytes:
            raise UploadTooLarge(
                gettext("This chunk would end at byte %(end)s, past the declared length %(length)s.")
                % {"end": offset + content_length, "length": current.length_bytes},
                gettext("Send exactly the bytes of the file."))
        received = _write_chunk(fh, offset=offset, read=read, content_length=content_length,
                                checksum=checksum)
        Upload.objects.filter(pk=current.pk).update(
            offset_bytes=offset + received, updated_at=timezone.now(),
            expires_at=timezone.now() + timedelta(seconds=expiry_s()))
        current.refresh_from_db()
        if current.offset_bytes == current.length_bytes:
            # Under the lock: a DELETE waiting for it then finds the upload complete.
            finish_upload(upload=current)
            current.refresh_from_db()
    return current


def _write_chunk(fh: Any, *, offset: int, read: Callable[[int], bytes], content_length: int,
                 checksum: tuple[str, bytes] | None) -> int:
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
        raise ChecksumMismatch(gettext("The chunk's checksum does not match the bytes received."),
                               gettext("Send the chunk again from the same offset."))
    fh.flush()
    return received


def stored_name_for(upload: Upload) -> str:
    """Where a finished upload waits in storage for its ingest. Only a tame suffix of the
    client's filename is kept: the name is the server's, the filename is metadata."""
    match = re.search(r"\.[A-Za-z0-9]{1,10}$", upload.filename or "")
    return f"uploads/{upload.pk}/source{match.group(0).lower() if match else '.bin'}"


def finish_upload(*, upload: Upload) -> Upload:
    """Record the whole file's sha256, move the bytes into the media storage (so that a
    worker on another host can read them) and queue their ingest when the upload names a
    title. Called with the upload's lock held. Raises StorageUnavailable (503) when the
    storage refuses the file; the bytes stay, and resending the last (empty) PATCH retries."""
    from dastan.media.ingest import sha256_of

    path = part_path(upload)
    digest = sha256_of(path)
    name = storage.store_upload(path, stored_name_for(upload))
    Upload.objects.filter(pk=upload.pk).update(state=Upload.State.COMPLETE, sha256=digest,
                                               storage_name=name)
    path.unlink(missing_ok=True)  # only now: a missing part file means "complete" (see _locked)
    upload.refresh_from_db()
    slug = upload.metadata.get("title")
    if slug:
        from dastan.catalog.models import Title
        from dastan.media.services import submit_ingest

        title = Title.objects.filter(slug=slug).first()
        if title is not None:
            submit_ingest(title=title, source_name=name, filename=upload.filename,
                          upload=upload, created_by=upload.owner)
    return upload


def terminate_upload(*, upload: Upload) -> None:
    """Delete the upload and its bytes (tus termination). Waits for a PATCH in flight.
    Raises NotFound when it is already gone, UploadInUse (409) when it is complete and
    its ingest has the bytes."""
    with _locked(upload) as (current, _fh):
        if current is None:
            raise _gone()
        if current.state == Upload.State.COMPLETE and current.storage_name and current.metadata.get("title"):
            raise UploadInUse(gettext("This upload is complete and its film is being ingested."),
                              gettext("Nothing to cancel: the stored bytes are removed when the ingest "
                                      "finishes; unpublish the title if it should not be shown."))
        if current.storage_name:
            default_storage.delete(current.storage_name)
        Upload.objects.filter(pk=current.pk).delete()
        part_path(current).unlink(missing_ok=True)


def expire_uploads(*, now: Any = None) -> int:
    """Delete unfinished uploads idle past their expiry, with their bytes, and the
    leftover bytes of finished uploads that were never ingested (a refused file).
    Returns how many uploads were removed or emptied."""
    now = now or timezone.now()
    count = 0
    for upload in Upload.objects.filter(expires_at__lt=now):
        if upload.state == Upload.State.RECEIVING:
            with contextlib.suppress(NotFound):
                terminate_upload(upload=upload)
            count += 1
        elif upload.storage_name:
            default_storage.delete(upload.storage_name)
            Upload.objects.filter(pk=upload.pk).update(storage_name="")
            count += 1
    return count
