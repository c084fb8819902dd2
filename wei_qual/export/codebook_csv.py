"""Codebook as CSV: one row per code, lists joined with newlines (examples) or "; " (keywords)."""

from __future__ import annotations

import json
from pathlib import Path

from ..models import Codebook
from ..safeio import write_text_atomic
from ..spreadsheet import csv_text

COLUMNS = (
    "id",
    "name",
    "parent",
    "theme",
    "level",
    "definition",
    "include",
    "exclude",
    "examples",
    "atypical_examples",
    "keywords",
    "exclude_keywords",
    "patterns",
    "color",
    "exclusive",
    "exclusive_group",
)


def codebook_rows(codebook: Codebook) -> list[dict]:
    rows = []
    for code in codebook.codes:
        level, theme, parent = 0, code, code.parent
        while parent is not None:
            level += 1
            theme = codebook.code(parent)
            parent = theme.parent if theme else None
        group = code.parent if code.parent and codebook.code(code.parent).exclusive else ""
        rows.append(
            {
                "id": code.id,
                "name": code.name,
                "parent": code.parent or "",
                "theme": theme.id if theme else code.id,
                "level": level,
                "definition": code.definition.strip(),
                "include": code.include.strip(),
                "exclude": code.exclude.strip(),
                "examples": "\n".join(code.examples),
                "atypical_examples": "\n".join(code.atypical_examples),
                "keywords": "; ".join(code.keywords),
                "exclude_keywords": "; ".join(code.exclude_keywords),
                "patterns": json.dumps(list(code.patterns), ensure_ascii=False) if code.patterns else "",
                "color": code.color or "",
                "exclusive": "true" if code.exclusive else "false",
                "exclusive_group": group,
            }
        )
    return rows


def write_codebook_csv(codebook: Codebook, path: Path) -> None:
    """Write the CSV (formula-like cells neutralised) through the shared atomic writer."""
    rows = ([row[c] for c in COLUMNS] for row in codebook_rows(codebook))
    write_text_atomic(path, csv_text(COLUMNS, rows, lineterminator="\r\n"))
