"""Give a viewer one of a capped licence's seats (festival screenings: 300 seats)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from dastan.rights.errors import NoLicenceForTerritory
from dastan.rights.models import Licence, LicenceSeat


def execute(*, licence_ref: str, user: Any) -> LicenceSeat | None:
    """The viewer's seat (existing or new); None for an uncapped licence.

    The licence row is locked while seats are counted, so two viewers racing for the
    last seat cannot both get it. Raises NoLicenceForTerritory when the seats are gone.
    """
    with transaction.atomic():
        licence = Licence.objects.select_for_update().get(ref=licence_ref)
        if licence.view_cap is None:
            return None
        seat = LicenceSeat.objects.filter(licence=licence, user=user).first()
        if seat is not None:
            return seat
        if LicenceSeat.objects.filter(licence=licence).count() >= licence.view_cap:
            raise NoLicenceForTerritory(
                gettext("All %(count)s seats of licence %(licence)s are taken.") % {
                    "count": licence.view_cap, "licence": licence.ref},
                gettext("Ask the festival for another screening."), code="seats_taken")
        return LicenceSeat.objects.create(licence=licence, user=user)
