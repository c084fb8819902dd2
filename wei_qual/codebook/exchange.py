"""Codebook export from a project version, and .qdc import to a YAML file (wei_qual.export does formats)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..errors import ExportError
from ..safeio import write_text_atomic
from .dump import codebook_to_yaml
from .parse import parse_codebook_text
from .versions import get_version


def export_version(
    db: Database, fmt: str, path: Path, *, version: int | None = None
) -> tuple[int, list[str]]:
    """Write a stored version (default: active) to `path` in `fmt`; return the version number and
    warnings.

    A .qdc gets the project's code GUIDs, the same as `project export` writes.
    """
    from ..export import export_codebook
    from ..export.codetree import Guids
    from ..store import get_setting

    number, codebook = get_version(db, version)
    guids = Guids.for_project(get_setting(db, "project_id") or "unknown")
    return number, export_codebook(codebook, fmt, Path(path), guids=guids)


def import_qdc_file(source: Path, dest: Path) -> tuple[int, list[str]]:
    """Convert a .qdc codebook to a wei-qual YAML file; return (number of codes, warnings).

    Raises ExportError when the source cannot be read, or if the result would not validate (nothing written).
    """
    from ..export.qdc import read_qdc

    dest = Path(dest)
    if not dest.parent.exists():
        raise ExportError(f'Folder "{dest.parent}" does not exist. Create it, or pass another -o path.')
    result = read_qdc(Path(source))
    header = (
        f"Imported from {Path(source).name} by wei-qual codebook import.\n"
        f"Review names, ids and definitions, then: wei-qual codebook validate {dest.name}"
    )
    text = codebook_to_yaml(result.codebook, header=header)
    problems = parse_codebook_text(text, str(dest), patterns=False).problems
    if problems:
        raise ExportError(f"The imported codebook does not validate ({problems[0]}). Please report it.")
    write_text_atomic(dest, text)
    return len(result.codebook.codes), result.warnings
