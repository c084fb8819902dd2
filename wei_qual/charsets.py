"""Telling from a file's bytes two character sets that are otherwise read wrong without a word.

UTF-16 without a byte-order mark (some database and .NET tools write it): its NULs, at every other byte,
made it "a binary file". Mac Roman (Excel for Mac's "CSV (Macintosh)", TextEdit's "Western (Mac OS
Roman)") read as cp1252: its accented small letters are bytes 0x80-0x9F, which cp1252 reads as
punctuation and symbols (0x8E "é" as "Ž", 0x87 "á" as "‡", 0x96 "ñ" as "–") or not at all.
"""

from __future__ import annotations

import codecs
import re


def line_at(data: bytes, offset: int) -> int:
    """The 1-based line of `data` holding byte `offset`: lines end in LF or CRLF, or in CR alone (classic
    Mac OS, as Excel for Mac still ends a CSV's rows), where counting LFs said line 1 everywhere."""
    return (data.count(b"\n", 0, offset) or data.count(b"\r", 0, offset)) + 1


_SAMPLE = 4096  # bytes looked at for UTF-16's pattern: a CSV or transcript shows it from its first line


def utf16_without_bom(data: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when `data` is UTF-16 text without a BOM, else None.

    Told by its NULs: text in Latin, Greek or Cyrillic letters has a NUL as the high byte of most
    characters, so one of each pair of bytes (the second in little-endian, the first in big-endian) is
    NUL for half of the pairs at least and the other never is. A workbook or another binary file has NULs
    in both places; text in which no character is below U+0100 (all Chinese) is not told, and stays a
    binary file.
    """
    if len(data) % 2:
        return None
    sample = data[:_SAMPLE]
    first, second = sample[0::2], sample[1::2]
    for encoding, nuls, other in (("utf-16-le", second, first), ("utf-16-be", first, second)):
        if nuls.count(0) * 2 >= len(nuls) and 0 not in other:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            # Text, not numbers that happen to fit: no controls but line ends and tabs.
            return (
                encoding if text.replace("\n", "").replace("\r", "").replace("\t", "").isprintable() else None
            )
    return None


# What may follow a small letter in a word: a small letter, or an apostrophe, a quote, a dash, an ellipsis.
_IN_WORD_MARKS = frozenset("’‘'”“–—…™")
_AFTER_SMALL = re.compile(rb"[a-z]([\x80-\xff])")
# The encodings a Mac Roman file is mistaken for: cp1252 (which --encoding suggests) and Latin-1.
LATIN = frozenset({"cp1252", "iso8859-1", "iso8859-15"})


def _fits(char: str) -> bool:
    return char.islower() or char in _IN_WORD_MARKS


def _reading(encoding: str) -> list[str]:
    out = []
    for b in range(0x80, 0x100):
        # Latin-1's controls at 0x80-0x9F are nobody's text: a file passed as Latin-1 with such bytes is
        # cp1252 (as browsers read it), its ’ – “ ” no evidence of Mac Roman's í ñ ì î.
        read_as = "cp1252" if b < 0xA0 and encoding.startswith("iso8859") else encoding
        try:
            out.append(bytes([b]).decode(read_as))
        except UnicodeDecodeError:
            out.append("")
    return out


_MAC = _reading("mac_roman")
_READINGS: dict[str, list[str]] = {}


def mac_roman_evidence(data: bytes, encoding: str) -> tuple[int, str, str] | None:
    """(offset, what `encoding` reads, what Mac Roman reads) of the first byte that shows `data` is Mac
    Roman, not `encoding` (cp1252 or Latin-1); None when nothing does.

    Only bytes after a small letter (a-z) tell: there a letter or an in-word mark is expected. A byte
    Mac Roman reads so and `encoding` does not (a symbol, a capital, a byte it leaves undefined) is
    evidence; the file is Mac Roman when there is some and no byte after a small letter that `encoding`
    reads as such and Mac Roman does not (cp1252's "é", 0xE9, is Mac Roman's "È"). A word's first letter,
    or one after a capital, tells nothing: an all-capitals or all-ASCII file is not told. Nor does a symbol
    typed after a word (_typed_symbol): cp1252's "policy‡" or "days•nights" is no Mac Roman "á" or "ï".
    """
    name = codecs.lookup(encoding).name
    if name not in LATIN:
        return None
    other = _READINGS.get(name)
    if other is None:
        other = _READINGS[name] = _reading(name)
    found = None
    for m in _AFTER_SMALL.finditer(data):
        at = m.start(1)
        i = data[at] - 0x80
        if not _fits(_MAC[i]):
            return None  # Mac Roman reads this no better
        if found is None and not _fits(other[i]) and not _typed_symbol(other[i], data[at + 1 : at + 2]):
            found = (at, other[i], _MAC[i])
    return found


# Symbols a writer puts after a word (a footnote's dagger, a bullet, a section sign) that Mac Roman reads
# as a small letter (‡ á, • ï, § ß): no evidence at a word's end ("the policy‡", "see§4"), where Mac
# Roman's "está" is as likely; the bullet none anywhere ("days•nights"), Mac Roman's ï being rare.
_SEPARATORS = frozenset("•·")
_SMALL = frozenset(b"abcdefghijklmnopqrstuvwxyz")


def _typed_symbol(char: str, after: bytes) -> bool:
    return bool(char) and not char.isalpha() and (char in _SEPARATORS or not after or after[0] not in _SMALL)


def mac_roman_note(name: str, encoding: str, line: int, theirs: str, mac: str) -> str:
    """The note for a file read as Mac Roman: why, and how to make it plain."""
    return (
        f'"{name}" was read as Mac Roman (Excel for Mac\'s "CSV (Macintosh)"), not {encoding}: '
        f'on line {line} {mac_roman_reason(encoding, theirs, mac)}. Save it as "CSV UTF-8" to be sure.'
    )


def mac_roman_reason(encoding: str, theirs: str, mac: str) -> str:
    read = f'"{theirs}"' if theirs else "no character"
    return (
        f'{encoding} reads a byte in a word as {read} where Mac Roman reads "{mac}", and '
        f"nothing in the file reads better as {encoding}"
    )


def utf16_note(name: str, encoding: str) -> str:
    order = "little" if encoding.endswith("le") else "big"
    return (
        f'"{name}" was read as UTF-16 ({order}-endian) without a byte-order mark, told by its NULs at every '
        'other byte. Save it as "CSV UTF-8" to be sure.'
    )
