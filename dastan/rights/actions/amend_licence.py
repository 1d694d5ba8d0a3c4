"""Change a licence's terms, keeping the earlier terms as a revision."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from dastan.rights.actions.revisions import apply_terms, check_licensee, write_revision
from dastan.rights.errors import InvalidLicence
from dastan.rights.index import rebuild_availability
from dastan.rights.models import Licence
from dastan.rights.selectors import licences_for_titles, release_calendar, terms_of
from dastan.rights.terms import LicenceTerms
from dastan.rights.validation import check_no_clash, check_terms


def check(*, licence: Licence, terms: LicenceTerms,
          others: tuple[LicenceTerms, ...] | None = None) -> None:
    if terms.ref != licence.ref:
        raise InvalidLicence(gettext("A licence's reference cannot change (%(old)s → %(new)s).") % {
                                 "old": licence.ref, "new": terms.ref},
                             gettext("Revoke the licence and grant a new one under the new reference."),
                             field="LicenceRef")
    if terms.title_id != licence.title_id:
        raise InvalidLicence(gettext("Licence %(licence)s is for another title.") % {"licence": licence.ref},
                             gettext("Grant a new licence for this title instead."), field="Title")
    if licence.revoked_at is not None:
        raise InvalidLicence(gettext("Licence %(licence)s was revoked.") % {"licence": licence.ref},
                             gettext("Grant a new licence under a new reference."), field="LicenceRef")
    check_terms(terms=terms)
    check_licensee(licensee=terms.licensee)
    if others is None:
        others = licences_for_titles(title_ids=[terms.title_id])
    check_no_clash(terms=terms, others=others,
                   releases=release_calendar(title_ids=[terms.title_id]))


def execute(*, licence: Licence, terms: LicenceTerms, by: Any = None,
            note: str = "amended") -> Licence:
    """Store the new terms as revision n+1; unchanged terms store nothing."""
    with transaction.atomic():
        licence = Licence.objects.select_for_update().select_related("title").get(pk=licence.pk)
        if terms_of(licence) == terms:
            return licence
        check(licence=licence, terms=terms)
        apply_terms(licence, terms)
        licence.revision += 1
        licence.save()
        write_revision(licence=licence, terms=terms, by=by, note=note)
        rebuild_availability(licence=licence)
    return licence
