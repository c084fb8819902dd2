"""Tables and the formats they are written in: terminal, CSV, Markdown, JSON and XLSX.

Every report builds `Table`s; these writers turn them into text or files. openpyxl is imported
inside write_xlsx so the CLI starts fast.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..controls import escape_controls, md_text_escaped
from ..errors import ReportError
from ..safeio import write_bytes_atomic, write_text_atomic
from ..spreadsheet import csv_text, set_xlsx_row

FORMATS = ("table", "csv", "md", "json", "xlsx")
_SUFFIXES = {".csv": "csv", ".md": "md", ".markdown": "md", ".json": "json", ".xlsx": "xlsx"}


class Fixed(float):
    """A number written with a fixed number of decimals ("0.250", "1.000") in every text format, and
    stored as a plain number in JSON and XLSX: the way papers print α and Jaccard indices."""

    digits: int

    def __new__(cls, value: float, digits: int = 3):
        number = super().__new__(cls, value)
        number.digits = digits
        return number

    def __repr__(self) -> str:
        return f"{float(self):.{self.digits}f}"

    __str__ = __repr__


@dataclass
class Table:
    """A rectangular table: `name` is the sheet name, `title` a heading for Markdown and the terminal.

    `kinds` and `priority` tell the terminal how to lay out a column on a narrow screen (see
    wei_qual.cli.tables: kind id/number/text/long/prose, priority 0 = never gives way); columns not
    named are numbers when every value is one, ids when they come first, else text.
    """

    name: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    notes: list[str] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)
    priority: dict[str, int] = field(default_factory=dict)


class Report(Protocol):
    """What every report result offers the writers."""

    def to_json(self) -> dict: ...
    def data_tables(self) -> list[Table]: ...  # every number in its own column: XLSX sheets, CSV (first)
    def display_tables(self) -> list[Table]: ...  # the reading layout: terminal and Markdown


WARNINGS_HEADING = "Before using these numbers"  # as the HTML report heads them


def render_text(report: Report, fmt: str, warnings: Sequence[str] = ()) -> str:
    """A report as csv, md or json text. `warnings`, what the numbers leave out (said on stderr), go
    into the JSON (`warnings`) and at the top of the Markdown; a CSV stays a bare table."""
    if fmt == "csv":
        own = getattr(report, "csv_text", None)  # a report can write its own CSV faster (the matrix)
        return own() if own is not None else to_csv(report.data_tables()[0])
    if fmt == "md":
        return warnings_markdown(warnings) + to_markdown(report.display_tables())
    if fmt == "json":
        return to_json({**report.to_json(), "warnings": list(warnings)})
    raise ValueError(f"not a text format: {fmt}")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def warnings_markdown(warnings: Sequence[str]) -> str:
    """A note block above the tables: a shared file says what its numbers leave out."""
    if not warnings:
        return ""
    items = "".join(f"> - {md_escape(_sentence(w))}\n" for w in warnings)
    return f"> **{WARNINGS_HEADING}**\n>\n{items}\n"


def resolve_format(
    fmt: str | None, output: Path | None, *, default: str = "table", formats: tuple[str, ...] = FORMATS
) -> str:
    """The format to write: --format, else the -o suffix, else `default`; `formats`: those the command
    writes ("table" being the terminal). Raises ReportError."""
    files = [f for f in formats if f != "table"]
    suffixes = ", ".join(f".{f}" for f in files[:-1]) + f" or .{files[-1]}"
    if fmt is None:
        fmt = _SUFFIXES.get(output.suffix.lower(), default) if output is not None else default
        if output is not None and fmt == "table":
            raise ReportError(
                f'Cannot tell the format of "{output}" from its suffix. '
                f"Pass --format {'|'.join(files)}, or name the file {suffixes}."
            )
        if output is not None and fmt not in formats:
            raise ReportError(
                f'Cannot write "{output}": this command writes {suffixes} files, not .{fmt}. '
                f"Name the file {suffixes}, or pass --format {'|'.join(files)}."
            )
    if fmt not in formats:
        raise ReportError(f'Unknown format "{fmt}". Pass --format {"|".join(formats)}.')
    if fmt == "table" and output is not None:
        raise ReportError(
            f'--format table prints to the terminal and cannot be written to "{output}". '
            f"Pass --format {'|'.join(files)}, or drop -o."
        )
    if fmt == "xlsx" and output is None:
        raise ReportError("XLSX is a binary format and needs a file. Pass -o FILE.xlsx.")
    return fmt


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)  # shortest round-trip form: 60.0, 33.3, 0.25
    return str(value)


def to_csv(table: Table) -> str:
    """One table as plain UTF-8 CSV text (no BOM; "\\n" line ends; empty cells for None).

    Text that a spreadsheet would run as a formula is neutralised (wei_qual.spreadsheet), and control
    characters are shown as escapes ("\\x1b"), as in every format but JSON (wei_qual.controls).
    """
    # None as "", numbers as str() writes them; no control character is CSV syntax ("\n" line ends).
    return escape_controls(csv_text(table.columns, table.rows))


_MD_SPECIAL = str.maketrans({ch: "\\" + ch for ch in "\\|<*`"})


def md_escape(value: Any) -> str:
    """A Markdown table cell: backslash, pipe, <, * and backtick escaped (so `<script>` stays text), a
    link's or image's `](` broken (`![x](http://…)` in a quote would load or link that address wherever
    the file is shown; `[inaudible]` stays as written), line breaks and tabs folded into spaces, control
    characters shown as escapes. "&lt;" stays as written, and a link definition opening the text is escaped:
    used as a paragraph (a methods passage, a table's note, a warning), "[1]: http://…" would be a hidden
    link definition that a "![x][1]" anywhere in the file loads as an image."""
    text = escape_controls(_cell_text(value).translate(_MD_SPECIAL)).replace("](", "]\\(")
    return md_text_escaped(" ".join(text.split()))


def to_markdown(tables: list[Table], *, headings: bool = True) -> str:
    """Tables as GitHub-flavoured Markdown, numeric columns right-aligned, each under a `###` title."""
    parts = []
    for table in tables:
        lines = []
        if headings and table.title:
            lines += [f"### {md_escape(table.title)}", ""]
        numeric = [
            bool(table.rows) and all(isinstance(r[i], (int, float)) or r[i] is None for r in table.rows)
            for i in range(len(table.columns))
        ]
        lines.append("| " + " | ".join(md_escape(c) for c in table.columns) + " |")
        lines.append("|" + "|".join("---:" if n else "---" for n in numeric) + "|")
        for row in table.rows:
            lines.append("| " + " | ".join(md_escape(v) for v in row) + " |")
        for note in table.notes:
            lines += ["", md_escape(note)]
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


def to_json(data: Any) -> str:
    """Plain JSON text (UTF-8 kept readable, 2-space indent, no markup)."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _sheet_title(name: str, used: set[str]) -> str:
    # Excel sheet names: at most 31 characters, none of []:*?/\ and unique in the workbook.
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "Sheet"
    title, k = base, 2
    while title.lower() in used:
        title = f"{base[:28]}~{k}"
        k += 1
    used.add(title.lower())
    return title


@contextlib.contextmanager
def _numpy_kept_out() -> Iterator[None]:
    """While openpyxl loads, numpy cannot be imported, unless something has loaded it already.

    openpyxl imports numpy, when it is installed, only to accept numpy numbers in cells: about 0.07 s of
    CPU, an eighth of `report themes -o themes.xlsx`. Reports give it Python numbers (a numpy float is a
    float; a process that computed with numpy has loaded it before any sheet is written)."""
    if "numpy" in sys.modules:
        yield
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  # `import numpy` raises ImportError
    try:
        yield
    finally:
        if sys.modules.get("numpy", 0) is None:
            del sys.modules["numpy"]


XLSX_CELL_CHARS = 32_767  # the most characters Excel holds in a cell; openpyxl cuts longer text silently
CUT_MARK = " [… cut here: Excel holds 32,767 characters in a cell]"


class _Cuts:
    """Text cells longer than Excel holds, cut with a visible mark, and counted per sheet and column so
    the file and stderr can say which were cut (a whole text is in the CSV or JSON)."""

    def __init__(self) -> None:
        self.found: dict[tuple[str, str], list[int]] = {}

    def fit(self, sheet: str, column: str, value: Any) -> Any:
        if isinstance(value, str) and len(value) > XLSX_CELL_CHARS:
            self.found.setdefault((sheet, column), []).append(len(value))
            return value[: XLSX_CELL_CHARS - len(CUT_MARK)] + CUT_MARK
        return value

    def warnings(self, fmt_hint: str) -> list[str]:
        return [
            f'{len(sizes)} {"cell" if len(sizes) == 1 else "cells"} of column "{escape_controls(column)}" on sheet '
            f'"{sheet}" {"holds" if len(sizes) == 1 else "hold"} more than the 32,767 characters Excel '
            f'keeps in a cell (the longest {max(sizes):,}): cut there, ending in "[… cut here"; {fmt_hint} '
            "holds the whole text"
            for (sheet, column), sizes in self.found.items()
        ]


def csv_long_cells(rows: Iterable[Sequence[Any]]) -> str | None:
    """What to say with a CSV holding a text longer than Excel keeps in a cell (a monologue, a long policy
    section): the file has it whole, but Excel cuts it without a word when it opens the file. None when
    no cell is that long."""
    sizes = [len(v) for row in rows for v in row if isinstance(v, str) and len(v) > XLSX_CELL_CHARS]
    if not sizes:
        return None
    n = len(sizes)
    return (
        f"{n} {'cell' if n == 1 else 'cells'} of the CSV {'holds' if n == 1 else 'hold'} more than the 32,767 "
        f"characters Excel keeps in a cell (the longest {max(sizes):,}): the file has {'it' if n == 1 else 'them'} "
        "whole, but Excel cuts such a cell without a word when it opens the file. Open it with LibreOffice, R or "
        "Python, or write .xlsx, which marks where it cuts."
    )


def write_xlsx(tables: list[Table], path: Path, warnings: Sequence[str] = ()) -> list[str]:
    """One sheet per table, bold frozen header row, numbers stored as numbers and everything else as
    text (never a formula); the tables' notes, after the `warnings`, on a last sheet. Returns what was
    cut to fit Excel (also on the notes sheet), for the caller to say. Raises WriteError."""
    with _numpy_kept_out():
        from openpyxl import Workbook
        from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    cuts = _Cuts()
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.name, used))
        # XLSX cannot hold control characters; shown as escapes ("\\x1b"), as in every other format.
        sheet.append([escape_controls(str(c)) for c in table.columns])
        set_xlsx_row(sheet[1])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        fit = cuts.fit
        for row in table.rows:
            sheet.append(
                [
                    fit(sheet.title, c, escape_controls(v)) if isinstance(v, str) else v
                    for c, v in zip(table.columns, row)
                ]
            )
            set_xlsx_row(sheet[sheet.max_row])
            for cell, value in zip(sheet[sheet.max_row], row):
                if isinstance(value, Fixed):  # shown with its decimals, stored as a number
                    cell.number_format = "0." + "0" * value.digits if value.digits else "0"
        sheet.freeze_panes = "A2"
        for i, column in enumerate(table.columns, start=1):
            width = max([len(str(column))] + [len(_cell_text(r[i - 1])) for r in table.rows[:200]])
            sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(max(width + 2, 8), 60)
    cut = cuts.warnings("the CSV or JSON of this report")
    notes = [("(all sheets)", f"{WARNINGS_HEADING}: {_sentence(w)}") for w in [*warnings, *cut]]
    notes += [(table.name, note) for table in tables for note in table.notes]
    if notes:  # what the numbers are (the source counted, the participants): kept with the file
        sheet = workbook.create_sheet(_sheet_title("notes", used))
        sheet.append(["sheet", "note"])
        for row in notes:
            sheet.append([escape_controls(v) for v in row])
            set_xlsx_row(sheet[sheet.max_row])
        sheet.column_dimensions["B"].width = 120
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_file(path, buffer.getvalue())
    return cut


