"""Characters that act on a terminal instead of showing: C0 and C1 controls other than newline and tab,
and the bidirectional embeddings, overrides and isolates, which can show a name or an id as another
(the "Trojan Source" reordering). The console, and every file written for people to read (CSV,
XLSX, Markdown, HTML and its charts), shows them as visible escapes (escape_controls); JSON, data for
scripts, keeps the text exact; names (transcript ids, coder names) may not hold them at all.
"""

from __future__ import annotations

import re

CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def has_controls(text: str) -> bool:
    return CONTROLS.search(text) is not None


def _escaped(m: re.Match) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """Replace control characters other than newline and tab, and bidirectional overrides, with visible
    escapes ("\\x1b", "\\u202e"): the same in every format, where a terminal would act on them, a
    spreadsheet refuse them and a browser hide them."""
    return CONTROLS.sub(_escaped, text)
