"""Checks a licence must pass before it is stored: sound terms and no exclusivity clash."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext

from dastan.rights.clash import find_clash
from dastan.rights.errors import ExclusiveClash, InvalidLicence, InvalidWindow
from dastan.rights.terms import LicenceTerms
from dastan.rights.windows import ReleaseCalendar, check_order


def check_terms(*, terms: LicenceTerms) -> None:
    """Raise the first problem of the terms on their own, in the words of the avails columns."""
    if not terms.ref.strip():
        raise InvalidLicence(gettext("The licence has no reference."),
                             gettext("Give it the reference the contract uses, e.g. KZ-SVOD-14."),
                             field="LicenceRef")
    if not terms.territories.countries():
        raise InvalidLicence(
            gettext("The licence covers no country: %(territories)s.") % {
                "territories": terms.territories.describe()},
            gettext("Name at least one country in Territory that TerritoryExclude does not remove."),
            field="Territory")
    problem = check_order(terms.window)
    if problem:
        raise InvalidWindow(problem, gettext("Correct Start or End so that the window starts first."),
                            field="End")
    if terms.audio_languages and not terms.audio_allowed():
        raise InvalidLicence(
            gettext("Every audio language the licence allows (%(languages)s) is held back.") % {
                "languages": ", ".join(terms.audio_languages)},
            gettext("Remove a language from HoldbackLanguages, or add one to AudioLanguages."),
            field="HoldbackLanguages")
    if terms.view_cap is not None and terms.view_cap <= 0:
        raise InvalidLicence(gettext("ViewCap must be a positive number of seats."),
                             gettext("Write the number of seats (300), or leave it empty."), field="ViewCap")


def check_no_clash(*, terms: LicenceTerms, others: Iterable[LicenceTerms],
                   releases: ReleaseCalendar) -> None:
    clash = find_clash(terms, others, releases=releases)
    if clash is not None:
        raise ExclusiveClash(
            clash.sentence(),
            gettext("Narrow the territories or the window of %(licence)s, make neither licence "
                    "exclusive, or amend %(other)s first.") % {"licence": clash.ref, "other": clash.other_ref},
            field="Territory")
