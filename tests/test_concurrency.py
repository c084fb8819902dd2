"""Four processes save decisions for different coders into one project file at the same time:
no errors, no lost rows (WAL + busy timeout + BEGIN IMMEDIATE)."""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import sqlite3

from wei_qual.models import PARTICIPANT, Decision, Segment, Transcript
from wei_qual.store import open_db, transaction
from wei_qual.store.decisions import iter_decisions, save_decision, save_memo

SEGMENTS = 40
CODERS = ["c1", "c2", "c3", "c4"]
# Each worker needs well under a second; this bound is for a loaded shared machine, and makes a stuck
# worker a failure naming it rather than a test run that never ends.
WAIT_SECONDS = 300


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
    assert _in_four_processes(path) == [SEGMENTS] * 4
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


def _in_four_processes(path: str) -> list[int]:
    """_worker for each coder, each in its own process, all at once. The workers are spawned, not
    forked: a child forked from the test process would inherit whatever earlier tests left there (the
    threads import-linter's grimp starts, locks they hold). A worker that dies fails the test
    (BrokenProcessPool, where a multiprocessing.Pool waits for its task forever); one that does not
    finish in WAIT_SECONDS fails it with what each worker was waiting on, and is killed."""
    pool = concurrent.futures.ProcessPoolExecutor(4, mp_context=multiprocessing.get_context("spawn"))
    try:
        futures = [pool.submit(_worker, (path, c)) for c in CODERS]
        late = concurrent.futures.wait(futures, timeout=WAIT_SECONDS).not_done
        if late:
            waits = {pid: _kernel_wait(pid) for pid in pool._processes}
            for process in list(pool._processes.values()):
                process.kill()
            raise AssertionError(
                f"{len(late)} of 4 workers did not finish in {WAIT_SECONDS} s; each was waiting in {waits}"
            )
        return [f.result() for f in futures]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _kernel_wait(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/wchan", encoding="ascii") as wchan:
            return wchan.read() or "running"
    except OSError:
        return "ended"
