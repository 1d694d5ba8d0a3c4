"""Festival with the Russian concatenative voice msu_ru_nsh_clunits (Debian festvox-ru).

Far more intelligible Russian than espeak-ng (Whisper base WER 0.20 against 0.75, see
MODELS.md). Festival has no pitch option here, so pitch is shifted afterwards with
ffmpeg's rubberband.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext

from dastan import processes
from dastan.localization.engines.base import EngineInfo, Provenance, SynthesisResult, Voice
from dastan.localization.errors import EngineFailed, EngineUnavailable

VOICE_NAME = "msu_ru_nsh_clunits"
VOICE_DIRS = (Path("/usr/share/festival/voices/russian") / VOICE_NAME,)
SAMPLE_RATE_HZ = 16000
SOURCE = "Debian packages festival + festvox-ru"


@lru_cache(maxsize=1)
def _version() -> str:
    binary = shutil.which("festival")
    if binary is None:
        return ""
    out = processes.run([binary, "--version"], capture_output=True, text=True,
                        check=False).stdout
    match = re.search(r"System:\s*([\d.]+)", out)
    return match.group(1) if match else out.strip()


class Festival:
    name = "festival"

    def _problem(self) -> str:
        if shutil.which("text2wave") is None:
            return "festival is not installed: apt-get install festival festvox-ru"
        if not any(d.is_dir() for d in VOICE_DIRS):
            return f"the Russian voice {VOICE_NAME} is missing: apt-get install festvox-ru"
        return ""

    def available(self) -> bool:
        return not self._problem()

    def describe(self) -> EngineInfo:
        problem = self._problem()
        return EngineInfo(name=self.name, capability="tts", available=not problem,
                          languages=("ru",), kind="concatenative", model=VOICE_NAME,
                          source=SOURCE, sample_rate_hz=SAMPLE_RATE_HZ, problem=problem)

    def voices(self) -> list[Voice]:
        if not self.available():
            return []
        return [Voice(id=f"festival:{VOICE_NAME}", engine=self.name, language="ru",
                      name=VOICE_NAME, gender="male", kind="concatenative",
                      sample_rate_hz=SAMPLE_RATE_HZ, source=SOURCE)]

    def fingerprint(self, voice: Voice) -> str:
        return f"festival {_version()} {voice.name}"

    def synthesize(self, *, text: str, voice: Voice, out_wav: Path, rate: float = 1.0,
                   pitch: float = 1.0) -> SynthesisResult:
        problem = self._problem()
        if problem:
            raise EngineUnavailable(gettext("Festival cannot speak Russian here."), problem)
        out_wav.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="dastan-festival-") as tmp:
            text_file = Path(tmp) / "text.txt"
            text_file.write_text(text, encoding="utf-8")
            spoken = Path(tmp) / "spoken.wav"
            proc = processes.run(
                ["text2wave", "-eval", f"(voice_{voice.name})",
                 "-eval", f"(Parameter.set 'Duration_Stretch {1.0 / rate:.4f})",
                 "-o", str(spoken), str(text_file)],
                capture_output=True, text=True, check=False)
            if proc.returncode != 0 or not spoken.exists() or spoken.stat().st_size <= 44:
                raise EngineFailed("Festival wrote no audio for a cue.",
                                   proc.stderr.strip()[-300:] or "Check the text is UTF-8.")
            if abs(pitch - 1.0) > 1e-3:
                from dastan.localization.voice.ffmpeg import shift_pitch

                shift_pitch(src=spoken, dst=out_wav, pitch=pitch, sample_rate_hz=SAMPLE_RATE_HZ)
            else:
                shutil.move(str(spoken), out_wav)
        from dastan.localization.voice.wavio import duration_ms_of

        return SynthesisResult(
            wav=out_wav, duration_ms=duration_ms_of(out_wav),
            provenance=Provenance(engine=self.name, model=voice.name, version=_version(),
                                  settings=(("pitch", f"{pitch:g}"), ("rate", f"{rate:g}"))))
