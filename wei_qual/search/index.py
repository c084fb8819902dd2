"""Build the search index: spaCy's English tokenizer over every segment not indexed yet.

Run on the first search and after new transcripts arrive (a re-ingested or deleted segment loses its row
by trigger, so it is indexed again). Punctuation and white-space tokens are left out, so a phrase matches
across a comma and "co-responder" is the two words "co responder".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..store import search as store
from ..store import transaction
from ..textmatch import HYPHENS, WRAPPED
from .terms import (
    SEP,
    UNSPLIT,
    UNSPLIT_AFTER,
    UNSPLIT_FIRST,
    form,
    in_context,
    index_version,
    joined_lemma,
    number_unit,
    run_on_words,
    term,
)

BATCH = 2000  # segments per transaction: a long first indexing commits as it goes


def index_texts(texts: list[str], nlp=None, entries: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(terms, offsets) for each text: "lemma<US>form" per word token, and "start end" per token.

    `entries`: the index entries of words seen before (a word's entry depends on nothing else: see
    _entry), kept across calls by a caller that indexes in batches."""
    if nlp is None:
        nlp = tokenizer()
    if entries is None:
        entries = {}
    out = []
    composed = [_composed(text.translate(HYPHENS)) for text in texts]
    plain = [text for text, _ in composed]
    for (text, where), doc in zip(composed, nlp.tokenizer.pipe(plain, batch_size=256)):
        words: list[tuple[str, int, int, str]] = []  # (text, start, end, index entry) of each word token
        skip = 0  # the end of a word kept whole that spaCy split ("his id"): its tokens are passed over
        for token in doc:
            if token.is_punct or token.is_space:
                continue
            t, idx = token.text, token.idx
            if idx < skip:
                continue
            if t in UNSPLIT_FIRST and words and text[idx + len(t) : idx + len(t) + 1].isalpha():
                whole = _unsplit(text, idx, words[-1][0])
                if whole is not None:
                    skip = idx + len(whole)
                    words.append((whole, idx, skip, _entry(whole, None, entries)))
                    continue
            # "night.the", "72hr": each word indexed, at its own offsets
            pieces = run_on_words(t) or (number_unit(t) if t[0].isdigit() else None)
            if pieces is not None:
                for a, b in pieces:
                    piece = t[a:b]
                    before = words[-1][0] if words else None
                    words.append((piece, idx + a, idx + b, _entry(piece, before, entries)))
                continue
            # spaCy keeps a hyphen before a space or a line break on the word ("Jurisdiction-" before "A"
            # on the next line, "pre-" in "pre- and post-call"): indexed as "jurisdiction-", the word was
            # found by no query. The hyphen is left out, as spaCy leaves it out between two words.
            word = t.rstrip("-") or t
            entry = _entry(word, words[-1][0] if words else None, entries)
            if entry.startswith("\x1f") or entry.endswith("\x1f"):
                continue  # only control characters or spaces
            start, end = idx, idx + len(word)
            if words and t[0].islower() and _wrapped(text, words[-1], start):
                # "stabil-" at a line's end and "ization" on the next are one word, which the index
                # holds whole, as the typed "stabilization" (or "co-responder") looks for it.
                first, start, _, _ = words.pop()
                joined = first + "\n" + token.text
                words.append((joined, start, end, _joined_entry(joined)))
                continue
            words.append((word, start, end, entry))
        if where is not None:  # offsets in the text as stored
            words = [(w, where[a], where[b], e) for w, a, b, e in words]
        out.append((" ".join(w[3] for w in words), " ".join(f"{w[1]} {w[2]}" for w in words)))
    return out


def _entry(word: str, before: str | None, entries: dict[str, str]) -> str:
    """term(word, before), computed once per distinct word: a study's million tokens are a few tens of
    thousands of words, and each term() folds, normalises and looks the word up three times over. Only
    "am" and the short units depend on the word before them (terms.in_context): never kept."""
    entry = entries.get(word)
    if entry is None:
        entry = term(word, before)
        if not in_context(word.casefold()):
            entries[word] = entry
    return entry


