"""Template filters that name the bazaar's vocabularies in the viewer's language."""

from __future__ import annotations

from typing import Any

from django import template

from dastan.bazaar.taxonomy import (
    DECLINE_REASONS,
    FORMATS,
    INTEREST_STATES,
    PROFILE_KINDS,
    SCRIPT_EVENTS,
    STAGES,
    STRENGTHS,
    VISIBILITIES,
)

register = template.Library()

_VOCABULARIES: dict[str, dict[str, Any]] = {
    "strength": STRENGTHS, "stage": STAGES, "format": FORMATS, "kind": PROFILE_KINDS,
    "visibility": VISIBILITIES, "reason": DECLINE_REASONS, "state": INTEREST_STATES, "event": SCRIPT_EVENTS,
}


@register.filter
def label(value: str, vocabulary: str) -> str:
    """``{{ need.strength|label:"strength" }}`` → "VFX" in the viewer's language."""
    return str(_VOCABULARIES[vocabulary].get(value, value))


@register.filter
def money(value: int) -> str:
    return f"{value:,}".replace(",", " ")
