"""Media files go through Django's storage API (``default_storage``), so the same code
writes to the local folder (embedded default) and to S3-compatible object storage.

ffmpeg needs local files: it reads a local copy of the mezzanine and writes its output
into the job's staging folder; :func:`store_tree` then copies the finished folder into
storage under a name no other version uses, so publishing never overwrites a file that a
viewer may be reading.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage

from dastan.i18n import gettext


def is_local() -> bool:
    return isinstance(default_storage, FileSystemStorage)


def store_file(local: Path, name: str, *, move: bool = False) -> str:
    """Put ``local`` into storage as ``name`` (replacing what was there) and return the
    name. ``move`` lets a local storage rename instead of copying a large file."""
    if is_local():
        target = Path(default_storage.path(name))
        target.parent.mkdir(parents=True, exist_ok=True)
        if move:
            try:
                os.replace(local, target)
                return name
            except OSError:
                pass  # another file system: copy instead
        tmp = target.with_name(f".{target.name}.tmp")
        shutil.copyfile(local, tmp)
        os.replace(tmp, target)
        return name
    if default_storage.exists(name):
        default_storage.delete(name)
    with local.open("rb") as fh:
        return default_storage.save(name, File(fh, name=local.name))


def store_upload(local: Path, name: str) -> str:
    """Put a finished upload's bytes into storage as ``name``, leaving ``local`` in place
    (the caller removes it once the database says where the bytes are). A local storage
    gets a hard link, so a large film is not copied; an object store gets the file.
    Raises StorageUnavailable, with the storage's own words, when the write fails."""
    from dastan.media.errors import StorageUnavailable

    try:
        if is_local():
            target = Path(default_storage.path(name))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)  # a retry after a failed finish
            try:
                os.link(local, target)
                return name
            except OSError:
                pass  # another file system, or no hard links there: copy instead
        return store_file(local, name)
    # Any backend (a folder, boto3, another library) fails in its own exception types; the
    # uploader needs one answer that says the file is safe and what to do.
    except Exception as exc:
        raise StorageUnavailable(
            gettext("The finished upload could not be moved into the media storage: %(error)s") % {"error": exc},
            gettext("Its bytes are kept on this node; send the last PATCH again (empty, at the final "
                    "offset) once the storage answers. Operators: check DASTAN_S3_* or DASTAN_MEDIA_ROOT."),
        ) from exc


def store_tree(local_dir: Path, prefix: str) -> list[str]:
    """Copy every file under ``local_dir`` to ``prefix/<relative path>``."""
    names = []
    for path in sorted(p for p in local_dir.rglob("*") if p.is_file()):
        names.append(store_file(path, f"{prefix}/{path.relative_to(local_dir).as_posix()}"))
    return names


def write_text(name: str, text: str) -> str:
    """Write a small text file (a playlist) under ``name``; returns the name stored,
    which storage may change to keep an existing file (names are never reused)."""
    from django.core.files.base import ContentFile

    return default_storage.save(name, ContentFile(text.encode("utf-8")))


def read_text(name: str) -> str:
    with default_storage.open(name, "rb") as fh:
        return fh.read().decode("utf-8")


@contextlib.contextmanager
def local_copy(name: str) -> Iterator[Path]:
    """A local path for a stored file: the file itself on local storage, otherwise a
    temporary download removed afterwards."""
    if is_local():
        yield Path(default_storage.path(name))
        return
    with tempfile.TemporaryDirectory(prefix="dastan-media-") as tmp:
        path = Path(tmp) / Path(name).name
        with default_storage.open(name, "rb") as src, path.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1024 * 1024)
        yield path


def delete_prefix(prefix: str) -> tuple[int, int]:
    """Remove every stored file under ``prefix`` (to undo a failed publish, or parts that
    served); returns how many files and bytes were removed."""
    try:
        dirs, files = default_storage.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return 0, 0
    count, size = 0, 0
    for f in files:
        with contextlib.suppress(FileNotFoundError):
            size += default_storage.size(f"{prefix}/{f}")
        default_storage.delete(f"{prefix}/{f}")
        count += 1
    for d in dirs:
        sub_count, sub_size = delete_prefix(f"{prefix}/{d}")
        count, size = count + sub_count, size + sub_size
    if is_local():  # leave no empty folders behind (an object store has none)
        with contextlib.suppress(OSError):
            Path(default_storage.path(prefix)).rmdir()
    return count, size
