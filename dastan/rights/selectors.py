"""Reads: licences as values, release calendars, decisions from the database, and what a
country's viewers may watch now or soon."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext

from dastan.catalog.models import Title
from dastan.rights import cache as rights_cache
from dastan.rights.decisions import PlaybackDecision, decide_playback
from dastan.rights.errors import LicenceNotFound
from dastan.rights.formats import format_day
from dastan.rights.models import Availability, Licence, LicenceSeat, ReleaseDate
from dastan.rights.terms import LicenceTerms, LicenceType, Quality
from dastan.rights.territories import TerritorySet
from dastan.rights.timezones import local_day
from dastan.rights.windows import (
    NO_RELEASES,
    AfterEvent,
    Boundary,
    OnDate,
    ReleaseCalendar,
    ReleaseEvent,
    Window,
)

_FIELDS = ("id", "ref", "title_id", "licence_type", "territories_included", "territories_excluded",
           "start_date", "start_event", "start_lag_days", "end_date", "end_event", "end_lag_days",
           "licensee__slug", "licensee_node", "edit", "exclusive", "audio_languages",
           "subtitle_languages", "holdback_languages", "max_quality", "download_allowed", "view_cap",
           "contract_reference", "revoked_at")


def terms_of(row: Licence, *, seats: int = 0, holders: frozenset[int] = frozenset()) -> LicenceTerms:
    """The value form of a licence row (seats only matter for capped licences)."""
    values = {name: getattr(row, name) for name in _FIELDS if "__" not in name}
    values["licensee__slug"] = row.licensee.slug if row.licensee_id and row.licensee else None
    return _terms(values, seats=seats, holders=holders)


def _terms(v: dict[str, Any], *, seats: int = 0, holders: frozenset[int] = frozenset()) -> LicenceTerms:
    return LicenceTerms(
        ref=v["ref"], title_id=v["title_id"], licence_type=LicenceType(v["licence_type"]),
        territories=TerritorySet(tuple(v["territories_included"]), tuple(v["territories_excluded"])),
        window=Window(_boundary(v["start_date"], v["start_event"], v["start_lag_days"]),  # type: ignore[arg-type]
                      _boundary(v["end_date"], v["end_event"], v["end_lag_days"])),
        licensee=v["licensee__slug"] or v["licensee_node"], edit=v["edit"], exclusive=v["exclusive"],
        audio_languages=tuple(v["audio_languages"]), subtitle_languages=tuple(v["subtitle_languages"]),
        holdback_languages=tuple(v["holdback_languages"]), max_quality=Quality(v["max_quality"]),
        download_allowed=v["download_allowed"], view_cap=v["view_cap"], seats_taken=seats,
        seat_holders=holders, contract_reference=v["contract_reference"],
        revoked=v["revoked_at"] is not None,
    )


def _boundary(day: object, event: str, lag: int) -> Boundary | None:
    if event:
        return AfterEvent(event, lag)
    return OnDate(day) if day is not None else None  # type: ignore[arg-type]


def licences_for_titles(*, title_ids: Iterable[int], include_revoked: bool = False
                        ) -> tuple[LicenceTerms, ...]:
    """The titles' licences as values; one query, plus one for seats of capped licences.

    Reads plain values rather than model instances: this runs on every playback request.
    """
    rows = Licence.objects.filter(title_id__in=list(title_ids))
    if not include_revoked:
        rows = rows.filter(revoked_at__isnull=True)
    values = list(rows.order_by().values(*_FIELDS))
    capped = [v["id"] for v in values if v["view_cap"] is not None]
    holders: dict[int, set[int]] = {}
    if capped:
        for licence_id, user_id in LicenceSeat.objects.filter(licence_id__in=capped).values_list(
                "licence_id", "user_id"):
            holders.setdefault(licence_id, set()).add(user_id)
    return tuple(_terms(v, seats=len(holders.get(v["id"], ())),
                        holders=frozenset(holders.get(v["id"], ()))) for v in values)


def get_licence(*, ref: str) -> Licence:
    try:
        return Licence.objects.select_related("title", "licensor", "licensee").get(ref=ref)
    except Licence.DoesNotExist:
        raise LicenceNotFound(gettext("No licence '%(licence)s'.") % {"licence": ref},
                              gettext("Check the reference; GET /api/v1/rights/licences lists them.")) from None


def release_calendar(*, title_ids: Iterable[int]) -> ReleaseCalendar:
    return ReleaseCalendar.of(
        ReleaseEvent(r.title_id, r.country, r.event, r.day)
        for r in ReleaseDate.objects.filter(title_id__in=list(title_ids)))


def unknown_territory_policy() -> str:
    return str(getattr(settings, "DASTAN_UNKNOWN_TERRITORY_POLICY", "deny") or "deny")


def lineage(*, title: Title) -> list[int]:
    """The title's id, then its season's and series' ids: a licence for a series covers
    its seasons and episodes."""
    ids, parent_id, hops = [title.pk], title.parent_id, 0
    while parent_id is not None and hops < 3:
        ids.append(parent_id)
        parent_id = Title.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
        hops += 1
    return ids


def licences_covering(*, title: Title, fresh: bool = False) -> tuple[tuple[LicenceTerms, ...], ReleaseCalendar]:
    """Licences of the title and its ancestors, as if granted for the title itself, with
    release dates: the title's own first, else its nearest ancestor's (a series premiere).
    Kept in the rights read cache (:mod:`dastan.rights.cache`) until a licence or a
    release changes, unless a licence is capped by seats (its holders change with plays);
    ``fresh`` reads the database (the re-check of links already handed out)."""
    if fresh:
        return _licences_covering(title=title)
    # Frozen values, only read: kept as objects too (one per master playlist otherwise unpickled).
    return rights_cache.cached("covering", (title.pk, title.parent_id or 0), lambda: _licences_covering(title=title),
                               keep=lambda answer: all(lic.view_cap is None for lic in answer[0]), local=True)


def _licences_covering(*, title: Title) -> tuple[tuple[LicenceTerms, ...], ReleaseCalendar]:
    ids = lineage(title=title) if title.parent_id else [title.pk]
    licences = tuple(lic if lic.title_id == title.pk else replace(lic, title_id=title.pk)
                     for lic in licences_for_titles(title_ids=ids))
    lagged = any(isinstance(b, AfterEvent) for lic in licences for b in (lic.window.start, lic.window.end))
    if not lagged:
        return licences, NO_RELEASES
    days: dict[tuple[int, str, str], date] = {}
    found = release_calendar(title_ids=ids).days
    for ancestor in reversed(ids):  # nearer titles overwrite farther ones
        days.update({(title.pk, c, e): d for (t, c, e), d in found.items() if t == ancestor})
    return licences, ReleaseCalendar(days)


def decide_playback_for(*, title: Title, territory: str | None, at: datetime | None = None,
                        audio_languages: Sequence[str] = (), subtitle_languages: Sequence[str] = (),
                        quality: int | str | None = None, user_id: int | None = None,
                        edit: str = "", fresh: bool = False) -> PlaybackDecision:
    """:func:`decide_playback` with the licences (the title's and its series') and release
    dates from the rights read cache, or with ``fresh`` from the database."""
    licences, releases = licences_covering(title=title, fresh=fresh)
    return decide_playback(
        title=title.pk, territory=territory, at=at or timezone.now(),
        audio_languages=audio_languages, subtitle_languages=subtitle_languages, quality=quality,
        user=user_id, licences=licences, releases=releases, edit=edit,
        unknown_territory_policy=unknown_territory_policy(),
    )


@dataclass(frozen=True, slots=True)
class Coming:
    title_id: int
    opens_at: datetime
    opens_on: date  # the day as the country's calendar reads it: "coming on 1 March 2027"

    def label(self) -> str:
        # Translators: beside a title in the catalog that a licence opens later.
        return gettext("coming on %(day)s") % {"day": format_day(self.opens_on)}


@dataclass(frozen=True, slots=True)
class CatalogAvailability:
    watchable: tuple[int, ...]  # title ids, playable in the country now
    coming: tuple[Coming, ...]  # soonest first


def catalog_availability(*, territory: str, at: datetime | None = None,
                         title_ids: Iterable[int] | None = None) -> CatalogAvailability:
    """Which titles a viewer in ``territory`` may watch at ``at``, and which open later.

    Two indexed queries over :class:`Availability`, whatever the number of licences.
    Seat caps and languages are left to the per-title decision at play time.
    """
    at = at or timezone.now()
    rows = Availability.objects.filter(country=territory.upper())
    if title_ids is not None:
        rows = rows.filter(title_id__in=list(title_ids))
    open_now = rows.filter(opens_at__lte=at).filter(Q(closes_at__isnull=True) | Q(closes_at__gt=at))
    watchable = tuple(sorted(set(open_now.values_list("title_id", flat=True))))
    later = (rows.filter(opens_at__gt=at).exclude(title_id__in=watchable)
             .values("title_id").annotate(first=Min("opens_at"), n=Count("id")).order_by("first"))
    country = territory.upper()
    return CatalogAvailability(watchable, tuple(
        Coming(r["title_id"], r["first"], local_day(country, r["first"])) for r in later))
