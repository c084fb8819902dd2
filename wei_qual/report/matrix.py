"""The segment x code matrix for R, SPSS and Stata: one row per decided segment, one 0/1 column per code.

Columns: transcript, segment, speaker, one column per --by attribute (the group, as every --by groups it),
one column per participant attribute (sorted by name; a speaker's own attributes over the transcript's),
text, then every code of the codebook in document order. A parent theme's column is 1 when the theme or any
code under it was applied, as in the theme tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..controls import escape_controls
from ..models import Where
from ..spreadsheet import csv_lines, csv_text
from .data import ReportData, paused_gc
from .writers import Table

FIXED = ["transcript", "segment", "speaker"]
_DIGITS = bytes.maketrans(b"\x00\x01", b"01")


@dataclass
class Matrix:
    """`rows` are made from `cells` (transcript ... text) and `flags` (the 0/1 code columns, one list
    shared by every row with the same codes) when first asked for: CSV needs only the parts."""

    source: str
    columns: list[str]
    cells: list[list]
    flags: list[list[int]]
    where: Where = field(default_factory=Where)  # --where: the participants whose segments are rows
    where_note: str = ""  # what --where kept, said first in the notes
    by: list[str] = field(default_factory=list)  # --by: the attributes whose group is a column

    @property
    def rows(self) -> list[list]:
        return [[*cells, *flags] for cells, flags in zip(self.cells, self.flags)]

    def table(self) -> Table:
        where = f", where {self.where.said()}" if self.where else ""
        return Table("matrix", f"Segment x code matrix ({self.source}{where})", self.columns, self.rows)

    def data_tables(self) -> list[Table]:
        table = self.table()
        table.notes = [self.where_note] * bool(self.where_note) + [
            (
                f"One row per decided participant segment (source: {self.source}); a code's column is 1 "
                "when it was applied, a theme's when it or any code under it was, else 0."
            )
        ]
        if self.by:
            table.notes.append(
                f"The {', '.join(self.columns[3 : 3 + len(self.by)])} column"
                f"{'s hold' if len(self.by) > 1 else ' holds'} the --by "
                "group (a value spelled several ways under one spelling, (missing) for none); the "
                "attribute's own column keeps the value as the attributes sheet has it."
            )
        return [table]

    def display_tables(self) -> list[Table]:
        return [self.table()]

    def to_json(self) -> dict:
        return {
            "source": self.source,
            **self.where.to_json(),  # where, where_not
            "by": self.by,
            "columns": self.columns,
            "rows": [dict(zip(self.columns, r)) for r in self.rows],
        }

    def csv_text(self) -> str:
        """The CSV of table() (tested), written without a million cells going through the CSV writer: a
        study's matrix is 18,000 rows by some 50 columns, nearly all of them 0/1 flags. The text cells
        are written and neutralised as in every CSV; each distinct row of flags, numbers we made, is
        formatted once and appended to its rows' lines."""
        if not self.flags or not self.flags[0]:  # no row, or a codebook without codes: text cells alone
            return escape_controls(csv_text(self.columns, self.cells))
        # Each distinct flags list (shared by its rows) once: 0/1 as bytes, translated to "0"/"1" at C speed.
        distinct = {id(flags): flags for flags in self.flags}
        formatted = {
            key: ",".join(bytes(flags).translate(_DIGITS).decode()) for key, flags in distinct.items()
        }
        lines = csv_lines(self.cells)
        text = csv_text(self.columns, []) + "".join(
            [line[:-1] + "," + formatted[id(flags)] + "\n" for line, flags in zip(lines, self.flags)]
        )
        return escape_controls(text)  # shown as escapes, as in to_csv: one pass at C speed


def unique_column(name: str, used: set[str], prefix: str) -> str:
    # An attribute or code whose name clashes with another column gets a prefix, so every column is distinct.
    while name in used:
        name = prefix + name
    used.add(name)
    return name


@paused_gc(freeze=True)
def build_matrix(data: ReportData, by: list[str] | None = None) -> Matrix:
    """One row per decided participant segment under the data's source; with `by`, a column per attribute
    holding the segment's --by group (data.group_of), before the attributes as the sheet has them, so that
    a statistics package groups on the one spelling (the attribute's own column keeps "Rural" apart from
    "rural"). Raises ReportError for an attribute no transcript has."""
    by = list(dict.fromkeys(by or []))
    data.check_attributes(by)
    attrs = sorted(
        {name for values in data.attributes.values() for name in values}
        | {name for values in data.speaker_attributes.values() for name in values}
    )
    code_ids = [c.id for c in data.codebook.codes]
    used = set(FIXED) | {"text"}
    by_cols = [unique_column(a, used, "by_") for a in by]  # "speaker" or "text" as an attribute
    attr_cols = [unique_column(a, used, "attr_") for a in attrs]
    code_cols = [unique_column(c, used, "code_") for c in code_ids]
    columns = FIXED + by_cols + attr_cols + ["text"] + code_cols
    cells, flags = [], []
    distinct: dict[frozenset[str], list[int]] = {}  # distinct code set -> its 0/1 columns, worked out once
    attr_values = {
        p: [*(data.group_of(p, a) for a in by), *map(data.attributes_of(p).get, attrs)]
        for p in data.participants
    }
    segments = data.segments
    for key, applied in data.applied.items():
        row = segments[key]
        bits = distinct.get(applied)
        if bits is None:
            bits = distinct[applied] = [1 if c in applied else 0 for c in code_ids]
        cells.append([*key, row["speaker"], *attr_values[(key[0], row["speaker"])], row["text"]])
        flags.append(bits)
    return Matrix(
        source=data.source,
        columns=columns,
        cells=cells,
        flags=flags,
        where=data.where,
        where_note=data.where_note(": the rows are their segments") if data.where else "",
        by=by,
    )
