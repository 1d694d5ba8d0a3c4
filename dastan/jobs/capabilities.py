"""What this machine can really do, found out at worker start.

A worker used to claim every capability (``gpu`` included) on a machine that had none;
now it reports what it finds, and ``--can`` may only narrow that:

- ``transcode`` and ``mix``: an ffmpeg binary runs; its encoders are listed, an NVENC one
  (``h264_nvenc``) only when it really encodes a few frames here (ffmpeg lists it wherever
  it was built with it; it needs an NVIDIA GPU and driver): the ladder then uses it;
- ``gpu``: ``nvidia-smi`` lists at least one NVIDIA GPU (name and memory recorded), or
  CTranslate2 sees a CUDA device;
- ``asr``: faster-whisper (CTranslate2) imports; ``mt`` and ``tts``: the tools or models the
  localization engines use are found (Apertium, espeak-ng, Piper voices, model folders);
- cores and memory always.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from dastan import ffmpeg
from dastan.errors import DastanError, InvalidInput
from dastan.i18n import gettext


@dataclass(frozen=True, slots=True)
class Capabilities:
    names: tuple[str, ...]
    cores: int
    memory_mb: int
    encoders: tuple[str, ...] = ()
    gpus: tuple[dict[str, Any], ...] = ()
    cuda_devices: int = 0
    models: tuple[str, ...] = ()
    voices: tuple[str, ...] = ()
    notes: dict[str, str] = field(default_factory=dict)

    def facts(self) -> dict[str, Any]:
        return asdict(self)


def ffmpeg_encoders() -> tuple[str, ...]:
    """The encoders of the ffmpeg the jobs run (DASTAN_FFMPEG); none when it cannot run."""
    try:
        return ffmpeg.encoders()
    except (DastanError, OSError):
        return ()


def nvidia_gpus() -> tuple[dict[str, Any], ...]:
    exe = shutil.which("nvidia-smi")
    if not exe:
        return ()
    try:
        out = subprocess.run([exe, "--query-gpu=name,memory.total", "--format=csv,noheader,nounits"],
                             capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ()
    if out.returncode != 0:
        return ()
    gpus = []
    for line in out.stdout.strip().splitlines():
        name, _, memory = line.rpartition(",")
        if name.strip():
            gpus.append({"name": name.strip(), "memory_mb": int(float(memory.strip() or 0))})
    return tuple(gpus)


def cuda_device_count() -> int:
    if importlib.util.find_spec("ctranslate2") is None:
        return 0
    try:
        import ctranslate2

        return int(ctranslate2.get_cuda_device_count())
    except Exception:  # noqa: BLE001 -- a broken CUDA install means no CUDA device
        return 0


def _memory_mb() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def _model_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Model folders and voices this machine holds (DASTAN_MODELS_DIR and the packages)."""
    folder = Path(settings.DASTAN_MODELS_DIR)
    models = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    voices = sorted(p.stem for p in folder.rglob("*.onnx")) if folder.is_dir() else []
    if shutil.which("espeak-ng"):
        voices.append("espeak-ng")
    if importlib.util.find_spec("faster_whisper") is not None:
        models.append("faster-whisper")
    return tuple(models), tuple(voices)


def detect() -> Capabilities:
    """What this machine has now (a few seconds: ffmpeg and nvidia-smi are asked)."""
    encoders = ffmpeg_encoders()
    gpus = nvidia_gpus()
    cuda = cuda_device_count()
    models, voices = _model_names()
    names = set()
    if encoders:
        names |= {"transcode", "mix"}
    if gpus or cuda:
        names.add("gpu")
    if importlib.util.find_spec("faster_whisper") is not None:
        names.add("asr")
    if shutil.which("apertium") or importlib.util.find_spec("ctranslate2") is not None:
        names.add("mt")
    if shutil.which("espeak-ng") or any(v for v in voices if v != "espeak-ng"):
        names.add("tts")
    return Capabilities(names=tuple(sorted(names)), cores=os.cpu_count() or 1, memory_mb=_memory_mb(),
                        encoders=tuple(e for e in encoders if e in ("libx264", "aac")
                                       or ("nvenc" in e and ffmpeg.encoder_works(e))),
                        gpus=gpus, cuda_devices=cuda, models=models, voices=voices)


def narrow(found: Capabilities, can: str | None) -> list[str]:
    """The capabilities a worker takes jobs for: what it found, narrowed by ``--can``.
    Asking for one it does not have is refused with what it has."""
    if can is None:
        return list(found.names)
    wanted = sorted({c.strip().lower() for c in can.split(",") if c.strip()})
    missing = [c for c in wanted if c not in found.names]
    if missing:
        raise InvalidInput(
            (gettext("This machine cannot do %(missing)s: it has %(found)s.")
             % {"missing": ", ".join(missing), "found": ", ".join(found.names)} if found.names else
             gettext("This machine cannot do %(missing)s: it has nothing detected.") % {"missing": ", ".join(missing)}),
            gettext("--can only narrows what the worker detected; install the tool (a GPU driver with "
                    "nvidia-smi, ffmpeg, faster-whisper) and start the worker again."), field="can")
    return wanted
