"""A stored codebook version as a YAML codebook file (the format `codebook load` reads), drafts included,
with the comments of the version's own YAML text (codebook/comments.py)."""

from __future__ import annotations

from pathlib import Path

from ..codebook.comments import carried_yaml
from ..models import Codebook
from ..safeio import write_text_atomic

HEADER = "Exported by wei-qual codebook export. Edit it, then: wei-qual codebook load FILE"


def codebook_yaml_text(codebook: Codebook, source: str | None = None) -> str:
    """The text `codebook export --format yaml` writes; `source` is the version's stored YAML text."""
    return carried_yaml(codebook, header=HEADER, source=source)


def write_codebook_yaml(codebook: Codebook, path: Path, *, source: str | None = None) -> None:
    write_text_atomic(Path(path), codebook_yaml_text(codebook, source))
