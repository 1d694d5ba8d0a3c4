"""The countries of Dastan: ISO 3166-1 alpha-2 codes, named from CLDR through Babel.

The one table every app reads: the catalogue (a title's country of origin, an
organisation's, a person's), the rights app (territories, releases, a viewer's country)
and the apps above them. ``KZ`` reads "Kazakhstan" in English and "Казахстан" in Russian.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale
from django.utils.translation import get_language

# Babel also names CLDR's exceptional reservations (AC Ascension, CP Clipperton, DG Diego
# Garcia, EA Ceuta and Melilla, IC the Canaries, TA Tristan da Cunha, CQ Sark), user-assigned
# codes (XK) and macro-regions (EU, UN, ZZ "Unknown Region"): none is an ISO 3166-1 country,
# and none stands for a place a viewer can be in.
_NOT_COUNTRIES = frozenset({"AC", "CP", "CQ", "DG", "EA", "IC", "TA", "EU", "EZ", "UN", "QO",
                            "XA", "XB", "XK", "ZZ"})
COUNTRIES: frozenset[str] = frozenset(
    str(code) for code in Locale("en").territories if len(str(code)) == 2 and str(code).isalpha()
) - _NOT_COUNTRIES


def is_country(code: str) -> bool:
    """True for an ISO 3166-1 alpha-2 code, in either case."""
    return code.upper() in COUNTRIES


def country_name(code: str, language: str | None = None) -> str:
    """'Kazakhstan' for KZ in English, 'Казахстан' in Russian: in ``language``, or the one
    Django has active; the code itself when CLDR has no name."""
    return _country_name(code.upper(), cldr_locale_name(language or get_language() or "en"))


def cldr_locale_name(language: str) -> str:
    """Django's 'zh-hans' as CLDR's 'zh_Hans'."""
    parts = language.replace("_", "-").split("-")
    return "_".join([parts[0].lower(), *(p.title() if len(p) == 4 else p.upper() for p in parts[1:])])


@lru_cache(maxsize=4096)
def _country_name(code: str, language: str) -> str:
    try:
        locale = Locale.parse(language)
    except (ValueError, LookupError):
        locale = Locale("en")
    return str(locale.territories.get(code, code))
