"""Exclusivity: overlapping exclusive licences are refused naming the one they clash with."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from dastan.rights.clash import find_clash
from dastan.rights.terms import LicenceType
from dastan.rights.windows import AfterEvent, ReleaseCalendar, ReleaseEvent

from .factories import terms

COUNTRY_SETS = st.lists(st.sampled_from(["KZ", "UZ", "KG", "RU", "CN", "SCO members",
                                         "Central Asia"]), min_size=1, max_size=3)
STARTS = st.dates(min_value=date(2026, 1, 1), max_value=date(2029, 1, 1))


def test_an_exclusive_licence_clashes_with_another_over_the_same_country_and_time() -> None:
    held = terms("KZ-SVOD-14", exclusive=True, territories=("Central Asia",))
    new = terms("KZ-SVOD-15", start=date(2027, 6, 1), end=date(2027, 12, 31), territories=("KZ", "RU"))
    clash = find_clash(new, [held])
    assert clash is not None
    assert clash.sentence() == ("Licence KZ-SVOD-15 clashes with exclusive licence KZ-SVOD-14 in "
                                "Kazakhstan from 1 March 2027 to 31 August 2027.")


def test_licences_of_another_type_or_excluded_country_do_not_clash() -> None:
    held = terms("KZ-SVOD-14", exclusive=True, territories=("Central Asia",), excluded=("KZ",))
    assert find_clash(terms("KZ-SVOD-15"), [held]) is None
    tvod = terms("KZ-TVOD-1", licence_type=LicenceType.TVOD)
    assert find_clash(tvod, [terms("KZ-SVOD-14", exclusive=True)]) is None


def test_an_exclusive_licence_counted_from_an_undated_release_clashes_until_the_date_is_known() -> None:
    held = terms("KZ-SVOD-14", exclusive=True, start=AfterEvent("theatrical", 90), end=None)
    new = terms("KZ-SVOD-15", start=date(2026, 1, 1), end=date(2026, 6, 30))
    assert find_clash(new, [held]) is not None
    dated = ReleaseCalendar.of([ReleaseEvent(1, "KZ", "theatrical", date(2026, 12, 1))])
    assert find_clash(new, [held], releases=dated) is None


@settings(max_examples=80, deadline=None)
@given(COUNTRY_SETS, COUNTRY_SETS, STARTS, st.integers(0, 400), STARTS, st.integers(0, 400),
       st.booleans(), st.booleans())
def test_a_clash_is_found_exactly_when_exclusive_licences_share_a_country_and_a_day(
        where_a: list[str], where_b: list[str], start_a: date, len_a: int, start_b: date,
        len_b: int, excl_a: bool, excl_b: bool) -> None:
    a = terms("A", territories=tuple(where_a), start=start_a, end=start_a + timedelta(days=len_a),
              exclusive=excl_a)
    b = terms("B", territories=tuple(where_b), start=start_b, end=start_b + timedelta(days=len_b),
              exclusive=excl_b)
    share_country = bool(a.territories.countries() & b.territories.countries())
    share_day = start_a <= start_b + timedelta(days=len_b) and start_b <= start_a + timedelta(days=len_a)
    expected = (excl_a or excl_b) and share_country and share_day
    assert (find_clash(a, [b]) is not None) == expected == (find_clash(b, [a]) is not None)
    clash = find_clash(a, [b])
    if clash:
        assert clash.other_ref == "B"
        assert set(clash.countries) == a.territories.countries() & b.territories.countries()
