"""Writing the .qdpx atomically and opening a .qdpx zip with limits.

TODO(safeio): replace write_bytes_atomic and open_zip with wei_qual.safeio's shared writer and zip checks
once they land; these local versions follow the same rules (0600, atomic, never through a symlink; 200 MB
uncompressed, ratio 100).
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path

from ..errors import ExportError

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a 0600 temporary file in the same folder and an atomic rename."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)  # replaces a symlink itself, never writes through it
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def open_zip(path: Path, *, what: str) -> zipfile.ZipFile:
    """Open a zip archive, or raise ExportError when it is not one or would unpack to too much."""
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ExportError(f'"{path}" does not exist. Check the path.') from None
    except IsADirectoryError:
        raise ExportError(f'"{path}" is a folder, not a {what}. Pass the file.') from None
    except (zipfile.BadZipFile, OSError):
        raise ExportError(
            f'"{path}" is not a {what} (not a zip archive). Export the project again as REFI-QDA .qdpx.'
        ) from None
    size = sum(i.file_size for i in archive.infolist())
    packed = sum(i.compress_size for i in archive.infolist())
    if size > MAX_UNCOMPRESSED or size > MAX_RATIO * max(packed, 1):
        archive.close()
        raise ExportError(
            f'"{path}" would unpack to {size / 1e6:.0f} MB from {packed / 1e6:.1f} MB, more than wei-qual reads '
            f"from a {what} (200 MB, 100 times its size). Check where the file came from."
        )
    return archive
