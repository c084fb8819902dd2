"""A small lead project for the attack tests, built in each test's tmp_path (fictional data).

Four interviews of three turns each; alice is assigned t1 and t2, bob t3 and t4. The codebook has a theme
with two codes, an exclusive group and a plain code, so forged packets can break each rule.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from wei_qual.models import PARTICIPANT, Code, Codebook, Segment, Transcript
from wei_qual.store import open_db, transaction
from wei_qual.store.assignments import replace_assignments
from wei_qual.store.codebooks import save_codebook_version
from wei_qual.store.transcripts import save_transcript

CODEBOOK = Codebook(
    name="Crisis calls",
    version="1",
    codes=(
        Code("access", "Access to care"),
        Code("wait", "Waiting", parent="access"),
        Code("beds", "No beds", parent="access"),
        Code("place", "Where the person went", exclusive=True),
        Code("jail", "Jail", parent="place"),
        Code("hospital", "Hospital", parent="place"),
        Code("followup", "Follow-up care"),
    ),
)
ALICE, BOB = ["t1", "t2"], ["t3", "t4"]


def transcript(
    tid: str, turns: list[str], attributes: dict[str, str] | None = None, speaker: str = "P"
) -> Transcript:
    segments, text = [], ""
    for n, words in enumerate(turns, start=1):
        start = len(text) + (2 if text else 0)
        text = f"{text}\n\n{words}" if text else words
        segments.append(Segment(n, speaker, PARTICIPANT, words, start, start + len(words)))
    return Transcript(tid, f"{tid}.txt", "txt", f"sha-{tid}", text, tuple(segments), attributes or {})


def build_lead(path: Path, *, texts: dict[str, list[str]] | None = None):
    """A lead project at `path` with the four interviews, the codebook and the assignment; returns the db."""
    db = open_db(path)
    texts = texts or {
        tid: [f"We waited at the unit ({tid}).", "They had no beds that night.", "He went to jail."]
        for tid in ALICE + BOB
    }
    with transaction(db):
        for tid, turns in texts.items():
            save_transcript(db, transcript(tid, turns, {"role": "officer"}))
        save_codebook_version(db, CODEBOOK, "name: Crisis calls\nversion: 1\n")
        plan = {tid: ["alice"] for tid in ALICE} | {tid: ["bob"] for tid in BOB}
        replace_assignments(db, plan, set(), actor="lead")
    return db


def raw(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection, as a forger with the file would use (no wei-qual checks)."""
    return sqlite3.connect(path, isolation_level=None)
