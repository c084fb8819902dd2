"""Codebook exchange formats: a registry of exporters (format -> function) and the QDC importer.

Each exporter is `write(codebook, path) -> None` in its own module; heavy libraries (python-docx, lxml)
are imported inside the functions that need them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..models import Codebook
from .codebook_csv import write_codebook_csv
from .codebook_md import write_codebook_md
from .codebook_word import write_codebook_docx
from .codebook_yaml import write_codebook_yaml
from .codetree import Guids
from .common import XmlText
from .qdc import read_qdc, write_qdc

CODEBOOK_EXPORTERS: dict[str, Callable[[Codebook, Path], None]] = {
    "md": write_codebook_md,
    "csv": write_codebook_csv,
    "docx": write_codebook_docx,
    "qdc": write_qdc,
    "yaml": write_codebook_yaml,
}
CODEBOOK_IMPORTERS = {"qdc": read_qdc}

__all__ = ["CODEBOOK_EXPORTERS", "CODEBOOK_IMPORTERS", "export_codebook", "read_qdc", "write_qdc"]


def export_codebook(
    codebook: Codebook, fmt: str, path: Path, *, guids: Guids | None = None, source: str | None = None
) -> list[str]:
    """Write `codebook` to `path` in format `fmt` (a key of CODEBOOK_EXPORTERS) and return warnings, or
    raise ExportError.

    `guids` (a project's) makes a .qdc use the same code GUIDs as that project's .qdpx; `source` (the
    version's stored YAML text) gives a YAML export the lead's comments.
    """
    from ..errors import ExportError

    if fmt not in CODEBOOK_EXPORTERS:
        raise ExportError(
            f'Unknown codebook export format "{fmt}". Use one of: {", ".join(CODEBOOK_EXPORTERS)}.'
        )
    path = Path(path)
    if path.parent and not path.parent.exists():
        raise ExportError(f'Folder "{path.parent}" does not exist. Create it, or pass another -o path.')
    if path.is_dir():
        raise ExportError(f'"{path}" is a folder. Pass a file path with -o.')
    xml = XmlText()
    if fmt in ("qdc", "docx"):
        codebook = xml.codebook(codebook)
    if fmt == "qdc" and guids is not None:
        write_qdc(codebook, path, guids=guids)
    elif fmt == "yaml":
        write_codebook_yaml(codebook, path, source=source)
    else:
        CODEBOOK_EXPORTERS[fmt](codebook, path)
    warnings = [w] if (w := xml.warning()) else []
    if fmt == "qdc":  # said as import says it: `codebook import` names the file "Imported from ..."
        warnings.append(
            f"REFI-QDA's .qdc has no place for the codebook's own name, version label and description: {path.name} "
            "holds its codes only (each code's fields, draft and renamed_from lines are in its Description)."
        )
    return warnings
