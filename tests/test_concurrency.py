"""Four processes save decisions for different coders into one project file at the same time:
no errors, no lost rows (WAL + busy timeout + BEGIN IMMEDIATE)."""

from __future__ import annotations

import multiprocessing
import sqlite3

from wei_qual.models import PARTICIPANT, Decision, Segment, Transcript
from wei_qual.store import open_db, transaction
from wei_qual.store.decisions import iter_decisions, save_decision, save_memo

SEGMENTS = 40
CODERS = ["c1", "c2", "c3", "c4"]


def _worker(args: tuple[str, str]) -> int:
    path, coder = args
    db = open_db(path)
    for n in range(1, SEGMENTS + 1):
        save_decision(db, Decision("t1", n, coder, frozenset({f"code{n % 3}"}), note=f"{coder} {n}"))
        if n % 10 == 0:
            save_memo(db, coder, "segment", f"t1:{n}", "memo")
    db.close()
    return SEGMENTS


def test_four_processes_write_without_errors_or_lost_rows(tmp_path):
    path = str(tmp_path / "shared.db")
    db = open_db(path)
    segments = tuple(Segment(n, "P", PARTICIPANT, f"turn {n}", 0, 1) for n in range(1, SEGMENTS + 1))
    with transaction(db):
        from wei_qual.store.transcripts import save_transcript

        save_transcript(db, Transcript("t1", "t1.txt", "txt", "sha", "x", segments))
    db.close()
    with multiprocessing.get_context("fork").Pool(4) as pool:
        assert pool.map(_worker, [(path, c) for c in CODERS]) == [SEGMENTS] * 4
    db = open_db(path)
    got = iter_decisions(db)
    assert len(got) == 4 * SEGMENTS
    assert {(d.coder, d.segment, d.note) for d in got} == {
        (c, n, f"{c} {n}") for c in CODERS for n in range(1, SEGMENTS + 1)
    }
    assert (
        db.execute("SELECT COUNT(*) FROM audit_log WHERE entity = 'decision'").fetchone()[0] == 4 * SEGMENTS
    )
    assert db.execute("SELECT COUNT(*) FROM memos").fetchone()[0] == 4 * SEGMENTS // 10
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
