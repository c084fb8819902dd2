"""Bytes to text for every text-based reader: BOMs, UTF-8, binary and empty files, one-line errors."""

from __future__ import annotations

import codecs
import re

from ..charsets import (
    LATIN,
    line_at,
    mac_roman_evidence,
    mac_roman_note,
    mac_roman_reason,
    utf16_note,
    utf16_without_bom,
)
from ..errors import TranscriptError

# Text codecs Python knows that are not a file's character set: "undefined" fails on every byte, and the
# escape codecs read backslash sequences, so a file could hold text no other reader can store.
_NOT_CHARSETS = {"undefined", "unicode_escape", "raw_unicode_escape"}


def check_encoding(encoding: str | None) -> None:
    """Raise TranscriptError when --encoding names no character set Python knows (also a codec that is
    not one, such as base64 or zlib, which turn bytes into bytes)."""
    if encoding is None:
        return
    try:
        info = codecs.lookup(encoding)
        known = info._is_text_encoding and info.name.replace("-", "_") not in _NOT_CHARSETS
    except LookupError:
        known = False
    if not known:
        raise TranscriptError(
            f'Unknown encoding "{encoding}" given with --encoding. Use a name such as utf-8, cp1252 or latin-1.'
        )


def check_not_empty(data: bytes, name: str) -> None:
    if not data:
        raise TranscriptError(
            f'"{name}" is empty (0 bytes). Export the transcript again, or leave the file out.'
        )


def _binary(name: str, what: str, line: int, sheet: bool) -> TranscriptError:
    if sheet:  # most often a workbook (.xlsx, .ods, .xls) given where its CSV export was meant
        return TranscriptError(
            f'"{name}", line {line}: a NUL {what[:-1]}, which no CSV file holds: this is a spreadsheet '
            'workbook or another binary file, or a damaged one. Save the sheet as "CSV UTF-8" and pass that file.'
        )
    return TranscriptError(
        f'"{name}" looks like a binary file, not text (it contains NUL {what}). '
        f"Export the transcript as .txt, .docx or .vtt."
    )


def _mac_roman(
    data: bytes, name: str, encoding: str, notes: list[str] | None, *, given: bool = True
) -> str | None:
    """`data` read as Mac Roman, with a note in `notes`, when its bytes show it is Mac Roman and not
    `encoding` (charsets.mac_roman_evidence); without `notes`, that is a TranscriptError naming the
    --encoding to pass. None when nothing shows it."""
    if codecs.lookup(encoding).name not in LATIN:
        return None
    found = mac_roman_evidence(data, encoding)
    if found is None:
        return None
    at, theirs, mac = found
    line = line_at(data, at)
    if notes is None:
        what = encoding if given else f"UTF-8 or {encoding}"
        raise TranscriptError(
            f'"{name}", line {line}: this looks like Mac Roman text (a Mac\'s "Western (Mac OS Roman)"), not '
            f"{what}: {mac_roman_reason(encoding, theirs, mac)}. Pass "
            "--encoding mac_roman for it, or re-save it as UTF-8."
        )
    notes.append(mac_roman_note(name, encoding, line, theirs, mac))
    return data.decode("mac_roman")


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_text(
    data: bytes,
    name: str,
    encoding: str | None = None,
    *,
    sheet: bool = False,
    notes: list[str] | None = None,
) -> str:
    """Decode a text file and normalise line ends to \\n, or raise TranscriptError.

    UTF-8, UTF-8 with BOM and UTF-16 with BOM are always read; anything else is an error that suggests
    --encoding cp1252 (the usual Windows export). A given encoding is the fallback for files that are not
    valid UTF-8, so one batch can mix UTF-8 and cp1252 files: cp1252 would silently turn UTF-8 "é" into
    "Ã©", while cp1252 text with accents is practically never valid UTF-8.
    UTF-16 without a BOM and Mac Roman read as cp1252 (or Latin-1, or as nothing given) are told where
    their bytes show it (wei_qual.charsets): with `notes` (a CSV table) the file is read so and a note
    says it; without, it is refused with the --encoding to pass.
    `sheet`: the file is a CSV table (the attributes file), and the messages say what to do with one.
    """
    check_not_empty(data, name)
    has_bom = data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if encoding is not None and (has_bom or (b"\x00" not in data and _is_utf8(data))):
        encoding = None  # a BOM, or valid UTF-8, says what the file is
    if (
        b"\x00" in data
        and not has_bom
        and (encoding is None or not codecs.lookup(encoding).name.startswith("utf-16"))
        and (utf16 := utf16_without_bom(data)) is not None
    ):
        if notes is None:
            order = "little" if utf16.endswith("le") else "big"
            raise TranscriptError(
                f'"{name}" is UTF-16 text ({order}-endian) without a byte-order mark, told by its NULs at every '
                f"other byte. Pass --encoding {utf16}, or re-save it as UTF-8."
            )
        notes.append(utf16_note(name, utf16))
        encoding = utf16
    if encoding is None:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"  # the codec reads and drops the BOM
        elif b"\x00" in data:
            raise _binary(name, "bytes", line_at(data, data.find(b"\x00")), sheet)
        else:
            encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as ex:
        line = line_at(data, ex.start)
        if encoding in ("utf-8-sig", "utf-8"):
            text = _mac_roman(data, name, "cp1252", notes, given=False)
            if text is None:
                raise TranscriptError(
                    f'"{name}" is not UTF-8 (first bad byte on line {line}). '
                    f"Re-save it as UTF-8, or pass --encoding cp1252."
                ) from None
        else:
            text = _mac_roman(data, name, encoding, notes)
            if text is None:
                raise TranscriptError(
                    f'"{name}" cannot be decoded as {encoding} (first bad byte on line {line}). '
                    f"Re-save it as UTF-8, or pass the right --encoding."
                ) from None
    else:
        if encoding not in ("utf-8-sig", "utf-16"):  # a given encoding: Mac Roman may be read as cp1252
            text = _mac_roman(data, name, encoding, notes) or text
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        raise _binary(name, "characters", text.count("\n", 0, text.find("\x00")) + 1, sheet)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        if sheet:
            raise TranscriptError(f'"{name}" contains only whitespace. Give it a header row, then its rows.')
        raise TranscriptError(
            f'"{name}" contains only whitespace, no transcript text. Export the transcript again, '
            f"or leave the file out."
        )
    return text


