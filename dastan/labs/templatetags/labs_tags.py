"""Template filters of labs."""

from __future__ import annotations

from django import template
from django.utils import translation
from django.utils.translation import to_locale

from dastan.catalog.languages import display_name
from dastan.labs.mentoring import format_timecode

register = template.Library()


@register.filter
def timecode(ms: int) -> str:
    """Milliseconds as h:mm:ss.d, as the notes list shows them."""
    return format_timecode(int(ms))


@register.filter
def language_names(codes: list[str]) -> list[str]:
    """Languages named in the interface language ('Russian', «русский», 'روسی')."""
    current = translation.get_language() or "en"
    return [display_name(code, to_locale(current).replace("_", "-")) for code in codes]
