"""Cells bound for spreadsheets: text never becomes a live formula (CSV and XLSX injection).

Every CSV writer passes its rows through csv_text / neutralise_row, and the XLSX writer through
set_xlsx_row. Following OWASP, a text cell starting with = + - @ TAB or CR gets a leading apostrophe in
CSV, so Excel, LibreOffice and Google Sheets show it as text. A cell that already starts with an apostrophe
before one of those (or before another apostrophe) gets one more, so restore_cell (used by `decisions import`)
undoes exactly what neutralise_cell did and an exported file re-imports unchanged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def _needs_quote(text: str) -> bool:
    first = text[:1]
    return first in TRIGGERS or (first == QUOTE and text[1:2] in (*TRIGGERS, QUOTE))


def neutralise_cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as text: "'" + text when it would start a formula.

    Numbers and None are returned unchanged (they are ours, and stay numbers).
    """
    if isinstance(value, str) and _needs_quote(value):
        return QUOTE + value
    return value


def restore_cell(text: str) -> str:
    """The inverse of neutralise_cell, for files coming back from a spreadsheet."""
    if text[:1] == QUOTE and text[1:2] in (*TRIGGERS, QUOTE):
        return text[1:]
    return text


def neutralise_row(row: Iterable[Any]) -> list[Any]:
    return [neutralise_cell(v) for v in row]


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]], *, lineterminator: str = "\n") -> str:
    """A table as CSV text ("\\n" line ends unless told, None as empty), every text cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=lineterminator)
    writer.writerow(neutralise_row(header))
    for row in rows:
        writer.writerow(neutralise_row(row))
    return out.getvalue()


def is_our_number(value: Any) -> bool:
    """Numbers we computed are written as numbers; everything else (even "12") is text."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def set_xlsx_row(cells: Iterable[Any]) -> None:
    """Make every non-number cell of a just-appended openpyxl row plain text, never a formula.

    openpyxl turns any string starting with "=" into a formula; forcing the type to string stores the
    characters as written. quotePrefix also keeps Excel from re-reading the cell as a formula when a
    reader edits it. (The value is not changed, so the sheet shows exactly what was coded.)
    """
    for cell in cells:
        value = cell.value
        if value is None or isinstance(value, (int, float, bool)):  # ours: numbers and flags stay typed
            continue
        if not isinstance(value, str):
            cell.value = value = str(value)
        cell.data_type = "s"
        if _needs_quote(value):
            cell.quotePrefix = True
