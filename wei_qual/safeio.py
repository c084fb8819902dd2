"""Safe file output and zip input, shared by every command.

Every file wei-qual writes goes through atomic_writer (or atomic_path for SQLite files): a new file with a
random name beside the target, created O_EXCL with mode 0600, flushed and fsynced, then renamed over the
target. A crash or a full disk leaves the old file untouched and no temporary file; a symlink at the target
is replaced, never followed, and a target that is a project database this process opened (or its -wal or
-shm) is refused. Users' input files are read with read_input, which refuses a named pipe or a device
before reading. Zip containers (.docx, .qdpx) are opened with open_zip, which refuses zip bombs before a
byte is inflated.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import zipfile
import zlib
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, BinaryIO

from .controls import escape_breaks
from .errors import WeiQualError, WriteError

MODE = 0o600  # outputs hold transcript text or identifiers: readable by their owner only (DESIGN §7)

# Zip limits (docs/security.md). Python's zipfile never inflates past a member's declared size, so
# checking the declared sizes up front bounds memory whatever the compressed stream holds.
MAX_ZIP_MEMBER_BYTES = 200 * 1024 * 1024
MAX_ZIP_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_ZIP_RATIO = 100  # real .docx XML compresses about 10:1; a bomb 1000:1 and more
RATIO_FLOOR_BYTES = 1024 * 1024  # small members may compress well (blank padding) and cannot hurt
MAX_ZIP_MEMBERS = 10_000


# ------------------------------------------------------------------ reading


def file_kind(mode: int) -> str:
    """What a file that is not a regular one is, for a message: "a named pipe", "a device"..."""
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def not_a_file(path: Path | str, mode: int, error: type[WeiQualError]) -> WeiQualError:
    """The one-line refusal of a path that is a named pipe, a device or a socket (its st_mode)."""
    return error(
        f'"{path}" is {file_kind(mode)}, not a file: it was not read (reading it could wait or run for ever). '
        "Pass a regular file."
    )


# Files that are tables or lists a person keeps (decisions, attributes, a codebook, an allowlist) are
# read whole: far past what a real one holds, a file is the wrong one, and reading it would take the
# machine's memory (a 3 GB file given as a decisions CSV was a MemoryError traceback).
MAX_DECISIONS_BYTES = 500_000_000  # a decisions export of 500,000 rows is about 100 MB
MAX_TABLE_BYTES = 100_000_000  # codebooks (YAML, .qdc), allowlists
# An attributes CSV has a row per participant, speaker or document: a study's thousands are well under
# 1 MB. Its rows are held through the whole ingest, some 1.5 KB of memory each: a 100 MB file of short
# rows took 1.7 GB and two minutes. 20 MB is 20 times the largest real sheet (ingest.attributes also
# bounds the rows).
MAX_ATTRIBUTES_BYTES = 20_000_000


def too_large(path: Path | str, limit: int, what: str, advice: str = "Check that it is the right file."):
    """The `too_large` message of read_input for a file of `what` ("a decisions file") over `limit`."""
    return lambda size: (
        f'"{path}" is {size / 1e6:,.0f} MB, more than the {limit / 1e6:,.0f} MB {what} may have here: it was '
        f"not read. {advice}"
    )


def require_file(
    path: Path | str,
    *,
    error: type[WeiQualError] = WeiQualError,
    max_bytes: int | None = None,
    what: str = "a file",
) -> None:
    """Refuse a path that, after its symlinks, is a named pipe, a device or a socket, before a reader that
    opens the path itself (zip, SQLite, XML) would block on it or read it for ever; with max_bytes, also a
    larger file (`what` names it in the message). A missing path or a folder is left to the reader's own
    message."""
    try:
        info = os.stat(path)
    except OSError:
        return
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
        raise not_a_file(path, info.st_mode, error)
    if max_bytes is not None and stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
        raise error(too_large(path, max_bytes, what)(info.st_size))


def read_input(
    path: Path | str,
    *,
    error: type[WeiQualError] = WeiQualError,
    max_bytes: int | None = None,
    too_large: Callable[[int], str] | None = None,
) -> bytes:
    """The bytes of a user's input file, as path.read_bytes() gives them, except that a named pipe, a
    device or a socket (after symlinks) is refused with `error` before a byte is read: a pipe would block
    for ever and /dev/zero never end. With max_bytes, a larger file is refused with `error` and the
    message too_large(its size) before a byte is read too (a file growing while read, once it passes the
    bound). A folder raises IsADirectoryError and other failures their OSError, for the caller's own
    message."""
    # O_NONBLOCK: opening a named pipe without a writer would otherwise wait for one.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        if not stat.S_ISREG(mode):
            raise not_a_file(path, mode, error)
        size = os.fstat(fd).st_size
        if max_bytes is not None and size > max_bytes:
            raise error(too_large(size) if too_large else f'"{path}" is larger than {max_bytes:,} bytes.')
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as handle:
        if max_bytes is None:
            return handle.read()
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:  # it grew after the check
        raise error(too_large(len(data)) if too_large else f'"{path}" is larger than {max_bytes:,} bytes.')
    return data


# ------------------------------------------------------------------ writing

# Project databases this process opened (wei_qual.store.open_db registers them): an output named like one
# of them, or its -wal, -shm or -journal, would replace the project itself.
_PROJECTS: set[str] = set()
_SIDE_FILES = ("-wal", "-shm", "-journal")


def protect_project(path: Path | str) -> None:
    """Refuse from now on any output whose target is this database or one of its side files."""
    _PROJECTS.add(os.path.realpath(path))


def _check_not_a_project(path: Path, option: str) -> None:
    if not _PROJECTS or path.is_symlink():  # a symlink at the target is replaced, never followed
        return
    name = os.path.join(os.path.realpath(path.parent), path.name)
    for project in _PROJECTS:
        if not os.path.exists(project):
            continue
        for side in ("", *_SIDE_FILES):
            own = project + side
            if name == own or (os.path.exists(path) and os.path.exists(own) and os.path.samefile(path, own)):
                what, harm = ("the", "replace") if not side else (f"the {side} file of the", "damage")
                raise WriteError(
                    f'"{path}" is {what} project database this command is using: writing there would {harm} '
                    f"the project. Pass another {option}."
                )


def check_target(path: Path | str, option: str = "-o") -> None:
    """Refuse a target that is a folder, a device or a pipe (as /dev/null is), the project database, or
    whose folder is missing or a file, with one line. Every write checks it; a command with long work
    before its write (search's first indexing) checks it first too, so a bad -o wastes nothing."""
    path = Path(path)
    if path.is_dir() and not path.is_symlink():
        raise WriteError(f'"{path}" is a folder. Pass a file name with {option}.')
    if path.exists() and not path.is_file():  # the new file would replace the device or pipe itself
        raise WriteError(
            f'"{path}" is a device or a pipe, not a file: a file written there would take its place. '
            f"Pass a file name with {option}."
        )
    parent = path.parent
    if not parent.exists():
        raise WriteError(f'Folder "{parent}" does not exist. Create it, or pass another {option}.')
    if not parent.is_dir():
        raise WriteError(f'"{parent}" is a file, not a folder. Pass another {option}.')
    _check_not_a_project(path, option)


def _new_temp(path: Path) -> tuple[int, Path]:
    """Create an empty private file with an unguessable name beside `path`; return (fd, its path)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(20):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
        try:
            fd = os.open(tmp, flags, MODE)
        except FileExistsError:  # astronomically unlikely, or planted: draw another name
            continue
        os.fchmod(fd, MODE)  # exactly 0600, whatever the umask
        return fd, tmp
    raise FileExistsError(f"no free temporary name beside {path}")


def _discard(tmp: Path) -> None:
    """Remove a temporary file and any SQLite side files of it."""
    for leftover in (tmp, *(tmp.with_name(tmp.name + s) for s in ("-journal", "-wal", "-shm"))):
        with contextlib.suppress(OSError):
            leftover.unlink()


def _commit(tmp: Path, path: Path, *, overwrite: bool, option: str) -> None:
    """Move the finished temporary file over the target (a symlink there is replaced, not followed)."""
    if overwrite:
        os.replace(tmp, path)
    else:
        try:
            os.link(tmp, path)  # fails if anything, even a dangling symlink, is at the target
        except FileExistsError:
            raise WriteError(
                f'"{path}" already exists. Choose another {option}, or delete the old file first.'
            ) from None
        except OSError:  # a file system without hard links
            if os.path.lexists(path):
                raise WriteError(
                    f'"{path}" already exists. Choose another {option}, or delete the old file first.'
                ) from None
            os.replace(tmp, path)
        else:
            os.unlink(tmp)
    with contextlib.suppress(OSError):  # make the rename itself durable where the platform allows
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _write_error(path: Path, ex: OSError, option: str) -> WriteError:
    reason = ex.strerror or type(ex).__name__
    return WriteError(
        f'Cannot write "{path}" ({reason}); nothing was changed. Free some space or fix the folder, '
        f"or pass another {option}."
    )


@contextlib.contextmanager
def atomic_path(path: Path | str, *, overwrite: bool = True, option: str = "-o") -> Iterator[Path]:
    """Yield the path of a new, empty, private temporary file beside `path`; on success move it over
    `path`. For writers that need a file name (SQLite, zip). Raises WriteError; on any error the
    temporary file (and its SQLite side files) is removed and the old target left untouched.
    """
    path = Path(path)
    check_target(path, option)
    if not overwrite and os.path.lexists(path):
        raise WriteError(f'"{path}" already exists. Choose another {option}, or delete the old file first.')
    try:
        fd, tmp = _new_temp(path)
        os.close(fd)
    except OSError as ex:
        raise _write_error(path, ex, option) from ex
    try:
        yield tmp
        for side in ("-journal", "-wal"):
            if tmp.with_name(tmp.name + side).exists():  # the writer must leave one self-contained file
                raise WriteError(f'Writing "{path}" left a {side[1:]} file behind. Please report it.')
        _commit(tmp, path, overwrite=overwrite, option=option)
    except OSError as ex:
        _discard(tmp)
        raise _write_error(path, ex, option) from ex
    except BaseException:
        _discard(tmp)
        raise


@contextlib.contextmanager
def atomic_writer(
    path: Path | str, *, binary: bool = False, overwrite: bool = True, option: str = "-o"
) -> Iterator[IO[Any]]:
    """Write a whole file atomically and privately: yields a file object (UTF-8 text without newline
    translation, or binary). `option` names the flag in messages (-o, --key). Raises WriteError.
    """
    path = Path(path)
    check_target(path, option)
    if not overwrite and os.path.lexists(path):
        raise WriteError(f'"{path}" already exists. Choose another {option}, or delete the old file first.')
    try:
        fd, tmp = _new_temp(path)
    except OSError as ex:
        raise _write_error(path, ex, option) from ex
    try:
        handle = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _commit(tmp, path, overwrite=overwrite, option=option)
    except OSError as ex:
        _discard(tmp)
        raise _write_error(path, ex, option) from ex
    except BaseException:
        _discard(tmp)
        raise


def write_text_atomic(path: Path | str, text: str, *, overwrite: bool = True, option: str = "-o") -> None:
    """Write UTF-8 text (newlines as given) through atomic_writer. Raises WriteError."""
    with atomic_writer(path, overwrite=overwrite, option=option) as handle:
        handle.write(text)


def write_bytes_atomic(path: Path | str, data: bytes, *, overwrite: bool = True, option: str = "-o") -> None:
    """Write bytes through atomic_writer. Raises WriteError."""
    with atomic_writer(path, binary=True, overwrite=overwrite, option=option) as handle:
        handle.write(data)


def write_texts_atomic(files: Sequence[tuple[Path | str, str, str]]) -> None:
    """Write several UTF-8 files as one change: each is written and synced to its temporary file before
    any replaces its target, so a full disk changes none of them. `files` holds (path, text, option).
    Raises WriteError naming the file that failed.
    """
    with contextlib.ExitStack() as stack:
        for path, text, option in files:
            tmp = stack.enter_context(atomic_path(path, option=option))
            fd = os.open(tmp, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())


# ------------------------------------------------------------------ zip input


# What reading a zip member raises when its bytes are damaged (a download cut short, a flipped bit on a
# stick): a bad checksum or local header, a broken deflate stream, one that ends early, or a compression
# method the header claims and no reader knows.
DAMAGED_ZIP = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError)


def zip_damage(ex: BaseException) -> str:
    """What a DAMAGED_ZIP exception means, in words: its type name tells a user nothing (zlib's is "error")."""
    if isinstance(ex, NotImplementedError):
        return "it is encrypted or packed in a way zip readers do not know"
    return "it does not unpack to what the archive says it holds"


def check_zip(
    archive: zipfile.ZipFile,
    *,
    what: str,
    error: type[WeiQualError] = WeiQualError,
    streamed: Collection[str] = (),
) -> None:
    """Refuse a zip whose members would inflate past the limits (a zip bomb), before reading any.

    Members named in `streamed` are read as a stream, never whole (a .qdpx's project.qde): they may be as
    large as the whole archive's limit; the ratio limit still applies to them."""
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise error(
            f'"{what}" holds {len(members):,} files (limit {MAX_ZIP_MEMBERS:,}); it is not a document '
            "wei-qual can read safely. Check the file."
        )
    names: set[str] = set()
    for member in members:  # which of two parts of one name is meant: tools and readers disagree
        name = member.filename.casefold()
        if name in names:
            raise error(
                f'"{what}" holds two parts named "{escape_breaks(member.filename)}", so what it holds cannot be told. '
                "Check where the file came from, and export it again."
            )
        names.add(name)
    total = 0
    for member in members:
        size = member.file_size
        total += size
        ratio = size / max(member.compress_size, 1)
        limit = MAX_ZIP_TOTAL_BYTES if member.filename in streamed else MAX_ZIP_MEMBER_BYTES
        if size > limit or (size > RATIO_FLOOR_BYTES and ratio > MAX_ZIP_RATIO):
            raise error(
                f'"{what}": part "{escape_breaks(member.filename)}" would unpack to {size / 2**20:,.0f} MB '
                f"({ratio:,.0f} times its packed size; limits {limit // 2**20} MB and "
                f"{MAX_ZIP_RATIO}x). It looks like a zip bomb and was not read. Check where the file came from."
            )
    if total > MAX_ZIP_TOTAL_BYTES:
        raise error(
            f'"{what}" would unpack to {total / 2**20:,.0f} MB in all (limit {MAX_ZIP_TOTAL_BYTES // 2**20} MB). '
            "It was not read. Check the file."
        )


def open_zip(
    source: Path | str | bytes | BinaryIO, *, what: str, error: type[WeiQualError] = WeiQualError
) -> zipfile.ZipFile:
    """Open a zip (a path, bytes or a binary file) after check_zip; raise `error` for a bad or unsafe one.

    `what` is the name shown in messages (the user's file name).
    """
    import io

    if isinstance(source, (bytes, bytearray)):
        source = io.BytesIO(source)
    elif isinstance(source, (str, os.PathLike)):
        require_file(source, error=error)
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as ex:
        raise error(
            f'"{what}" is not a readable zip archive ({ex}). It may be damaged or another format.'
        ) from None
    except OSError as ex:
        raise error(f'"{what}" cannot be read ({ex.strerror}). Check the path.') from None
    try:
        check_zip(archive, what=what, error=error)
    except BaseException:
        archive.close()
        raise
    return archive
