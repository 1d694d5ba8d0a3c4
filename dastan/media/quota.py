"""What an upload may take: its organisation's quota and the node's free disk.

Creating an upload reserves its whole declared length at once, so that three uploads
cannot each be promised the same free space. An organisation's *use* is its stored
mezzanines plus its pending uploads (receiving, or finished and waiting for their
ingest); the *disk* left for a new upload is the free space minus a reserve minus what
the other unfinished uploads still have to write.

Settings (optional): DASTAN_UPLOAD_QUOTA_BYTES (default 1 TiB per organisation; a
:class:`~dastan.media.models.MediaQuota` row overrides it for one organisation),
DASTAN_UPLOAD_FREE_DISK_RESERVE_BYTES (default 2 GiB kept free).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from dastan.i18n import gettext
from dastan.media.errors import InsufficientStorage, UploadQuotaExceeded
from dastan.media.models import MediaAsset, MediaQuota, Upload

DEFAULT_QUOTA_BYTES = 1024**4
# Any constant shared by every web process: PostgreSQL's advisory lock serialises the
# check-then-insert of reservations across processes and hosts.
_RESERVE_LOCK_KEY = 0x6461_7374  # "dast"


def default_quota_bytes() -> int:
    return int(getattr(settings, "DASTAN_UPLOAD_QUOTA_BYTES", DEFAULT_QUOTA_BYTES))


def free_disk_reserve_bytes() -> int:
    return int(getattr(settings, "DASTAN_UPLOAD_FREE_DISK_RESERVE_BYTES", 2 * 1024**3))


def format_bytes(n: int) -> str:
    for unit, size in (("TiB", 1024**4), ("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if abs(n) >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} bytes"


@dataclass(frozen=True, slots=True)
class QuotaUse:
    quota_bytes: int
    stored_bytes: int
    pending_bytes: int

    @property
    def used_bytes(self) -> int:
        return self.stored_bytes + self.pending_bytes


def quota_bytes_for(*, organisation: Any | None) -> int:
    row = MediaQuota.objects.filter(organisation=organisation).first() if organisation else None
    return row.quota_bytes if row else default_quota_bytes()


def _pending_uploads() -> Any:
    """Uploads that hold, or will hold, bytes: receiving and not expired, or finished and
    waiting in storage for their ingest."""
    receiving = Q(state=Upload.State.RECEIVING, expires_at__gte=timezone.now())
    return Upload.objects.filter(receiving | (Q(state=Upload.State.COMPLETE) & ~Q(storage_name="")))


def quota_use(*, organisation: Any | None, owner: Any) -> QuotaUse:
    """An organisation's quota and use; an uploader of no organisation is counted alone."""
    if organisation is not None:
        pending = _pending_uploads().filter(organisation=organisation)
        stored = MediaAsset.objects.filter(title__owner=organisation)
    else:
        pending = _pending_uploads().filter(organisation=None, owner=owner)
        stored = MediaAsset.objects.filter(title__owner=None, upload__owner=owner)
    return QuotaUse(
        quota_bytes=quota_bytes_for(organisation=organisation),
        stored_bytes=int(stored.aggregate(n=Sum("size_bytes"))["n"] or 0),
        pending_bytes=int(pending.aggregate(n=Sum("length_bytes"))["n"] or 0))


def check_quota(*, organisation: Any | None, owner: Any, length_bytes: int) -> None:
    use = quota_use(organisation=organisation, owner=owner)
    if use.used_bytes + length_bytes <= use.quota_bytes:
        return
    sizes = {"size": format_bytes(length_bytes), "quota": format_bytes(use.quota_bytes),
             "used": format_bytes(use.used_bytes), "stored": format_bytes(use.stored_bytes),
             "pending": format_bytes(use.pending_bytes)}
    if organisation is not None:
        message = gettext("This %(size)s upload would go past %(organisation)s's upload quota of "
                          "%(quota)s: %(used)s is used (%(stored)s in stored films, %(pending)s "
                          "in unfinished or not yet ingested uploads).") % {**sizes, "organisation": organisation.name}
    else:
        message = gettext("This %(size)s upload would go past your upload quota of "
                          "%(quota)s: %(used)s is used (%(stored)s in stored films, %(pending)s "
                          "in unfinished or not yet ingested uploads).") % sizes
    raise UploadQuotaExceeded(
        message,
        gettext("Finish or cancel (tus DELETE) unfinished uploads, or ask the node's operator to raise "
                "the organisation's quota (Media quotas in the admin, or DASTAN_UPLOAD_QUOTA_BYTES for "
                "every organisation)."))


def still_to_write_bytes() -> int:
    """Bytes the unfinished, unexpired uploads have promised and not yet written."""
    receiving = Upload.objects.filter(state=Upload.State.RECEIVING, expires_at__gte=timezone.now())
    return sum(max(0, length - offset) for length, offset in
               receiving.values_list("length_bytes", "offset_bytes"))


def check_disk(*, folder: Path, length_bytes: int) -> None:
    free = shutil.disk_usage(folder).free
    promised = still_to_write_bytes()
    if length_bytes <= free - free_disk_reserve_bytes() - promised:
        return
    raise InsufficientStorage(
        gettext("There is not enough free disk space for a %(size)s upload (%(free)s free, "
                "%(reserve)s kept in reserve, %(promised)s promised to unfinished uploads).")
        % {"size": format_bytes(length_bytes), "free": format_bytes(free),
           "reserve": format_bytes(free_disk_reserve_bytes()), "promised": format_bytes(promised)},
        gettext("Wait for the other uploads to finish, or ask the node's operator to free disk space or "
                "move DASTAN_HOME to a larger disk, then start the upload again."))


def reserve_upload(*, organisation: Any | None, owner: Any, length_bytes: int, folder: Path,
                   create: Callable[[], Upload]) -> Upload:
    """Check the quota and the disk, then ``create()`` the upload, as one step that no other
    reservation interleaves with. Raises UploadQuotaExceeded or InsufficientStorage (413)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_RESERVE_LOCK_KEY])
        # SQLite: Dastan opens transactions IMMEDIATE, so this one already holds the write lock.
        check_quota(organisation=organisation, owner=owner, length_bytes=length_bytes)
        check_disk(folder=folder, length_bytes=length_bytes)
        return create()
