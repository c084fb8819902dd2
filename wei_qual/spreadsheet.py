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
from itertools import compress, count, repeat
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


_FIRST = frozenset((*TRIGGERS, QUOTE))  # a cell starting otherwise never needs a quote
_FIRST_CHARS = tuple(_FIRST)


def neutralise_row(row: Iterable[Any]) -> list[Any]:
    # neutralise_cell inlined: a segment x code matrix is about a million cells, nearly all numbers.
    return [QUOTE + v if isinstance(v, str) and v[:1] in _FIRST and _needs_quote(v) else v for v in row]


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]], *, lineterminator: str = "\n") -> str:
    """A table as CSV text ("\\n" line ends unless told, None as empty), every text cell neutralised."""
    return "".join(_csv_lines([neutralise_row(header), *_neutralised_rows(rows)], lineterminator))


def csv_lines(rows: Iterable[Sequence[Any]]) -> list[str]:
    """Each row as its own CSV line ending in "\\n", every text cell neutralised: csv_text's rows without
    the header, one string per row, for a caller that appends cells it made itself."""
    return _csv_lines(_neutralised_rows(rows), "\n")


def _csv_lines(rows: Sequence[Sequence[Any]], lineterminator: str) -> list[str]:
    """Each row as a CSV line. A row with a cell holding a carriage return is quoted whole: Python's csv
    leaves such a cell bare unless the line ends hold one, and spreadsheets read a bare one as a row's
    end, so the rest of the cell would start a row of its own, unneutralised."""
    lines: list[str] = []
    csv.writer(_Lines(lines.append), lineterminator=lineterminator).writerows(rows)
    if "\r" not in lineterminator:
        for i, line in enumerate(lines):
            if "\r" in line:
                out = io.StringIO()
                csv.writer(out, lineterminator=lineterminator, quoting=csv.QUOTE_ALL).writerow(rows[i])
                lines[i] = out.getvalue()
    return lines


class _Lines:
    """A file for csv.writer that keeps each written row as one string (the writer writes a row at once)."""

    def __init__(self, write):
        self.write = write


def _neutralised_rows(rows: Iterable[Sequence[Any]]) -> list[Sequence[Any]]:
    """Every row with its text cells neutralised: the same cells as neutralise_row on every row.

    A segment x code matrix is about a million cells, nearly all numbers: the types of each column are
    read at C speed (set(map(type, column))), a column of plain strings is searched for a first character
    that may need a quote with str.startswith at C speed, and only a row with a cell to change is copied.
    Rows of unequal length go row by row."""
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows or len(set(map(len, rows))) != 1:
        return [neutralise_row(row) for row in rows]
    changed: dict[int, list[Any]] = {}
    for j, column in enumerate(zip(*rows)):
        kinds = set(map(type, column))
        if kinds == {str}:
            suspects = compress(count(), map(str.startswith, column, repeat(_FIRST_CHARS)))
        elif any(issubclass(kind, str) for kind in kinds):
            suspects = (i for i, v in enumerate(column) if isinstance(v, str) and v[:1] in _FIRST)
        else:
            continue
        for i in suspects:
            value = column[i]
            if _needs_quote(value):
                row = changed.get(i)
                if row is None:
                    row = changed[i] = list(rows[i])
                row[j] = QUOTE + value
    return [changed.get(i, row) for i, row in enumerate(rows)] if changed else rows


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


# ------------------------------------------------------------------ reading CSV files that people saved

DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
DELIMITER_NAMES = {"comma": ",", "semicolon": ";", "tab": "\t", "\\t": "\t", **{d: d for d in DELIMITERS}}


def detect_delimiter(text: str, expected: Sequence[str] = ()) -> str:
    """The delimiter of a CSV file from its header row: the one that splits it into the most `expected`
    column names (case-insensitive), then into the most columns; a comma when nothing tells.

    Excel writes ";" in locales where the comma is the decimal mark (most of Europe) and a tab in its
    "Unicode text" format, so all three are tried; csv.Sniffer guesses badly on a header row alone.
    """
    first = next(iter(io.StringIO(text, newline="")), "")
    wanted = {name.casefold() for name in expected}
    best, best_score = ",", (-1, -1)
    for delimiter in DELIMITERS:
        try:
            header = next(csv.reader([first], delimiter=delimiter), [])
        except csv.Error:
            continue
        names = {h.strip().casefold() for h in header}
        score = (len(names & wanted), len(header))
        if score > best_score:
            best, best_score = delimiter, score
    return best if best_score[1] > 1 else ","


def delimiter_of(name: str) -> str:
    """A --delimiter value (",", ";", "tab", "\\t", "|", or a name) as the character; raise ValueError."""
    try:
        return DELIMITER_NAMES[name.strip().lower() if len(name.strip()) > 1 else name]
    except KeyError:
        raise ValueError(name) from None
