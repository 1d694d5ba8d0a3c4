"""Windows: dates and release lags resolve per country; pending events keep starts shut."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from dastan.rights.windows import (
    AfterEvent,
    DaySpan,
    OnDate,
    ReleaseCalendar,
    ReleaseEvent,
    Window,
    check_order,
    resolve_days,
    resolve_interval,
    spans_overlap,
)

DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
RELEASES = ReleaseCalendar.of([ReleaseEvent(7, "KZ", "theatrical", date(2026, 12, 1))])


def test_theatrical_release_plus_90_days_resolves_from_that_countrys_release() -> None:
    window = Window(AfterEvent("theatrical", 90), AfterEvent("theatrical", 455))
    span = resolve_days(window, title_id=7, country="KZ", releases=RELEASES)
    assert span == DaySpan(date(2027, 3, 1), date(2028, 2, 29))


def test_a_start_counted_from_an_undated_release_keeps_the_window_shut() -> None:
    window = Window(AfterEvent("theatrical", 90))
    interval = resolve_interval(window, title_id=7, country="UZ", releases=RELEASES)
    assert interval.opens_at is None
    assert not interval.contains(datetime(2030, 1, 1, tzinfo=UTC))


def test_an_end_counted_from_an_undated_release_leaves_the_window_open() -> None:
    window = Window(OnDate(date(2027, 1, 1)), AfterEvent("tv", 30))
    interval = resolve_interval(window, title_id=7, country="KZ", releases=RELEASES)
    assert interval.closes_at is None and interval.contains(datetime(2031, 1, 1, tzinfo=UTC))


def test_a_window_that_ends_before_it_starts_is_described_with_both_days() -> None:
    problem = check_order(Window(OnDate(date(2027, 3, 1)), OnDate(date(2027, 2, 1))))
    assert problem == "The window ends on 1 February 2027, before it starts on 1 March 2027."


@settings(max_examples=80, deadline=None)
@given(DAYS, st.integers(0, 400), st.integers(-48, 72))
def test_an_instant_is_inside_a_window_exactly_between_its_opening_and_closing(
        first: date, length: int, hours: int) -> None:
    window = Window(OnDate(first), OnDate(first + timedelta(days=length)))
    interval = resolve_interval(window, title_id=1, country="KZ")
    assert interval.opens_at is not None and interval.closes_at is not None
    for edge in (interval.opens_at, interval.closes_at):
        at = edge + timedelta(hours=hours)
        assert interval.contains(at) == (interval.opens_at <= at < interval.closes_at)
    # last licensed day, at noon local time, is inside; the day after is not
    noon_last = datetime.combine(first + timedelta(days=length), datetime.min.time(),
                                 tzinfo=UTC) + timedelta(hours=7)
    assert interval.contains(noon_last)
    assert not interval.contains(noon_last + timedelta(days=1))


SPANS = st.tuples(DAYS, st.one_of(st.none(), st.integers(0, 200))).map(
    lambda p: DaySpan(p[0], None if p[1] is None else p[0] + timedelta(days=p[1])))


@settings(max_examples=120, deadline=None)
@given(SPANS, SPANS)
def test_spans_overlap_exactly_when_they_share_a_day(a: DaySpan, b: DaySpan) -> None:
    horizon = date(2037, 1, 1)
    days_a = _days(a, horizon)
    days_b = _days(b, horizon)
    assert spans_overlap(a, b) == bool(days_a & days_b) == spans_overlap(b, a)


def test_a_pending_start_overlaps_everything() -> None:
    assert spans_overlap(DaySpan(None, None), DaySpan(date(2020, 1, 1), date(2020, 1, 2)))


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 365), st.integers(0, 365), DAYS)
def test_a_lag_moves_the_window_by_exactly_its_days(lag: int, extra: int, release: date) -> None:
    cal = ReleaseCalendar.of([ReleaseEvent(1, "RU", "theatrical", release)])
    span = resolve_days(Window(AfterEvent("theatrical", lag), AfterEvent("theatrical", lag + extra)),
                        title_id=1, country="RU", releases=cal)
    assert span.first == release + timedelta(days=lag)
    assert span.last is not None and (span.last - span.first).days == extra


def _days(span: DaySpan, horizon: date) -> set[date]:
    assert span.first is not None
    last = span.last or horizon
    return {span.first + timedelta(days=i) for i in range((last - span.first).days + 1)}
