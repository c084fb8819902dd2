"""A real terminal: run the installed console script in a pty, answer segments, SIGKILL it, and check
that every answered decision is in the database and the file is intact (each decision is committed
the moment it is made)."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import sys
from pathlib import Path

import pytest
from _coding_project import build_project

from wei_qual.store import open_db
from wei_qual.store.decisions import iter_decisions

pexpect = pytest.importorskip("pexpect")
SCRIPT = shutil.which("wei-qual") or str(Path(sys.executable).parent / "wei-qual")


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_answers_survive_sigkill(db_path):
    build_project(open_db(db_path))
    child = pexpect.spawn(
        SCRIPT,
        ["code", "--coder", "alice", "--db", str(db_path)],
        dimensions=(40, 160),
        timeout=30,
        encoding="utf-8",
    )
    try:
        child.expect_exact("coded 0 of 4 (alice)")
        for line, progress in (("1 f", "coded 1 of 4"), ("0", "coded 2 of 4"), ("co", "coded 3 of 4")):
            child.expect_exact("> ")
            child.sendline(line)
            if line != "0":
                child.expect_exact("> ")
                child.sendline("")  # Enter saves
            child.expect_exact(progress)  # the next screen is drawn only after the commit
        child.expect_exact("> ")
        child.sendline("2")  # chosen but not saved: may be lost, by design
        child.expect_exact("Chosen:")
        child.kill(signal.SIGKILL)
        child.wait()
    finally:
        if child.isalive():
            child.kill(signal.SIGKILL)
    assert child.signalstatus == signal.SIGKILL
    got = {
        (d.transcript, d.segment): sorted(d.codes) for d in iter_decisions(open_db(db_path), coders=["alice"])
    }
    assert got == {("p01", 2): ["csu-admission", "followup"], ("p01", 4): [], ("p02", 2): ["co-responder"]}
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
