"""Neural translation with CTranslate2 models from model folders (NLLB-200, OPUS-MT, M2M).

No such model ships in any package registry (MODELS.md), so this engine is available only
where an operator put a converted model folder into ``DASTAN_MODELS_DIR``. A folder holds
what ``ct2-transformers-converter`` writes (``model.bin``, ``config.json``,
``shared_vocabulary.json`` or ``source_``/``target_vocabulary.json``) plus a tokenizer.

Languages of a folder:
- NLLB style (found by itself): the vocabulary holds NLLB language tokens (``rus_Cyrl``);
  the source is ``[src_lang] + pieces + ["</s>"]``, the target is forced to start with
  ``[tgt_lang]``. Every ordered pair of Dastan languages whose token is present is served.
- Anything else needs ``dastan-model.json`` beside the model:
  ``{"pairs": [["ru", "be"]]}`` for a one-pair OPUS-MT model (source ``pieces + ["</s>"]``),
  optionally ``"language_tokens": {"ru": "__ru__", ...}`` for an M2M-like model.

Tokenizers, first found wins: ``tokenizer.json`` (Hugging Face ``tokenizers``, which
faster-whisper already installs); ``sentencepiece.bpe.model`` / ``source.spm`` when the
``sentencepiece`` package is installed; else :class:`VocabularyTokenizer`, a greedy
longest-match over the model's own vocabulary in SentencePiece's ``▁`` convention. The
last one finds the pieces SentencePiece would for words in the vocabulary, but may split
rarer words differently, which costs quality; it is recorded in the provenance.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from django.utils.translation import gettext

from dastan.catalog.languages import LANGUAGES
from dastan.localization.engines.base import EngineInfo, Provenance, Translation
from dastan.localization.engines.config import models_dir as configured_models_dir
from dastan.localization.engines.model_files import MANIFEST, ModelFolder, read_model_folder
from dastan.localization.errors import EngineFailed, EngineUnavailable

NLLB_TOKENS = {lang.code: lang.nllb for lang in LANGUAGES}
_VOCABULARY_FILES = ("shared_vocabulary", "source_vocabulary", "target_vocabulary")
_loaded: dict[tuple[str, str, str], Any] = {}
_loaded_lock = threading.Lock()


class Tokenizer(Protocol):
    kind: str

    def encode(self, text: str) -> list[str]: ...

    def decode(self, pieces: list[str]) -> str: ...


class VocabularyTokenizer:
    """Greedy longest-match pieces over a SentencePiece-style vocabulary (``▁`` starts a
    word). Characters no piece covers become ``<unk>``."""

    kind = "vocabulary-greedy"

    def __init__(self, vocabulary: list[str], unk: str = "<unk>") -> None:
        self.pieces = set(vocabulary)
        self.unk = unk
        self.longest = max((len(p) for p in vocabulary), default=1)

    def encode(self, text: str) -> list[str]:
        out: list[str] = []
        for word in text.split():
            rest = "▁" + word
            while rest:
                for size in range(min(len(rest), self.longest), 0, -1):
                    if rest[:size] in self.pieces:
                        out.append(rest[:size])
                        rest = rest[size:]
                        break
                else:
                    out.append(self.unk)
                    rest = rest[1:]
        return out

    def decode(self, pieces: list[str]) -> str:
        return "".join(p for p in pieces if p != self.unk).replace("▁", " ").strip()


class HuggingFaceTokenizer:
    kind = "tokenizer.json"

    def __init__(self, path: Path) -> None:
        from tokenizers import Tokenizer as HFTokenizer

        self.tokenizer = HFTokenizer.from_file(str(path))

    def encode(self, text: str) -> list[str]:
        return list(self.tokenizer.encode(text, add_special_tokens=False).tokens)

    def decode(self, pieces: list[str]) -> str:
        ids = [self.tokenizer.token_to_id(p) for p in pieces]
        return str(self.tokenizer.decode([i for i in ids if i is not None])).strip()


class SentencePieceTokenizer:
    kind = "sentencepiece"

    def __init__(self, path: Path) -> None:
        import sentencepiece

        self.processor = sentencepiece.SentencePieceProcessor(model_file=str(path))

    def encode(self, text: str) -> list[str]:
        return list(self.processor.encode(text, out_type=str))

    def decode(self, pieces: list[str]) -> str:
        return str(self.processor.decode_pieces(pieces)).strip()


@dataclass(frozen=True, slots=True)
class MTModel:
    """A translation model folder and what it serves."""

    folder: ModelFolder
    language_tokens: dict[str, str] = field(default_factory=dict)  # "" for one-pair models
    pairs: frozenset[tuple[str, str]] = frozenset()
    style: str = "nllb"  # "nllb" (language tokens) or "pair" (one fixed pair)


def read_mt_model(path: Path) -> MTModel:
    """What the model folder ``path`` translates; ``EngineUnavailable`` naming the missing
    file or manifest."""
    folder = read_model_folder(name=path.name, path=path)
    vocabulary = _vocabulary(path, side="target")
    manifest = _manifest(path)
    if manifest.get("pairs"):
        pairs = frozenset((str(s), str(t)) for s, t in manifest["pairs"])
        return MTModel(folder, dict(manifest.get("language_tokens") or {}), pairs, "pair")
    known = set(vocabulary)
    tokens = dict(manifest.get("language_tokens") or
                  {code: tok for code, tok in NLLB_TOKENS.items() if tok in known})
    tokens = {code: tok for code, tok in tokens.items() if tok in known}
    if len(tokens) < 2:
        raise EngineUnavailable(
            gettext("The model folder %(folder)s has no NLLB language tokens and no pairs in %(manifest)s.")
            % {"folder": path, "manifest": MANIFEST},
            gettext('Add %(manifest)s beside model.bin: {"pairs": [["ru", "be"]]} for a one-pair model, '
                    "or use an NLLB-200 conversion.") % {"manifest": MANIFEST},
        )
    pairs = frozenset((s, t) for s in tokens for t in tokens if s != t)
    return MTModel(folder, tokens, pairs, "nllb")


class CTranslate2Translator:
    """The ``Translator`` over CTranslate2 model folders in ``DASTAN_MODELS_DIR``."""

    name = "ctranslate2"

    def __init__(self, *, models: list[str] | None = None, models_dir: Path | str | None = None,
                 device: str = "cpu", compute_type: str = "int8", beam_size: int = 4,
                 max_decoding_length: int = 256) -> None:
        self.model_names = models
        self.models_dir = Path(models_dir) if models_dir else configured_models_dir()
        self.device = device
        self.compute_type = compute_type
        self.beam_size = beam_size
        self.max_decoding_length = max_decoding_length

    def model_paths(self) -> list[Path]:
        """The named folders, or every CTranslate2 translation folder in the models dir."""
        if self.model_names is not None:
            return [self.models_dir / name for name in self.model_names]
        if not self.models_dir.is_dir():
            return []
        return sorted(p for p in self.models_dir.iterdir() if (p / "model.bin").is_file()
                      and any((p / f"{v}.{ext}").is_file() for v in _VOCABULARY_FILES
                              for ext in ("json", "txt")))

    def models(self) -> list[MTModel]:
        self.check_available()
        return [read_mt_model(p) for p in self.model_paths()]

    def check_available(self) -> None:
        try:
            import ctranslate2  # noqa: F401
        except ImportError as exc:
            # Translators: %(module)s is a Python package; %(error)s is Python's own message, in English.
            raise EngineUnavailable(gettext("%(module)s cannot be imported (%(error)s).")
                                    % {"module": "ctranslate2", "error": exc}, gettext("Install the ml extra: pip install 'dastan[ml]'.")) from exc
        if not self.model_paths():
            raise EngineUnavailable(
                gettext("No CTranslate2 translation model found in %(folder)s.") % {"folder": self.models_dir},
                gettext("Put a converted NLLB-200 or OPUS-MT folder there (ct2-transformers-converter "
                        "--model facebook/nllb-200-distilled-600M --output_dir DASTAN_MODELS_DIR/"
                        "nllb-200-distilled-600M on a machine with internet); `dastan models` lists "
                        "what is found."),
            )

    def available(self) -> bool:
        try:
            return bool(self.pairs())
        except EngineUnavailable:
            return False

    def pairs(self) -> set[tuple[str, str]]:
        return {pair for model in self.models() for pair in model.pairs}

    def describe(self) -> EngineInfo:
        try:
            models = self.models()
        except EngineUnavailable as exc:
            return EngineInfo(self.name, "mt", False, kind="neural", problem=str(exc))
        pairs = sorted(f"{s}>{t}" for m in models for s, t in m.pairs)
        return EngineInfo(self.name, "mt", True, tuple(pairs), "neural",
                          " ".join(m.folder.name for m in models),
                          " ".join(m.folder.sha256[:16] for m in models),
                          " ".join(str(m.folder.path) for m in models))

    def translate(self, *, texts: list[str], source: str, target: str) -> Translation:
        """Each text translated by the first model folder serving the pair. Raises
        ``EngineUnavailable`` when none does and ``EngineFailed`` when decoding fails."""
        model = self._model_for(source, target)
        translator, tokenizer = self._load(model)
        batch, prefixes = [], []
        for text in texts:
            pieces = tokenizer.encode(" ".join(text.split()))
            if model.style == "nllb":
                batch.append([model.language_tokens[source], *pieces, "</s>"])
                prefixes.append([model.language_tokens[target]])
            else:
                batch.append([*pieces, "</s>"])
        try:
            results = translator.translate_batch(
                batch, target_prefix=prefixes or None, beam_size=self.beam_size,
                max_decoding_length=self.max_decoding_length)
        except (RuntimeError, ValueError) as exc:
            raise EngineFailed(f"CTranslate2 failed on {model.folder.path.name}: {exc}",
                               "Check that the folder is a complete translation model.") from exc
        specials = {"</s>", "<s>", *model.language_tokens.values()}
        out = tuple("" if not text.strip() else
                    tokenizer.decode([p for p in r.hypotheses[0] if p not in specials])
                    for text, r in zip(texts, results))
        return Translation(out, source, target, self._provenance(model, tokenizer))

    def _model_for(self, source: str, target: str) -> MTModel:
        for model in self.models():
            if (source, target) in model.pairs:
                return model
        raise EngineUnavailable(
            gettext("No CTranslate2 model here translates %(source)s→%(target)s.") % {"source": source, "target": target},
            gettext("Add a model folder that does to DASTAN_MODELS_DIR, or leave the pair to a human "
                    "translator; `dastan models` lists what is found."),
        )

    def _load(self, model: MTModel) -> tuple[Any, Tokenizer]:
        import ctranslate2

        key = (str(model.folder.path), self.device, self.compute_type)
        with _loaded_lock:
            if key not in _loaded:
                translator = ctranslate2.Translator(str(model.folder.path), device=self.device,
                                                    compute_type=self.compute_type)
                _loaded[key] = (translator, _tokenizer_for(model.folder.path))
            loaded: tuple[Any, Tokenizer] = _loaded[key]
            return loaded

    def _provenance(self, model: MTModel, tokenizer: Tokenizer) -> Provenance:
        import ctranslate2

        settings = {"beam_size": str(self.beam_size), "compute_type": self.compute_type,
                    "tokenizer": tokenizer.kind}
        return Provenance(self.name, model.folder.name, ctranslate2.__version__,
                          model.folder.sha256, tuple(sorted(settings.items())))


def _tokenizer_for(path: Path) -> Tokenizer:
    if (path / "tokenizer.json").is_file():
        return HuggingFaceTokenizer(path / "tokenizer.json")
    for name in ("sentencepiece.bpe.model", "source.spm", "spm.model"):
        if (path / name).is_file():
            try:
                return SentencePieceTokenizer(path / name)
            except ImportError:
                break
    return VocabularyTokenizer(_vocabulary(path, side="source"))


def _vocabulary(path: Path, *, side: str = "target") -> list[str]:
    """The shared vocabulary, else the ``side`` one (language tokens are on the target)."""
    for name in ("shared_vocabulary", f"{side}_vocabulary"):
        if (path / f"{name}.json").is_file():
            return [str(t) for t in json.loads((path / f"{name}.json").read_text())]
        if (path / f"{name}.txt").is_file():
            return (path / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    raise EngineUnavailable(gettext("The model folder %(folder)s has no vocabulary file.") % {"folder": path},
                            gettext("Convert the model again with ct2-transformers-converter."))


def _manifest(path: Path) -> dict[str, Any]:
    try:
        data = json.loads((path / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
