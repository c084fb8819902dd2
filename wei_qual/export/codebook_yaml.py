"""A stored codebook version as a YAML codebook file (the format `codebook load` reads), drafts included."""

from __future__ import annotations

from pathlib import Path

from ..codebook.dump import codebook_to_yaml
from ..models import Codebook
from ..safeio import write_text_atomic


def write_codebook_yaml(codebook: Codebook, path: Path) -> None:
    header = "Exported by wei-qual codebook export. Edit it, then: wei-qual codebook load FILE"
    write_text_atomic(Path(path), codebook_to_yaml(codebook, header=header))
