"""Checks a licence must pass before it is stored: sound terms and no exclusivity clash."""

from __future__ import annotations

from collections.abc import Iterable

from dastan.rights.clash import find_clash
from dastan.rights.errors import ExclusiveClash, InvalidLicence, InvalidWindow
from dastan.rights.terms import LicenceTerms
from dastan.rights.windows import ReleaseCalendar, check_order


def check_terms(*, terms: LicenceTerms) -> None:
    """Raise the first problem of the terms on their own, in the words of the avails columns."""
    if not terms.ref.strip():
        raise InvalidLicence("The licence has no reference.",
                             "Give it the reference the contract uses, e.g. KZ-SVOD-14.",
                             field="LicenceRef")
    if not terms.territories.countries():
        raise InvalidLicence(
            f"The licence covers no country: {terms.territories.describe() or 'nothing'}.",
            "Name at least one country in Territory that TerritoryExclude does not remove.",
            field="Territory")
    problem = check_order(terms.window)
    if problem:
        raise InvalidWindow(problem, "Correct Start or End so that the window starts first.",
                            field="End")
    if terms.audio_languages and not terms.audio_allowed():
        raise InvalidLicence(
            f"Every audio language the licence allows ({', '.join(terms.audio_languages)}) is held back.",
            "Remove a language from HoldbackLanguages, or add one to AudioLanguages.",
            field="HoldbackLanguages")
    if terms.view_cap is not None and terms.view_cap <= 0:
        raise InvalidLicence("ViewCap must be a positive number of seats.",
                             "Write the number of seats (300), or leave it empty.", field="ViewCap")


def check_no_clash(*, terms: LicenceTerms, others: Iterable[LicenceTerms],
                   releases: ReleaseCalendar) -> None:
    clash = find_clash(terms, others, releases=releases)
    if clash is not None:
        raise ExclusiveClash(
            clash.sentence(),
            f"Narrow the territories or the window of {clash.ref}, make neither licence "
            f"exclusive, or amend {clash.other_ref} first.", field="Territory")
