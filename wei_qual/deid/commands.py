"""The `deid scan` and `deid redact` commands a message suggests for a file: complete, so that they run
as printed (the ingest gate's refusal, `deid scan`'s findings). Light: only the stdlib."""

from __future__ import annotations

import shlex
from pathlib import Path

from ..errors import shell_path

# Redact writes text: these keep their suffix (and so how ingest reads them); a .docx, .odt, .rtf or
# .pdf is written as the .txt of its turns.
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".vtt", ".srt")
REDACTED_FOLDER = "redacted"


def _encoding(encoding: str | None) -> str:
    return f" --encoding {shlex.quote(encoding)}" if encoding else ""


def redacted_path(path: str | Path) -> str:
    """Where the suggested redact writes: redacted/NAME beside the current folder, as a text file."""
    path = Path(path)
    name = path.name if path.suffix.lower() in TEXT_SUFFIXES else f"{path.stem}.txt"
    return f"{REDACTED_FOLDER}/{name}"


def scan_command(path: str | Path, encoding: str | None = None) -> str:
    """`wei-qual deid scan FILE [--encoding E]`."""
    return f"wei-qual deid scan {shell_path(path)}{_encoding(encoding)}"


def redact_command(path: str | Path, encoding: str | None = None) -> str:
    """`wei-qual deid redact FILE -o redacted/FILE [--encoding E]`."""
    out = shlex.quote(redacted_path(path))
    return f"wei-qual deid redact {shell_path(path)} -o {out}{_encoding(encoding)}"
