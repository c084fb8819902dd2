"""Codebooks: the YAML format, validation with line and column, versions in a project, and diffs.

Public API (other modules use these):
    load_codebook(path) -> Codebook                    raises CodebookError when invalid
    validate_codebook_file(path) -> list[Problem]      every problem, FILE:LINE:COLUMN: message
    load_into_project(db, path, *, force, actor) -> LoadResult
"""

from __future__ import annotations

from pathlib import Path

from ..errors import CodebookError, shell_path
from ..models import Codebook
from ..safeio import MAX_TABLE_BYTES, read_input, too_large
from .parse import ParsedCodebook, Problem, parse_codebook_text

__all__ = [
    "LoadResult",
    "ParsedCodebook",
    "Problem",
    "load_codebook",
    "load_into_project",
    "parse_codebook_file",
    "read_codebook_text",
    "validate_codebook_file",
]


def read_codebook_text(path: Path | str) -> str:
    """The exact text of a codebook file (no newline translation), or raise CodebookError."""
    path = Path(path)
    try:
        # a named pipe, a device or a file far larger than any codebook is refused unread
        data = read_input(
            path,
            error=CodebookError,
            max_bytes=MAX_TABLE_BYTES,
            too_large=too_large(path, MAX_TABLE_BYTES, "a codebook"),
        )
    except FileNotFoundError:
        raise CodebookError(f'Codebook file "{path}" does not exist. Check the path.') from None
    except IsADirectoryError:
        raise CodebookError(f'"{path}" is a folder, not a codebook file. Pass a .yaml file.') from None
    except OSError as ex:
        raise CodebookError(
            f'Codebook file "{path}" cannot be read ({ex.strerror}). Check its permissions.'
        ) from ex
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as ex:
        # Windows-1252 (Notepad, Word's "Plain text") writes é or curly quotes as bytes UTF-8 cannot read.
        line = data.count(b"\n", 0, ex.start) + 1
        column = len(data[data.rfind(b"\n", 0, ex.start) + 1 : ex.start].decode("utf-8", "replace")) + 1
        raise CodebookError(
            f'Codebook file "{path}" is not UTF-8: line {line}, column {column} (byte {ex.start + 1}) holds a '
            "character in another encoding (Windows-1252 curly quotes or accents, perhaps). Re-save the file "
            "as UTF-8."
        ) from ex


def parse_codebook_file(path: Path | str, *, patterns: bool = True) -> ParsedCodebook:
    """Parse and validate a file; problems are returned, not raised (CodebookError only if unreadable)."""
    return parse_codebook_text(read_codebook_text(path), str(path), patterns=patterns)


def validate_codebook_file(path: Path | str, *, patterns: bool = True) -> list[Problem]:
    """Every problem in a codebook file, in line order; empty when valid. `patterns` runs spaCy's checks."""
    return parse_codebook_file(path, patterns=patterns).problems


def load_codebook(path: Path | str, *, patterns: bool = False) -> Codebook:
    """Load a valid codebook file, or raise CodebookError naming the problem count and the first problem.

    Patterns are checked by spaCy only when `patterns=True` (it imports spaCy); `codebook load` does that.
    """
    parsed = parse_codebook_file(path, patterns=patterns)
    if parsed.problems:
        raise CodebookError(problems_message(path, parsed.problems))
    assert parsed.codebook is not None
    return parsed.codebook


def problems_message(path: Path | str, problems: list[Problem]) -> str:
    n = len(problems)
    return (
        f'Codebook "{path}" has {n} problem{"s" if n != 1 else ""}; the first: {problems[0]} '
        f'Run "wei-qual codebook validate {shell_path(path)}" to see all.'
    )


from .versions import LoadResult, load_into_project
