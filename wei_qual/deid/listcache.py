"""The PII scanner's word lists, kept built between runs in one file of the user's cache folder.

Every scan first builds its word lists (names.py: Faker's first names and surnames, spaCy's English word
forms, and the sets made from them): about 0.15 s of CPU on one core before `ingest`'s workers can start.
The built sets are kept in `$XDG_CACHE_HOME/wei-qual/deid-lists.bin` (else `~/.cache/wei-qual/`) and
read back in a fraction of that. The file says what it was built from: names.py itself, Python's
version, and the size and time of every file of Faker and spacy-lookups-data the lists are read from;
when any of them differs, or the file cannot be read whole, the lists are built as before and the file
written again. Where the folder cannot be written the lists are simply built each time. The file holds
public word lists only, never a transcript's text; it is written atomically, owner-only.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

MAGIC = b"wei-qual deid lists 1\n"
FILE_NAME = "deid-lists.bin"

# The lists read from the file, by name; what a miss built joins them, and the file is written once
# every name of `complete` is there. Keyed by the inputs' signature, so a change in them is a miss.
_loaded: dict[bytes, dict[str, frozenset[str]]] = {}


def cache_dir() -> Path | None:
    """$XDG_CACHE_HOME/wei-qual, else ~/.cache/wei-qual; None when there is no home folder to use."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if os.path.isabs(base):
        return Path(base) / "wei-qual"
    try:
        return Path.home() / ".cache" / "wei-qual"
    except (RuntimeError, KeyError):  # no HOME and no password entry
        return None


@functools.cache
def _code_digest(path: str) -> bytes:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).digest()


def signature(code: str, packages: Iterable[tuple[str, Iterable[str]]]) -> bytes | None:
    """What the lists are built from: the source file `code`, Python's version, and the size and time
    of each (package, files inside it); None when a package cannot be located (the build then says
    what is missing, as without this file)."""
    import importlib.util

    try:
        code_digest = _code_digest(code)
    except OSError:
        return None
    digest = hashlib.sha256(MAGIC + sys.version.encode() + b"\0" + code_digest)
    for package, files in packages:
        try:
            spec = importlib.util.find_spec(package)
        except (ImportError, ValueError):  # ValueError: a module set to None in sys.modules
            return None
        if spec is None or not spec.submodule_search_locations:
            return None
        root = next(iter(spec.submodule_search_locations))
        for name in files:
            path = os.path.join(root, name)
            try:
                st = os.stat(path)
                state = f"{st.st_size}:{st.st_mtime_ns}"
            except OSError:
                state = "missing"
            digest.update(f"{package}/{name}={state}\n".encode())
    return digest.digest()


def kept(
    name: str,
    build: Callable[[], frozenset[str]],
    key: Callable[[], bytes | None],
    complete: Iterable[str],
) -> frozenset[str]:
    """The list `name`: read from the cache file when it was built from the same inputs (key()),
    else build() (then the file is written again once every name of `complete` is built)."""
    sig = key()
    if sig is None:
        return build()
    lists = _loaded.get(sig)
    if lists is None:
        lists = _loaded[sig] = _read(sig)
    value = lists.get(name)
    if value is not None:
        return value
    value = lists[name] = build()
    names = set(complete)
    if name in names and names <= lists.keys():
        _write(sig, {k: lists[k] for k in sorted(names)})
    return value


def _read(sig: bytes) -> dict[str, frozenset[str]]:
    """The lists of the cache file when it holds them for `sig`, whole; else none."""
    folder = cache_dir()
    if folder is None:
        return {}
    try:
        with open(folder / FILE_NAME, "rb") as handle:
            data = handle.read()
    except OSError:
        return {}
    head = len(MAGIC) + 64
    if not data.startswith(MAGIC) or data[len(MAGIC) : len(MAGIC) + 32] != sig:
        return {}
    payload = data[head:]
    if hashlib.sha256(payload).digest() != data[len(MAGIC) + 32 : head]:
        return {}  # cut short or damaged
    try:
        lists = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return {}
    if not isinstance(lists, dict) or not all(
        isinstance(k, str) and type(v) is frozenset for k, v in lists.items()
    ):
        return {}
    return lists


def _write(sig: bytes, lists: dict[str, frozenset[str]]) -> None:
    from ..errors import WeiQualError
    from ..safeio import write_bytes_atomic

    payload = marshal.dumps(lists)
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_bytes_atomic(
            folder / FILE_NAME, MAGIC + sig + hashlib.sha256(payload).digest() + payload, option="the cache"
        )
    except (OSError, WeiQualError):  # no cache: the lists are built each time, as before
        pass
