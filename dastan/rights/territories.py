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

from dastan.catalog.countries import COUNTRIES
from dastan.rights.errors import UnknownTerritory

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


def normalize_entry(entry: str) -> str:
    """A country code in upper case, or a group's canonical name; raises UnknownTerritory."""
    text = entry.strip()
    if text.upper() in COUNTRIES:
        return text.upper()
    group = _GROUP_KEYS.get(text.casefold())
    if group is not None:
        return group
    raise UnknownTerritory(
        f"'{text}' is not a country code nor a territory group.",
        "Use an ISO 3166-1 alpha-2 code such as KZ or RU, or one of the groups: "
        + ", ".join(GROUPS) + ".",
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
        text = ", ".join(self.included) or "nowhere"
        return f"{text} except {', '.join(self.excluded)}" if self.excluded else text


@lru_cache(maxsize=4096)
def _countries(included: tuple[str, ...], excluded: tuple[str, ...]) -> frozenset[str]:
    return expand(included) - expand(excluded)

