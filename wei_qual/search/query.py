"""A search query as a regular expression over the index's "lemma<US>form" tokens.

- a word matches every form of its lemma: "refuse" finds refused, refusing, refuses;
- `=word` matches that exact form only ("=refused");
- `*` (any letters) and `?` (one letter) are wildcards on the form: "refus*" finds refusal and refused;
- several words are a phrase: consecutive words, punctuation between them ignored.
Case never matters. A word with an apostrophe or other punctuation is split by spaCy's own tokenizer
(loaded only then), as the index was; plain words and hyphens are split here, the same way.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import SearchError
from .terms import HYPHENS, SEP, form, lemma

_PLAIN = re.compile(r"^=?[\w*?]+(?:-[\w*?]+)*$")


@dataclass(frozen=True)
class Query:
    text: str
    words: tuple[str, ...]  # as matched: lemmas, "=form" or wildcard patterns
    pattern: re.Pattern
    literal: str  # a piece every matching segment's terms contain (the SQL prefilter), may be ""


def _split(word: str) -> list[str]:
    """The tokens of one typed word, as the index's tokenizer makes them (punctuation dropped)."""
    word = word.translate(HYPHENS)
    exact = word.startswith("=")
    body = word[1:] if exact else word
    if _PLAIN.match(word):
        parts = [p for p in body.split("-") if p]
    else:
        import spacy

        protected = body.replace("*", "wqstarwq").replace("?", "wqqmarkwq")
        doc = spacy.blank("en").tokenizer(protected)
        parts = [
            t.text.replace("wqstarwq", "*").replace("wqqmarkwq", "?")
            for t in doc
            if not (t.is_punct or t.is_space)
        ]
    return [("=" if exact else "") + p for p in parts]


def _wildcards(word: str, groups: Iterator[int]) -> str:
    """A wildcard word as a pattern over one form, matched in time linear in the form: each `*` before the
    last takes the first place the letters after it fit and keeps it (a lookahead and a backreference,
    as fnmatch does). As [^ ]* for every `*`, "*?*?*?*?*?*?*?*?*?*w" took minutes on a long URL."""

    def letters(text: str) -> str:
        return "".join("[^ ]" if ch == "?" else re.escape(ch) for ch in text)

    first, *stars = word.split("*")
    out = letters(first)
    for middle in stars[:-1]:
        if middle:  # "**" is one `*`
            group = f"w{next(groups)}"
            out += f"(?=(?P<{group}>[^ ]*?{letters(middle)}))(?P={group})"
    return out + (f"[^ ]*{letters(stars[-1])}" if stars else "")


def parse_query(text: str) -> Query:
    """Parse a query, or raise SearchError."""
    words = [p for w in text.split() for p in _split(w)]
    if not words:
        raise SearchError('The query is empty. Give a word or a phrase, e.g. wei-qual search "refuse".')
    pieces, matched, literals = [], [], []
    groups = itertools.count(1)
    for word in words:
        if word.startswith("="):
            f = form(word[1:])
            pieces.append(f"[^ {SEP}]*{SEP}{re.escape(f)}")
            matched.append("=" + f)
            literals.append(SEP + f)
        elif "*" in word or "?" in word:
            f = form(word)
            if not f.strip("*?"):
                raise SearchError(
                    f'"{word}" matches every word. Give some letters with the wildcard, e.g. refus*.'
                )
            pieces.append(f"[^ {SEP}]*{SEP}{_wildcards(f, groups)}")
            matched.append(f)
            chunks = [c for c in re.split(r"[*?]+", f) if c]
            literals.append((SEP + chunks[0]) if not f.startswith(("*", "?")) else max(chunks, key=len))
        else:
            lem = lemma(form(word))
            pieces.append(f"{re.escape(lem)}{SEP}[^ ]*")
            matched.append(lem)
            literals.append(lem + SEP)
    pattern = re.compile("(?<![^ ])" + " ".join(pieces) + "(?= |$)")
    return Query(text, tuple(matched), pattern, max(literals, key=len))
