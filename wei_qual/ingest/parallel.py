"""Parse and PII-scan the files of a large ingest in worker processes, while this process stores them.

Reading a file (decoding, labels, roles) and scanning it for identifiers is most of ingest's time and
needs nothing from the project, so with several cores the files are prepared in parallel, in order,
a few ahead of the one being stored. Storing, and every check that reads the project (the same id in
the batch, roles a person set, unchanged content), stays in this process, in file order: the outcome
is exactly that of the one-by-one loop. Workers are forked (Linux), so they start with this process's
modules and the first-name list already loaded; elsewhere, and for small batches, ingest runs in one
process.
"""

from __future__ import annotations

import collections
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

MIN_FILES = 8  # fewer files: starting workers costs more than it saves
MAX_JOBS = 4
AHEAD = 2  # files prepared ahead per worker: bounds the memory held by finished, unstored files

# What a worker needs, set before the workers are forked (a forked child inherits it).
_TASK: Callable[[Path], Any] | None = None


def default_jobs() -> int:
    """Worker processes for a large ingest: the CPUs this process may use, at most MAX_JOBS; 1 where
    workers cannot be forked."""
    if sys.platform != "linux" or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_JOBS))


def _run(path: Path) -> tuple[bool, Any]:
    from ..errors import WeiQualError

    assert _TASK is not None
    try:
        return True, _TASK(path)
    except WeiQualError as ex:  # reported for this file, as the one-process loop does
        return False, ex


def prepared(task: Callable[[Path], Any], paths: list[Path], jobs: int) -> Iterator[tuple[bool, Any]]:
    """(True, task(path)) or (False, the WeiQualError it raised) for each path, in order, computed in
    `jobs` forked worker processes at most jobs * AHEAD paths ahead of the one being consumed."""
    global _TASK
    _TASK = task
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            yield from _in_order(pool, paths, jobs * AHEAD)
    finally:
        _TASK = None


def _in_order(pool: ProcessPoolExecutor, paths: Iterable[Path], ahead: int) -> Iterator[tuple[bool, Any]]:
    waiting: collections.deque = collections.deque()
    items = iter(paths)
    for path in items:
        waiting.append(pool.submit(_run, path))
        if len(waiting) >= ahead:
            break
    while waiting:
        done = waiting.popleft().result()
        nxt = next(items, None)
        if nxt is not None:
            waiting.append(pool.submit(_run, nxt))
        yield done
