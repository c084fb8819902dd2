"""Characters that act on a terminal instead of showing: C0 and C1 controls other than newline and tab,
and the bidirectional embeddings, overrides and isolates, which can show a name or an id as another
(the "Trojan Source" reordering). The console, and every file written for people to read (CSV,
XLSX, Markdown, HTML and its charts), shows them as visible escapes (escape_controls); JSON, data for
scripts, keeps the text exact; names (transcript ids, coder names) may not hold them at all.
"""

from __future__ import annotations

import bisect
import itertools
import re
import shlex
from collections.abc import Callable

# And the characters no XML holds besides C0 controls (U+FFFE, U+FFFF, a lone half of a UTF-16 pair): a
# transcript with one (a .txt, a .qdpx source) made every Word and XLSX writer end in a ValueError traceback.
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
# What ends a line of a message or a table (or jumps to a column): a name holding one forges a line of
# its own ("P01\nError: ..."). Text keeps them; names (transcript ids, coder names) may not.
LINE_BREAKS = re.compile("[\n\r\t\x0b\x0c\x85\u2028\u2029]")


# Markdown that text must not become, whatever else a writer escapes: a character reference ("&lt;",
# "&#60;", "&#x3C;") shows the character it names, not the text as written; and "[1]: http://…" opening a
# paragraph is a link definition, not shown, that a "![x][1]" anywhere in the file loads as an image.
_MD_ENTITY = re.compile(r"&(?=[A-Za-z][A-Za-z0-9]{1,31};|#[0-9]{1,7};|#[xX][0-9A-Fa-f]{1,6};)")
_MD_DEFINITION = re.compile(r"\[(?:[^\]\\]|\\.)*\]:")


def md_text_escaped(text: str) -> str:
    """Text for Markdown with every character reference left as written and no link definition."""
    if "&" in text:
        text = _MD_ENTITY.sub(r"\\&", text)
    return "\\" + text if text[:1] == "[" and _MD_DEFINITION.match(text) else text


_UNSHOWABLE = re.compile(f"{LINE_BREAKS.pattern}|{CONTROLS.pattern}|[\\\\']")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\", "'": "\\'"}


def shell_word(text: str) -> str:
    """`text` as one shell word that shows as typed: shlex.quote, or bash's $'...' with escapes when it
    holds a control character or a line break (a terminal would act on it, and a paste would break)."""
    if not (LINE_BREAKS.search(text) or CONTROLS.search(text)):
        return shlex.quote(text)

    def escape(m: re.Match) -> str:
        c = m.group()
        code = ord(c)
        return _ESCAPES.get(c) or (f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}")

    return "$'" + _UNSHOWABLE.sub(escape, text) + "'"


def has_controls(text: str) -> bool:
    return CONTROLS.search(text) is not None


def escape_breaks(text: str) -> str:
    """`text` with each line break or tab shown as its escape ("\\n"), for a name quoted in a message."""
    return LINE_BREAKS.sub(lambda m: repr(m.group())[1:-1], text)


def _escaped(m: re.Match) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """Replace control characters other than newline and tab, and bidirectional overrides, with visible
    escapes ("\\x1b", "\\u202e"): the same in every format, where a terminal would act on them, a
    spreadsheet refuse them and a browser hide them."""
    return CONTROLS.sub(_escaped, text)


def escape_with_offsets(text: str) -> tuple[str, Callable[[int], int]]:
    """escape_controls(text), and a function that moves an offset into `text` (an evidence span, an
    excerpt, a sentence start) to the same place in the escaped text: each escape is longer than the
    character it shows."""
    grown = [(m.end(), len(_escaped(m)) - 1) for m in CONTROLS.finditer(text)]
    if not grown:
        return text, lambda offset: offset
    ends = [end for end, _ in grown]
    extra = list(itertools.accumulate(more for _, more in grown))

    def at(offset: int) -> int:
        k = bisect.bisect_right(ends, offset)  # the controls wholly before the offset
        return offset + (extra[k - 1] if k else 0)

    return CONTROLS.sub(_escaped, text), at
