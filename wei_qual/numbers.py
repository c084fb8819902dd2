"""Numbers read from text anyone may have written: files, packets, answers typed at a prompt."""

from __future__ import annotations


def whole_number(text: str, *, digits: int = 9) -> int | None:
    """The number `text` writes in at most `digits` ASCII digits, else None.

    str.isdigit() alone also accepts "²" and other scripts' digits, which int() refuses or reads as
    ASCII digits, and int() refuses more than 4,300 digits: each was a traceback on crafted input."""
    return int(text) if 0 < len(text) <= digits and text.isascii() and text.isdigit() else None
