"""Rule-based translation with Apertium, for the pairs installed on this machine.

Debian 12 has two pair packages among Dastan's languages: ``apertium-urd-hin`` (hi↔ur) and
``apertium-bel-rus`` (be→ru; its ru→be mode crashes, see below).

Batches: one ``apertium`` process per batch, one text per line. Apertium's plain-text
format keeps line breaks as they are (its ``line`` format would drop sentence-final
periods), so line *n* of the output is text *n*. A text's own line breaks are joined with
a space first: subtitle lines are broken again after translation. Should the line count
ever differ, each text is translated alone instead.

Unknown words: Apertium marks a word it could not translate ``*word`` (``#``/``@`` for
generation and transfer gaps). The marks are removed from the text a viewer would see and
returned in ``Translation.unknown_words`` — a QC signal for the reviewer, per text.

Broken modes: ``apertium-bel-rus`` 0.2.1 ships a ``rus-bel`` tagger model that crashes
``apertium-tagger``; the pipeline still exits 0 with empty output. :meth:`pairs` runs a
self-test per mode (once per process) and leaves out any mode that returns empty text;
:meth:`translate` raises ``EngineFailed`` whenever non-empty input comes back empty.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext

from dastan import processes
from dastan.catalog.languages import BY_ISO639_2
from dastan.localization.engines.base import EngineInfo, Provenance, Translation
from dastan.localization.errors import EngineFailed, EngineUnavailable

# Apertium's three-letter codes -> Dastan codes: ISO 639-2, and the ISO 639-3 codes of
# Mandarin and Iranian Persian that some pairs are named with.
APERTIUM_CODES = {**BY_ISO639_2, "cmn": "zh-Hans", "pes": "fa"}
# Everyday dialogue lines per source language, for the self-test of each mode. rus-bel
# crashes on some of the commonest ("Как дела?"), which is why they are here.
SELF_TEST = {
    "ru": ["Как дела?", "Фильм начинается в восемь часов.", "Мы живём в Минске."],
    "be": ["Ён чытае кнігу."],
    "ur": ["یہ کتاب اچھی ہے۔"],
    "hi": ["यह किताब अच्छी है।"],
    "en": ["The book is good."],
    "kk": ["Бұл кітап жақсы."],
    "fa": ["این کتاب خوب است."],
}
KNOWN_CRASHES = {
    "rus-bel": "a known crash in Debian's apertium-bel-rus 0.2.1: apertium-tagger segfaults on "
               "rus-bel.prob and the pipeline still exits 0",
}
_MARKED = re.compile(r"(?<![^\s\"'«(\[])[*#@]([^\s.,!?;:«»\"()\[\]۔।؟،]+)")
_ALTERNATIVES = re.compile(r"([^\s/]+)(?:/[^\s/.,!?;:«»\"()\[\]۔।؟،]+)+")
_self_tests: dict[tuple[str, str], str] = {}  # (binary, mode) -> "" if it passed, else why
_self_tests_lock = threading.Lock()


class Apertium:
    """The ``Translator`` over the ``apertium`` command and its installed modes."""

    name = "apertium"

    def __init__(self, *, binary: str = "apertium", timeout_s: float = 120.0,
                 self_test: bool = True) -> None:
        self.binary = binary
        self.timeout_s = timeout_s
        self.self_test = self_test
        self._modes: dict[str, tuple[str, str]] | None = None

    # --- availability and pairs -------------------------------------------------------------

    def check_available(self) -> str:
        path = shutil.which(self.binary)
        if path is None:
            raise EngineUnavailable(
                gettext("The '%(command)s' command was not found.") % {"command": self.binary},
                gettext("Install Apertium and its language pairs: apt-get install apertium "
                        "apertium-urd-hin apertium-bel-rus."),
            )
        return path

    def available(self) -> bool:
        try:
            self.check_available()
        except EngineUnavailable:
            return False
        return bool(self.modes())

    def modes(self) -> dict[str, tuple[str, str]]:
        """Installed modes among Dastan's languages: ``{"urd-hin": ("ur", "hi")}``. Read
        once per engine instance (``reset_engines()`` after installing a pair)."""
        if self._modes is not None:
            return self._modes
        self.check_available()
        listed = self._run(["-l"], "").split()
        found = {}
        for mode in listed:
            parts = mode.split("-")
            if len(parts) == 2 and parts[0] in APERTIUM_CODES and parts[1] in APERTIUM_CODES:
                found[mode] = (APERTIUM_CODES[parts[0]], APERTIUM_CODES[parts[1]])
        self._modes = found
        return found

    def broken_modes(self) -> dict[str, str]:
        """Modes that failed their self-test, with the reason."""
        if not self.self_test:
            return {}
        broken = {}
        for mode, (source, _) in self.modes().items():
            reason = self._self_test(mode, source)
            if reason:
                broken[mode] = reason
        return broken

    def pairs(self) -> set[tuple[str, str]]:
        broken = self.broken_modes()
        return {pair for mode, pair in self.modes().items() if mode not in broken}

    def describe(self) -> EngineInfo:
        try:
            self.check_available()
            broken = self.broken_modes()
            pairs = sorted(f"{s}>{t}" for s, t in self.pairs())
        except EngineUnavailable as exc:
            return EngineInfo(self.name, "mt", False, kind="rule-based", problem=str(exc))
        problem = "; ".join(f"{mode} left out: {why}" for mode, why in sorted(broken.items()))
        if not pairs:
            problem = problem or ("No Apertium pair among Dastan's languages is installed. "
                                  "Install one: apt-get install apertium-urd-hin apertium-bel-rus.")
        return EngineInfo(self.name, "mt", bool(pairs), tuple(pairs), "rule-based",
                          " ".join(sorted(m for m in self.modes() if m not in broken)),
                          source="Debian packages " + ", ".join(self._packages()),
                          problem=problem)

    # --- translation -------------------------------------------------------------------------

    def translate(self, *, texts: list[str], source: str, target: str) -> Translation:
        """Each text translated by the installed mode; marks of unknown words removed and
        returned in ``unknown_words``. Raises ``EngineUnavailable`` when no mode is
        installed for the pair and ``EngineFailed`` when Apertium fails or returns empty
        text for non-empty input."""
        mode = self._mode_for(source, target)
        lines = [" ".join(t.split()) for t in texts]
        raw = self._translate_lines(mode, lines)
        _check_not_empty(mode, lines, raw)
        cleaned, unknown = [], []
        for original, line in zip(texts, raw):
            text, words = strip_marks(line, keep_slashes="/" in original)
            cleaned.append(text)
            unknown.append(words)
        package = self._package_of(mode)
        provenance = Provenance(self.name, mode, _dpkg_version(package) if package else "",
                                settings=(("format", "txt"),))
        return Translation(tuple(cleaned), source, target, provenance,
                           unknown_words=tuple(unknown))

    def _mode_for(self, source: str, target: str) -> str:
        for mode, pair in self.modes().items():
            if pair == (source, target):
                return mode
        raise EngineUnavailable(
            gettext("Apertium has no %(source)s→%(target)s pair on this machine.") % {"source": source, "target": target},
            gettext("Installed pairs: %(pairs)s. Another engine or a human translator must do this pair; "
                    "`dastan models` lists what is found.")
            % {"pairs": ", ".join(f"{s}→{t}" for s, t in sorted(self.pairs())) or "-"},
        )

    def _translate_lines(self, mode: str, lines: list[str]) -> list[str]:
        wanted = [i for i, line in enumerate(lines) if line]
        out = [""] * len(lines)
        if not wanted:
            return out
        result = self._run(["-f", "txt", mode], "\n".join(lines[i] for i in wanted) + "\n")
        got = result.rstrip("\n").split("\n") if result.strip() else []
        if len(got) != len(wanted) and len(wanted) > 1:
            # A rule moved a line break, or the pipeline died part-way (rus-bel): one
            # process per text instead, so each text's own result is known.
            got = [self._run(["-f", "txt", mode], lines[i] + "\n").strip() for i in wanted]
        for i, text in zip(wanted, got):
            out[i] = text.strip()
        return out

    def _run(self, args: list[str], stdin: str) -> str:
        try:
            done = processes.run([self.binary, *args], input=stdin, capture_output=True,
                                 text=True, timeout=self.timeout_s, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise EngineFailed(f"Apertium could not run ({' '.join(args)}): {exc}",
                               "Check the apertium installation.") from exc
        if done.returncode != 0:
            tail = " ".join(done.stderr.strip().splitlines()[-3:])
            raise EngineFailed(
                f"Apertium {' '.join(args)} exited with code {done.returncode}: {tail}",
                "Check the apertium installation and the pair's package.",
            )
        return done.stdout

    def _self_test(self, mode: str, source: str) -> str:
        key = (self.binary, mode)
        with _self_tests_lock:
            if key not in _self_tests:
                sentences = SELF_TEST.get(source, [])
                try:
                    _check_not_empty(mode, sentences, self._translate_lines(mode, sentences))
                    _self_tests[key] = ""
                except EngineFailed as exc:
                    _self_tests[key] = exc.message
            return _self_tests[key]

    def _package_of(self, mode: str) -> str:
        mode_file = Path("/usr/share/apertium/modes") / f"{mode}.mode"
        try:
            found = re.search(r"/(apertium-[a-z]+-[a-z]+)/", mode_file.read_text())
        except OSError:
            return ""
        return found.group(1) if found else ""

    def _packages(self) -> list[str]:
        names = sorted({p for p in (self._package_of(m) for m in self.modes()) if p})
        return [f"{name} {_dpkg_version(name)}".strip() for name in names]


def strip_marks(text: str, *, keep_slashes: bool = False) -> tuple[str, tuple[str, ...]]:
    """Apertium output without its ``*``/``#``/``@`` marks, and the marked words.

    Where a generator knows two spellings it prints both (``हूं/हूँ``); unless the source
    itself had a slash, the first is kept."""
    unknown = tuple(_MARKED.findall(text))
    text = _MARKED.sub(r"\1", text)
    if not keep_slashes:
        text = _ALTERNATIVES.sub(r"\1", text)
    return text, unknown


def _check_not_empty(mode: str, inputs: list[str], outputs: list[str]) -> None:
    empty = sum(1 for i, o in zip(inputs, outputs) if i.strip() and not o.strip())
    if not empty:
        return
    why = KNOWN_CRASHES.get(mode, "the pair's pipeline failed without an error code")
    raise EngineFailed(
        f"Apertium's {mode} pair returned empty text for {empty} of "
        f"{sum(1 for i in inputs if i.strip())} non-empty inputs ({why}).",
        "This pair cannot be used here: the text becomes a human translation task; "
        "`dastan models` lists the pairs that passed their self-test.",
    )


@lru_cache(maxsize=32)
def _dpkg_version(package: str) -> str:
    if not shutil.which("dpkg-query"):
        return ""
    done = processes.run(["dpkg-query", "-W", "-f", "${Version}", package],
                         capture_output=True, text=True, check=False)
    return done.stdout.strip() if done.returncode == 0 else ""
