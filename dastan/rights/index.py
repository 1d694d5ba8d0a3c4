"""The per-country availability index (:class:`~dastan.rights.models.Availability`).

Rebuilt inside the transaction that changes a licence or a release date, so the catalog
never sees a licence without its rows.
"""

from __future__ import annotations

from dastan.rights import cache as rights_cache
from dastan.rights.models import Availability, Licence
from dastan.rights.selectors import release_calendar, terms_of
from dastan.rights.windows import resolve_interval


def rebuild_availability(*, licence: Licence) -> int:
    """Replace the licence's rows; returns how many countries it now covers. Every licence
    change passes here, so this is also where the rights read cache learns of it."""
    rights_cache.changed()
    Availability.objects.filter(licence=licence).delete()
    if licence.revoked_at is not None:
        return 0
    terms = terms_of(licence)
    releases = release_calendar(title_ids=[licence.title_id])
    rows = []
    for country in sorted(terms.territories.countries()):
        interval = resolve_interval(terms.window, title_id=licence.title_id, country=country,
                                    releases=releases)
        rows.append(Availability(licence=licence, title_id=licence.title_id, country=country,
                                 opens_at=interval.opens_at, closes_at=interval.closes_at))
    Availability.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def rebuild_for_title(*, title_id: int) -> None:
    for licence in Licence.objects.filter(title_id=title_id, revoked_at__isnull=True):
        rebuild_availability(licence=licence)
