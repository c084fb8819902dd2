"""Coder names as people type them: one rule for every place a name comes in.

A name is trimmed, and matches a coder the project already has whatever its case ("Alice " is alice),
with a note saying so; a new name is kept as written. Pure: the caller passes the known names.
"""

from __future__ import annotations

from collections.abc import Iterable


def normalise_coder_name(name: str, known: Iterable[str]) -> tuple[str, str | None]:
    """(the name to store, a note when it was changed, else None). An empty result means no name."""
    trimmed = " ".join(name.split())
    known = list(known)
    if trimmed in known:
        return trimmed, (None if trimmed == name else f'coder "{name}" read as "{trimmed}" (spaces trimmed)')
    folded = [k for k in known if k.casefold() == trimmed.casefold()]
    if len(folded) == 1:
        return folded[0], f'coder "{name}" read as the existing coder "{folded[0]}" (names ignore case)'
    if trimmed != name:
        return trimmed, f'coder "{name}" read as "{trimmed}" (spaces trimmed)'
    return trimmed, None
