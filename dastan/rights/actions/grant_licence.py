"""Grant a new licence: ``check()`` then ``execute()``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from dastan.catalog.models import Organisation
from dastan.rights.actions.revisions import apply_terms, check_licensee, write_revision
from dastan.rights.errors import InvalidLicence
from dastan.rights.index import rebuild_availability
from dastan.rights.models import Licence
from dastan.rights.selectors import licences_for_titles, release_calendar
from dastan.rights.terms import LicenceTerms
from dastan.rights.validation import check_no_clash, check_terms


def check(*, terms: LicenceTerms, others: tuple[LicenceTerms, ...] | None = None) -> None:
    """Raise InvalidLicence, InvalidWindow, UnknownTerritory or ExclusiveClash; store nothing.

    ``others`` defaults to the title's stored licences; the avails import passes the
    stored ones plus the file's earlier rows.
    """
    check_terms(terms=terms)
    check_licensee(licensee=terms.licensee)
    if Licence.objects.filter(ref=terms.ref).exists():
        raise InvalidLicence(gettext("A licence %(licence)s exists already.") % {"licence": terms.ref},
                             gettext("Amend that licence, or give this one another reference."),
                             field="LicenceRef")
    if others is None:
        others = licences_for_titles(title_ids=[terms.title_id])
    check_no_clash(terms=terms, others=others,
                   releases=release_calendar(title_ids=[terms.title_id]))


def execute(*, terms: LicenceTerms, licensor: Organisation, by: Any = None,
            note: str = "granted") -> Licence:
    with transaction.atomic():
        check(terms=terms)
        licence = Licence(licensor=licensor)
        apply_terms(licence, terms)
        licence.revision = 1
        licence.save()
        write_revision(licence=licence, terms=terms, by=by, note=note)
        rebuild_availability(licence=licence)
    return licence
