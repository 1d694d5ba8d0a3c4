"""Template filters of labs."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django import template
from django.utils import translation
from django.utils.formats import date_format
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


@register.filter
def language_pairs(codes: list[str]) -> list[tuple[str, str]]:
    """(code, name in the interface language) for a language picker."""
    return list(zip(codes, language_names(list(codes)), strict=True))


@register.filter
def session_time(session: Any) -> str:
    """'1 April 2099, 10:00–12:00 (Asia/Karachi)': a session in its own zone."""
    zone = ZoneInfo(session.time_zone)
    starts, ends = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
    end = date_format(ends, "TIME_FORMAT") if ends.date() == starts.date() else date_format(ends, "DATETIME_FORMAT")
    return f"{date_format(starts, 'DATETIME_FORMAT')}–{end} ({session.time_zone})"
