"""Reads: licences as values, release calendars, decisions from the database, and what a
country's viewers may watch now or soon."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone

from dastan.catalog.models import Title
from dastan.rights.decisions import PlaybackDecision, decide_playback
from dastan.rights.errors import LicenceNotFound
from dastan.rights.models import Availability, Licence, LicenceSeat, ReleaseDate
from dastan.rights.terms import LicenceTerms, LicenceType, Quality
from dastan.rights.territories import TerritorySet
from dastan.rights.windows import AfterEvent, Boundary, OnDate, ReleaseCalendar, ReleaseEvent, Window


def terms_of(row: Licence, *, seats: int = 0, holders: frozenset[int] = frozenset()) -> LicenceTerms:
    """The value form of a licence row (seats only matter for capped licences)."""
    return LicenceTerms(
        ref=row.ref, title_id=row.title_id, licence_type=LicenceType(row.licence_type),
        territories=TerritorySet(tuple(row.territories_included), tuple(row.territories_excluded)),
        window=Window(_boundary(row.start_date, row.start_event, row.start_lag_days),  # type: ignore[arg-type]
                      _boundary(row.end_date, row.end_event, row.end_lag_days)),
        licensee=row.licensee.slug if row.licensee_id and row.licensee else row.licensee_node,
        edit=row.edit, exclusive=row.exclusive,
        audio_languages=tuple(row.audio_languages), subtitle_languages=tuple(row.subtitle_languages),
        holdback_languages=tuple(row.holdback_languages), max_quality=Quality(row.max_quality),
        download_allowed=row.download_allowed, view_cap=row.view_cap, seats_taken=seats,
        seat_holders=holders, contract_reference=row.contract_reference,
        revoked=row.revoked_at is not None,
    )


def _boundary(day: object, event: str, lag: int) -> Boundary | None:
    if event:
        return AfterEvent(event, lag)
    return OnDate(day) if day is not None else None  # type: ignore[arg-type]


def licences_for_titles(*, title_ids: Iterable[int], include_revoked: bool = False
                        ) -> tuple[LicenceTerms, ...]:
    rows = Licence.objects.filter(title_id__in=list(title_ids)).select_related("licensee")
    if not include_revoked:
        rows = rows.filter(revoked_at__isnull=True)
    rows_list = list(rows)
    capped = [r.id for r in rows_list if r.view_cap is not None]
    holders: dict[int, set[int]] = {}
    for licence_id, user_id in LicenceSeat.objects.filter(licence_id__in=capped).values_list(
            "licence_id", "user_id"):
        holders.setdefault(licence_id, set()).add(user_id)
    return tuple(terms_of(r, seats=len(holders.get(r.id, ())),
                          holders=frozenset(holders.get(r.id, ()))) for r in rows_list)


def get_licence(*, ref: str) -> Licence:
    try:
        return Licence.objects.select_related("title", "licensor", "licensee").get(ref=ref)
    except Licence.DoesNotExist:
        raise LicenceNotFound(f"No licence '{ref}'.",
                              "Check the reference; GET /api/v1/rights/licences lists them.") from None


def release_calendar(*, title_ids: Iterable[int]) -> ReleaseCalendar:
    return ReleaseCalendar.of(
        ReleaseEvent(r.title_id, r.country, r.event, r.day)
        for r in ReleaseDate.objects.filter(title_id__in=list(title_ids)))


def unknown_territory_policy() -> str:
    return str(getattr(settings, "DASTAN_UNKNOWN_TERRITORY_POLICY", "deny") or "deny")


def decide_playback_for(*, title: Title, territory: str | None, at: datetime | None = None,
                        audio_languages: Sequence[str] = (), subtitle_languages: Sequence[str] = (),
                        quality: int | str | None = None, user_id: int | None = None,
                        edit: str = "") -> PlaybackDecision:
    """:func:`decide_playback` with the title's licences and release dates from the database."""
    return decide_playback(
        title=title.pk, territory=territory, at=at or timezone.now(),
        audio_languages=audio_languages, subtitle_languages=subtitle_languages, quality=quality,
        user=user_id, licences=licences_for_titles(title_ids=[title.pk]),
        releases=release_calendar(title_ids=[title.pk]), edit=edit,
        unknown_territory_policy=unknown_territory_policy(),
    )


@dataclass(frozen=True, slots=True)
class CatalogAvailability:
    watchable: tuple[int, ...]  # title ids, playable in the country now
    coming: tuple[tuple[int, datetime], ...]  # (title id, opens_at), soonest first


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
    return CatalogAvailability(watchable, tuple((r["title_id"], r["first"]) for r in later))
