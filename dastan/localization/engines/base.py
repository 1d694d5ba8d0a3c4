"""What every speech, translation and voice engine must provide, and the values they
exchange. Domain code imports these Protocols, never an engine's own library.

A new engine, in three steps:
1. ``engines/<name>.py`` implements one Protocol below plus ``available() -> bool`` and
   ``describe() -> EngineInfo``; when it cannot run it raises ``EngineUnavailable``
   whose hint names the package, folder or setting that fixes it.
2. One line in ``engines/registry.py`` (name → class).
3. The contract tests in ``tests/test_engines.py`` run over the whole registry.

Times are integer milliseconds (``start_ms``); languages are BCP 47 codes of
``dastan.catalog.languages`` (``zh-Hans``, ``ur``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class Provenance:
    """Who or what made an artefact: shown to reviewers, disclosed to viewers."""

    engine: str  # "faster-whisper", "apertium", "espeak-ng", "human"
    model: str = ""  # "whisper-base", "urd-hin", "joe-medium"
    version: str = ""
    sha256: str = ""  # of the model files, where there are any
    settings: tuple[tuple[str, str], ...] = ()  # sorted key/value pairs, hashable

    def as_dict(self) -> dict[str, Any]:
        return {"engine": self.engine, "model": self.model, "version": self.version,
                "sha256": self.sha256, "settings": dict(self.settings)}


@dataclass(frozen=True, slots=True)
class EngineInfo:
    """One line of `dastan models`."""

    name: str  # registry name
    capability: str  # "asr" | "mt" | "tts" | "langid" | "vad"
    available: bool
    languages: tuple[str, ...] = ()  # for mt: "src>dst" pairs
    kind: str = ""  # "neural", "rule-based", "formant", "concatenative"
    model: str = ""
    sha256: str = ""
    source: str = ""  # the package or folder it comes from
    sample_rate_hz: int | None = None
    problem: str = ""  # why it is unavailable, and the fix

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}

    def as_line(self) -> str:
        """One human-readable line; a missing engine's second line says how to fix it."""
        state = "ok" if self.available else "missing"
        parts = [f"{self.capability:<6} {self.name:<28} {state:<8}"]
        if self.languages:
            parts.append(" ".join(self.languages))
        for label, value in (("kind", self.kind), ("model", self.model),
                             ("sample-rate", f"{self.sample_rate_hz} Hz" if self.sample_rate_hz
                              else ""),
                             ("sha256", self.sha256[:16]), ("source", self.source)):
            if value:
                parts.append(f"{label}: {value}")
        line = "  ".join(parts)
        if self.problem:
            line += f"\n{'':<44}{self.problem}"
        return line


# --- speech recognition ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Word:
    text: str
    start_ms: int
    end_ms: int
    probability: float = 1.0


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    start_ms: int
    end_ms: int
    words: tuple[Word, ...] = ()
    speaker: str = ""


@dataclass(frozen=True, slots=True)
class Transcript:
    language: str
    language_probability: float
    segments: tuple[Segment, ...]
    provenance: Provenance
    duration_ms: int = 0

    @property
    def text(self) -> str:
        return " ".join(s.text.strip() for s in self.segments).strip()


@runtime_checkable
class Transcriber(Protocol):
    name: str

    def available(self) -> bool: ...

    def describe(self) -> EngineInfo: ...

    def transcribe(self, *, audio: Path, language: str | None = None,
                   word_timestamps: bool = True) -> Transcript:
        """Speech in ``audio`` (any format ffmpeg reads) as timed text; detects the
        language when ``language`` is None."""
        ...


# --- translation --------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Translation:
    texts: tuple[str, ...]  # one per input segment, same order
    source: str
    target: str
    provenance: Provenance
    pivot: str = ""  # the language a chain went through, if any
    # Per input text, the source words the engine could not translate and passed through
    # (Apertium marks them with "*"): a QC signal for reviewers, not part of the text.
    unknown_words: tuple[tuple[str, ...], ...] = ()


@runtime_checkable
class Translator(Protocol):
    name: str

    def available(self) -> bool: ...

    def describe(self) -> EngineInfo: ...

    def pairs(self) -> set[tuple[str, str]]:
        """(source, target) pairs this engine can translate on this machine."""
        ...

    def translate(self, *, texts: list[str], source: str, target: str) -> Translation: ...


# --- speech synthesis -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Voice:
    id: str  # engine-unique, e.g. "espeak-ng:ru+m3", "piper:en_US-joe-medium"
    engine: str
    language: str
    name: str = ""
    gender: str = ""  # "female" | "male" | ""
    kind: str = ""  # "formant" | "concatenative" | "neural"
    sample_rate_hz: int = 22050
    source: str = ""  # package or folder


@dataclass(frozen=True, slots=True)
class SynthesisResult:
    wav: Path
    duration_ms: int
    provenance: Provenance


@runtime_checkable
class Synthesizer(Protocol):
    name: str

    def available(self) -> bool: ...

    def describe(self) -> EngineInfo: ...

    def voices(self) -> list[Voice]: ...

    def synthesize(self, *, text: str, voice: Voice, out_wav: Path, rate: float = 1.0,
                   pitch: float = 1.0) -> SynthesisResult:
        """Speak ``text`` with ``voice`` into ``out_wav`` (mono WAV). ``rate`` > 1 speaks
        faster where the engine can do so natively; ``pitch`` shifts the voice (1.0 = as
        the voice is)."""
        ...
