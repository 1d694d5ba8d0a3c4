"""A peer's title as this node decides with it: the licence facts and release dates its
home node sent, read back as the rights app's values, and the one decision made with them
(:func:`~dastan.rights.decisions.decide_playback`, as for this node's own titles)."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext

from dastan.federation.models import RemoteTitle
from dastan.rights.codec import parse_row
from dastan.rights.decisions import PlaybackDecision, decide_playback
from dastan.rights.errors import InvalidLicence
from dastan.rights.selectors import unknown_territory_policy
from dastan.rights.terms import LicenceTerms
from dastan.rights.windows import ReleaseCalendar, ReleaseEvent


def terms_of_fact(row: dict[str, str], *, title_id: int, slug: str) -> LicenceTerms:
    """A licence fact's terms for the local title ``title_id``; raises the rights app's
    errors naming the column at fault."""

    def title_id_for(value: str) -> int:
        if value != slug:
            raise InvalidLicence(
                gettext("The licence names title '%(named)s', not '%(title)s'.") % {"named": value, "title": slug},
                gettext("Send each title's licences in that title's document."),
                field="Title",
            )
        return title_id

    return parse_row(row, title_id_for=title_id_for)


def remote_terms(remote: RemoteTitle) -> tuple[LicenceTerms, ...]:
    return tuple(
        terms_of_fact(lic.row, title_id=remote.title_id, slug=remote.remote_slug)
        for lic in remote.licences.all()
    )


def remote_releases(remote: RemoteTitle) -> ReleaseCalendar:
    """The release dates the home node sent with the title, for its local id here."""
    return ReleaseCalendar.of(
        ReleaseEvent(remote.title_id, r["country"], r["event"], date.fromisoformat(r["day"]))
        for r in remote.document.get("releases", [])
    )


def home_decision(
    remote: RemoteTitle, *, territory: str | None, at: datetime | None = None
) -> PlaybackDecision:
    """The decision for ``remote`` in ``territory`` with its home node's facts: what this
    node's catalogue lists it by, and plays a cache copy of it by."""
    return decide_playback(
        title=remote.title_id,
        territory=territory,
        at=at or timezone.now(),
        licences=remote_terms(remote),
        releases=remote_releases(remote),
        unknown_territory_policy=unknown_territory_policy(),
    )
