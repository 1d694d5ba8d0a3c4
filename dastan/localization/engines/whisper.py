"""Speech recognition with faster-whisper (Whisper on CTranslate2).

The default model is the multilingual Whisper base packaged on PyPI (see
``model_files.assemble_packaged_whisper_base``). Any other CTranslate2 Whisper folder in
``DASTAN_MODELS_DIR`` is used when named in ``DASTAN_ENGINES["OPTIONS"]["faster-whisper"]
["model"]`` (e.g. ``"whisper-large-v3"`` on a GPU worker with ``device="cuda"``).

A loaded model is kept per process (loading takes 1.5–2 s and ~150 MB), keyed by folder,
device, compute type and threads.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from django.utils.translation import gettext

from dastan.localization.engines.base import EngineInfo, Provenance, Segment, Transcript, Word
from dastan.localization.engines.config import models_dir as configured_models_dir
from dastan.localization.engines.model_files import (
    PACKAGED_WHISPER_BASE,
    ModelFolder,
    assemble_packaged_whisper_base,
    read_model_folder,
)
from dastan.localization.errors import EngineFailed, EngineUnavailable

# Dastan code -> Whisper code, for the Dastan languages Whisper has a token for.
# Kyrgyz is absent: Whisper was not trained on it and has no "ky" token.
WHISPER_CODES = {"en": "en", "ru": "ru", "zh-Hans": "zh", "hi": "hi", "ur": "ur", "fa": "fa",
                 "kk": "kk", "uz": "uz", "tg": "tg", "be": "be"}
DASTAN_CODES = {w: d for d, w in WHISPER_CODES.items()}
SAMPLE_RATE_HZ = 16000

_models: dict[tuple[str, str, str, int], Any] = {}
_models_lock = threading.Lock()


class FasterWhisper:
    """The ``Transcriber`` over faster-whisper; int8 on CPU by default."""

    name = "faster-whisper"

    def __init__(self, *, model: str = PACKAGED_WHISPER_BASE, device: str = "cpu",
                 compute_type: str = "int8", cpu_threads: int = 0, beam_size: int = 5,
                 vad_filter: bool = False, models_dir: Path | str | None = None) -> None:
        self.model_name = model
        self.device = device
        self.compute_type = compute_type
        self.cpu_threads = cpu_threads
        self.beam_size = beam_size
        # faster-whisper's own Silero VAD (ships in its wheel) skips long non-speech before
        # decoding; off by default: on short dialogue it cost time and split words here.
        self.vad_filter = vad_filter
        self.models_dir = Path(models_dir) if models_dir else configured_models_dir()

    # --- availability --------------------------------------------------------------------

    def model_folder(self) -> ModelFolder:
        """The model's folder, assembling the packaged base model on first use."""
        if self.model_name == PACKAGED_WHISPER_BASE:
            return assemble_packaged_whisper_base(models_dir=self.models_dir)
        return read_model_folder(name=self.model_name, path=self.models_dir / self.model_name)

    def check_available(self) -> ModelFolder:
        try:
            import faster_whisper  # noqa: F401
        except ImportError as exc:
            raise EngineUnavailable(
                gettext("%(module)s cannot be imported (%(error)s).") % {"module": "faster-whisper", "error": exc},
                gettext("Install the ml extra: pip install 'dastan[ml]'."),
            ) from exc
        return self.model_folder()

    def available(self) -> bool:
        try:
            self.check_available()
        except EngineUnavailable:
            return False
        return True

    def languages(self) -> tuple[str, ...]:
        return tuple(WHISPER_CODES)

    def describe(self) -> EngineInfo:
        try:
            folder = self.check_available()
        except (EngineUnavailable, EngineFailed) as exc:
            return EngineInfo(self.name, "asr", False, self.languages(), "neural",
                              self.model_name, problem=str(exc))
        return EngineInfo(self.name, "asr", True, self.languages(), "neural", folder.name,
                          folder.sha256, f"{folder.source} -> {folder.path}",
                          sample_rate_hz=SAMPLE_RATE_HZ,
                          problem="" if "ky" in self.languages() else
                          "Kyrgyz (ky) is not covered: Whisper has no Kyrgyz.")

    def provenance(self, folder: ModelFolder) -> Provenance:
        import faster_whisper

        settings = {"device": self.device, "compute_type": self.compute_type,
                    "beam_size": str(self.beam_size), "vad_filter": str(self.vad_filter)}
        return Provenance(self.name, folder.name, faster_whisper.__version__, folder.sha256,
                          tuple(sorted(settings.items())))

    # --- transcription ---------------------------------------------------------------------

    def transcribe(self, *, audio: Path, language: str | None = None,
                   word_timestamps: bool = True) -> Transcript:
        """Timed text of the speech in ``audio``; ``language`` None detects it among
        Dastan's languages. Raises ``EngineUnavailable`` for a language Whisper lacks
        (Kyrgyz) and ``EngineFailed`` when the audio cannot be decoded."""
        whisper_language = check_language_supported(language) if language else None
        folder = self.check_available()
        model = self._loaded_model(folder)
        samples = _decode(audio)
        probability = 1.0
        if whisper_language is None:
            whisper_language, probability = _detect_language(model, samples)
        segments, info = model.transcribe(samples, language=whisper_language,
                                          beam_size=self.beam_size,
                                          word_timestamps=word_timestamps,
                                          vad_filter=self.vad_filter)
        collected = tuple(_segment(s) for s in segments)
        return Transcript(DASTAN_CODES.get(whisper_language, whisper_language), probability,
                          collected, self.provenance(folder), int(info.duration * 1000))

    def _loaded_model(self, folder: ModelFolder) -> Any:
        from faster_whisper import WhisperModel

        key = (str(folder.path), self.device, self.compute_type, self.cpu_threads)
        with _models_lock:
            if key not in _models:
                _models[key] = WhisperModel(str(folder.path), device=self.device,
                                            compute_type=self.compute_type,
                                            cpu_threads=self.cpu_threads,
                                            local_files_only=True)
            return _models[key]


