"""Cells bound for spreadsheets: text never becomes a live formula (CSV and XLSX injection).

Every CSV writer passes its rows through csv_text / neutralise_row, and the XLSX writer through
set_xlsx_row. Following OWASP, a text cell starting with = + - @ TAB or CR (or full-width ＝ ＋ － ＠)
gets a leading apostrophe in CSV, so Excel, LibreOffice and Google Sheets show it as text. A cell that already starts with an apostrophe
before one of those (or before another apostrophe) gets one more, so restore_cell (used by `decisions import`)
undoes exactly what neutralise_cell did and an exported file re-imports unchanged.

The same holds after a ";" or a line break inside a cell: Excel in a locale whose list separator is ";"
(German, French, ...) splits our comma CSVs at every ";" and ends a row at every line break, quotes or
not, so the text after one starts a cell of its own ("note;=HYPERLINK(...)" became a live formula).
Quoting the field does not help there: Excel honours a quote only at the start of a cell as it splits
it, and a field of a comma CSV starts mid-cell for it. So a formula sign after one gets the apostrophe
too ("note;'=HYPERLINK(...)"), except "-" or "+" before ")" (the wink ";-)", which starts no formula).
"""

from __future__ import annotations

import csv
import io
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import compress, count, islice, repeat
from typing import Any

from .textmatch import INVISIBLE

# OWASP's list, and the full-width forms of its signs, which a spreadsheet may take for them when it
# reads a CSV in an East Asian locale (as its input method converts them when typed).
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
QUOTE = "'"

# A formula sign after a ";" or a line break inside a cell (see above), with the apostrophe rule of a
# cell's start: one before a sign or before another apostrophe gets one more, so restore_cell undoes it.
_SIGN = r"(?:(?![-+]\))[=+\-@\t\r\uff1d\uff0b\uff0d\uff20])"
_INNER = re.compile(rf"([;\n\r])(?={_SIGN}|'(?:{_SIGN}|'))")  # no lookbehind: it was tried at every character
_INNER_QUOTED = re.compile(rf"([;\n\r])'(?={_SIGN}|')")


def _needs_quote(text: str) -> bool:
    first = text[:1]
    return first in TRIGGERS or (first == QUOTE and text[1:2] in (*TRIGGERS, QUOTE))