def write_listing_xlsx(
    path: Path,
    name: str,
    title: str,
    columns: list[str],
    rows: Iterable[Sequence[Any]],
    note: str,
    warnings: Sequence[str] = (),
) -> list[str]:
    """A listing's CSV rows (retrieve's segments, search's hits, the memos) as a one-sheet workbook for a
    co-author, text never a formula, with `note` (what it lists, how many) and the `warnings` on the notes
    sheet. Returns what was cut to fit Excel, for the caller to say. Raises WriteError."""
    cells = [[None if v == "" else v for v in row] for row in rows]  # an empty cell, not an empty text
    return write_xlsx([Table(name, title, columns, cells, [note])], path, warnings)


def write_file(path: Path, data: str | bytes) -> None:
    """Write a whole file through the shared atomic, private writer (wei_qual.safeio). Raises WriteError."""
    if isinstance(data, str):
        write_text_atomic(path, data)
    else:
        write_bytes_atomic(path, data)


def write_report(report: Report, fmt: str, path: Path, warnings: Sequence[str] = ()) -> list[str]:
    """Write a report to a file in csv, md, json or xlsx (all tables, one sheet each), with the
    `warnings` in all but CSV (render_text). Returns new warnings about the file (text cut to fit
    Excel), for the caller to say. Raises ReportError."""
    if fmt == "xlsx":
        return write_xlsx(report.data_tables(), path, warnings)
    write_file(path, render_text(report, fmt, warnings))
    return []
