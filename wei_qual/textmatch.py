"""Words a person types, found in the stored text of a turn, forgiving what they cannot see or type
alike: case, accents (composed, decomposed or left off: "resume" finds "résumé"; "Lodz" finds "Łódź"),
curly or straight quotes and apostrophes (a copy-paste from Word), Word's non-breaking hyphen, a soft
hyphen or other invisible format character (a zero-width space, in the text or in a copied word), white
space, line breaks and punctuation between words, a word hyphenated across a line break by a
transcription service ("stabilization" finds "stabil-⏎ization", as `wei-qual search` does), and a
control character typed as the visible escape the screen shows for it ("\\x07"). Spans are offsets into
the stored text, so what is marked or highlighted is the stored words exactly.

The coding session's excerpt phrases (`x ID "a phrase"`) match this way; its search (`/WORDS`) matches as
`wei-qual search` does (search.segment_spans).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from .controls import CONTROLS

# Typographic quotes, as Word's autocorrect and transcription services write them, matched as the
# straight ones a codebook is typed with ("can't spare" in "we can’t spare anyone"). One character for
# one, so offsets into the text stay right.
QUOTES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"'}
)
# A slot in a codebook keyword ("no ... beds"): suggest matches up to suggest.rules.GAP_WORDS words there,
# and codebook validation wants words on both sides of it.
KEYWORD_SLOT = re.compile(r"\s*(?:\.\.\.|…)\s*")
# A control character as the screen shows it (wei_qual.controls), and a quote typed with a backslash
# inside a quoted phrase.
_TYPED_ESCAPE = re.compile(r"\\x([0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})|\\([\"'\u201c\u201d\u2018\u2019\\])")


# Word's non-breaking hyphen ("72‑hour", kept on one line) and the Unicode hyphen are the hyphen a person
# types (one character for one, so offsets stay those of the stored text); a soft hyphen (an invisible
# break point) is not there at all.
HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})
_HYPHENS = {**HYPHENS, **str.maketrans({"\u00ad": ""})}

# A word hyphenated across a hard line wrap in plain text: a letter, a hyphen (Word's non-breaking or the
# Unicode one too) at the end of the line, maybe spaces, and the word going on, in small letters, on the
# next. `wei-qual search` indexes such a word whole (search/index.py); here it folds to WRAP.
WRAPPED = re.compile(r"(?<=[^\W\d_])[-\u2010\u2011][ \t]*\r?\n[ \t]*")
# What a wrap folds to: a Unicode noncharacter (never in interchanged text, and no letter, so the
# white space and punctuation between two typed words match it) that a typed word may hold between any
# two of its letters, and a typed hyphen may stand for: "stabilization", "co-responder" and "co responder"
# all find "co-⏎responder" / "stabil-⏎ization", with one character for the wrap's several.
WRAP = "\ufdd0"


def _wraps(text: str) -> dict[int, int]:
    """Where each wrap in `text` starts (its hyphen), and where the word goes on after it."""
    out = {}
    for m in WRAPPED.finditer(text):
        if text[m.end() : m.end() + 1].islower():
            out[m.start()] = m.end()
    return out


# Letters that are no accented letter to Unicode, so decomposing them leaves nothing to drop, written as
# the letters a researcher types for them on an English keyboard ("Lodz" for "Łódź", "Orsted" for
# "Ørsted", "Strasse" for "Straße", after case folding).
LETTERS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "ŧ": "t", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"}
)


# The invisible format characters a typed word never holds (Unicode's Cf category, less the bidi controls
# the screen escapes): a zero-width space, joiner or non-joiner, word joiner, soft hyphen, BOM, LRM/RLM,
# the Arabic letter and Mongolian vowel marks, invisible operators and tag characters. Pasted from a web
# page or a chat, they show as nothing. Suggest's keyword matching leaves them out the same way.
INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """One character as matched: its accents dropped, case folded, a curly quote straight, a hyphen
    plain ("" for a combining accent, a soft hyphen or another invisible format character on its own)."""
    if INVISIBLE.fullmatch(ch):
        # A word holding one looks like the word typed, and `wei-qual search` (whose index drops them)
        # finds it. Bidi overrides and isolates are escaped on screen (CONTROLS) and typed as escapes.
        return ""
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return base.casefold().translate(LETTERS).translate(QUOTES).translate(_HYPHENS)


@dataclass(frozen=True)
class Folded:
    """A text as matched (`folded`), with where each of its characters came from in `text`."""

    text: str
    folded: str
    origin: tuple[int, ...] | None  # None: one character for one, at the same offsets

    def span(self, start: int, end: int) -> tuple[int, int]:
        """A match in `folded` as a span of `text`, with the accents after its last letter."""
        if self.origin is None:
            return start, end
        a, b = self.origin[start], self.origin[end - 1] + 1
        while b < len(self.text) and not _fold_char(self.text[b]):
            b += 1
        return a, b


def fold(text: str) -> Folded:
    """The text as typed words are matched against it. ASCII with curly quotes (most transcripts) takes
    the fast path: the same length, no offsets to keep."""
    straight = text.translate(QUOTES)
    wraps = _wraps(text) if "\n" in text else {}
    if straight.isascii() and not wraps:
        return Folded(text, straight.lower(), None)
    pieces, origin = [], []
    i = 0
    while i < len(text):
        if i in wraps:
            pieces.append(WRAP)
            origin.append(i)
            i = wraps[i]
            continue
        f = _fold_char(text[i])
        pieces.append(f)
        origin += [i] * len(f)
        i += 1
    return Folded(text, "".join(pieces), tuple(origin))


def typed(phrase: str) -> str:
    """What a person meant by a phrase they typed or pasted: the visible escape of a control character
    ("\\x07", as the screen shows it) read as that character, and a backslash before a quote dropped."""

    def unescape(m: re.Match) -> str:
        if m.group(3) is not None:
            return m.group(3)
        ch = chr(int(m.group(1) or m.group(2), 16))
        return ch if CONTROLS.fullmatch(ch) else m.group()  # only what the screen escapes

    return _TYPED_ESCAPE.sub(unescape, phrase)


def pattern(phrase: str) -> re.Pattern | None:
    """The typed phrase as a pattern over folded text; None when it has no words. Between its words any
    run of white space and punctuation matches, as `wei-qual search` ignores punctuation between the
    words of a phrase: "nobody liked" finds 'nobody" liked', "72 hour" finds "72-hour". Inside a word a
    line wrap may fall anywhere, and a typed hyphen may be one."""
    words = fold(typed(phrase)).folded.strip().strip('"').split()  # `/"72-hour hold"`: quoted as a phrase
    if not words:
        return None
    return re.compile(r"[\W_]+".join(_word(w) for w in words))


def _word(word: str) -> str:
    """One typed (folded) word as a pattern: a wrap allowed between any two of its characters."""
    chars = [f"[-{WRAP}]" if ch == "-" else re.escape(ch) for ch in word.replace(WRAP, "")]
    return f"{WRAP}?".join(chars)


def find_all(folded: Folded, compiled: re.Pattern) -> list[tuple[int, int]]:
    """Every place the pattern occurs, as spans of the stored text."""
    return [folded.span(m.start(), m.end()) for m in compiled.finditer(folded.folded)]


def find(text: str, phrase: str) -> list[tuple[int, int]]:
    """Every place a typed phrase occurs in `text` (spans of `text`); [] when none or no words."""
    compiled = pattern(phrase)
    return find_all(fold(text), compiled) if compiled is not None else []