def neutralise_cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as text: "'" + text when it would start a formula.

    Numbers and None are returned unchanged (they are ours, and stay numbers).
    """
    if isinstance(value, str):
        if _INNER.search(value):
            value = _INNER.sub(r"\1" + QUOTE, value)
        if _needs_quote(value):
            return QUOTE + value
    return value


def restore_cell(text: str) -> str:
    """The inverse of neutralise_cell, for files coming back from a spreadsheet."""
    if text[:1] == QUOTE and text[1:2] in (*TRIGGERS, QUOTE):
        text = text[1:]
    return _INNER_QUOTED.sub(r"\1", text) if QUOTE in text else text


_FIRST = frozenset((*TRIGGERS, QUOTE))  # a cell starting otherwise never needs a quote
_FIRST_CHARS = tuple(_FIRST)


def neutralise_row(row: Iterable[Any]) -> list[Any]:
    # neutralise_cell inlined: a segment x code matrix is about a million cells, nearly all numbers.
    return [neutralise_cell(v) if isinstance(v, str) and _suspect(v) else v for v in row]


def _suspect(text: str) -> bool:
    """A cell neutralise_cell may change: a first character that may need a quote, or a ";" or a line
    break before a formula sign (one regex search, at C speed)."""
    return text[:1] in _FIRST or _INNER.search(text) is not None


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
            first = map(str.startswith, column, repeat(_FIRST_CHARS))
            suspects = compress(count(), map(operator.or_, first, map(bool, map(_INNER.search, column))))
        elif any(issubclass(kind, str) for kind in kinds):
            suspects = (i for i, v in enumerate(column) if isinstance(v, str) and _suspect(v))
        else:
            continue
        for i in suspects:
            value = column[i]
            new = neutralise_cell(value)
            if new is not value:
                row = changed.get(i)
                if row is None:
                    row = changed[i] = list(rows[i])
                row[j] = new
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


# Excel's own hint, a first line "sep=;" (written by tools that export for Excel, and typed so that Excel
# opens a file with another separator than its locale's): it names the separator, and is not the header.
_SEP_LINE = re.compile(r"sep=([,;\t|])[ \t]*(?:\r\n|\r|\n)", re.IGNORECASE)


def separator_line(text: str) -> str | None:
    """The separator an Excel "sep=" first line names, or None."""
    found = _SEP_LINE.match(text)
    return found[1] if found else None


def detect_delimiter(text: str, expected: Sequence[str] = ()) -> str:
    """The delimiter of a CSV file from its header row: the one that splits it into the most `expected`
    column names (case-insensitive), then into the most columns; a comma when nothing tells. A first
    line "sep=;" says it.

    Excel writes ";" in locales where the comma is the decimal mark (most of Europe) and a tab in its
    "Unicode text" format, so all three are tried; csv.Sniffer guesses badly on a header row alone.
    """
    named = separator_line(text)
    if named is not None:
        return named
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


# Invisible marks text pasted from a web page or Word brings into a cell (textmatch.INVISIBLE: a zero-width
# space, word joiner, BOM, LRM, soft hyphen ...): at a cell's edges they are never meant, and kept they
# made "P01" and "P01\u200b" two ids, as str.strip() takes out a no-break space but not them.
_EDGES = re.compile(rf"^(?:\s|{INVISIBLE.pattern})+|(?:\s|{INVISIBLE.pattern})+$")


def trimmed(cell: str) -> str:
    """`cell` without whitespace or invisible marks at its edges."""
    return cell.strip() if cell.isascii() else _EDGES.sub("", cell)


class CsvFormatError(ValueError):
    """A CSV file that cannot be read as a table without losing something; the message names the file
    and line, and what to do."""


class CsvTable:
    """A CSV file people saved, read strictly where a lenient reader would lose data without a word.

    `header` holds the first row's cells, trimmed (the row after an Excel "sep=" line, whose separator
    is then the file's). `records()` yields (the line a record starts on, its
    cells), blank records left out, and raises CsvFormatError for a quote that is never closed (it would
    swallow every row after it), text after a closing quote, a header naming a column twice, and a value
    beyond the header's columns or under a header cell left empty. A row shorter than the header is
    yielded as it is: whether the missing cells matter is the caller's to say. `quote` shows a value
    from the file in a message (wei_qual.errors.quoted: it may be transcript text).
    """

    def __init__(self, name: str, text: str, delimiter: str, *, quote: Callable[[str], str]) -> None:
        named = separator_line(text)
        delimiter = named or delimiter
        self.name, self.text, self.delimiter, self.quote = name, text, delimiter, quote
        self._reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        try:
            if named is not None:
                next(self._reader)  # the line counts: messages name the lines of the file
            first = next(self._reader, [])
        except csv.Error as ex:
            raise self._error(ex, 1 if named is None else 2) from None
        self.header_line = self._reader.line_num or 1
        self.header = [trimmed(h) for h in first]
        self.width = max((i + 1 for i, h in enumerate(self.header) if h), default=0)  # to the last name

    def records(self) -> Iterator[tuple[int, list[str]]]:
        self._check_header()
        reader, header, width = self._reader, self.header, self.width
        unnamed = [i for i, h in enumerate(header[:width]) if not h]
        start = reader.line_num + 1
        try:
            for record in reader:
                line, start = start, reader.line_num + 1
                if len(record) > width or unnamed:
                    self._check_cells(line, record, unnamed)
                if any(cell.strip() for cell in record):
                    yield line, record
        except csv.Error as ex:
            raise self._error(ex, start) from None

    def _check_header(self) -> None:
        seen: dict[str, int] = {}
        for i, h in enumerate(self.header):
            if not h:
                continue
            j = seen.setdefault(h.casefold(), i)
            if j != i:
                raise CsvFormatError(
                    f'"{self.name}", line {self.header_line}: columns {j + 1} and {i + 1} are both named {self.quote(h)}, so one '
                    "would be read and the other lost. Rename or delete one of them."
                )

    def _check_cells(self, line: int, record: list[str], unnamed: list[int]) -> None:
        lost = [i for i in range(self.width, len(record)) if record[i].strip()]
        if lost:
            sep = DELIMITERS.get(self.delimiter, self.delimiter)
            raise CsvFormatError(
                f'"{self.name}", line {line}: {len(record)} cells, but the header names {self.width} columns, so '
                f"cell {lost[0] + 1} would be lost. A cell holding a {sep} must be in double quotes; or name "
                "the extra column in the header."
            )
        for i in unnamed:
            if i < len(record) and record[i].strip():
                raise CsvFormatError(
                    f'"{self.name}", line {line}: column {i + 1} has a value but no name in the header (line '
                    f"{self.header_line}). Name the column, or delete its values."
                )

    def _error(self, ex: csv.Error, start: int) -> CsvFormatError:
        lines = islice(io.StringIO(self.text, newline=""), start - 1, None)
        found = broken_quote(lines, start, self.delimiter)
        where = f'"{self.name}", line'
        twice = 'write a quote inside a cell as "" (two quotes)'
        if found is None and "field limit" in str(ex):  # the only other error of a strict reader
            return CsvFormatError(
                f"{where} {start}: a cell of more than {csv.field_size_limit():,} characters, more than is read here "
                "(a spreadsheet's cell holds at most 32,767). Check that it is the right file, or shorten the cell."
            )
        if found is None:
            return CsvFormatError(f"{where} {start}: not a readable CSV file ({ex}). Check the file.")
        opened, broke = found
        if broke is None:
            return CsvFormatError(
                f'{where} {opened}: a quote (") opened on this line is never closed, so every line after it '
                f"would be read into one cell. Close the quote, or {twice}."
            )
        if broke > opened:
            return CsvFormatError(
                f'{where} {opened}: a quote (") opened on this line is still open on line {broke}, so the lines '
                f"between would be read into one cell. Close the quote, or {twice}."
            )
        return CsvFormatError(
            f'{where} {opened}: a cell goes on after its closing quote ("). Quote the whole cell, and {twice}.'
        )


def broken_quote(lines: Iterable[str], first: int, delimiter: str) -> tuple[int, int | None] | None:
    """Where the CSV records starting at line `first` break as Python's strict csv finds: (the line of
    the quote that opened the cell at fault, the line where text follows its closing quote, or None
    when it is never closed); None when no quote is at fault."""
    # From quote to quote with str.find, not character by character: a cell of 100 MB (the file limit)
    # took 25 s of Python here before its error was said.
    breaks = (delimiter, "\r", "\n")
    in_quote = closed = False
    at_start = True
    opened = first
    n = first - 1
    for n, line in enumerate(lines, start=first):
        i, end = 0, len(line)
        while i < end:
            if in_quote:
                j = line.find('"', i)
                if j < 0:
                    break
                if line.startswith('"', j + 1):
                    i = j + 2  # a quote written twice is one quote in the cell
                    continue
                in_quote, closed, i = False, True, j + 1
            elif closed:
                if line[i] not in breaks:
                    return opened, n
                closed, at_start, i = False, True, i + 1
            else:
                j = line.find('"', i)
                if j < 0:
                    at_start = line[-1] in breaks
                    break
                if j == i and at_start or j > i and line[j - 1] in breaks:
                    in_quote, opened = True, n
                at_start, i = False, j + 1
    return (opened, None) if in_quote else None
