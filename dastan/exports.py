"""Cells for CSV, TSV and spreadsheet exports, safe to open in Excel, LibreOffice or Sheets.

A spreadsheet treats a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula,
and tab or carriage return as the start of one after a field is split, so a licensee
named ``=HYPERLINK("http://evil", "Click")`` or ``=cmd|' /C calc'!A0`` would run on the
distributor's machine (OWASP, "CSV Injection"). Every export writes its cells through
:func:`neutralise_cell`, which prefixes such text with a single quote, the spreadsheets'
own mark for "text, not a formula". Numbers passed as numbers stay numbers (a negative
amount is no formula); importers of Dastan's own files undo the mark with
:func:`restore_cell`, so an export reads back unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"

Cell = str | int | float | Decimal | date | datetime | None
K = TypeVar("K")


def neutralise_cell(value: Cell) -> Cell:
    """``value`` as a spreadsheet will show it, never as a formula it would run.

    Text starting with one of FORMULA_STARTS gets a leading single quote; typed values
    (numbers, dates, None) are returned as they are, so a typed export keeps -12.5 a number.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return QUOTE + value
    return value


def neutralise_row(row: Mapping[K, Cell]) -> dict[K, Cell]:
    """Every cell of one row through :func:`neutralise_cell`."""
    return {key: neutralise_cell(value) for key, value in row.items()}


def restore_cell(text: str) -> str:
    """Undo :func:`neutralise_cell` on a cell read back from one of Dastan's exports."""
    if text.startswith(QUOTE) and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
