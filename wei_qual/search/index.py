"""Build the search index: spaCy's English tokenizer over every segment not indexed yet.

Run on the first search and after new transcripts arrive (a re-ingested or deleted segment loses its row
by trigger, so it is indexed again). Punctuation and white-space tokens are left out, so a phrase matches
across a comma and "co-responder" is the two words "co responder".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..store import search as store
from ..store import transaction
from .terms import HYPHENS, index_version, term

BATCH = 2000  # segments per transaction: a long first indexing commits as it goes


def index_texts(texts: list[str], nlp=None) -> list[tuple[str, str]]:
    """(terms, offsets) for each text: "lemma<US>form" per word token, and "start end" per token."""
    if nlp is None:
        nlp = tokenizer()
    out = []
    for doc in nlp.tokenizer.pipe((text.translate(HYPHENS) for text in texts), batch_size=256):
        terms, offsets = [], []
        for token in doc:
            if token.is_punct or token.is_space:
                continue
            entry = term(token.text)
            if entry.startswith("\x1f") or entry.endswith("\x1f"):
                continue  # only control characters or spaces
            terms.append(entry)
            offsets.append(f"{token.idx} {token.idx + len(token.text)}")
        out.append((" ".join(terms), " ".join(offsets)))
    return out


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
    done = last = 0
    while True:
        rows = store.iter_unindexed(db, BATCH, after=last)
        if not rows:
            return done
        last = rows[-1][0]
        indexed = index_texts([text for _, text in rows], nlp)
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
