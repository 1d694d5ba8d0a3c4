"""Distributors' own avails files: their column names mapped from the header, any
delimiter, a byte-order mark, repeated rows as warnings; each file of the corpus is
written here with the mapping, the rows' fates or the refusal it must give."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from dastan.accounts.models import Membership
from dastan.errors import InvalidInput, NotFound
from dastan.rights.avails import import_avails, parse_column_choices
from dastan.rights.codec import column_for
from dastan.rights.errors import AvailsRejected
from dastan.rights.mappings import visible_mappings
from dastan.rights.models import AvailsMapping, Licence

from .factories import distributor_of, make_title, owner_of

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
        refusal=r"^The avails file has 1 bad row; nothing was imported\.",
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


# --- a distributor's mapping, saved and applied again ---------------------------------------------

FRENCH = "Titre;Pays;Début;Droits;Remarques\nsteppe;KZ;2027-03-01;SVOD;first window\n"
CHOICES = ["Titre=Title", "Pays=Territory", "Début=Start", "Droits=LicenseType"]


def test_a_saved_mapping_reads_the_distributors_next_file_by_name_or_by_its_header() -> None:
    title = make_title(slug="steppe")
    manager = distributor_of(owner_of(title), role=Membership.Role.DISTRIBUTOR)
    import_avails(text=FRENCH, by=manager, columns=parse_column_choices(CHOICES), save_mapping="Steppe Pictures")
    [saved] = AvailsMapping.objects.all()
    assert (saved.organisation, saved.distributor, saved.saved_by) == (owner_of(title), "Steppe Pictures", manager)
    assert saved.columns == {"Titre": "Title", "Pays": "Territory", "Début": "Start", "Droits": "LicenseType",
                             "Remarques": ""}

    # The next file: no choices given; the same header finds the mapping by itself.
    following = FRENCH.replace("2027-03-01", "2028-03-01")
    plan = import_avails(text=following, by=manager, dry_run=True)
    assert plan.mapping is not None and plan.mapping.lines()[0].startswith(
        "Read with the mapping saved for Steppe Pictures on ")
    assert plan.rows() == ("line 2: grant steppe-SVOD-KZ-20280301",)
    # A file with a column more, chosen by the distributor's name (any case): the saved
    # choices read what they know, the proposal the rest.
    wider = "Titre;Pays;Début;Droits;End\nsteppe;UZ;2027-03-01;AVOD;2027-12-31\n"
    plan = import_avails(text=wider, by=manager, dry_run=True, distributor="steppe pictures")
    assert plan.rows() == ("line 2: grant steppe-AVOD-UZ-20270301",)
    assert "End → End" in plan.mapping.lines()  # type: ignore[union-attr]


def test_a_mapping_named_but_never_saved_is_refused_naming_the_saved_ones() -> None:
    title = make_title(slug="steppe")
    manager = distributor_of(owner_of(title), role=Membership.Role.DISTRIBUTOR)
    import_avails(text=FRENCH, by=manager, columns=parse_column_choices(CHOICES), save_mapping="Steppe Pictures")
    with pytest.raises(NotFound, match="No avails mapping is saved for the distributor 'Kazakhfilm'") as info:
        import_avails(text=FRENCH, by=manager, dry_run=True, distributor="Kazakhfilm")
    assert "Saved mappings: Steppe Pictures." in info.value.hint


def test_only_the_organisations_rights_managers_save_and_use_its_mappings() -> None:
    title = make_title(slug="steppe")
    translator = distributor_of(owner_of(title), role=Membership.Role.TRANSLATOR)
    other = distributor_of(make_title(slug="other").owner, role=Membership.Role.DISTRIBUTOR)  # type: ignore[arg-type]
    mapping = import_avails(text=FRENCH, columns=parse_column_choices(CHOICES), dry_run=True)
    assert mapping.rows() == ("line 2: grant steppe-SVOD-KZ-20270301",)
    # A translator may not import (the row is refused) and so saves nothing.
    with pytest.raises(AvailsRejected):
        import_avails(text=FRENCH, by=translator, columns=parse_column_choices(CHOICES), save_mapping="Steppe")
    # The owner's manager saves; another organisation's manager neither finds nor uses it.
    manager = distributor_of(owner_of(title), role=Membership.Role.DISTRIBUTOR)
    import_avails(text=FRENCH, by=manager, columns=parse_column_choices(CHOICES), save_mapping="Steppe")
    with pytest.raises(NotFound):
        import_avails(text=FRENCH, by=other, dry_run=True, distributor="Steppe")
    assert list(visible_mappings(user=other)) == []
    assert [m.distributor for m in visible_mappings(user=manager)] == ["Steppe"]
    # Saving needs a name, and stores nothing else when the name is wrong.
    with pytest.raises(InvalidInput, match="needs the distributor's name"):
        import_avails(text=FRENCH.replace("KZ", "UZ"), by=manager, columns=parse_column_choices(CHOICES),
                      save_mapping="   ", dry_run=True)
    assert AvailsMapping.objects.count() == 1
