"""Style profiles: the broadcast rules a subtitle track of one language must obey.

Defaults follow the Netflix Timed Text Style Guide's per-language pages (values as
Subtitle Edit codes them, see shared/REFERENCES.md "Subtitles"):

=========  ===========  ==========  ============================================
language   chars/line   cps adult/  why
                        children
=========  ===========  ==========  ============================================
en         42           20 / 17     Netflix English
ru         39           17 / 13     Netflix Russian
be         39           17 / 13     Slavic Cyrillic like Russian: Russian's page
kk, ky     42           17 / 13     Turkic Cyrillic: words are long (agglutinative),
                                    so the 42-char default line, Russian's speed
tg         42           17 / 13     Cyrillic readers, Persian-like word lengths
uz         42           20 / 17     Latin-script default (uz is written in Latin)
zh-Hans    16           9 / 7       Netflix Simplified Chinese
hi         42           22 / 18     Netflix Hindi
ur, fa     42           20 / 17     no Netflix page: Arabic-script default
=========  ===========  ==========  ============================================

Common to all: at most 2 lines; 833 ms (5/6 s) to 7000 ms on screen; at least 2 frames
between cues; gaps of 12 frames or less closed to 2; an end may run 12 frames past
speech; a start 1-8 frames before a shot change snaps to it; an end within 12 frames of
a shot change moves to 2 frames before it. Frame rules are kept in frames and turned
into milliseconds with the film's ``fps`` (:meth:`StyleProfile.frames_ms`).

Organisations edit profiles: :func:`profile_to_dict` and :func:`profile_from_dict`
round-trip them, and the latter refuses unknown keys and values out of range with
:class:`~dastan.errors.InvalidInput` naming the field.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from dastan.catalog.languages import get_language
from dastan.errors import InvalidInput
from dastan.i18n import gettext, pgettext

AUDIENCES = ("adult", "children")

# (chars per line, cps adult, cps children) per language code.
_LIMITS: dict[str, tuple[int, float, float]] = {
    "en": (42, 20, 17),
    "ru": (39, 17, 13),
    "be": (39, 17, 13),
    "kk": (42, 17, 13),
    "ky": (42, 17, 13),
    "tg": (42, 17, 13),
    "uz": (42, 20, 17),
    "zh-Hans": (16, 9, 7),
    "hi": (42, 22, 18),
    "ur": (42, 20, 17),
    "fa": (42, 20, 17),
}

# Line-break word lists. ``break_before``: a line may well start with these
# (conjunctions, prepositions, relative words); ``keep_with_next``: never leave these at
# the end of a line (articles, prepositions, particles); ``keep_with_previous``: never
# start a line with these (postpositions and clitics that close a phrase). Urdu میں is
# left out: it is "in" but also "I", which often starts a sentence.
_WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "en": (("and", "but", "or", "so", "because", "that", "which", "who", "when", "if",
            "to", "of", "in", "on", "at", "for", "with", "from", "about", "after",
            "before", "while"),
           ("a", "an", "the", "to", "of", "in", "on", "at", "for", "with", "from", "my",
            "your", "his", "her", "our", "their", "and", "or", "but", "i", "mr.", "mrs.",
            "dr."),
           ()),
    "ru": (("и", "а", "но", "или", "что", "чтобы", "когда", "если", "потому", "который",
            "которая", "которые", "в", "во", "на", "с", "со", "к", "ко", "по", "о", "об",
            "от", "до", "из", "за", "для", "у", "без", "при", "под", "над"),
           ("в", "во", "на", "с", "со", "к", "ко", "по", "о", "об", "от", "до", "из", "за",
            "для", "у", "без", "при", "под", "над", "и", "а", "но", "не", "ни"),
           ("ли", "же", "бы", "ж", "б")),
    "be": (("і", "й", "а", "але", "што", "каб", "калі", "бо", "у", "ў", "на", "з",
            "да", "па", "ад", "для", "пры", "пад", "над", "без"),
           ("у", "ў", "на", "з", "да", "па", "ад", "для", "пры", "пад", "над", "без", "і",
            "й", "а", "не"),
           ("ці", "ж", "бы", "б")),
    "kk": (("және", "бірақ", "алайда", "немесе", "әрі", "себебі", "өйткені", "егер",
            "сондықтан", "ал"),
           ("және", "бірақ", "немесе", "әрі", "егер", "ал"),
           ("үшін", "туралы", "сияқты", "бойынша", "дейін", "кейін", "бері", "да", "де",
            "та", "те", "ма", "ме", "ба", "бе", "па", "пе", "ғой", "қой")),
    "ky": (("жана", "бирок", "же", "анткени", "эгер", "ошондуктан", "ал", "менен"),
           ("жана", "бирок", "же", "эгер", "ал"),
           ("үчүн", "жөнүндө", "сыяктуу", "боюнча", "чейин", "кийин", "бери", "да", "де",
            "бы", "би", "бу", "бү", "го", "ко")),
    "tg": (("ва", "вале", "аммо", "ё", "ки", "агар", "чунки", "барои", "бо", "аз", "дар",
            "ба", "то", "бе"),
           ("ва", "вале", "аммо", "ё", "барои", "бо", "аз", "дар", "ба", "то", "бе"),
           ("ро", "ҳам", "-ку", "-чи")),
    "uz": (("va", "lekin", "ammo", "biroq", "yoki", "chunki", "agar", "shuning"),
           ("va", "lekin", "ammo", "biroq", "yoki", "agar"),
           ("uchun", "bilan", "haqida", "kabi", "qadar", "keyin", "oldin", "ham", "esa",
            "-chi", "-da", "-ku")),
    "hi": (("और", "लेकिन", "परंतु", "कि", "या", "क्योंकि", "तो", "जब", "अगर", "जो"),
           ("और", "लेकिन", "या", "अगर", "जब"),
           ("का", "की", "के", "में", "से", "को", "ने", "पर", "तक", "ही", "भी", "है", "हैं",
            "था", "थे", "थी", "हूँ", "हो")),
    "ur": (("اور", "لیکن", "مگر", "کہ", "یا", "کیونکہ", "تو", "جب", "اگر", "جو"),
           ("اور", "لیکن", "مگر", "یا", "اگر", "جب"),
           ("کا", "کی", "کے", "سے", "کو", "نے", "پر", "تک", "ہی", "بھی", "ہے", "ہیں",
            "تھا", "تھے", "تھی", "ہوں")),
    "fa": (("و", "اما", "ولی", "که", "یا", "چون", "زیرا", "اگر", "وقتی", "از", "به", "با",
            "در", "برای", "تا", "بی"),
           ("و", "اما", "ولی", "یا", "اگر", "از", "به", "با", "در", "برای", "تا", "بی"),
           ("را", "هم", "است", "هست", "بود")),
    "zh-Hans": ((), (), ("的", "了", "吗", "呢", "吧", "啊", "着", "过", "们", "地", "得")),
}


@dataclass(frozen=True, slots=True)
class StyleProfile:
    """The rules for one language's subtitles; see the module docstring for defaults."""

    language: str
    script: str  # ISO 15924 the text must be written in: "Cyrl" for kk, "Latn" for uz
    audience: str = "adult"
    chars_per_line: int = 42
    max_lines: int = 2
    max_cps: float = 20.0
    min_duration_ms: int = 833
    max_duration_ms: int = 7000
    fps: float = 24.0
    min_gap_frames: int = 2
    close_gap_frames: int = 12  # gaps up to this many frames are closed to min_gap_frames
    extend_end_frames: int = 12  # an end may run this far past the speech
    shot_start_frames: int = 8  # a start this many frames (or fewer) before a cut snaps
    shot_end_frames: int = 12  # an end this close to a cut moves to min_gap before it
    pause_split_ms: int = 1500  # silence this long always starts a new cue
    break_between_characters: bool = False  # Han: no spaces, break between characters
    break_before: tuple[str, ...] = ()
    keep_with_next: tuple[str, ...] = ()
    keep_with_previous: tuple[str, ...] = ()

    def frames_ms(self, frames: int) -> int:
        """``frames`` at this profile's ``fps`` in whole milliseconds (2 at 24 → 83)."""
        return round(frames * 1000 / self.fps)

    @property
    def min_gap_ms(self) -> int:
        return self.frames_ms(self.min_gap_frames)

    def with_fps(self, fps: float) -> StyleProfile:
        """The same rules for a film of ``fps`` frames a second."""
        return profile_from_dict(data={**profile_to_dict(profile=self), "fps": fps})


