"""Interface words for catalog facts: kinds, roles, countries and languages, in the
viewer's language. Countries and languages come from CLDR through Babel, so they need no
translation of ours."""

from __future__ import annotations

from functools import lru_cache

from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from dastan.catalog import countries
from dastan.catalog.languages import display_name

KINDS: dict[str, Promise] = {"film": _("Film"), "series": _("Series")}
ROLES: dict[str, Promise] = {
    "director": _("Director"), "writer": _("Writer"), "producer": _("Producer"), "cast": _("Cast"),
    "composer": _("Composer"), "cinematographer": _("Cinematographer"), "editor": pgettext_lazy("film crew role", "Editor"),
}


def kind_label(kind: str, number: int | None = None) -> str:
    if kind == "season":
        return gettext("Season %(number)s") % {"number": number or ""}
    if kind == "episode":
        return gettext("Episode %(number)s") % {"number": number or ""}
    return str(KINDS.get(kind, kind))


def role_label(role: str) -> str:
    return str(ROLES.get(role, role))


@lru_cache(maxsize=512)
def country_name(code: str, in_language: str) -> str:
    """The country named in the viewer's language ('Pakistan', 'Пакистан', '巴基斯坦'): the
    country table's name (catalog.countries)."""
    return countries.country_name(code, in_language)


def language_name(code: str, in_language: str) -> str:
    return display_name(code, in_language)
