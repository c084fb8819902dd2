"""Characters that hide or pass for others in an id or a name: invisible ones (a zero-width space, a soft
hyphen, a no-break space pasted from Word) and letters of another script that look Latin (Cyrillic "с" in
"сsu"). A coder types code ids in the session and in CSVs, so an id holding one is a trap; messages name
such a character by its code point, since printing it shows nothing amiss.
"""

from __future__ import annotations

import re
import unicodedata

# Scripts with letters drawn like Latin ones; a word mixing two of them is the classic look-alike.
_LOOKALIKE_SCRIPTS = {"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC"}
_WORD = re.compile(r"\w+")


def char_label(ch: str) -> str:
    """ "U+0441 CYRILLIC SMALL LETTER ES" (the code point, and the Unicode name where there is one)."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}{' ' + name if name else ''}"


def is_invisible(ch: str) -> bool:
    """A character that shows as nothing or as a plain space: format characters (zero-width, bidi marks,
    soft hyphen, BOM), controls, and spaces other than the ASCII one."""
    category = unicodedata.category(ch)
    return category in ("Cf", "Cc", "Zl", "Zp") or (category == "Zs" and ch != " ")


def show_invisible(text: str) -> str:
    """`text` with each invisible character written as an escape ("csu\\u200b-refusal"), so a message
    that quotes it shows where it is."""
    return "".join(f"\\u{ord(ch):04x}" if is_invisible(ch) and ch not in "\n\t" else ch for ch in text)


def non_ascii_in_id(value: str) -> str | None:
    """Why an id that is not an ASCII slug may look like one: "its character 4 is U+200B ZERO WIDTH SPACE,
    which is invisible", or None when it holds no invisible or non-ASCII character."""
    for i, ch in enumerate(value, 1):
        if is_invisible(ch):
            what = "looks like a space" if unicodedata.category(ch) == "Zs" else "is invisible"
            return f"its character {i} is {char_label(ch)}, which {what}"
        if ord(ch) > 127:
            looks = _script(ch) in _LOOKALIKE_SCRIPTS - {"LATIN"}
            return f'its character {i}, "{ch}", is {char_label(ch)}, not an ASCII letter' + (
                ", though it may look like one" if looks else ""
            )
    return None


def _script(ch: str) -> str | None:
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if ch.isalpha() and name else None


def mixed_script_word(text: str) -> tuple[int, str, str] | None:
    """Where a word of `text` mixes letters of two look-alike scripts: (1-based position in `text` of the
    first letter of the rarer script, that letter, the two scripts "Latin and Cyrillic"), or None. Words
    wholly in one script (Москва) are fine."""
    for m in _WORD.finditer(text):
        scripts: dict[str, list[int]] = {}
        for i, ch in enumerate(m.group()):
            script = _script(ch)
            if script in _LOOKALIKE_SCRIPTS:
                scripts.setdefault(script, []).append(m.start() + i)
        if len(scripts) > 1:
            fewest = min(scripts.values(), key=len)
            names = " and ".join(sorted(k.capitalize() for k in scripts))
            return fewest[0] + 1, text[fewest[0]], names
    return None


def invisible_in(text: str) -> tuple[int, str] | None:
    """The first format character (zero-width space or joiner, bidi mark, soft hyphen, BOM) in `text`, which
    shows as nothing, with its 1-based position, or None. Spaces (a no-break space in a name) show, and are
    allowed."""
    return next(((i, ch) for i, ch in enumerate(text, 1) if unicodedata.category(ch) == "Cf"), None)
