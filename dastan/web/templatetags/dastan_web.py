"""Template helpers for the pages: BCP 47 tags, text direction, labels and posters."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from dastan.catalog.languages import BY_CODE
from dastan.web import labels
from dastan.web.posters import poster_for

register = template.Library()


@register.filter
def bcp47(code: str) -> str:
    """'zh-hans' → 'zh-Hans', for lang attributes."""
    language = BY_CODE.get((code or "").lower())
    return language.code if language else code


@register.filter
def text_dir(code: str) -> str:
    language = BY_CODE.get((code or "").lower())
    return "rtl" if language and language.rtl else "ltr"


@register.simple_tag
def kind_label(kind: str, number: int | None = None) -> str:
    return labels.kind_label(kind, number)


@register.filter
def role_label(role: str) -> str:
    return labels.role_label(role)


@register.filter
def country_name(code: str) -> str:
    return labels.country_name(code, get_language() or "en")


@register.filter
def language_name(code: str) -> str:
    return labels.language_name(code, get_language() or "en")


@register.filter
def poster_class(slug: str) -> str:
    return poster_for(slug).css_class


@register.filter
def remote_mark(marks: dict[int, object] | None, title_id: int) -> object:
    """The federation mark of a peer's title among the cards (None for this node's own)."""
    return (marks or {}).get(title_id)
