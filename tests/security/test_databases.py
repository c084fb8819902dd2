"""Foreign, empty, read-only, locked and full databases: refused or reported in one line, never a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from _hostile import build_lead

from wei_qual import store
from wei_qual.cli import app
from wei_qual.models import Decision
from wei_qual.packet import make_packet
from wei_qual.store import open_db
from wei_qual.store.decisions import iter_decisions, save_decision

READ_ONLY = (
    "Error: The project database is read-only, so nothing could be saved. Check the permissions of the file "
    "and its folder, or work on a writable copy.\n"
)
BUSY = (
    "Error: The project database is busy: another wei-qual command kept it locked for more than 0.05 s. "
    "Nothing was saved by this command; run it again when the other one has finished.\n"
)
FULL = "Error: The disk is full, so nothing was saved by this command. Free some space and run it again.\n"


@pytest.fixture
def lead(tmp_path):
    build_lead(tmp_path / "lead.db").close()
    return tmp_path / "lead.db"


@pytest.mark.parametrize("args", [["transcripts", "list"], ["codebook", "versions"], ["ingest", "p.txt"]])
def test_a_foreign_sqlite_file_is_refused_and_left_byte_identical(runner, tmp_path, args):
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('someone else''s data')")
    conn.commit()
    conn.close()
    (tmp_path / "p.txt").write_text("Interviewer: Hello?\nParticipant: We waited.\n")
    before = other.read_bytes()
    result = runner.invoke(app, [*args, "--db", str(other)])
    assert result.exit_code == 1
    assert result.stderr == (
        f'Error: "{other}" is not a wei-qual project (it is another SQLite database) and was left untouched. '
        "Check the path given with --db.\n"
    )
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite", "p.txt"]  # no -wal, no -shm


def test_an_empty_file_becomes_a_private_project_or_is_refused_by_readers(runner, tmp_path):
    empty = tmp_path / "study.db"
    empty.touch(mode=0o644)
    empty.chmod(0o644)
    result = runner.invoke(app, ["transcripts", "list", "--db", str(empty)])
    assert result.exit_code == 1
    assert (
        result.stderr
        == f'Error: "{empty}" is an empty file, not a project. Check the path given with --db.\n'
    )
    assert empty.stat().st_size == 0
    open_db(empty).close()
    assert empty.stat().st_mode & 0o777 == 0o600


@pytest.fixture
def read_only(monkeypatch):
    """Open every project read-only, as a file without write permission is (the tests run as root)."""
    real = sqlite3.connect

    def connect(path, *args, **kwargs):
        if kwargs.get("uri") or path == ":memory:":
            return real(path, *args, **kwargs)
        return real(Path(path).resolve().as_uri() + "?mode=ro", *args, uri=True, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)


def test_a_read_only_project_is_one_line_in_every_writing_command(runner, lead, tmp_path, read_only):
    (tmp_path / "alice.csv").write_text("transcript,segment,coder,codes,note\nt1,1,alice,wait,\n")
    commands = [
        (["decisions", "import", "alice.csv"], None),
        (["assign", "--coders", "alice,bob", "--double", "0"], None),
        (["deid", "allow", "add", "Crisis Stabilization Unit"], None),
        (["code", "--coder", "alice"], "wait\n\n"),
        (["suggest"], None),
    ]
    for args, typed in commands:
        result = runner.invoke(app, [*args, "--db", str(lead)], input=typed)
        assert (result.exit_code, result.stderr) == (1, READ_ONLY), (args, result.stderr, result.exception)


@pytest.fixture
def alice_packet(lead, tmp_path):
    make_packet(open_db(lead), "alice", tmp_path / "alice.wqp")
    packet = open_db(tmp_path / "alice.wqp")
    save_decision(packet, Decision("t1", 1, "alice", frozenset({"wait"})))
    packet.close()


def test_a_read_only_project_refuses_a_merge_in_one_line(runner, tmp_path, alice_packet, read_only):
    result = runner.invoke(app, ["merge", "alice.wqp", "--db", str(tmp_path / "lead.db")])
    assert (result.exit_code, result.stderr) == (1, READ_ONLY)


@pytest.fixture
def locked(lead, monkeypatch):
    """Another command holds the write lock; the busy timeout is cut to 0 s so the test is quick."""
    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(lead, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    yield holder
    holder.rollback()
    holder.close()


def test_a_locked_project_is_one_line_in_import_and_merge(runner, lead, tmp_path, locked):
    (tmp_path / "alice.csv").write_text("transcript,segment,coder,codes,note\nt1,1,alice,wait,\n")
    result = runner.invoke(app, ["decisions", "import", "alice.csv", "--db", str(lead)])
    assert (result.exit_code, result.stderr) == (1, BUSY)
    locked.rollback()
    make_packet(open_db(lead), "alice", tmp_path / "alice.wqp")
    locked.execute("BEGIN IMMEDIATE")
    result = runner.invoke(app, ["merge", "alice.wqp", "--db", str(lead)])
    assert (result.exit_code, result.stderr) == (1, BUSY)


def test_the_coding_session_keeps_the_answer_while_the_project_is_busy(lead, locked):
    import io

    from rich.console import Console

    from wei_qual.cli.code_screen import BUSY as BUSY_MESSAGE
    from wei_qual.cli.code_screen import run_session
    from wei_qual.coding import load_session

    db = open_db(lead)
    session, context = load_session(db, "alice")
    first = session.current.key
    screens = []
    out = Console(file=io.StringIO(), record=True, width=200)
    script = iter(["wait", "", "RELEASE", "", "q"])

    def read_line(prompt):
        screens.append(out.export_text(clear=True))
        line = next(script)
        if line == "RELEASE":  # the other command finishes; the coder presses Enter again
            locked.rollback()
            line = ""
        return line

    assert run_session(db, session, context, read_line=read_line, out=out) == "quit"
    assert BUSY_MESSAGE in screens[2] and "Chosen: wait" in screens[2]  # said so, and the answer is kept
    assert [(d.transcript, d.segment, d.codes) for d in iter_decisions(open_db(lead))] == [(*first, {"wait"})]


def test_a_full_disk_is_one_line_in_import_and_merge(runner, tmp_path, monkeypatch):
    lead_db = build_lead(tmp_path / "lead.db")
    make_packet(lead_db, "alice", tmp_path / "alice.wqp")
    packet = open_db(tmp_path / "alice.wqp")
    for n in (1, 2, 3):
        save_decision(packet, Decision("t1", n, "alice", frozenset({"wait"}), note="A long note. " * 400))
    packet.close()
    lead_db.close()
    rows = ["transcript,segment,coder,codes,note"] + [
        f"t{t},{n},c{c},wait,{'A long note. ' * 50}" for t in (1, 2) for n in (1, 2, 3) for c in range(40)
    ]
    (tmp_path / "many.csv").write_text("\n".join(rows) + "\n")
    real_open = store.open_db

    def full_disk(path, **kwargs):
        db = real_open(path, **kwargs)
        db.execute(f"PRAGMA max_page_count = {db.execute('PRAGMA page_count').fetchone()[0]}")
        return db

    import wei_qual.cli.decisions as decisions_cli

    monkeypatch.setattr(store, "open_db", full_disk)
    monkeypatch.setattr(decisions_cli, "open_db", full_disk)
    for args in (["decisions", "import", "many.csv"], ["merge", "alice.wqp"]):
        result = runner.invoke(app, [*args, "--db", str(tmp_path / "lead.db")])
        assert (result.exit_code, result.stderr) == (1, FULL), args
    assert iter_decisions(real_open(tmp_path / "lead.db")) == []  # all or nothing
