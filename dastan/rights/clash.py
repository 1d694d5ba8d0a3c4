"""Exclusivity: two licences clash when they would share a title, country and day.

The rule: licences of the same title (and edit) and the same licence type clash when at
least one of them is exclusive, their countries intersect and, in some shared country,
their windows share a day. An exclusive SVOD licence therefore refuses another SVOD
licence (exclusive or not) over the same country and time, but leaves TVOD and festival
licences alone: Avails states exclusivity per licence type. Revoked licences never
clash. Pure: no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

from dastan.rights.formats import country_name, format_day, list_of
from dastan.rights.terms import LicenceTerms
from dastan.rights.windows import (
    NO_RELEASES,
    AfterEvent,
    DaySpan,
    ReleaseCalendar,
    resolve_days,
    spans_overlap,
)


@dataclass(frozen=True, slots=True)
class Clash:
    ref: str  # the licence being checked
    other_ref: str  # the licence it clashes with
    countries: tuple[str, ...]
    first_day: DaySpan  # the other licence's span in the first clashing country
    other_exclusive: bool = True

    def sentence(self) -> str:
        names = list_of(country_name(c) for c in self.countries[:5])
        if len(self.countries) > 5:
            more = len(self.countries) - 5
            # Translators: a list of countries cut short: "Kazakhstan, Russia and 3 more".
            names = ngettext("%(names)s and %(count)s more", "%(names)s and %(count)s more", more) % {
                "names": names, "count": more}
        span = self.first_day
        # Translators: when two licences clash: " from 1 March 2027", " from … to …"; it
        # ends the sentence "Licence … clashes with … in Kazakhstan from 1 March 2027.".
        when = "" if span.first is None else gettext(" from %(first)s") % {"first": format_day(span.first)}
        if span.last is not None:
            when += gettext(" to %(last)s") % {"last": format_day(span.last)}
        values = {"licence": self.ref, "other": self.other_ref, "countries": names, "when": when}
        if self.other_exclusive:
            return gettext("Licence %(licence)s clashes with exclusive licence %(other)s in "
                           "%(countries)s%(when)s.") % values
        return gettext("Exclusive licence %(licence)s clashes with licence %(other)s in "
                       "%(countries)s%(when)s.") % values


def may_clash(a: LicenceTerms, b: LicenceTerms) -> bool:
    """The cheap tests, before any window is resolved."""
    return (
        a.ref != b.ref
        and a.title_id == b.title_id
        and a.licence_type == b.licence_type
        and (a.exclusive or b.exclusive)
        and not (a.revoked or b.revoked)
        and (not a.edit or not b.edit or a.edit == b.edit)
    )


def find_clash(candidate: LicenceTerms, others: Iterable[LicenceTerms], *,
               releases: ReleaseCalendar = NO_RELEASES) -> Clash | None:
    """The first licence in ``others`` that ``candidate`` clashes with, or None."""
    for other in others:
        if not may_clash(candidate, other):
            continue
        shared = candidate.territories.countries() & other.territories.countries()
        if not shared:
            continue
        # Two windows of fixed dates resolve alike in every country: one comparison does.
        fixed = not any(isinstance(b, AfterEvent) for b in (
            candidate.window.start, candidate.window.end, other.window.start, other.window.end))
        clashing = []
        for country in sorted(shared)[:1] if fixed else sorted(shared):
            mine = resolve_days(candidate.window, title_id=candidate.title_id, country=country,
                                releases=releases)
            theirs = resolve_days(other.window, title_id=other.title_id, country=country,
                                  releases=releases)
            if spans_overlap(mine, theirs):
                clashing.append((country, theirs))
        if clashing:
            countries = tuple(sorted(shared)) if fixed else tuple(c for c, _ in clashing)
            return Clash(candidate.ref, other.ref, countries, clashing[0][1], other.exclusive)
    return None
