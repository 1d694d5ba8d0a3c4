"""The cues of characters cast to a synthetic voice, spoken for a human dub.

A human dub may keep some characters synthetic (a narrator, a minor part nobody recorded).
Their cues are spoken by the same voice engines and fitted by the same rules as an AI
voice-over (``localization.voice``: per-cue cache, tempo fitting, never cut), so a
re-mix after one actor re-records speaks nothing again. What comes back says which cues
a machine spoke and with what, for the dub's label ("human + AI") and its content
credentials.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dastan.dubbing.models import CastRole
from dastan.errors import InvalidInput
from dastan.i18n import gettext
from dastan.localization.voice.cues import VoiceCue
from dastan.localization.voice.fitting import FittingRules, fit_cues
from dastan.localization.voice.planner import plan_voices
from dastan.localization.voice.synthesis import synthesize_track


@dataclass(frozen=True, slots=True)
class SyntheticCues:
    clips: tuple[tuple[int, Path], ...]  # (start ms on the film, fitted 48 kHz WAV)
    cues: tuple[dict[str, Any], ...]  # {"index", "speaker", "voice_id", "start_ms"} per spoken cue
    provenance: tuple[dict[str, Any], ...]  # every engine and model that spoke, once each

    @property
    def sources(self) -> dict[str, str]:
        return {str(c["index"]): f"synthetic:{c['voice_id']}" for c in self.cues}


NONE = SyntheticCues(clips=(), cues=(), provenance=())


def check_voice(*, voice_id: str, language: str) -> str:
    """``voice_id`` if a voice of that id speaks ``language`` on this node; else
    InvalidInput naming the voices that do."""
    plan = plan_voices(language=language)
    known = [v.id for v in plan.voices]
    if voice_id.partition("@")[0] not in known:
        raise InvalidInput(
            gettext("Voice '%(voice)s' cannot speak %(language)s on this node.") % {"voice": voice_id, "language": language},
            (gettext("Use one of: %(voices)s.") % {"voices": ", ".join(known[:12])}) if known else plan.reason,
            field="voice_id",
        )
    return voice_id


def synthetic_speakers(roles: Sequence[CastRole]) -> dict[str, str]:
    """Speaker → voice id of the characters cast to a synthetic voice."""
    return {
        r.speaker: r.voice_id for r in roles if r.kind == CastRole.Kind.SYNTHETIC and r.voice_id
    }


def speak_synthetic_cues(
    *,
    cues: Sequence[VoiceCue],
    voices: Mapping[str, str],
    language: str,
    duration_ms: int,
    cache_dir: Path,
) -> SyntheticCues:
    """Speak the ``cues`` of the speakers in ``voices`` (speaker → voice id), each fitted
    to start at its cue (as an actor's take is placed: no voice-over delay). Raises
    InvalidInput for a voice that cannot speak ``language``, EngineUnavailable or
    EngineFailed as the voice engines do."""
    mine = [c for c in cues if c.speaker in voices]
    if not mine:
        return NONE
    batch = synthesize_track(
        cues=mine, language=language, cache_dir=cache_dir, overrides=dict(voices)
    )
    fitted = fit_cues(
        batch=batch,
        rules=FittingRules(start_delay_ms=0),
        cache_dir=cache_dir,
        track_end_ms=duration_ms,
    )
    speaker = {c.index: c.speaker for c in mine}
    engines = dict.fromkeys(s.provenance for s in batch.spoken)
    return SyntheticCues(
        clips=tuple((f.voice_start_ms, f.wav) for f in fitted),
        cues=tuple(
            {
                "index": f.index,
                "speaker": speaker[f.index],
                "voice_id": f.voice_id,
                "start_ms": f.cue_start_ms,
            }
            for f in fitted
        ),
        provenance=tuple(
            {"engine": p.engine, "model": p.model, "version": p.version} for p in engines
        ),
    )