def check_language_supported(language: str) -> str:
    """Whisper's code for a Dastan language; ``EngineUnavailable`` for one it lacks."""
    if language in WHISPER_CODES:
        return WHISPER_CODES[language]
    if language == "ky":
        raise EngineUnavailable(
            gettext("Whisper cannot transcribe Kyrgyz: it was not trained on Kyrgyz and has no 'ky' "
                    "language (its Kazakh or Russian output would be wrong text, not a transcript)."),
            gettext("Use an uploaded script or subtitles for Kyrgyz speech (a human transcription "
                    "task), or name a model that covers Kyrgyz in DASTAN_ENGINES['ASR']."),
        )
    raise EngineUnavailable(
        gettext("Whisper has no language '%(language)s' among Dastan's languages.") % {"language": language},
        gettext("Use one of: %(codes)s, or upload a script or subtitles.") % {"codes": ", ".join(WHISPER_CODES)},
    )


def _decode(audio: Path) -> Any:
    from faster_whisper import decode_audio

    if not Path(audio).is_file():
        raise EngineFailed(f"No audio file at {audio}.", "Check the path given to transcribe().")
    try:
        return decode_audio(str(audio), sampling_rate=SAMPLE_RATE_HZ)
    except Exception as exc:  # PyAV raises many types; all mean "cannot decode"
        raise EngineFailed(f"Could not decode the audio in {audio}: {exc}",
                           "Check that the file is audio or video that ffmpeg reads.") from exc


def _detect_language(model: Any, samples: Any) -> tuple[str, float]:
    """The most likely of Dastan's languages (not of Whisper's 99), with its probability.

    Whisper alone often answers a neighbour (Kazakh speech as Tatar or Bashkir);
    restricting the choice to the languages a Dastan node serves avoids that."""
    _, _, all_probabilities = model.detect_language(audio=samples)
    ours = [(code, p) for code, p in all_probabilities if code in DASTAN_CODES]
    code, probability = max(ours, key=lambda item: item[1])
    return code, float(probability)  # Whisper's own probability, not renormalised


def _segment(segment: Any) -> Segment:
    words = tuple(Word(w.word.strip(), round(w.start * 1000), round(w.end * 1000),
                       float(w.probability)) for w in (segment.words or ()))
    return Segment(segment.text.strip(), round(segment.start * 1000), round(segment.end * 1000),
                   words)
