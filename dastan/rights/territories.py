"""Territories: ISO 3166-1 alpha-2 countries, named groups, and included-minus-excluded sets.

Country names come from CLDR through Babel, so "KZ" reads "Kazakhstan" in English and
"Казахстан" in Russian. A licence names territories the way EMA Avails does: a list to
include and a list to exclude, where each entry is a country code or a named group
("SCO members", "Central Asia", "World"). Exclusion always wins over inclusion.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy

from dastan.catalog.countries import COUNTRIES, is_country
from dastan.rights.errors import UnknownTerritory
from dastan.rights.formats import country_name, list_of

__all__ = [
    "COUNTRIES",
    "GROUPS",
    "SCO_MEMBERS",
    "TerritorySet",
    "country_name",
    "expand",
    "group_name",
    "is_country",
    "normalize_entry",
]

SCO_MEMBERS: tuple[str, ...] = ("CN", "RU", "IN", "PK", "IR", "KZ", "UZ", "KG", "TJ", "BY")
GROUPS: dict[str, frozenset[str]] = {
    "SCO members": frozenset(SCO_MEMBERS),
    "Central Asia": frozenset({"KZ", "UZ", "KG", "TJ", "TM"}),
    "SCO observers and partners": frozenset({"AF", "MN", "AZ", "AM", "KH", "NP", "TR", "LK",
                                             "EG", "QA", "SA", "AE", "KW", "BH", "MM", "MV"}),
    "South Asia": frozenset({"IN", "PK", "BD", "NP", "LK", "BT", "MV", "AF"}),
    "CIS": frozenset({"RU", "BY", "KZ", "UZ", "KG", "TJ", "AM", "AZ"}),
    "World": COUNTRIES,
}
_GROUP_KEYS = {name.casefold(): name for name in GROUPS}
# Translators: named groups of countries a licence's territory may list, shown in the
# rights page's licence table and the availability chart's legend.
GROUP_NAMES: dict[str, Promise] = {
    "SCO members": pgettext_lazy("territory group", "SCO members"),
    "Central Asia": pgettext_lazy("territory group", "Central Asia"),
    "SCO observers and partners": pgettext_lazy("territory group", "SCO observers and partners"),
    "South Asia": pgettext_lazy("territory group", "South Asia"),
    "CIS": pgettext_lazy("territory group", "CIS"),
    "World": pgettext_lazy("territory group", "World"),
}


def group_name(entry: str) -> str:
    """A territory entry for a reader: a group's name or a country's, in their language."""
    return str(GROUP_NAMES[entry]) if entry in GROUP_NAMES else country_name(entry)


def normalize_entry(entry: str) -> str:
    """A country code in upper case, or a group's canonical name; raises UnknownTerritory."""
    text = entry.strip()
    if text.upper() in COUNTRIES:
        return text.upper()
    group = _GROUP_KEYS.get(text.casefold())
    if group is not None:
        return group
    raise UnknownTerritory(
        gettext("'%(entry)s' is not a country code nor a territory group.") % {"entry": text},
        gettext("Use an ISO 3166-1 alpha-2 code such as KZ or RU, or one of the groups: %(groups)s.")
        % {"groups": ", ".join(GROUPS)},
        field="territories",
    )


def expand(entries: Iterable[str]) -> frozenset[str]:
    """The countries that a list of codes and group names stands for."""
    countries: set[str] = set()
    for entry in entries:
        name = normalize_entry(entry)
        countries |= GROUPS.get(name, frozenset({name}))
    return frozenset(countries)


@dataclass(frozen=True, slots=True)
class TerritorySet:
    """Countries included minus countries excluded, as a licence states them."""

    included: tuple[str, ...]
    excluded: tuple[str, ...] = ()

    @classmethod
    def of(cls, included: Iterable[str], excluded: Iterable[str] = ()) -> TerritorySet:
        return cls(tuple(normalize_entry(e) for e in included),
                   tuple(normalize_entry(e) for e in excluded))

    def countries(self) -> frozenset[str]:
        return _countries(self.included, self.excluded)

    def covers(self, country: str) -> bool:
        return country in self.countries()

    def excludes(self, country: str) -> bool:
        """True when the country was named (itself or by a group) in the exclusions."""
        return country in expand(self.excluded)

    def describe(self) -> str:
        """'Central Asia except Turkmenistan', in the reader's language."""
        # Translators: a licence that names no territory.
        text = list_of(group_name(e) for e in self.included) or gettext("nowhere")
        if not self.excluded:
            return text
        # Translators: a licence's territories: "Central Asia except Turkmenistan".
        return gettext("%(included)s except %(excluded)s") % {
            "included": text, "excluded": list_of(group_name(e) for e in self.excluded)}


@lru_cache(maxsize=4096)
def _countries(included: tuple[str, ...], excluded: tuple[str, ...]) -> frozenset[str]:
    return expand(included) - expand(excluded)
