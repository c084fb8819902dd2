"""The wei-qual console script of the Python running the tests (never another install found on PATH)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

_beside = Path(sys.executable).parent / "wei-qual"
SCRIPT = str(_beside) if _beside.exists() else (shutil.which("wei-qual") or str(_beside))
