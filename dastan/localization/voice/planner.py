"""Which voices can speak a language on this node, best first, or honestly none.

Neural voices come first, then concatenative, then formant (espeak-ng): intelligibility
before variety. A language with no voice at all (Tajik, today) gets a plan that says
"subtitles only" in words a producer can act on; nothing falls back silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from dastan.catalog.languages import display_name, normalize_code
from dastan.i18n import gettext
from dastan.localization.engines.base import Synthesizer, Voice
from dastan.localization.errors import EngineUnavailable

KIND_ORDER = {"neural": 0, "concatenative": 1, "formant": 2}


@dataclass(frozen=True, slots=True)
class VoicePlan:
    language: str
    voices: tuple[Voice, ...]  # best first; empty when the language cannot be voiced
    reason: str = ""  # why not, when ``voices`` is empty

    @property
    def dubbable(self) -> bool:
        return bool(self.voices)


def default_synthesizers() -> list[Synthesizer]:
    from dastan.localization.engines.espeak import EspeakNG
    from dastan.localization.engines.festival import Festival
    from dastan.localization.engines.piper import Piper

    return [Piper(), Festival(), EspeakNG()]


def plan_voices(*, language: str, synthesizers: list[Synthesizer] | None = None) -> VoicePlan:
    """The voices that can speak ``language`` here. Never raises for a missing voice:
    the plan's ``reason`` says "subtitles only: no Tajik voice is installed …"."""
    code = normalize_code(language)
    engines = default_synthesizers() if synthesizers is None else synthesizers
    found = [v for e in engines if e.available() for v in e.voices() if v.language == code]
    found.sort(key=lambda v: KIND_ORDER.get(v.kind, 3))  # stable: keeps engine order
    if found:
        return VoicePlan(language=code, voices=tuple(found))
    name = display_name(code, "en")
    return VoicePlan(
        language=code, voices=(),
        reason=(f"subtitles only: no {name} voice is installed (checked: "
                + ", ".join(e.name for e in engines)
                + f"). Add a Piper voice that speaks {name} as DASTAN_MODELS_DIR/voices/"
                  "<name>.onnx with its .onnx.json, then dub again."))


def check_dubbable(plan: VoicePlan) -> None:
    """Raises ``EngineUnavailable`` with the plan's reason when no voice can speak."""
    if not plan.dubbable:
        name = display_name(plan.language, "en")
        raise EngineUnavailable(gettext("No voice can speak %(language)s: this track stays subtitles only.")
                                % {"language": name},
                                plan.reason)
