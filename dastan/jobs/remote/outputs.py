"""Where a remote worker's outputs arrive: resumable uploads (tus), which the media app
provides (``dastan.media.worker_uploads``) and registers here when Django starts.

The jobs app knows those uploads only through this small interface: the media app
builds on jobs (its transcodes are jobs), so jobs must not import it back. Whatever
holds the uploads answers three questions: where a worker opens one, what a worker's
upload holds now, and forgetting uploads whose content was published or judged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext

from dastan.errors import ConfigurationError
from dastan.jobs.models import RemoteWorker


@dataclass(frozen=True, slots=True)
class ReceivedFile:
    """One of a worker's uploads, as the node holds it now."""

    upload_id: str
    complete: bool
    metadata: dict[str, str]  # job, lease, name: what the worker said it is
    sha256: str  # of the bytes the node received (empty until complete)
    storage_name: str  # in the default storage (empty until complete)
    length_bytes: int


class OutputReceiver(Protocol):
    def collection_path(self) -> str:
        """The path a worker POSTs to (signed, tus creation) to open an upload."""

    def find(self, *, worker: RemoteWorker, upload_id: str) -> ReceivedFile | None:
        """``worker``'s upload with that id, or None (another's, or none at all)."""

    def discard(self, *, worker: RemoteWorker, upload_ids: Iterable[str]) -> None:
        """Delete those uploads of ``worker`` and their bytes; ids already gone are skipped."""


_receivers: list[OutputReceiver] = []


def register_receiver(receiver: OutputReceiver) -> None:
    """Make ``receiver`` the one remote outputs arrive through (the last registered wins)."""
    _receivers.append(receiver)


def receiver() -> OutputReceiver:
    if not _receivers:
        raise ConfigurationError(
            gettext("No app receives remote workers' outputs on this node."),
            gettext("Keep 'dastan.media' in INSTALLED_APPS: its worker uploads (tus) carry the outputs."),
        )
    return _receivers[-1]
