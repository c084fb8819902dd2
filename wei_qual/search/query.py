"""A search query as a regular expression over the index's "lemma<US>form" tokens.

- a word matches every form of its lemma: "refuse" finds refused, refusing, refuses;
- `=word` matches that exact form only ("=refused");
- `*` (any letters) and `?` (one letter) are wildcards on the form: "refus*" finds refusal and refused;
- several words are a phrase: consecutive words, punctuation between them ignored.
Case and accents never matter. A hyphenated word also matches the word closed up, as a word wrapped
across a line is indexed ("co-responder" finds "co-\nresponder"). A word with an apostrophe or other punctuation is split by spaCy's own tokenizer
(loaded only then), as the index was; plain words and hyphens are split here, the same way.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import SearchError
from .terms import HYPHENS, SEP, form, joined_lemma, word_lemma

_PLAIN = re.compile(r"^=?[\w*?]+(?:-[\w*?]+)*$")


@dataclass(frozen=True)
class Query:
    text: str
    words: tuple[str, ...]  # as matched: lemmas, "=form" or wildcard patterns
    pattern: re.Pattern
    literals: tuple[str, ...]  # every matching segment's terms contain one of these (the SQL prefilter)


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


def _piece(word: str, groups: Iterator[int]) -> tuple[str, str, str]:
    """(pattern over one index token, the word as matched, a piece of every token it matches) of one
    typed word: `=form`, a wildcard, or a word matching every form of its lemma."""
    if word.startswith("="):
        f = form(word[1:])
        return f"[^ {SEP}]*{SEP}{re.escape(f)}", "=" + f, SEP + f
    if "*" in word or "?" in word:
        f = form(word)
        if not f.strip("*?"):
            raise SearchError(
                f'"{word}" matches every word. Give some letters with the wildcard, e.g. refus*.'
            )
        chunks = [c for c in re.split(r"[*?]+", f) if c]
        literal = (SEP + chunks[0]) if not f.startswith(("*", "?")) else max(chunks, key=len)
        return f"[^ {SEP}]*{SEP}{_wildcards(f, groups)}", f, literal
    f, lem = form(word), word_lemma(word)
    if lem == f and _LOWER_PLURAL.fullmatch(f):
        # "csus" typed in small letters cannot tell an acronym's plural (indexed under "csu") from a
        # word: it finds the form as written too.
        return f"(?:{re.escape(f)}{SEP}[^ ]*|[^ {SEP}]*{SEP}{re.escape(f)})", lem, f
    return f"{re.escape(lem)}{SEP}[^ ]*", lem, lem + SEP


_LOWER_PLURAL = re.compile(r"[^\W\d_]{2,}s")


def parse_query(text: str) -> Query:
    """Parse a query, or raise SearchError."""
    pieces, matched, needs = [], [], []
    groups = itertools.count(1)
    for typed in text.split():
        parts = _split(typed)
        if not parts:
            continue
        found = [_piece(p, groups) for p in parts]
        matched += [m for _, m, _ in found]
        pattern = " ".join(p for p, _, _ in found)
        literals = (max((lit for _, _, lit in found), key=len),)
        if len(parts) > 1 and _PLAIN.match(typed.translate(HYPHENS)) and "-" in typed.translate(HYPHENS):
            # A hyphenated word is also one word: wrapped across a line ("co-\nresponder" is indexed
            # whole) or written closed up.
            whole, whole_literal = _closed_up(parts, groups)
            pattern = f"(?:{pattern}|{whole})"
            literals = (*literals, whole_literal)
        pieces.append(pattern)
        needs.append(literals)
    if not pieces:
        raise SearchError('The query is empty. Give a word or a phrase, e.g. wei-qual search "refuse".')
    compiled = re.compile("(?<![^ ])" + " ".join(pieces) + "(?= |$)")
    # The SQL prefilter: the word whose shortest alternative is longest (a segment must hold one of them).
    return Query(text, tuple(matched), compiled, max(needs, key=lambda alts: min(map(len, alts))))


def _closed_up(parts: list[str], groups: Iterator[int]) -> tuple[str, str]:
    """The pattern and literal of a hyphenated word's parts read as one word (co-responder: coresponder)."""
    exact = parts[0].startswith("=")
    bare = [p[1:] if exact else p for p in parts]
    if exact or any("*" in p or "?" in p for p in bare):
        pattern, _, literal = _piece(("=" if exact else "") + "".join(bare), groups)
        return pattern, literal
    lem = joined_lemma([form(p) for p in bare])
    return f"{re.escape(lem)}{SEP}[^ ]*", lem + SEP
