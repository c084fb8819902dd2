"""Opening a .qdpx zip: the project's own messages for a missing or non-zip file, then the shared zip-bomb
limits of wei_qual.safeio (the .qdpx is written by safeio's atomic writer, in export.py)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import ExportError
from ..safeio import check_zip, require_file


def open_zip(path: Path, *, what: str) -> zipfile.ZipFile:
    """Open a zip archive, or raise ExportError when it is not one or would unpack to too much."""
    path = Path(path)
    require_file(path, error=ExportError)
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
    try:
        # project.qde is read as a stream (qdpx/read.py): it may be as large as the whole archive may be.
        streamed = [n for n in archive.namelist() if "/" not in n and n.lower().endswith(".qde")]
        check_zip(archive, what=str(path), error=ExportError, streamed=streamed)
    except BaseException:
        archive.close()
        raise
    return archive
