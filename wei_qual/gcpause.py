"""paused_gc(): the cyclic garbage collector paused while a command builds a study's (acyclic) data."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# gc.freeze() is for a process that ends with its command: the wei-qual program sets this. Elsewhere (a
# notebook, the test suite) a reference cycle frozen with the data would never be collected.
FREEZE_IN_THIS_PROCESS = False


@contextmanager
def paused_gc(*, freeze: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector while a report or an agreement run builds its data.

    Reading a study makes a few hundred thousand small objects (rows, frozensets, tuples, units); with
    the collector on, it runs full passes over the growing heap again and again, which cost a fifth to a
    third of the time. Nothing built there forms a reference cycle, so pausing it frees nothing late.
    Usable as a decorator (`@paused_gc()`); nested pauses leave the collector to the outermost.

    freeze=True, for data kept until the command ends (a report's study): in the wei-qual program, what
    exists when the pause ends is moved out of the collector's sight (gc.freeze), so its first pass
    afterwards does not walk it all (25-40 ms of a report on a study). Objects are still freed when no
    longer referenced; only a reference cycle among them would wait for the end of the process."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if freeze and FREEZE_IN_THIS_PROCESS:
            gc.freeze()
        gc.enable()
