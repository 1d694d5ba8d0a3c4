"""Voices per character: each speaker of a track gets a voice of its own.

Deterministic: speakers are cast in the order they first speak, from the plan's best
voice down, so the same cue list always sounds the same. Engines with a single voice
(Festival's Russian, Piper's joe) give a second and third character the same voice
pitched up and down; after that come the espeak-ng variants, alternating gender.
A producer overrides any speaker with a voice id, optionally ``@pitch``:
``{"ANNA": "espeak-ng:ru+f2@1.1"}``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dastan.errors import InvalidInput
from dastan.i18n import gettext
from dastan.localization.voice.planner import VoicePlan, check_dubbable

# Pitch multipliers that make one voice into three characters (about ±3 semitones).
PITCH_SPREAD = (1.0, 1.19, 0.84)


@dataclass(frozen=True, slots=True)
class Role:
    speaker: str
    voice_id: str
    pitch: float = 1.0


@dataclass(frozen=True, slots=True)
class Casting:
    language: str
    roles: tuple[Role, ...]

    def role_for(self, speaker: str) -> Role:
        for role in self.roles:
            if role.speaker == speaker:
                return role
        raise InvalidInput(gettext("Speaker '%(speaker)s' has no voice in this casting.") % {"speaker": speaker},
                           gettext("Cast the voices again with the track's current cues."))


def _options(plan: VoicePlan) -> list[tuple[str, float]]:
    rich = [v for v in plan.voices if v.kind != "formant"]
    formant = [v for v in plan.voices if v.kind == "formant"]
    options = [(v.id, p) for p in PITCH_SPREAD for v in rich]
    options += [(v.id, 1.0) for v in formant]
    return options


def _parse_override(plan: VoicePlan, speaker: str, value: Role | str) -> Role:
    if isinstance(value, Role):
        voice_id, pitch = value.voice_id, value.pitch
    else:
        voice_id, _, pitch_text = value.partition("@")
        pitch = float(pitch_text) if pitch_text else 1.0
    if voice_id not in {v.id for v in plan.voices}:
        raise InvalidInput(
            gettext("Voice '%(voice)s' cannot speak %(language)s on this node.")
            % {"voice": voice_id, "language": plan.language},
            gettext("Use one of: %(choices)s.") % {"choices": ", ".join(v.id for v in plan.voices[:12])}, field="voice")
    return Role(speaker=speaker, voice_id=voice_id, pitch=pitch)


def cast_voices(*, speakers: Sequence[str], plan: VoicePlan,
                overrides: Mapping[str, Role | str] | None = None) -> Casting:
    """One role per distinct speaker, in the order given (first line first).

    Raises ``EngineUnavailable`` when the plan has no voice (Tajik), ``InvalidInput``
    for an override naming a voice the plan does not have."""
    check_dubbable(plan)
    ordered = list(dict.fromkeys(speakers))
    fixed = {s: _parse_override(plan, s, v) for s, v in (overrides or {}).items()}
    taken = {(r.voice_id, r.pitch) for r in fixed.values()}
    free = [o for o in _options(plan) if o not in taken] or _options(plan)
    roles = []
    n = 0
    for speaker in ordered:
        if speaker in fixed:
            roles.append(fixed[speaker])
            continue
        voice_id, pitch = free[n % len(free)]
        n += 1
        roles.append(Role(speaker=speaker, voice_id=voice_id, pitch=pitch))
    return Casting(language=plan.language, roles=tuple(roles))
