"""Template filters of the rights page: a licence's codes as a rights manager reads them,
in the active language (CLDR names through Babel, the rights app's own words)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django import template

from dastan.rights import formats
from dastan.rights.terms import licence_type_name

register = template.Library()


@register.filter
def language_names(codes: Iterable[str]) -> str:
    """['kk', 'ru'] → 'Kazakh, Russian' ('казахский, русский' in Russian)."""
    return formats.list_of(formats.language_name(code) for code in codes)


@register.filter
def licence_type(value: str) -> str:
    return licence_type_name(value)


@register.filter
def long_day(day: date) -> str:
    return formats.format_day(day)


@register.filter
def number(value: int) -> str:
    return formats.format_number(value)
