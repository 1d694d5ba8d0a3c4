"""Template filters of labs."""

from __future__ import annotations

from django import template

from dastan.labs.mentoring import format_timecode

register = template.Library()


@register.filter
def timecode(ms: int) -> str:
    """Milliseconds as h:mm:ss.d, as the notes list shows them."""
    return format_timecode(int(ms))
