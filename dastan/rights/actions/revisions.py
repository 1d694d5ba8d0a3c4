"""Copying terms onto a licence row, and the append-only revision that records it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from dastan.catalog.models import Organisation
from dastan.rights.codec import format_row
from dastan.rights.errors import InvalidLicence
from dastan.rights.models import Licence, LicenceRevision
from dastan.rights.terms import LicenceTerms
from dastan.rights.windows import AfterEvent, Boundary, OnDate


def check_licensee(*, licensee: str) -> Organisation | None:
    """The licensee organisation by slug; None for none or a federation node's address."""
    if not licensee or "." in licensee or "://" in licensee:
        return None
    org = Organisation.objects.filter(slug=licensee).first()
    if org is None:
        raise InvalidLicence(gettext("No organisation '%(licensee)s' to license to.") % {"licensee": licensee},
                             gettext("Use an organisation's slug, or a federation node's address "
                                     "(https://node.example)."), field="Licensee")
    return org


def apply_terms(row: Licence, terms: LicenceTerms) -> None:
    org = check_licensee(licensee=terms.licensee)
    row.ref, row.title_id, row.edit = terms.ref, terms.title_id, terms.edit
    row.licensee = org
    row.licensee_node = "" if org is not None else terms.licensee
    row.licence_type = terms.licence_type.value
    row.territories_included = list(terms.territories.included)
    row.territories_excluded = list(terms.territories.excluded)
    row.start_date, row.start_event, row.start_lag_days = _columns(terms.window.start)
    row.end_date, row.end_event, row.end_lag_days = _columns(terms.window.end)
    row.exclusive = terms.exclusive
    row.audio_languages = list(terms.audio_languages)
    row.subtitle_languages = list(terms.subtitle_languages)
    row.holdback_languages = list(terms.holdback_languages)
    row.max_quality = terms.max_quality.value
    row.download_allowed = terms.download_allowed
    row.view_cap = terms.view_cap
    row.contract_reference = terms.contract_reference


def _columns(boundary: Boundary | None) -> tuple[Any, str, int]:
    if isinstance(boundary, OnDate):
        return boundary.day, "", 0
    if isinstance(boundary, AfterEvent):
        return None, boundary.event, boundary.lag_days
    return None, "", 0


def write_revision(*, licence: Licence, terms: LicenceTerms, by: Any, note: str) -> LicenceRevision:
    snapshot = format_row(terms, title_slug=licence.title.slug)
    snapshot["Revoked"] = "Yes" if licence.revoked_at else "No"
    return LicenceRevision.objects.create(
        licence=licence, number=licence.revision, terms=snapshot,
        changed_by=by if getattr(by, "is_authenticated", False) else None, note=note[:300])
