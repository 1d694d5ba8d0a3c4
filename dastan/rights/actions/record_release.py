"""Record (or move) a title's release in a country: windows counted from it follow."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext

from dastan.catalog.countries import country_name, is_country
from dastan.catalog.models import Title
from dastan.errors import InvalidInput
from dastan.rights.errors import UnknownTerritory
from dastan.rights.index import rebuild_for_title
from dastan.rights.models import ReleaseDate
from dastan.rights.windows import EVENT_KINDS


def check(*, country: str, event: str) -> None:
    if not is_country(country):
        raise UnknownTerritory(gettext("'%(country)s' is not an ISO 3166-1 country code.") % {"country": country},
                               gettext("Use a two-letter code such as KZ."), field="country")
    if event not in EVENT_KINDS:
        raise InvalidInput(gettext("'%(event)s' is not a release event.") % {"event": event},
                           gettext("Use one of: %(events)s.") % {"events": ", ".join(EVENT_KINDS)},
                           field="event")


def execute(*, title: Title, country: str, event: str, day: date) -> ReleaseDate:
    """Windows of this title that count from the event are re-resolved in the same
    transaction. Dating an event can only remove overlaps (an undated start was already
    treated as overlapping), so no clash check is needed here."""
    check(country=country, event=event)
    with transaction.atomic():
        release, _ = ReleaseDate.objects.update_or_create(
            title=title, country=country.upper(), event=event, defaults={"day": day})
        rebuild_for_title(title_id=title.pk)
    return release


def describe(release: ReleaseDate) -> str:
    return f"{release.event} release in {country_name(release.country)} on {release.day.isoformat()}"