# What a copy of a coloured terminal log leaves in a text file: its escape sequences (`\x1b[31mDana\x1b[0m:`;
# CSI, OSC ended by BEL or ST, two-character escapes), formatting as a caption's <b> is, taken out wherever
# they are. Kept, they hid a speaker label (the turn went to the speaker before).
_ESCAPE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]?|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[ -/]*[0-~]?)|\x9b[0-?]*[ -/]*[@-~]?"
)
# Other controls (C0 but tab and form feed, which marks pdftotext's pages; C1; the bidi embeddings,
# overrides and isolates) and invisible marks (zero-width space, LRM, RLM, word joiner, BOM, Arabic letter
# mark) are taken out only at a label's edges: a line's start and before a colon. Inside the text they
# stay as they were (LRM and RLM order mixed Hebrew or Arabic and English; a listing shows a control as
# an escape); the joiners ZWJ and ZWNJ are spelling (Persian, emoji) and always stay.
_EDGE = "\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\u200e\u200f\u2060\ufeff\u061c"
_EDGES = re.compile(rf"^([ \t]*)[{_EDGE}]+|(?<![{_EDGE}])[{_EDGE}]+(?=[ \t]*[:：])")
_ANY = re.compile(f"[{_EDGE}]")  # ESC (\x1b) and CSI (\x9b) are among them


# What was taken out, for the warning to name it (a BOM alone is files joined, not a terminal log).
_KINDS = {
    "\ufeff": "bom",
    "\u200b": "mark",
    "\u200e": "mark",
    "\u200f": "mark",
    "\u2060": "mark",
    "\u061c": "mark",
}
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str) -> tuple[str, list[int], frozenset[str]]:
    """`text` less terminal escape sequences and the controls and invisible marks at a label's edges, the
    (1-based) lines they were taken from, for a warning (a label holding them is read as the label), and
    the kinds taken out: "escape", "bom", "mark" (zero-width and direction marks), "bidi", "control"."""
    if _ANY.search(text) is None:  # the usual file: one scan in C
        return text, [], frozenset()
    lines = text.split("\n")
    changed = []
    kinds: set[str] = set()

    def edge(m: re.Match) -> str:
        lead = m.group(1) or ""
        for ch in m.group()[len(lead) :]:
            kinds.add(_KINDS.get(ch) or ("bidi" if _BIDI.match(ch) else "control"))
        return lead

    for i, line in enumerate(lines):
        if _ANY.search(line) is None:
            continue
        unescaped = _ESCAPE.sub("", line)
        if unescaped != line:
            kinds.add("escape")
        clean = _EDGES.sub(edge, unescaped)
        if clean != line:
            lines[i] = clean
            changed.append(i + 1)
    return "\n".join(lines), changed, frozenset(kinds)
