"""Days, months, numbers and names as the reader's language writes them (CLDR through Babel).

The rights pages, the chart and the decisions' sentences show dates to rights managers
and viewers in eleven languages; each formatter here follows the language Django has
active (the request's, or English in the CLI and in tasks). English reads "1 March 2027"
(CLDR's British order), which is unambiguous in every reading order.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import Literal

from babel import Locale
from babel.dates import format_date, get_month_names
from babel.numbers import format_decimal
from django.utils.translation import get_language

from dastan.catalog.countries import cldr_locale_name, country_name

__all__ = ["country_name", "format_day", "format_number", "format_short_day", "format_year", "language_name",
           "list_of", "locale", "month_label"]

# English's CLDR default writes "March 1, 2027"; the day-first British order reads the
# same way as every other language's long date.
_FORMAT_LOCALE = {"en": "en_GB"}


@lru_cache(maxsize=32)
def _parse(language: str) -> Locale:
    code = _FORMAT_LOCALE.get(language, language)
    try:
        return Locale.parse(code.replace("-", "_"), sep="_")
    except (ValueError, LookupError):
        return Locale.parse("en_GB")


def locale() -> Locale:
    """The Babel locale of the language Django has active."""
    return _parse(cldr_locale_name(get_language() or "en"))


def format_day(day: date) -> str:
    """'1 March 2027', '1 марта 2027 г.', '2027年3月1日'."""
    return format_date(day, "long", locale=locale())


def format_short_day(day: date) -> str:
    """'1 Mar 2027': where a grid tile has little room."""
    return format_date(day, "medium", locale=locale())


def month_label(month: int, *, narrow: bool = False) -> str:
    """A month's name for a chart's axis: abbreviated ('Mar', 'мар.'), or narrow ('M')."""
    here = locale()
    # A month alone on an axis takes the nominative where the language inflects it
    # (Russian 'май', not the date's 'мая'); elsewhere the format context, since Babel's
    # stand-alone abbreviations fall back to placeholders ('M05') for several of ours.
    context: Literal["format", "stand-alone"] = "stand-alone" if here.language in _INFLECTED_MONTHS else "format"
    short = str(get_month_names("abbreviated", context, here)[month])
    if not narrow:
        return short
    letter = str(get_month_names("narrow", context, here)[month])
    # CLDR's Urdu narrow months are Latin letters; the month's own first letter reads better.
    return short[0] if letter.isascii() and not short.isascii() else letter


_INFLECTED_MONTHS = frozenset({"ru", "be"})


def format_year(day: date) -> str:
    return format_date(day, "y", locale=locale())


def format_number(number: int) -> str:
    return format_decimal(number, locale=locale())


@lru_cache(maxsize=4096)
def _language_name(code: str, language: str) -> str:
    names = _parse(language).languages
    key = code.replace("-", "_")
    return str(names.get(key) or names.get(key.split("_")[0]) or code)


def language_name(code: str) -> str:
    """A language code ('kk', 'zh-Hans') named in the active language."""
    return _language_name(code, cldr_locale_name(get_language() or "en"))


def list_of(items: Iterable[str]) -> str:
    """Items joined as the active language lists them ('a, b', 'a، b', 'a、b'), with no
    final 'and': a list of codes or names, not a sentence."""
    pattern = str(locale().list_patterns["standard"]["middle"])
    text = ""
    for item in items:
        text = item if not text else pattern.replace("{0}", text).replace("{1}", item)
    return text
