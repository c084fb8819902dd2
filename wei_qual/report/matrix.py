"""The segment x code matrix for R, SPSS and Stata: one row per decided segment, one 0/1 column per code.

Columns: transcript, segment, speaker, one column per participant attribute (sorted by name; a speaker's
own attributes over the transcript's), text,
then every code of the codebook in document order. A parent theme's column is 1 when the theme or any
code under it was applied, as in the theme tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from .data import ReportData, paused_gc
from .writers import Table

FIXED = ["transcript", "segment", "speaker"]


@dataclass
class Matrix:
    source: str
    columns: list[str]
    rows: list[list]

    def table(self) -> Table:
        return Table("matrix", f"Segment x code matrix ({self.source})", self.columns, self.rows)

    def data_tables(self) -> list[Table]:
        return [self.table()]

    def display_tables(self) -> list[Table]:
        return [self.table()]

    def to_json(self) -> dict:
        return {
            "source": self.source,
            "columns": self.columns,
            "rows": [dict(zip(self.columns, r)) for r in self.rows],
        }


def _unique(name: str, used: set[str], prefix: str) -> str:
    # An attribute or code whose name clashes with another column gets a prefix, so every column is distinct.
    while name in used:
        name = prefix + name
    used.add(name)
    return name


@paused_gc()
def build_matrix(data: ReportData) -> Matrix:
    """One row per decided participant segment under the data's source."""
    attrs = sorted(
        {name for values in data.attributes.values() for name in values}
        | {name for values in data.speaker_attributes.values() for name in values}
    )
    code_ids = [c.id for c in data.codebook.codes]
    used = set(FIXED) | {"text"}
    attr_cols = [_unique(a, used, "attr_") for a in attrs]
    code_cols = [_unique(c, used, "code_") for c in code_ids]
    columns = FIXED + attr_cols + ["text"] + code_cols
    rows = []
    flags: dict[frozenset[str], list[int]] = {}  # distinct code set -> its 0/1 columns, worked out once
    attr_values = {p: [data.attributes_of(p).get(a) for a in attrs] for p in data.participants}
    segments = data.segments
    for key, applied in data.applied.items():
        row = segments[key]
        bits = flags.get(applied)
        if bits is None:
            bits = flags[applied] = [1 if c in applied else 0 for c in code_ids]
        rows.append([*key, row["speaker"], *attr_values[(key[0], row["speaker"])], row["text"], *bits])
    return Matrix(source=data.source, columns=columns, rows=rows)
