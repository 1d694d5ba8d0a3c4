"""A title's availability as data for the distributor's chart: countries × months, which
licence covers which country when, the holes between them, clashes, and each SCO
member's status today. Pure: licences, releases and "today" come in; ``svg.py`` draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.utils.translation import gettext, ngettext, pgettext

from dastan.rights.clash import may_clash
from dastan.rights.decisions import PlaybackDecision, decide_playback
from dastan.rights.formats import country_name, format_number, format_short_day
from dastan.rights.terms import LicenceTerms, licence_type_name
from dastan.rights.territories import SCO_MEMBERS
from dastan.rights.timezones import local_day
from dastan.rights.windows import NO_RELEASES, ReleaseCalendar, resolve_days

MAX_ROWS = 24
MONTHS_BEFORE_TODAY = 6
MIN_MONTHS, MAX_MONTHS = 18, 36


@dataclass(frozen=True, slots=True)
class Bar:
    ref: str
    colour: int  # index into the palette, the licence's legend entry
    first: date  # clipped to the chart
    last: date  # inclusive, clipped to the chart
    lane: int = 0
    runs_on: bool = False  # continues past the chart's end (or has no end)
    pending: bool = False  # starts at a release that has no date yet
    runs_before: bool = False  # began before the chart's first day


@dataclass(frozen=True, slots=True)
class Span:
    first: date
    last: date
    label: str = ""


@dataclass(frozen=True, slots=True)
class Row:
    country: str
    name: str
    bars: tuple[Bar, ...]
    lanes: int
    holes: tuple[Span, ...]
    clashes: tuple[Span, ...]
    excluded_by: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LegendEntry:
    ref: str
    colour: int
    text: str


@dataclass(frozen=True, slots=True)
class Tile:
    country: str
    name: str
    status: str  # the decision's code
    line: str  # a short second line: "until 31 Aug 2027", "from 1 Mar 2027"
    reason: str


@dataclass(frozen=True, slots=True)
class Chart:
    start: date  # first day shown (a 1st of the month)
    end: date  # first day not shown
    today: date
    rows: tuple[Row, ...]
    hidden_rows: int
    legend: tuple[LegendEntry, ...]
    tiles: tuple[Tile, ...]


def build_chart(*, title_id: int, licences: Sequence[LicenceTerms], today: date,
                releases: ReleaseCalendar = NO_RELEASES) -> Chart:
    mine = [lic for lic in licences if lic.title_id == title_id and not lic.revoked]
    start, end = _range(mine, today=today, title_id=title_id, releases=releases)
    colours = {lic.ref: i for i, lic in enumerate(mine)}
    countries = _countries(mine)
    rows = [_row(country, mine, colours, start=start, end=end, today=today, releases=releases)
            for country in countries[:MAX_ROWS]]
    legend = tuple(LegendEntry(lic.ref, colours[lic.ref], _legend_text(lic)) for lic in mine)
    at = datetime.combine(today, time(12), tzinfo=UTC)
    # user -1 stands for "a viewer without a seat yet": a capped licence shows as
    # available while it has free seats.
    tiles = tuple(_tile(c, decide_playback(title=title_id, territory=c, at=at, licences=mine,
                                           releases=releases, user=-1)) for c in SCO_MEMBERS)
    return Chart(start, end, today, tuple(rows), max(0, len(countries) - MAX_ROWS), legend, tiles)


def _range(licences: Sequence[LicenceTerms], *, today: date, title_id: int,
           releases: ReleaseCalendar) -> tuple[date, date]:
    first_days, last_days = [today], [today]
    for lic in licences:
        for country in sorted(lic.territories.countries())[:3]:
            span = resolve_days(lic.window, title_id=title_id, country=country, releases=releases)
            first_days += [d for d in (span.first,) if d]
            last_days += [d for d in (span.last,) if d]
    start = _month(max(min(first_days), _add_months(_month(today), -MONTHS_BEFORE_TODAY)))
    months = _months_between(start, max(last_days)) + 2
    months = min(MAX_MONTHS, max(MIN_MONTHS, months))
    return start, _add_months(start, months)


def _countries(licences: Sequence[LicenceTerms]) -> list[str]:
    """SCO members first (always shown: their holes matter), then every other country a
    licence covers or excludes by name, by English name."""
    named: set[str] = set()
    for lic in licences:
        covered = lic.territories.countries()
        named |= covered if len(covered) <= 40 else set()
        named |= {e for e in lic.territories.excluded if len(e) == 2}
    others = sorted(named - set(SCO_MEMBERS), key=lambda code: country_name(code, "en"))
    return list(SCO_MEMBERS) + others


def _row(country: str, licences: Sequence[LicenceTerms], colours: dict[str, int], *, start: date,
         end: date, today: date, releases: ReleaseCalendar) -> Row:
    last_shown = end - timedelta(days=1)
    bars: list[Bar] = []
    for lic in licences:
        if not lic.territories.covers(country):
            continue
        span = resolve_days(lic.window, title_id=lic.title_id, country=country, releases=releases)
        if span.first is None:
            bars.append(Bar(lic.ref, colours[lic.ref], max(today, start), last_shown, pending=True,
                            runs_on=True))
            continue
        last = span.last or last_shown
        if last < start or span.first > last_shown:
            continue
        bars.append(Bar(lic.ref, colours[lic.ref], max(span.first, start), min(last, last_shown),
                        runs_on=span.last is None or span.last > last_shown,
                        runs_before=span.first < start))
    bars, lanes = _lanes(bars)
    return Row(country, country_name(country), tuple(bars), lanes,
               _holes(bars, start=start, last=last_shown),
               _clashes(bars, {lic.ref: lic for lic in licences}),
               tuple(lic.ref for lic in licences if lic.territories.excludes(country)))


def _lanes(bars: list[Bar]) -> tuple[list[Bar], int]:
    """Overlapping bars side by side: each takes the first lane free on its first day."""
    placed: list[Bar] = []
    lane_ends: list[date] = []
    for bar in sorted(bars, key=lambda b: (b.first, b.ref)):
        lane = next((i for i, last in enumerate(lane_ends) if last < bar.first), len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(bar.last)
        else:
            lane_ends[lane] = bar.last
        placed.append(Bar(bar.ref, bar.colour, bar.first, bar.last, lane, bar.runs_on, bar.pending,
                          bar.runs_before))
    return placed, max(1, len(lane_ends))


def _holes(bars: Sequence[Bar], *, start: date, last: date) -> tuple[Span, ...]:
    covered = sorted((b.first, b.last) for b in bars if not b.pending)
    holes, cursor = [], start
    # Translators: the availability chart's tooltip on a stretch of months no licence covers.
    label = pgettext("chart hole", "not licensed")
    for first, end in covered:
        if first > cursor:
            holes.append(Span(cursor, first - timedelta(days=1), label))
        cursor = max(cursor, end + timedelta(days=1))
    if cursor <= last:
        holes.append(Span(cursor, last, label))
    return tuple(holes)


def _clashes(bars: Sequence[Bar], by_ref: dict[str, LicenceTerms]) -> tuple[Span, ...]:
    spans = []
    for i, a in enumerate(bars):
        for b in bars[i + 1:]:
            if a.pending or b.pending or not may_clash(by_ref[a.ref], by_ref[b.ref]):
                continue
            first, last = max(a.first, b.first), min(a.last, b.last)
            if first <= last:
                spans.append(Span(first, last, f"{a.ref} × {b.ref}"))
    return tuple(spans)


def _legend_text(lic: LicenceTerms) -> str:
    parts = [licence_type_name(lic.licence_type),
             # Translators: the availability chart's legend: is the licence exclusive?
             pgettext("licence", "exclusive") if lic.exclusive else pgettext("licence", "non-exclusive"),
             lic.max_quality.value, lic.territories.describe(), lic.window.describe()]
    if lic.view_cap:
        # Translators: a festival licence's cap on viewers, in the chart's legend.
        parts.append(ngettext("%(count)s seat", "%(count)s seats", lic.view_cap)
                     % {"count": format_number(lic.view_cap)})
    if lic.licensee:
        # Translators: the chart's legend: who the licence is granted to ("to kino-tv").
        parts.append(gettext("to %(licensee)s") % {"licensee": lic.licensee})
    return " · ".join(parts)


def _tile(country: str, decision: PlaybackDecision) -> Tile:
    return Tile(country, country_name(country), decision.code, _tile_line(country, decision),
                decision.reason)


def _tile_line(country: str, decision: PlaybackDecision) -> str:
    """The SCO grid tile's second line ("CA-SVOD-1 until 28 Feb 2027")."""
    ref = decision.licence_ref or ""
    code = decision.code
    if code == "allowed":
        if decision.expires_at is None:
            return ref
        # Translators: an SCO grid tile: the licence that lets the title play, and its last day.
        return gettext("%(licence)s until %(day)s") % {
            "licence": ref, "day": _short(country, decision.expires_at - timedelta(seconds=1))}
    if code == "not_yet":
        if decision.opens_at is None:
            return pgettext("availability", "coming")
        # Translators: an SCO grid tile: the first day the title will play there.
        return gettext("from %(day)s") % {"day": _short(country, decision.opens_at)}
    lines = {
        # Translators: an SCO grid tile: the licence waits for a release that has no date.
        "pending_release": gettext("%(licence)s: release undated"),
        # Translators: an SCO grid tile: the licence that covered the country has ended.
        "ended": gettext("ended (%(licence)s)"),
        # Translators: an SCO grid tile: a licence names the country among its exclusions.
        "excluded": gettext("excluded by %(licence)s"),
        # Translators: an SCO grid tile: no licence covers the country.
        "not_licensed": gettext("no licence"),
    }
    return lines[code] % {"licence": ref} if code in lines else code.replace("_", " ")


def _short(country: str, moment: datetime) -> str:
    """The licence day an instant falls on, as the country's calendar reads it."""
    return format_short_day(local_day(country, moment))


def _month(day: date) -> date:
    return day.replace(day=1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month
