"""Per-cue synthesis with a content-keyed cache: re-dubbing after one edit speaks one cue.

The key is the sha256 of what decides the sound: the text, the voice, its pitch, the
rate, and the engine's fingerprint (its version; for Piper the voice file's sha256).
A cache entry is written beside its final name and renamed in, so a killed worker
never leaves half a WAV that a later run would trust.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dastan.i18n import gettext
from dastan.localization.engines.base import Provenance, Synthesizer, Voice
from dastan.localization.errors import EngineUnavailable
from dastan.localization.voice.casting import Casting, Role
from dastan.localization.voice.cues import VoiceCue
from dastan.localization.voice.planner import VoicePlan


@dataclass(frozen=True, slots=True)
class SpokenCue:
    cue: VoiceCue
    voice: Voice
    pitch: float
    wav: Path  # as the engine spoke it, at the engine's sample rate
    duration_ms: int
    provenance: Provenance
    key: str
    synthesized: bool  # True: spoken in this run; False: taken from the cache


@dataclass(frozen=True, slots=True)
class SynthesisBatch:
    spoken: tuple[SpokenCue, ...]

    @property
    def synthesized_indices(self) -> tuple[int, ...]:
        return tuple(s.cue.index for s in self.spoken if s.synthesized)

    @property
    def reused_indices(self) -> tuple[int, ...]:
        return tuple(s.cue.index for s in self.spoken if not s.synthesized)


def _fingerprint(engine: Synthesizer, voice: Voice) -> str:
    method = getattr(engine, "fingerprint", None)
    if callable(method):
        return str(method(voice))
    info = engine.describe()
    return f"{info.name} {info.model} {info.sha256}"


def cache_key(*, text: str, voice: Voice, pitch: float, rate: float, fingerprint: str) -> str:
    payload = json.dumps({"text": text, "voice": voice.id, "pitch": round(pitch, 4),
                          "rate": round(rate, 4), "engine": fingerprint},
                         ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _speak_one(*, engine: Synthesizer, cue: VoiceCue, voice: Voice, pitch: float,
               rate: float, cache_dir: Path) -> SpokenCue:
    key = cache_key(text=cue.text, voice=voice, pitch=pitch, rate=rate,
                    fingerprint=_fingerprint(engine, voice))
    wav = cache_dir / "spoken" / f"{key}.wav"
    meta = wav.with_suffix(".json")
    if wav.exists() and meta.exists():
        stored = json.loads(meta.read_text(encoding="utf-8"))
        prov = Provenance(engine=stored["engine"], model=stored["model"],
                          version=stored["version"], sha256=stored["sha256"],
                          settings=tuple((k, v) for k, v in sorted(stored["settings"].items())))
        return SpokenCue(cue=cue, voice=voice, pitch=pitch, wav=wav,
                         duration_ms=int(stored["duration_ms"]), provenance=prov, key=key,
                         synthesized=False)
    partial = wav.with_name(f"{key}.partial-{os.getpid()}.wav")
    result = engine.synthesize(text=cue.text, voice=voice, out_wav=partial, rate=rate,
                               pitch=pitch)
    partial.replace(wav)
    meta.write_text(json.dumps({**result.provenance.as_dict(), "duration_ms": result.duration_ms},
                               ensure_ascii=False), encoding="utf-8")
    return SpokenCue(cue=cue, voice=voice, pitch=pitch, wav=wav,
                     duration_ms=result.duration_ms, provenance=result.provenance, key=key,
                     synthesized=True)


def synthesize_cues(*, cues: list[VoiceCue], casting: Casting, plan: VoicePlan,
                    synthesizers: list[Synthesizer], cache_dir: Path,
                    rate: float = 1.0) -> SynthesisBatch:
    """Speak every cue with its speaker's voice, reusing ``cache_dir`` for cues whose
    text, voice, pitch, rate and engine are unchanged. ``batch.synthesized_indices``
    names the cues spoken in this call. Raises ``EngineUnavailable`` when a cast voice's
    engine is missing, ``EngineFailed`` when it fails on a cue."""
    voices = {v.id: v for v in plan.voices}
    engines = {e.name: e for e in synthesizers}
    (cache_dir / "spoken").mkdir(parents=True, exist_ok=True)
    spoken = []
    for cue in cues:
        role = casting.role_for(cue.speaker)
        voice = voices[role.voice_id]
        engine = engines.get(voice.engine)
        if engine is None:
            raise EngineUnavailable(gettext("Voice %(voice)s needs the engine '%(engine)s'.")
                                    % {"voice": voice.id, "engine": voice.engine},
                                    gettext("Install it, or cast another voice for '%(speaker)s'.")
                                    % {"speaker": cue.speaker or gettext("the narrator")})
        spoken.append(_speak_one(engine=engine, cue=cue, voice=voice, pitch=role.pitch,
                                 rate=rate, cache_dir=cache_dir))
    return SynthesisBatch(spoken=tuple(spoken))


def synthesize_track(*, cues: list[VoiceCue], language: str, cache_dir: Path,
                     overrides: Mapping[str, Role | str] | None = None,
                     synthesizers: list[Synthesizer] | None = None) -> SynthesisBatch:
    """Plan, cast and speak a track's cues into ``cache_dir``; the batch tells which
    cues were spoken now (``synthesized_indices``) and which came from the cache. After
    editing one cue's text, only that cue is spoken again. Raises as ``synthesize_cues``,
    and ``EngineUnavailable`` ("subtitles only") for a language no voice speaks."""
    from dastan.localization.voice.casting import cast_voices
    from dastan.localization.voice.cues import check_cues
    from dastan.localization.voice.planner import default_synthesizers, plan_voices

    ordered = check_cues(cues)
    engines = default_synthesizers() if synthesizers is None else synthesizers
    plan = plan_voices(language=language, synthesizers=engines)
    casting = cast_voices(speakers=[c.speaker for c in ordered], plan=plan, overrides=overrides)
    return synthesize_cues(cues=ordered, casting=casting, plan=plan, synthesizers=engines,
                           cache_dir=cache_dir)
