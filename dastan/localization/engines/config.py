"""Where engines read their settings: ``settings.DASTAN_ENGINES`` over the defaults below.

Engines also run outside a configured Django (benchmarks, a worker's self-test), so every
read falls back to the environment and then to these defaults.

``DASTAN_ENGINES`` (all keys optional)::

    DASTAN_ENGINES = {
        "ASR": "faster-whisper",                    # the transcriber get_transcriber() gives
        "MT": ["apertium", "ctranslate2", "openai-chat"],   # preference order for routes
        "TTS": ["piper", "festival", "espeak-ng"],  # preference order for voices
        "OPTIONS": {                                # keyword arguments per engine
            "faster-whisper": {"model": "whisper-base", "compute_type": "int8"},
            "ctranslate2": {"models": ["nllb-200-distilled-600M"]},
            "openai-chat": {"url": "http://127.0.0.1:8080/v1", "model": "qwen2.5-7b",
                            "key_env": "DASTAN_LLM_KEY", "languages": ["ru", "kk"]},
        },
    }
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

DEFAULT_ENGINES: dict[str, Any] = {
    "ASR": "faster-whisper",
    "MT": ["apertium", "ctranslate2", "openai-chat"],
    "TTS": ["piper", "festival", "espeak-ng"],
    "OPTIONS": {},
}


def _django_setting(name: str) -> Any:
    try:
        from django.conf import settings

        if not settings.configured:
            return None
        return getattr(settings, name, None)
    except ImportError:
        return None


def engines_setting() -> dict[str, Any]:
    """``DASTAN_ENGINES`` merged over :data:`DEFAULT_ENGINES` (one level deep)."""
    merged = dict(DEFAULT_ENGINES)
    configured = _django_setting("DASTAN_ENGINES")
    if isinstance(configured, dict):
        merged.update(configured)
    return merged


def engine_options(name: str) -> dict[str, Any]:
    """The keyword arguments ``DASTAN_ENGINES["OPTIONS"][name]`` gives engine ``name``."""
    options = engines_setting().get("OPTIONS") or {}
    return dict(options.get(name) or {})


def models_dir() -> Path:
    """``settings.DASTAN_MODELS_DIR``, else ``$DASTAN_MODELS_DIR``, else ``$DASTAN_HOME/models``."""
    configured = _django_setting("DASTAN_MODELS_DIR")
    if configured:
        return Path(configured)
    if os.environ.get("DASTAN_MODELS_DIR"):
        return Path(os.environ["DASTAN_MODELS_DIR"]).resolve()
    return (Path(os.environ.get("DASTAN_HOME", "./var")) / "models").resolve()
