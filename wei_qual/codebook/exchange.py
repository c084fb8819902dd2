"""Codebook export from a project version, and .qdc import to a YAML file (wei_qual.export does formats)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..errors import ExportError, shell_path
from ..safeio import write_text_atomic
from .dump import codebook_to_yaml, written_by_wei_qual
from .parse import parse_codebook_text
from .versions import get_version


def _existing_text(path: Path) -> str | None:
    """The text of a regular file at `path`, None when there is none ("" when it is not UTF-8 text)."""
    if path.is_symlink() or not path.is_file():
        return None  # nothing, or something the atomic writer refuses with its own message
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return ""
    except OSError:
        return None  # unreadable: the write says why


def _refuse_hand_written(path: Path, how: str) -> ExportError:
    return ExportError(
        f'Codebook file "{path}" exists and is not a file wei-qual wrote: its comments, order and layout would '
        f"be lost. {how}, or pass --force to replace it."
    )


def check_yaml_replaceable(path: Path, db: Database | None, new_text: str | None = None) -> None:
    """Refuse (ExportError) to replace a YAML codebook someone wrote or edited by hand.

    wei-qual writes its YAML without the lead's layout (and with only the comments a stored version
    carries), so replacing the team's own file (`-o codebooks/study.yaml`) silently lost them. A file
    wei-qual wrote that nobody has changed may be replaced; with a project (`db`), only if what it holds
    is a stored version (an export of one, comments and all), so edits not yet loaded are not lost either.
    """
    text = _existing_text(path)
    if text is None or text == new_text:
        return
    quoted = shell_path(path)
    if db is not None and _an_export(db, text):
        return  # what `codebook export` wrote of a stored version, the lead's comments carried: nothing lost
    held = written_by_wei_qual(text)
    if db is None:
        if held is None or not text.startswith("# Imported from "):
            raise _refuse_hand_written(path, "Write to another file (-o) and copy what you need across")
        return
    if held is None:
        raise _refuse_hand_written(
            path,
            f'Write to another file (-o) and copy the changes across ("wei-qual codebook diff {quoted}" lists '
            "them)",
        )
    body = codebook_to_yaml(held)
    from ..store.codebooks import iter_codebook_versions

    if not any(codebook_to_yaml(get_version(db, row["id"])[1]) == body for row in iter_codebook_versions(db)):
        raise ExportError(
            f'Codebook file "{path}" holds changes that no version of this project has, and they would be lost. '
            f'Load it first ("wei-qual codebook load {quoted}"), write to another file (-o), or pass --force to '
            "replace it."
        )


def _an_export(db: Database, text: str) -> bool:
    """Whether `text` is exactly what `codebook export --format yaml` writes of some stored version."""
    from ..export.codebook_yaml import codebook_yaml_text
    from ..store.codebooks import iter_codebook_versions

    if not text.startswith("# Exported by wei-qual"):
        return False
    return any(
        codebook_yaml_text(get_version(db, row["id"])[1], _stored_text(db, row["id"])) == text
        for row in iter_codebook_versions(db)
    )


def export_version(
    db: Database, fmt: str, path: Path, *, version: int | None = None, force: bool = False
) -> tuple[int, list[str]]:
    """Write a stored version (default: active) to `path` in `fmt`; return the version number and
    warnings.

    A .qdc gets the project's code GUIDs, the same as `project export` writes. A YAML file that someone
    wrote or edited is not replaced unless `force` (see check_yaml_replaceable).
    """
    from ..export import export_codebook
    from ..export.codetree import Guids
    from ..store import get_setting

    number, codebook = get_version(db, version)
    if fmt == "yaml" and not force:
        check_yaml_replaceable(Path(path), db)
    guids = Guids.for_project(get_setting(db, "project_id") or "unknown")
    return number, export_codebook(codebook, fmt, Path(path), guids=guids, source=_stored_text(db, number))


def _stored_text(db: Database, version: int) -> str | None:
    from ..store.codebooks import get_codebook_row

    return (get_codebook_row(db, version) or {}).get("yaml")


def import_qdc_file(source: Path, dest: Path, *, force: bool = False) -> tuple[int, list[str]]:
    """Convert a .qdc codebook to a wei-qual YAML file; return (number of codes, warnings).

    Raises ExportError when the source cannot be read, if the result would not validate, or if `dest` is a
    YAML file wei-qual's import did not write and `force` is not given (nothing written).
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
    if not force:
        check_yaml_replaceable(dest, None, text)
    write_text_atomic(dest, text)
    return len(result.codebook.codes), result.warnings
