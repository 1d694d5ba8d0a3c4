"""The eleven languages of Dastan and how each is named, written and read.

Codes are BCP 47 as used on the web and in HLS (``zh-Hans``); Django's own language
codes are lower case (``zh-hans``). Native names come from CLDR through Babel, so a
language is always named in its own script.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from babel import Locale
from django.utils.translation import gettext

from dastan.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Language:
    code: str  # BCP 47, e.g. "zh-Hans"
    nllb: str  # NLLB-200 code, e.g. "zho_Hans"
    script: str  # ISO 15924, e.g. "Hans", "Cyrl", "Arab"
    iso639_2: tuple[str, ...]  # the three-letter tags containers carry (B and T forms)
    rtl: bool = False

    @property
    def django_code(self) -> str:
        return self.code.lower()

    @property
    def native_name(self) -> str:
        return native_name(self.code)


LANGUAGES: tuple[Language, ...] = (
    Language("en", "eng_Latn", "Latn", ("eng",)),
    Language("ru", "rus_Cyrl", "Cyrl", ("rus",)),
    Language("zh-Hans", "zho_Hans", "Hans", ("chi", "zho")),
    Language("hi", "hin_Deva", "Deva", ("hin",)),
    Language("ur", "urd_Arab", "Arab", ("urd",), rtl=True),
    Language("fa", "pes_Arab", "Arab", ("per", "fas"), rtl=True),
    Language("kk", "kaz_Cyrl", "Cyrl", ("kaz",)),
    Language("uz", "uzn_Latn", "Latn", ("uzb",)),
    Language("ky", "kir_Cyrl", "Cyrl", ("kir",)),
    Language("tg", "tgk_Cyrl", "Cyrl", ("tgk",)),
    Language("be", "bel_Cyrl", "Cyrl", ("bel",)),
)
BY_CODE = {lang.code.lower(): lang for lang in LANGUAGES}
# ISO 639-2 tags found in containers (and Apertium's pair names) → Dastan's codes.
BY_ISO639_2 = {tag: lang.code for lang in LANGUAGES for tag in lang.iso639_2}
CODES = tuple(lang.code for lang in LANGUAGES)
LANGUAGE_CHOICES = [(lang.code, lang.code) for lang in LANGUAGES]


def get_language(code: str) -> Language:
    """The language for a BCP 47 or Django code (``zh-hans`` and ``zh-Hans`` alike)."""

    try:
        return BY_CODE[code.replace("_", "-").lower()]
    except KeyError:
        raise InvalidInput(
            gettext("'%(code)s' is not one of Dastan's languages.") % {"code": code},
            gettext("Use one of: %(codes)s.") % {"codes": ", ".join(CODES)},
            field="language",
        ) from None


def normalize_code(code: str) -> str:
    return get_language(code).code


@lru_cache(maxsize=64)
def native_name(code: str) -> str:
    """The language's name in its own script: 'اردو', 'Русский', '中文（简体）'."""
    babel_code = code.replace("-", "_")
    name = Locale.parse(babel_code).get_display_name(babel_code) or code
    return name[:1].upper() + name[1:]


@lru_cache(maxsize=256)
def display_name(code: str, in_language: str) -> str:
    """The language ``code`` named in ``in_language`` ('Russian' in English)."""
    return Locale.parse(code.replace("-", "_")).get_display_name(in_language.replace("-", "_")) or code