def default_profile(*, language: str, audience: str = "adult", fps: float = 24.0
                    ) -> StyleProfile:
    """The house default for ``language`` (any of the catalogue's 11 codes).

    Raises :class:`InvalidInput` for an unknown language or audience.
    """
    lang = get_language(language)
    if audience not in AUDIENCES:
        raise InvalidInput(gettext("'%(audience)s' is not an audience.") % {"audience": audience},
                           # Translators: 'adult' and 'children' are values of a setting; keep them as they are.
                           gettext("Use 'adult' or 'children'."), field="audience")
    chars, cps_adult, cps_children = _LIMITS[lang.code]
    before, keep_next, keep_prev = _WORDS[lang.code]
    return profile_from_dict(data={
        "language": lang.code, "script": lang.script, "audience": audience,
        "chars_per_line": chars, "fps": fps,
        "max_cps": cps_adult if audience == "adult" else cps_children,
        "break_between_characters": lang.script in ("Hans", "Hant"),
        "break_before": before, "keep_with_next": keep_next,
        "keep_with_previous": keep_prev,
    })


def profile_to_dict(*, profile: StyleProfile) -> dict[str, Any]:
    """A JSON-ready dict (word lists as lists) that :func:`profile_from_dict` reads back."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(profile):
        value = getattr(profile, f.name)
        out[f.name] = list(value) if isinstance(value, tuple) else value
    return out


# field → (type, minimum, maximum); None where a range means nothing.
_RANGES: dict[str, tuple[type, float, float]] = {
    "chars_per_line": (int, 8, 120), "max_lines": (int, 1, 3), "max_cps": (float, 3, 60),
    "min_duration_ms": (int, 100, 10_000), "max_duration_ms": (int, 500, 30_000),
    "fps": (float, 10, 120), "min_gap_frames": (int, 0, 24),
    "close_gap_frames": (int, 0, 48), "extend_end_frames": (int, 0, 48),
    "shot_start_frames": (int, 0, 48), "shot_end_frames": (int, 0, 48),
    "pause_split_ms": (int, 100, 60_000),
}


def profile_from_dict(*, data: dict[str, Any]) -> StyleProfile:
    """Build a profile from stored or edited values, checking each one.

    Missing keys take the dataclass defaults. Raises :class:`InvalidInput` whose
    ``field`` names the bad key: unknown keys, wrong types, values out of range, a
    minimum duration not below the maximum, a script that is not the language's.
    """
    names = {f.name for f in dataclasses.fields(StyleProfile)}
    unknown = sorted(set(data) - names)
    if unknown:
        raise InvalidInput(gettext("Unknown style profile setting '%(setting)s'.") % {"setting": unknown[0]},
                           gettext("Remove it; settings are: %(settings)s.") % {"settings": ", ".join(sorted(names))},
                           field=unknown[0])
    if "language" not in data:
        raise InvalidInput(gettext("A style profile needs a language."),
                           gettext("Add 'language', e.g. \"ru\"."), field="language")
    lang = get_language(str(data["language"]))
    values: dict[str, Any] = dict(data, language=lang.code)
    values.setdefault("script", lang.script)
    for key, (kind, low, high) in _RANGES.items():
        if key in values:
            values[key] = _number(key, values[key], kind, low, high)
    for key in ("break_before", "keep_with_next", "keep_with_previous"):
        if key in values:
            values[key] = _words(key, values[key])
    if values.get("audience", "adult") not in AUDIENCES:
        raise InvalidInput(gettext("'%(audience)s' is not an audience.") % {"audience": values["audience"]},
                           gettext("Use 'adult' or 'children'."), field="audience")
    if values["script"] != lang.script:
        raise InvalidInput(
            # Translators: a script here is a writing system (Cyrl, Latn, Arab), given by its ISO 15924 code.
            pgettext("writing system", "%(language)s subtitles are written in %(script)s, not %(wanted)s.")
            % {"language": lang.code, "script": lang.script, "wanted": values["script"]},
            pgettext("writing system", "Set 'script' to \"%(script)s\" or leave it out.") % {"script": lang.script},
            field="script")
    profile = StyleProfile(**values)
    if profile.min_duration_ms >= profile.max_duration_ms:
        raise InvalidInput(
            gettext("The minimum duration (%(min)s ms) must be below the maximum (%(max)s ms).")
            % {"min": profile.min_duration_ms, "max": profile.max_duration_ms},
            gettext("Lower 'min_duration_ms' or raise 'max_duration_ms'."), field="min_duration_ms")
    return profile


def _number(key: str, value: Any, kind: type, low: float, high: float) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (
            kind is int and not float(value).is_integer()):
        values = {"key": key, "value": repr(value)}
        raise InvalidInput((gettext("'%(key)s' must be a whole number, not %(value)s.") if kind is int
                            else gettext("'%(key)s' must be a number, not %(value)s.")) % values,
                           gettext("Set '%(key)s' to a number.") % values, field=key)
    number: int | float = int(value) if kind is int else float(value)
    if not low <= number <= high:
        bounds = {"key": key, "value": value, "low": f"{low:g}", "high": f"{high:g}"}
        raise InvalidInput(gettext("'%(key)s' is %(value)s, outside %(low)s–%(high)s.") % bounds,
                           gettext("Set '%(key)s' between %(low)s and %(high)s.") % bounds, field=key)
    return number


def _words(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, (list, tuple)) or not all(
            isinstance(w, str) and w.strip() for w in value):
        raise InvalidInput(gettext("'%(key)s' must be a list of words.") % {"key": key},
                           gettext("Set '%(key)s' to a list such as [\"and\", \"but\"].") % {"key": key}, field=key)
    return tuple(w.strip().casefold() for w in value)