_LETTERS = re.compile(r"[^\W\d_]+")


def _unsplit(text: str, start: int, before: str) -> str | None:
    """The word at `start` when spaCy splits it as a contraction though it is a word after `before`
    ("his id", "on wed": terms.UNSPLIT), else None."""
    if before.casefold() not in UNSPLIT_AFTER:
        return None
    m = _LETTERS.match(text, start)
    return m.group() if m is not None and m.group().casefold() in UNSPLIT else None


def _composed(text: str) -> tuple[str, list[int] | None]:
    """The text composed (NFC), and for each of its offsets (and its end) the offset in `text`, or None
    when it is composed already. spaCy's tokenizer reads "cafe" + a combining accent + "." as one token
    (the accent is no letter to it), where it splits "café." in two."""
    if unicodedata.is_normalized("NFC", text):
        return text, None
    out, where, i = [], [], 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        chunk = unicodedata.normalize("NFC", text[i:j])  # a letter and its accents
        out.append(chunk)
        where += [i] * len(chunk)
        i = j
    return "".join(out), [*where, len(text)]


def _wrapped(text: str, before: tuple[str, int, int, str], start: int) -> bool:
    """Whether the word before (its text, start, end; a hyphen after it is never part of it) ends a line
    with a hyphen that wraps the word at `start`."""
    _, _, end, _ = before
    return text.startswith("-", end) and WRAPPED.fullmatch(text, end, start) is not None


def _joined_entry(word: str) -> str:
    """The index entry of a word wrapped across lines, its parts joined by "\\n" ("stabil-\\nization")."""
    *heads, last = word.split("\n")
    parts = [form(p.rstrip("-")) for p in heads] + [form(last)]
    return f"{joined_lemma(parts)}{SEP}{''.join(parts)}"


def tokenizer():
    """spaCy's blank English pipeline: its tokenizer is all the index needs."""
    import spacy

    return spacy.blank("en")


def ensure_index(db: Database, on_progress: Callable[[int], None] | None = None) -> int:
    """Index every segment that has no row yet (all of them when the way of indexing changed).

    Returns the number of segments indexed; 0 (and no spaCy import) when the index is complete."""
    version = index_version()
    if store.index_version(db) != version:
        with transaction(db):
            store.reset_index(db, version)
    if not store.count_unindexed(db):
        return 0
    nlp = tokenizer()
    entries: dict[str, str] = {}  # each distinct word's index entry, shared by the batches
    done = last = 0
    while True:
        rows = store.iter_unindexed(db, BATCH, after=last)
        if not rows:
            return done
        last = rows[-1][0]
        indexed = index_texts([text for _, text in rows], nlp, entries)
        with transaction(db):
            store.save_index_rows(db, [(sid, t, o) for (sid, _), (t, o) in zip(rows, indexed)])
        done += len(rows)
        if on_progress is not None:
            on_progress(len(rows))


def unindexed(db: Database) -> int:
    """Segments a search would index first (all of them after a change in the way of indexing)."""
    if store.index_version(db) != index_version():
        return store.count_segments(db)
    return store.count_unindexed(db)


def indexing_message(db: Database, todo: int | None = None) -> str | None:
    """What a search says before it indexes the `todo` (unindexed(db)) segments (None: nothing to index),
    and why all over again after an upgrade that indexes words otherwise, so the wait is no mystery."""
    todo = unindexed(db) if todo is None else todo
    if not todo:
        return None
    if store.index_version(db) not in (None, index_version()):
        return (
            f"Indexing {todo:,} segments for search again: this version of wei-qual reads words differently "
            "(once; later searches reuse the index)..."
        )
    return f"Indexing {todo:,} segments for search (once; later searches reuse the index)..."
