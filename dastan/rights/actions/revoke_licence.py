"""Revoke a licence: it stops covering anything at once; its history stays."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from dastan.rights.actions.revisions import write_revision
from dastan.rights.errors import InvalidLicence
from dastan.rights.index import rebuild_availability
from dastan.rights.models import Licence
from dastan.rights.selectors import terms_of


def check(*, licence: Licence) -> None:
    if licence.revoked_at is not None:
        raise InvalidLicence(gettext("Licence %(licence)s was revoked already.") % {"licence": licence.ref},
                             gettext("Nothing to do; grant a new licence to license the title again."))


def execute(*, licence: Licence, by: Any = None, note: str = "revoked") -> Licence:
    with transaction.atomic():
        licence = Licence.objects.select_for_update().select_related("title").get(pk=licence.pk)
        check(licence=licence)
        licence.revoked_at = timezone.now()
        licence.revision += 1
        licence.save()
        write_revision(licence=licence, terms=terms_of(licence), by=by, note=note)
        rebuild_availability(licence=licence)
    return licence
