"""Avails import/export: dry run, line-numbered report of every bad row, all or nothing."""

from __future__ import annotations

import pytest

from dastan.rights.actions import grant_licence
from dastan.rights.avails import export_avails, import_avails
from dastan.rights.errors import AvailsRejected
from dastan.rights.models import Licence, LicenceRevision

from .factories import make_title, owner_of, terms

pytestmark = pytest.mark.django_db

HEADER = "LicenceRef,Title,LicenseType,Territory,TerritoryExclude,Start,End,Exclusive,AudioLanguages\n"


def _snapshot() -> list[tuple[str, int, list[str]]]:
    return list(Licence.objects.order_by("ref").values_list("ref", "revision", "territories_included"))


def test_dry_run_lists_what_would_change_and_stores_nothing() -> None:
    title = make_title(slug="steppe")
    grant_licence.execute(terms=terms("KZ-SVOD-14", title_id=title.pk), licensor=owner_of(title))
    text = HEADER + ("KZ-SVOD-14,steppe,SVOD,KZ; UZ,,2027-03-01,2027-08-31,No,\n"
                     "RU-TVOD-1,steppe,TVOD,RU,,2027-01-01,Open,No,ru\n")
    before = _snapshot()
    plan = import_avails(text=text, dry_run=True)
    assert [str(c) for c in plan.changes] == ["line 2: amend KZ-SVOD-14 (Territory: KZ → KZ; UZ)",
                                              "line 3: grant RU-TVOD-1"]
    assert _snapshot() == before


def test_every_bad_row_is_reported_by_line_and_nothing_is_stored() -> None:
    title = make_title(slug="steppe")
    grant_licence.execute(terms=terms("KZ-SVOD-14", title_id=title.pk, exclusive=True),
                          licensor=owner_of(title))
    text = HEADER + (
        "OK-1,steppe,TVOD,RU,,2027-01-01,2027-12-31,No,\n"
        "BAD-1,steppe,SVOD,KZ; XQ,,2027-01-01,2027-12-31,No,\n"
        "BAD-2,steppe,SVOD,RU,,2027-05-01,2027-04-01,No,\n"
        "BAD-3,steppe,SVOD,Central Asia,,2027-06-01,2027-06-30,No,\n"
        "BAD-4,steppe,AVOD,CN,,2027-01-01,,Yes,\n"
        "BAD-5,steppe,AVOD,CN,,2027-06-01,2027-07-01,No,\n"
        "BAD-6,nowhere,SVOD,CN,,2027-06-01,2027-07-01,No,\n")
    before = _snapshot()
    revisions = LicenceRevision.objects.count()
    with pytest.raises(AvailsRejected, match="6 bad row") as info:
        import_avails(text=text)
    problems = info.value.problems
    assert problems[0].startswith("line 3 (territories): 'XQ' is not a country code")
    assert problems[1].startswith("line 4 (End): The window ends on 1 April 2027, before it starts")
    assert problems[2] == ("line 5 (Territory): Licence BAD-3 clashes with exclusive licence "
                           "KZ-SVOD-14 in Kazakhstan from 1 March 2027 to 31 August 2027.")
    assert "clashes with exclusive licence BAD-4 in China from 1 January 2027 (line 6)" in problems[4]
    assert "Exclusive licence BAD-4 clashes with licence BAD-5 in China" in problems[3]
    assert "(line 7)" in problems[3]
    assert problems[5].startswith("line 8 (Title): Title 'nowhere' is not in the catalog")
    assert _snapshot() == before and LicenceRevision.objects.count() == revisions


def test_a_good_file_is_stored_and_exports_back_to_the_same_terms() -> None:
    make_title(slug="steppe")
    text = ("LicenceRef\tTitle\tLicenseType\tTerritory\tTerritoryExclude\tStart\tEnd\tExclusive\t"
            "AudioLanguages\tHoldbackLanguages\tFormatProfile\tViewCap\n"
            "CA-SVOD-1\tsteppe\tSVOD\tCentral Asia\tTM\t2027-03-01\ttheatrical+365\tYes\tkk; ru\ten\tUHD\t\n"
            "FEST-1\tsteppe\tfestival\tIN\t\ttheatrical+0\ttheatrical+10\tNo\t\t\tHD\t300\n")
    plan = import_avails(text=text)
    assert plan.summary() == "2 to grant, 0 to amend, 0 unchanged, 0 bad rows"
    exported = export_avails(delimiter="\t")
    again = import_avails(text=exported, dry_run=True)
    assert [c.action for c in again.changes] == ["unchanged", "unchanged"]
    assert "CA-SVOD-1\tsteppe\t\t\tSVOD\tCentral Asia\tTM\t2027-03-01\ttheatrical+365\tYes\tkk; ru" in exported


def test_a_file_without_the_needed_columns_is_refused_naming_them() -> None:
    with pytest.raises(AvailsRejected, match="lacks the columns Territory, Start"):
        import_avails(text="LicenceRef,Title\nA,b\n")
