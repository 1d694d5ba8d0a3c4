"""espeak-ng, Debian's formant synthesizer: ten of Dastan's eleven languages, no Tajik.

Robotic but always there. Each language has a base voice and the ``+m1…+f5`` variants
that change gender and timbre, so a film's characters can be told apart.
"""

from __future__ import annotations

import re
import shutil
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext

from dastan import processes
from dastan.localization.engines.base import EngineInfo, Provenance, SynthesisResult, Voice
from dastan.localization.errors import EngineFailed, EngineUnavailable

# Dastan code -> espeak-ng voice. Tajik is absent: espeak-ng 1.51 and 1.52 have none.
ESPEAK_LANGUAGES: dict[str, str] = {
    "en": "en-us", "ru": "ru", "zh-Hans": "cmn", "hi": "hi", "ur": "ur", "fa": "fa",
    "kk": "kk", "uz": "uz", "ky": "ky", "be": "be",
}
# Variants in the order characters receive them: alternating gender keeps neighbours apart.
VARIANTS: tuple[tuple[str, str], ...] = (
    ("m3", "male"), ("f2", "female"), ("m1", "male"), ("f4", "female"), ("m7", "male"),
    ("f1", "female"), ("m5", "male"), ("f5", "female"), ("m2", "male"), ("f3", "female"),
)
SAMPLE_RATE_HZ = 22050
WORDS_PER_MINUTE = 175  # espeak-ng's default speed


@lru_cache(maxsize=1)
def _binary() -> str | None:
    return shutil.which("espeak-ng")


@lru_cache(maxsize=1)
def _version() -> str:
    binary = _binary()
    if binary is None:
        return ""
    out = processes.run([binary, "--version"], capture_output=True, text=True,
                        check=False).stdout
    match = re.search(r"text-to-speech:\s*(\S+)", out)
    return match.group(1) if match else out.strip()


@lru_cache(maxsize=1)
def _installed_voices() -> frozenset[str]:
    binary = _binary()
    if binary is None:
        return frozenset()
    out = processes.run([binary, "--voices"], capture_output=True, text=True,
                        check=False).stdout
    return frozenset(line.split()[1] for line in out.splitlines()[1:] if len(line.split()) > 1)


class EspeakNG:
    name = "espeak-ng"

    def available(self) -> bool:
        return _binary() is not None and bool(_installed_voices())

    def languages(self) -> tuple[str, ...]:
        installed = _installed_voices()
        return tuple(code for code, v in ESPEAK_LANGUAGES.items() if v in installed)

    def describe(self) -> EngineInfo:
        ok = self.available()
        return EngineInfo(
            name=self.name, capability="tts", available=ok, languages=self.languages(),
            kind="formant", model=f"espeak-ng {_version()}".strip(),
            source="Debian package espeak-ng", sample_rate_hz=SAMPLE_RATE_HZ,
            problem="" if ok else "espeak-ng is not installed: apt-get install espeak-ng")

    def voices(self) -> list[Voice]:
        found = []
        for code in self.languages():
            base = ESPEAK_LANGUAGES[code]
            for variant, gender in VARIANTS:
                found.append(Voice(id=f"espeak-ng:{base}+{variant}", engine=self.name,
                                   language=code, name=f"{base}+{variant}", gender=gender,
                                   kind="formant", sample_rate_hz=SAMPLE_RATE_HZ,
                                   source="Debian package espeak-ng"))
        return found

    def fingerprint(self, voice: Voice) -> str:
        """What the cache key needs to notice a changed engine: its version."""
        return f"espeak-ng {_version()}"

    def synthesize(self, *, text: str, voice: Voice, out_wav: Path, rate: float = 1.0,
                   pitch: float = 1.0) -> SynthesisResult:
        binary = _binary()
        if binary is None:
            raise EngineUnavailable(gettext("espeak-ng is not installed."),
                                    gettext("Install it with apt-get install espeak-ng."))
        speed = round(WORDS_PER_MINUTE * rate)
        pitch_value = max(0, min(99, round(50 * pitch)))
        out_wav.parent.mkdir(parents=True, exist_ok=True)
        # Text goes in on stdin so that a line starting with "-" is never an option.
        proc = processes.run(
            [binary, "-v", voice.name, "-s", str(speed), "-p", str(pitch_value),
             "-w", str(out_wav), "--stdin"],
            input=text, capture_output=True, text=True, check=False)
        if proc.returncode != 0 or not out_wav.exists() or out_wav.stat().st_size <= 44:
            raise EngineFailed(f"espeak-ng could not speak with voice {voice.name}.",
                               proc.stderr.strip()[-300:] or "espeak-ng wrote no audio.")
        from dastan.localization.voice.wavio import duration_ms_of

        return SynthesisResult(
            wav=out_wav, duration_ms=duration_ms_of(out_wav),
            provenance=Provenance(engine=self.name, model=voice.name, version=_version(),
                                  settings=(("pitch", f"{pitch:g}"), ("rate", f"{rate:g}"))))
