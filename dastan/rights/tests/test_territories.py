"""Territory sets: groups expand, exclusion wins, unknown codes are named."""

from __future__ import annotations

import pytest
from babel import Locale
from hypothesis import given, settings
from hypothesis import strategies as st

from dastan.catalog.countries import COUNTRIES, country_name
from dastan.catalog.errors import InvalidTitle
from dastan.catalog.services import check_country
from dastan.rights.errors import UnknownTerritory
from dastan.rights.territories import GROUPS, TerritorySet, expand, normalize_entry

ENTRIES = st.sampled_from(sorted(COUNTRIES) + list(GROUPS))


def test_sco_members_group_expands_to_the_ten_member_states() -> None:
    assert expand(["SCO members"]) == {"CN", "RU", "IN", "PK", "IR", "KZ", "UZ", "KG", "TJ", "BY"}


def test_an_excluded_country_is_not_covered_even_when_a_group_includes_it() -> None:
    territories = TerritorySet.of(["Central Asia"], ["TM"])
    assert territories.covers("KZ") and not territories.covers("TM")
    assert territories.excludes("TM")


def test_unknown_country_code_is_refused_naming_the_code_and_the_groups() -> None:
    with pytest.raises(UnknownTerritory, match="'XY' is not a country code") as info:
        TerritorySet.of(["KZ", "XY"])
    assert "SCO members" in info.value.hint


def test_country_names_come_in_the_readers_language() -> None:
    assert country_name("KZ") == "Kazakhstan"
    assert country_name("KZ", "ru") == "Казахстан"


@settings(max_examples=60, deadline=None)
@given(st.lists(ENTRIES, max_size=6), st.lists(ENTRIES, max_size=4))
def test_covered_countries_are_the_included_minus_every_excluded(
        included: list[str], excluded: list[str]) -> None:
    territories = TerritorySet.of(included, excluded)
    covered = territories.countries()
    assert covered == expand(included) - expand(excluded)
    assert not covered & expand(excluded)
    assert all(territories.excludes(c) for c in expand(excluded))


def test_the_catalogue_and_the_rights_app_accept_the_same_countries() -> None:
    # Every two-letter region CLDR names, countries or not (AC, CP, EU, XK, ZZ…): a title may
    # come from a country exactly when a licence may name it.
    def catalogue_accepts(code: str) -> bool:
        try:
            return check_country(code, field="country_of_origin") == code
        except InvalidTitle:
            return False

    def rights_accept(code: str) -> bool:
        try:
            return normalize_entry(code) == code
        except UnknownTerritory:
            return False

    regions = sorted(str(c) for c in Locale("en").territories if len(str(c)) == 2 and str(c).isalpha())
    assert len(regions) > len(COUNTRIES) > 240
    differ = [code for code in regions if catalogue_accepts(code) != rights_accept(code)]
    assert differ == []
    assert {code for code in regions if rights_accept(code)} == COUNTRIES
    assert not catalogue_accepts("XK") and not rights_accept("EU")
