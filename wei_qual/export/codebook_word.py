"""Codebook as a Word appendix: a heading and one table per theme (python-docx, imported on use)."""

from __future__ import annotations

import io
from pathlib import Path

from ..models import Codebook
from ..safeio import write_bytes_atomic
from .codebook_md import COLUMNS
from .common import examples_text, exclusive_note, path_name, themes


def write_codebook_docx(codebook: Codebook, path: Path) -> None:
    import docx  # python-docx: heavy, so only here

    document = docx.Document()
    document.core_properties.title = codebook.name
    document.add_heading(codebook.name, level=1)
    document.add_paragraph(f"Version: {codebook.version}")
    if codebook.description.strip():
        document.add_paragraph(" ".join(codebook.description.split()))
    for theme, rows in themes(codebook):
        document.add_heading(f"{theme.name} ({theme.id})", level=2)
        if theme.definition.strip():
            document.add_paragraph(" ".join(theme.definition.split()))
        table = document.add_table(rows=1, cols=len(COLUMNS))
        table.style = "Table Grid"
        for cell, title in zip(table.rows[0].cells, COLUMNS):
            cell.text = ""
            cell.paragraphs[0].add_run(title).bold = True
        notes = [exclusive_note(codebook, theme)] if theme.exclusive else []
        for code, _depth in rows:
            values = [
                code.id,
                path_name(codebook, code, theme) if code is not theme else code.name,
                code.definition.strip(),
                code.include.strip(),
                code.exclude.strip(),
                examples_text(code, sep="\n"),
            ]
            for cell, value in zip(table.add_row().cells, values):
                cell.text = value
            if code.exclusive and code is not theme:
                notes.append(f"{code.id}: {exclusive_note(codebook, code)}")
        for note in notes:
            document.add_paragraph(note)
    buffer = io.BytesIO()
    document.save(buffer)
    write_bytes_atomic(path, buffer.getvalue())
