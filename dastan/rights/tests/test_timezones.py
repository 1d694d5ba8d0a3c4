"""Licence days begin and end at midnight in every zone of a country (conservative rule)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dastan.rights.timezones import day_closes_at, day_opens_at, zones_for

COUNTRIES = st.sampled_from(["RU", "KZ", "CN", "IN", "PK", "IR", "UZ", "KG", "TJ", "BY", "US",
                             "AU", "MN", "GB", "BR"])
DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


def test_a_window_opens_in_russia_at_midnight_in_kaliningrad_and_closes_at_midnight_in_kamchatka() -> None:
    assert day_opens_at("RU", date(2027, 3, 1)) == datetime(2027, 2, 28, 22, 0, tzinfo=UTC)
    assert day_closes_at("RU", date(2027, 3, 1)) == datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def test_a_window_in_kazakhstan_opens_at_midnight_almaty_time() -> None:
    assert day_opens_at("KZ", date(2027, 3, 1)) == datetime(2027, 2, 28, 19, 0, tzinfo=UTC)


def _midnight_skipped(zone: Any, day: date) -> bool:
    naive = datetime.combine(day, time(0, 0))
    return naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive


@settings(max_examples=80, deadline=None)
@given(COUNTRIES, DAYS)
def test_the_opening_instant_is_on_the_day_in_every_zone_and_midnight_in_one(
        country: str, day: date) -> None:
    opens = day_opens_at(country, day)
    local = [opens.astimezone(zone) for zone in zones_for(country)]
    assert all(moment.date() >= day for moment in local)
    # Midnight, or the first instant of the day where the clocks skipped midnight (Iran
    # moved to summer time at 00:00 until 2022: 21 March 2000 began at 01:00).
    assert any(moment.date() == day and (moment.time() == time(0, 0) or _midnight_skipped(moment.tzinfo, day))
               for moment in local)


@settings(max_examples=80, deadline=None)
@given(COUNTRIES, DAYS)
def test_the_last_instant_before_closing_is_still_the_day_in_every_zone(country: str, day: date) -> None:
    closes = day_closes_at(country, day)
    just_before = closes - timedelta(microseconds=1)
    assert all(just_before.astimezone(zone).date() <= day for zone in zones_for(country))
    assert any(closes.astimezone(zone).date() == day + timedelta(days=1) for zone in zones_for(country))


@settings(max_examples=60, deadline=None)
@given(COUNTRIES, DAYS)
def test_a_one_day_window_is_never_empty(country: str, day: date) -> None:
    assert day_opens_at(country, day) < day_closes_at(country, day)
