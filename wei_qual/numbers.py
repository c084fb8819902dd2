"""Numbers read from text anyone may have written: files, packets, answers typed at a prompt."""

from __future__ import annotations


def whole_number(text: str, *, digits: int = 9) -> int | None:
    """The number `text` writes in at most `digits` ASCII digits, else None.

    str.isdigit() alone also accepts "²" and other scripts' digits, which int() refuses or reads as
    ASCII digits, and int() refuses more than 4,300 digits: each was a traceback on crafted input."""
    return int(text) if 0 < len(text) <= digits and text.isascii() and text.isdigit() else None


def table_lemma(word: str, lemma: str) -> str:
    """`lemma`, the lemma table's entry for `word`, unless the table made a word a number: it makes an
    ordinal its number ("first" is "1", "second" "2", "seventy-second" "72"), so `search 2` listed every
    "second" and suggest's keyword "first responder" matched "1 responder". A word that is not a number is
    never one: it is then its own lemma. Search and suggest both take their lemmas through here."""
    return word if lemma.isdigit() and not word.isdigit() else lemma
