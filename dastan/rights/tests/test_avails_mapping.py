"""Distributors' own avails files: their column names mapped from the header, any
delimiter, a byte-order mark, repeated rows as warnings; each file of the corpus is
written here with the mapping, the rows' fates or the refusal it must give."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from dastan.errors import InvalidInput
from dastan.rights.avails import import_avails, parse_column_choices
from dastan.rights.codec import column_for
from dastan.rights.errors import AvailsRejected
from dastan.rights.models import Licence

from .factories import make_title

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Case:
    text: str
    mapping: tuple[str, ...] = ()  # lines the dry run's mapping must hold
    rows: tuple[str, ...] = ()  # every row's fate, in file order
    refusal: str = ""  # a regular expression the refusal's message matches
    problem: str = ""  # a line the refusal's problems must hold


CORPUS: dict[str, Case] = {
    "a plain spreadsheet with the distributor's names": Case(
        "Title ID,Name,Territory,Start,End,Licence type,Languages\n"
        "steppe,Steppe Wind,KZ,2027-03-01,2027-08-31,SVOD,kk\n",
        mapping=("Title ID → Title", "Name: not read", "Licence type → LicenseType",
                 "Languages → AudioLanguages",
                 "LicenceRef: made from Title, LicenseType, Territory and Start"),
        rows=("line 2: grant steppe-SVOD-KZ-20270301",)),
    "semicolons and a byte-order mark": Case(
        "\ufeffTitle ID;Country;Avail Start;Avail End;Rights\n"
        "steppe;KZ, UZ;2027-03-01;2027-08-31;SVOD\n",
        mapping=("Country → Territory", "Avail Start → Start", "Avail End → End", "Rights → LicenseType"),
        rows=("line 2: grant steppe-SVOD-KZUZ-20270301",)),
    "tabs, Region and Window Start": Case(
        "Title\tRegion\tWindow Start\tWindow End\tLicense Type\n"
        "steppe\tCentral Asia\t2027-03-01\t\tTVOD\n",
        mapping=("Region → Territory", "Window Start → Start", "License Type → LicenseType"),
        rows=("line 2: grant steppe-TVOD-CentralAsia-20270301",)),
    "pipes": Case(
        "LicenceRef|Title|LicenseType|Territory|Start\nKZ-1|steppe|SVOD|KZ|2027-03-01\n",
        mapping=("LicenceRef → LicenceRef",), rows=("line 2: grant KZ-1",)),
    "Windows line ends and a BOM": Case(
        "\ufeffTitle ID,Country,Start,Rights\r\nsteppe,KZ,2027-03-01,AVOD\r\n",
        rows=("line 2: grant steppe-AVOD-KZ-20270301",)),
    "a row pasted twice": Case(
        "Title ID,Country,Start,Rights\nsteppe,KZ,2027-03-01,SVOD\nsteppe,KZ,2027-03-01,SVOD\n",
        rows=("line 2: grant steppe-SVOD-KZ-20270301",
              ("line 3 (LicenceRef): steppe-SVOD-KZ-20270301 repeats line 2 exactly; the repeat "
              "is skipped. (skipped)"))),
    "two columns for one, the first read": Case(
        "Title,Territory,Region,Start,LicenseType\nsteppe,KZ,RU,2027-03-01,SVOD\n",
        mapping=("Territory → Territory", "Region: not read"),
        rows=("line 2: grant steppe-SVOD-KZ-20270301",)),
    "one reference with two sets of terms": Case(
        "LicenceRef,Title,LicenseType,Territory,Start\nKZ-1,steppe,SVOD,KZ,2027-03-01\n"
        "KZ-1,steppe,SVOD,UZ,2027-03-01\n",
        refusal=r"^The avails file has 1 bad row\(s\); nothing was imported\.",
        problem="line 3 (LicenceRef): KZ-1 appears already on line 2 with other terms."),
    "no territory column under any name": Case(
        "Title ID;Avail Start;Rights\nsteppe;2027-03-01;SVOD\n",
        refusal=r"^The file's header lacks the columns Territory\.",
        problem="line 1: missing Territory"),
}


@pytest.mark.parametrize("case", CORPUS.values(), ids=CORPUS.keys())
def test_a_distributor_file_dry_runs_to_its_mapping_and_every_rows_fate_or_is_refused(case: Case) -> None:
    make_title(slug="steppe")
    if case.refusal:
        with pytest.raises(AvailsRejected, match=case.refusal) as info:
            import_avails(text=case.text, dry_run=True)
        assert case.problem in info.value.problems
        return
    plan = import_avails(text=case.text, dry_run=True)
    assert plan.mapping is not None
    assert set(case.mapping) <= set(plan.mapping.lines())
    assert plan.rows() == case.rows
    assert not Licence.objects.exists()


def test_a_repeated_row_is_stored_once_and_the_same_file_again_changes_nothing() -> None:
    make_title(slug="steppe")
    text = "Title ID;Country;Start;Rights\nsteppe;KZ;2027-03-01;SVOD\nsteppe;KZ;2027-03-01;SVOD\n"
    assert import_avails(text=text).summary() == "1 to grant, 0 to amend, 0 unchanged, 0 bad rows, 1 skipped"
    assert list(Licence.objects.values_list("ref", flat=True)) == ["steppe-SVOD-KZ-20270301"]
    again = import_avails(text=text, dry_run=True)
    assert [c.action for c in again.changes] == ["unchanged"]


@pytest.mark.parametrize(("header", "column"), [
    ("Territory", "Territory"), ("Country", "Territory"), ("Region", "Territory"),
    ("Start", "Start"), ("Avail Start", "Start"), ("Window Start", "Start"),
    ("Title ID", "Title"), ("Title", "Title"),
    ("License Type", "LicenseType"), ("Licence type", "LicenseType"), ("Rights", "LicenseType"),
    ("Title Name", ""),
])
def test_a_header_cell_is_read_as_the_column_it_names(header: str, column: str) -> None:
    assert column_for(header) == column



def test_a_person_maps_a_header_the_proposal_does_not_know() -> None:
    make_title(slug="steppe")
    text = "Title ID;Pays;Début;Rights\nsteppe;KZ;2027-03-01;SVOD\n"
    with pytest.raises(AvailsRejected, match="lacks the columns Territory, Start"):
        import_avails(text=text, dry_run=True)
    plan = import_avails(text=text, dry_run=True, columns=parse_column_choices(["Pays=Territory", "Début=Start"]))
    assert plan.mapping is not None and "Pays → Territory" in plan.mapping.lines()
    assert plan.rows() == ("line 2: grant steppe-SVOD-KZ-20270301",)


def test_a_chosen_column_takes_over_from_the_proposed_one() -> None:
    make_title(slug="steppe")
    text = "Title,Territory,Region,Start,LicenseType\nsteppe,KZ,RU,2027-03-01,SVOD\n"
    plan = import_avails(text=text, dry_run=True, columns={"Region": "Territory"})
    assert plan.mapping is not None
    assert {"Region → Territory", "Territory: not read"} <= set(plan.mapping.lines())
    assert plan.rows() == ("line 2: grant steppe-SVOD-RU-20270301",)


@pytest.mark.parametrize(("choices", "message"), [
    (["Pays"], "'Pays' is not a column choice"),
    (["Pays=Country"], "'Pays=Country' is not a column choice"),
])
def test_a_column_choice_that_names_no_column_is_refused(choices: list[str], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_column_choices(choices)


def test_a_choice_for_a_header_the_file_lacks_is_refused_naming_the_columns() -> None:
    with pytest.raises(AvailsRejected, match="has no column 'Pays' to map to Territory") as info:
        import_avails(text="Title,Start\nsteppe,2027-03-01\n", dry_run=True, columns={"Pays": "Territory"})
    assert info.value.hint == "Its columns are: Title, Start."
