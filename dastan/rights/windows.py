"""Licence windows: boundaries that are dates or "an event + N days", resolved per country.

A window's start is the first licensed day, its end the last licensed day (inclusive, as
in EMA Avails). Either may be a fixed date or a condition on a release event of the
title in the same country ("theatrical release + 90 days"); an end may also be absent
(perpetual). Days become instants with :mod:`dastan.rights.timezones`.

A condition whose event has no date yet is *pending*: a pending start keeps the window
shut, a pending end keeps it open (the licence runs until the event is dated). Every
function here is pure: no database, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext, pgettext_lazy

from dastan.rights.formats import format_day
from dastan.rights.timezones import day_closes_at, day_opens_at

EVENT_KINDS: tuple[str, ...] = ("theatrical", "festival", "tv", "home_video", "svod")
# Translators: the kind of release a licence window counts its days from ("theatrical
# release + 90 days"), in the rights page's licence table and the availability chart.
EVENT_NAMES: dict[str, Promise] = {
    "theatrical": pgettext_lazy("release event", "theatrical"),
    "festival": pgettext_lazy("release event", "festival"),
    "tv": pgettext_lazy("release event", "TV"),
    "home_video": pgettext_lazy("release event", "home video"),
    "svod": pgettext_lazy("release event", "SVOD"),
}


def event_name(event: str) -> str:
    return str(EVENT_NAMES.get(event, event.replace("_", " ")))


@dataclass(frozen=True, slots=True)
class OnDate:
    day: date

    def describe(self) -> str:
        return format_day(self.day)


@dataclass(frozen=True, slots=True)
class AfterEvent:
    """``lag_days`` after the title's ``event`` release in the viewer's country."""

    event: str
    lag_days: int = 0

    def describe(self) -> str:
        # Translators: a licence window's boundary counted from a release: "theatrical
        # release + 90 days".
        return ngettext("%(event)s release + %(days)s day", "%(event)s release + %(days)s days",
                        self.lag_days) % {"event": event_name(self.event), "days": self.lag_days}


Boundary = OnDate | AfterEvent


@dataclass(frozen=True, slots=True)
class ReleaseEvent:
    """A release of a title in one country on one day (the facts lags are counted from)."""

    title_id: int
    country: str
    event: str
    day: date


@dataclass(frozen=True, slots=True)
class ReleaseCalendar:
    """The release days of one or more titles, looked up by (title, country, event)."""

    days: Mapping[tuple[int, str, str], date] = field(default_factory=dict)

    @classmethod
    def of(cls, events: Iterable[ReleaseEvent]) -> ReleaseCalendar:
        return cls({(e.title_id, e.country, e.event): e.day for e in events})

    def day_of(self, *, title_id: int, country: str, event: str) -> date | None:
        return self.days.get((title_id, country, event))


NO_RELEASES = ReleaseCalendar()


@dataclass(frozen=True, slots=True)
class Window:
    start: Boundary
    end: Boundary | None = None  # None: perpetual

    def describe(self) -> str:
        if self.end is None:
            # Translators: a perpetual licence window: "1 March 2027 to no end".
            return gettext("%(start)s to no end") % {"start": self.start.describe()}
        # Translators: a licence window: "1 March 2027 to 28 February 2028".
        return gettext("%(start)s to %(end)s") % {"start": self.start.describe(), "end": self.end.describe()}


@dataclass(frozen=True, slots=True)
class DaySpan:
    """A window resolved for one country: first and last licensed day.

    ``first`` None means the start is pending; ``last`` None means open-ended (perpetual
    or a pending end).
    """

    first: date | None
    last: date | None

    @property
    def pending_start(self) -> bool:
        return self.first is None


@dataclass(frozen=True, slots=True)
class Interval:
    """A window resolved to instants in one country: [opens_at, closes_at)."""

    opens_at: datetime | None  # None: pending start, not open
    closes_at: datetime | None  # None: no end known

    def contains(self, at: datetime) -> bool:
        if self.opens_at is None or at < self.opens_at:
            return False
        return self.closes_at is None or at < self.closes_at


def resolve_boundary(boundary: Boundary, *, title_id: int, country: str,
                     releases: ReleaseCalendar) -> date | None:
    """The day a boundary falls on in ``country``; None when its event has no date yet."""
    if isinstance(boundary, OnDate):
        return boundary.day
    event_day = releases.day_of(title_id=title_id, country=country, event=boundary.event)
    return None if event_day is None else event_day + timedelta(days=boundary.lag_days)


def resolve_days(window: Window, *, title_id: int, country: str,
                 releases: ReleaseCalendar = NO_RELEASES) -> DaySpan:
    first = resolve_boundary(window.start, title_id=title_id, country=country, releases=releases)
    last = None if window.end is None else resolve_boundary(
        window.end, title_id=title_id, country=country, releases=releases)
    return DaySpan(first, last)


def resolve_interval(window: Window, *, title_id: int, country: str,
                     releases: ReleaseCalendar = NO_RELEASES) -> Interval:
    """The instants a window opens and closes for viewers in ``country``."""
    span = resolve_days(window, title_id=title_id, country=country, releases=releases)
    return Interval(
        None if span.first is None else day_opens_at(country, span.first),
        None if span.last is None else day_closes_at(country, span.last),
    )


def spans_overlap(a: DaySpan, b: DaySpan) -> bool:
    """Whether two resolved windows share a day.

    A pending start could fall on any day, so it is treated as overlapping: an exclusive
    licence must not be granted on the hope that a release date falls late enough.
    """
    if a.first is None or b.first is None:
        return True
    a_before_b = a.last is not None and a.last < b.first
    b_before_a = b.last is not None and b.last < a.first
    return not (a_before_b or b_before_a)


def check_order(window: Window) -> str | None:
    """A sentence when a window ends before it starts (knowable for two dates only)."""
    start, end = window.start, window.end
    if isinstance(start, OnDate) and isinstance(end, OnDate) and end.day < start.day:
        return gettext("The window ends on %(end)s, before it starts on %(start)s.") % {
            "end": format_day(end.day), "start": format_day(start.day)}
    if (isinstance(start, AfterEvent) and isinstance(end, AfterEvent)
            and start.event == end.event and end.lag_days < start.lag_days):
        return gettext("The window ends at %(end)s, before it starts at %(start)s.") % {
            "end": end.describe(), "start": start.describe()}
    return None
