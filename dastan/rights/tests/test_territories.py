"""Territory sets: groups expand, exclusion wins, unknown codes are named."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dastan.rights.errors import UnknownTerritory
from dastan.rights.territories import GROUPS, ISO_COUNTRIES, TerritorySet, country_name, expand

ENTRIES = st.sampled_from(sorted(ISO_COUNTRIES) + list(GROUPS))


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
