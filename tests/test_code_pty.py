"""A real terminal: run the installed console script in a pty, answer segments, SIGKILL it, and check
that every answered decision is in the database and the file is intact (each decision is committed
the moment it is made)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sqlite3
from pathlib import Path

import pytest
from _cli_script import SCRIPT
from _coding_project import build_project

from wei_qual.store import open_db
from wei_qual.store.decisions import iter_decisions

pexpect = pytest.importorskip("pexpect")


def _code(db_path, coder: str = "alice", *, size=(40, 160), timeout: int = 30):
    """`wei-qual code` in a pty, as a terminal readline knows (it pastes in brackets there), with less
    as the pager and its own options."""
    env = {k: v for k, v in os.environ.items() if k not in ("PAGER", "LESS")}
    return pexpect.spawn(
        SCRIPT,
        ["code", "--coder", coder, "--db", str(db_path)],
        dimensions=size,
        timeout=timeout,
        encoding="utf-8",
        env={**env, "TERM": "xterm-256color"},
    )


@contextlib.contextmanager
def _session(db_path, **options):
    """_code's session, killed if a test leaves it running (a failed expect must not leave it behind)."""
    child = _code(db_path, **options)
    try:
        yield child
    finally:
        if child.isalive():
            child.kill(signal.SIGKILL)


def _quit(child) -> None:
    """q at the next prompt, and the session ends."""
    child.expect_exact("> ")
    child.sendline("q")
    child.expect(pexpect.EOF)


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_answers_survive_sigkill(db_path):
    build_project(open_db(db_path))
    with _session(db_path) as child:
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
    assert child.signalstatus == signal.SIGKILL
    got = {
        (d.transcript, d.segment): sorted(d.codes) for d in iter_decisions(open_db(db_path), coders=["alice"])
    }
    assert got == {("p01", 2): ["csu-admission", "followup"], ("p01", 4): [], ("p02", 2): ["co-responder"]}
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


ANSWERS = {  # per coder, in session order: p01:2, p01:4, p02:2, p02:3 ("0" = nothing applies)
    "alice": ["csu-admission followup", "0", "co-responder", "setting-urban"],
    "bob": ["csu-refusal", "followup setting-rural", "0", "co-responder followup"],
}


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_two_sessions_code_the_same_project_at_once(db_path):
    # Two coders at two terminals on one project file: every answer of both is saved, none lost to a lock.
    build_project(open_db(db_path))
    children = {coder: _code(db_path, coder, timeout=60) for coder in ANSWERS}
    try:
        for coder, child in children.items():
            child.expect_exact(f"coded 0 of 4 ({coder})")
        for i in range(4):
            # Both choose, then both press Enter together: the two saves race for the write lock.
            for coder, child in children.items():
                child.expect_exact("> ")
                child.sendline(ANSWERS[coder][i])
            for coder, child in children.items():
                if ANSWERS[coder][i] != "0":
                    child.expect_exact("> ")
                    child.sendline("")
            for coder, child in children.items():
                child.expect_exact(f"coded {i + 1} of 4" if i < 3 else "Session done.")
        for child in children.values():
            child.expect(pexpect.EOF)
            child.wait()
    finally:
        for child in children.values():
            if child.isalive():
                child.kill(signal.SIGKILL)
    assert [child.exitstatus for child in children.values()] == [0, 0]
    db = open_db(db_path)
    got = {(d.coder, d.transcript, d.segment): " ".join(sorted(d.codes)) or "0" for d in iter_decisions(db)}
    segments = [("p01", 2), ("p01", 4), ("p02", 2), ("p02", 3)]
    assert got == {
        (coder, *segment): " ".join(sorted(answer.split()))
        for coder, answers in ANSWERS.items()
        for segment, answer in zip(segments, answers)
    }
    assert db.execute("SELECT COUNT(*) FROM audit_log WHERE entity = 'decision'").fetchone()[0] == 8
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_a_pasted_note_is_one_answer_and_lines_can_be_edited(db_path):
    # A note pasted with a blank line in it saved the segment at the blank line and ran the rest as
    # commands; a paste over 4,096 bytes was cut without a word; the arrow keys typed "^[[D" into notes.
    build_project(open_db(db_path))
    long_note = " ".join(f"word{i}" for i in range(1200))  # about 9,000 characters
    with _session(db_path) as child:
        child.expect_exact("coded 0 of 4 (alice)")
        child.expect_exact("> ")
        child.sendline("1")
        child.expect_exact("> ")
        child.send("n ")
        child.send(
            "\x1b[200~First paragraph.\n\nSecond paragraph: rural roads.\x1b[201~"
        )  # a terminal's paste
        child.send("\r")
        child.expect_exact("Note: First paragraph.")
        child.expect_exact("> ")
        child.sendline("")  # Enter saves
        child.expect_exact("coded 1 of 4")
        child.expect_exact("> ")
        child.sendline("0")  # p01:4, nothing applies
        child.expect_exact("coded 2 of 4")
        child.expect_exact("> ")
        child.send("n ")
        child.send("\x1b[200~" + long_note + "\x1b[201~")
        child.send("\r")
        child.expect_exact("word1199")
        child.expect_exact("> ")
        child.send("co-respondr")
        child.send("\x1b[D")  # a step left, mend the typo, Enter
        child.send("e\r")
        child.expect_exact("Chosen:")  # (the codes are in colour)
        child.expect_exact("> ")
        child.sendline("")
        child.expect_exact("coded 3 of 4")
        _quit(child)
    got = {(d.transcript, d.segment): (sorted(d.codes), d.note) for d in iter_decisions(open_db(db_path))}
    assert got == {
        ("p01", 2): (["csu-admission"], "First paragraph.\n\nSecond paragraph: rural roads."),
        ("p01", 4): ([], ""),
        ("p02", 2): (["co-responder"], long_note),
    }


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
@pytest.mark.skipif(shutil.which("less") is None, reason="less is not installed")
def test_the_codebook_longer_than_the_screen_is_read_in_the_pager_then_the_segment_comes_back(db_path):
    # `?` printed the whole codebook and the screen was drawn again under it: at 80x24 only the last
    # few codes could be read.
    import yaml

    from wei_qual.codebook import load_into_project

    build_project(open_db(db_path))
    many = {
        "name": "Many codes",
        "version": "2",
        "codes": [
            {
                "id": "theme",
                "name": "Theme",
                "children": [
                    {"id": f"code-{i:02d}", "name": f"Code {i}", "definition": f"Definition {i}."}
                    for i in range(60)
                ],
            }
        ],
    }
    path = db_path.parent / "many.yaml"
    path.write_text(yaml.safe_dump(many), encoding="utf-8")
    load_into_project(open_db(db_path), path)
    with _session(db_path, size=(24, 80)) as child:
        child.expect_exact("coded 0 of 4 (alice)")
        child.expect_exact("> ")
        child.sendline("?")
        child.expect_exact("Definition 0.")  # the top of the codebook, in less, which waits
        assert child.expect_exact(["Definition 59.", pexpect.TIMEOUT], timeout=1) == 1
        child.send(">")  # less: to the end
        child.expect_exact("Definition 59.")
        child.send("q")
        child.expect_exact("coded 0 of 4 (alice)")  # the segment's screen again
        _quit(child)
