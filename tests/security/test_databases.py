"""Foreign, empty, read-only, locked and full databases: refused or reported in one line, never a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from _hostile import build_lead

from wei_qual import __version__, store
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


TRANSCRIPT = "Interviewer: How long did you wait?\nParticipant: We waited four hours at the unit.\n"


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("failure", ["disk full", "Ctrl-C"])
def test_a_project_whose_creation_fails_leaves_nothing(runner, tmp_path, monkeypatch, failure):
    # A full disk or a kill part-way through the migrations left a file with no application_id, which
    # every later command refused as "another SQLite database".
    from wei_qual.migrations import migrations

    (tmp_path / "p01.txt").write_text(TRANSCRIPT)
    real_apply = migrations.apply

    def interrupted(db, **kwargs):
        real_apply(db, stop_before="m005_set_application_id")  # part of the schema is written
        if failure == "Ctrl-C":
            raise KeyboardInterrupt
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(migrations, "apply", interrupted)
    before = _files(tmp_path)
    result = runner.invoke(app, ["ingest", "p01.txt", "--db", "new.db"])
    if failure == "disk full":
        assert (result.exit_code, result.stderr) == (1, FULL)
    else:
        assert result.exit_code == 130
    assert _files(tmp_path) == before  # no new.db, no -wal, no temporary file
    monkeypatch.setattr(migrations, "apply", real_apply)
    result = runner.invoke(app, ["ingest", "p01.txt", "--db", "new.db", "--allow-pii"])
    assert result.exit_code == 0, result.stderr


def test_a_new_project_is_whole_and_private(tmp_path):
    import os

    old = os.umask(0o022)
    try:
        db = open_db(tmp_path / "new.db")
    finally:
        os.umask(old)
    assert db.created and db.execute("PRAGMA application_id").fetchone()[0] == 0x57454951
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert (tmp_path / "new.db").stat().st_mode & 0o777 == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert not open_db(tmp_path / "new.db").created


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["ingest", "nope.txt"], id="ingest a missing file"),
        pytest.param(["ingest", "emptydir"], id="ingest an empty folder"),
        pytest.param(["ingest", "notes.xyz"], id="ingest a refused file"),
        pytest.param(["ingest", "p01.txt", "--attributes", "broken.csv"], id="ingest with a broken CSV"),
        pytest.param(["codebook", "load", "broken.yaml"], id="codebook load a broken codebook"),
        pytest.param(["assign", "--coders", "alice,bob"], id="assign"),
        pytest.param(["suggest"], id="suggest"),
    ],
)
def test_a_failed_command_leaves_no_new_project(runner, tmp_path, args):
    # A mistyped --db used to get a new, empty 180 KB project from a command that then failed.
    (tmp_path / "emptydir").mkdir()
    (tmp_path / "notes.xyz").write_text(TRANSCRIPT)
    (tmp_path / "p01.txt").write_text(TRANSCRIPT)
    (tmp_path / "broken.csv").write_text("name,role\np01,officer\n")
    (tmp_path / "broken.yaml").write_text("codes:\n  - id: [\n")
    before = _files(tmp_path)
    result = runner.invoke(app, [*args, "--db", "typo.db"])
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert _files(tmp_path) == before
    if args[0] in ("assign", "suggest"):  # they need transcripts: there must be a project already
        assert result.stderr.startswith('Error: No project at "typo.db".')


def test_a_failed_command_keeps_a_project_that_existed_or_holds_something(runner, tmp_path):
    (tmp_path / "broken.yaml").write_text("codes:\n  - id: [\n")
    open_db(tmp_path / "empty.db").close()  # made earlier, still empty: the user's, not this command's
    assert runner.invoke(app, ["codebook", "load", "broken.yaml", "--db", "empty.db"]).exit_code == 1
    assert (tmp_path / "empty.db").exists()
    (tmp_path / "touched.db").touch()  # the user's empty file becomes a project, and is not removed
    assert runner.invoke(app, ["codebook", "load", "broken.yaml", "--db", "touched.db"]).exit_code == 1
    assert (tmp_path / "touched.db").exists()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "p01.txt").write_text(TRANSCRIPT)
    (tmp_path / "in" / "p02.txt").write_text("")  # refused: empty
    result = runner.invoke(app, ["ingest", "in", "--db", "new.db", "--allow-pii"])
    assert result.exit_code == 1  # one file failed; the other is stored and the project kept
    assert [r["id"] for r in open_db(tmp_path / "new.db").query("SELECT id FROM transcripts")] == ["p01"]


def test_a_project_others_can_read_is_made_owner_only_with_a_warning(runner, lead):
    import os

    result = runner.invoke(app, ["transcripts", "list", "--db", str(lead)])  # leaves -wal and -shm
    for name in (lead, Path(f"{lead}-wal"), Path(f"{lead}-shm")):
        if name.exists():
            os.chmod(name, 0o644)
    result = runner.invoke(app, ["transcripts", "list", "--db", str(lead)])
    assert result.exit_code == 0
    assert result.stderr == (
        f'Warning: "{lead}" could be read by other users (mode 0644); it is now owner-only (0600), as every '
        "project wei-qual makes is.\n"
    )
    for name in (lead, Path(f"{lead}-wal"), Path(f"{lead}-shm")):
        assert not name.exists() or name.stat().st_mode & 0o777 == 0o600
    assert runner.invoke(app, ["transcripts", "list", "--db", str(lead)]).stderr == ""  # said once


def test_a_project_made_by_a_newer_wei_qual_is_refused_untouched(runner, lead, tmp_path):
    conn = sqlite3.connect(lead)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('wei_qual', 'm099_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    before = lead.read_bytes()
    (tmp_path / "p.txt").write_text(TRANSCRIPT)
    refused = (
        f'Error: "{lead}" was made by a newer wei-qual (it has migration "m099_future", which wei-qual '
        f"{__version__} does not know) and was left untouched. Upgrade wei-qual to open it.\n"
    )
    for args in (["transcripts", "list"], ["ingest", "p.txt"]):
        result = runner.invoke(app, [*args, "--db", str(lead)])
        assert (result.exit_code, result.stderr) == (1, refused)
    assert lead.read_bytes() == before


def test_a_project_opened_through_a_symlink_is_made_owner_only_side_files_and_all(runner, lead, tmp_path):
    """A project kept elsewhere (a synced folder) and linked into the working folder: SQLite keeps its
    -wal and -shm beside the real file, so that is where they are made owner-only too."""
    import os

    link = tmp_path / "here.db"
    link.symlink_to(lead)
    held = sqlite3.connect(lead)  # another command holds it open: its -wal and -shm stay
    held.execute("PRAGMA journal_mode = WAL")
    held.execute("INSERT INTO settings (key, value) VALUES ('held', 'x')")
    held.commit()
    for name in (lead, Path(f"{lead}-wal"), Path(f"{lead}-shm")):
        os.chmod(name, 0o644)
    result = runner.invoke(app, ["transcripts", "list", "--db", str(link)])
    assert result.exit_code == 0, result.stderr
    assert "it is now owner-only (0600)" in result.stderr
    assert link.is_symlink()
    for name in (lead, Path(f"{lead}-wal"), Path(f"{lead}-shm")):
        assert name.stat().st_mode & 0o777 == 0o600, name
    assert not Path(f"{link}-wal").exists()
    held.close()


def test_a_symlink_to_nothing_as_the_project_is_one_line(runner, tmp_path):
    (tmp_path / "p.txt").write_text(TRANSCRIPT)
    (tmp_path / "p.db").symlink_to(tmp_path / "moved" / "study.db")
    for args in (["ingest", "p.txt"], ["transcripts", "list"]):
        result = runner.invoke(app, [*args, "--db", "p.db"])
        assert result.exit_code == 1
        assert result.stderr == (
            f'Error: "p.db" is a symbolic link to "{tmp_path / "moved" / "study.db"}", which does not exist. '
            "Pass the project's own path with --db, or remove the link.\n"
        )
    assert (tmp_path / "p.db").is_symlink() and not (tmp_path / "moved").exists()


def test_a_project_s_schema_runs_no_function_that_is_not_marked_harmless(lead):
    # A project handed over by someone else may carry a trigger of theirs. Packets were opened with the
    # schema untrusted; projects were not, so such a trigger could call any function the process offered.
    # A trigger on wei-qual's tables is now refused outright (below); the schema stays untrusted as well.
    conn = sqlite3.connect(lead)
    conn.execute("CREATE TRIGGER settings_tell AFTER INSERT ON settings BEGIN SELECT tell(new.value); END")
    conn.commit()
    conn.close()
    with pytest.raises(store.StoreError, match='a trigger "settings_tell" on its table "settings"'):
        open_db(lead)
    conn = sqlite3.connect(lead)
    conn.execute("DROP TRIGGER settings_tell")
    conn.commit()
    conn.close()
    assert open_db(lead).execute("PRAGMA trusted_schema").fetchone()[0] == 0


def test_a_view_in_place_of_a_table_or_a_foreign_trigger_is_refused_at_once(runner, lead, tmp_path):
    # A view over a recursive query where the coders table was kept "wei-qual coders" busy for ever, and
    # neither Ctrl-C nor SIGTERM stopped it: Python's handlers run only once SQLite returns. (This one
    # ends, so that the test fails rather than hangs without the check: it listed nine forged coders.)
    import time

    conn = sqlite3.connect(lead)
    conn.executescript(
        """
        ALTER TABLE coders RENAME TO coders_kept;
        CREATE VIEW Coders AS WITH RECURSIVE b(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM b WHERE x < 9)
            SELECT 'c' || x AS id, 't' AS created_utc FROM b;
        """
    )
    conn.close()
    before = lead.read_bytes()
    started = time.monotonic()
    result = runner.invoke(app, ["coders", "--db", str(lead)])
    assert result.exit_code == 1 and time.monotonic() - started < 30
    assert result.stderr == (
        f'Error: "{lead}" holds a view named "Coders", where wei-qual keeps its table of that name (added with '
        "another SQLite tool), which would run on every command, so it was left untouched. Ask whoever gave "
        'you the project for a copy without it, or remove it with sqlite3 ("DROP VIEW ...").\n'
    )
    assert lead.read_bytes() == before
    assert store.peek_project(lead, "demo") is None  # `demo` leaves such a demo.db alone, unread
    # A trigger that would change every decision saved from now on is refused too; a view or a trigger
    # of the user's own tables is theirs.
    build_lead(tmp_path / "other.db").close()
    conn = sqlite3.connect(tmp_path / "other.db")
    conn.executescript(
        """
        CREATE VIEW my_counts AS SELECT coder_id, COUNT(*) AS n FROM decisions GROUP BY coder_id;
        CREATE TABLE my_notes (x TEXT);
        CREATE TRIGGER my_notes_upper AFTER INSERT ON my_notes BEGIN UPDATE my_notes SET x = upper(x); END;
        """
    )
    conn.close()
    assert runner.invoke(app, ["coders", "--db", str(tmp_path / "other.db")]).exit_code == 0
    conn = sqlite3.connect(tmp_path / "other.db")
    conn.execute(
        "CREATE TRIGGER tamper AFTER INSERT ON decisions BEGIN UPDATE decisions SET codes = '[]' "
        "WHERE id = new.id; END"
    )
    conn.close()
    result = runner.invoke(app, ["coders", "--db", str(tmp_path / "other.db")])
    assert result.exit_code == 1
    assert 'holds a trigger "tamper" on its table "decisions" that wei-qual did not make' in result.stderr


def test_the_known_tables_and_triggers_are_those_the_migrations_make():
    from wei_qual.migrations import migrations
    from wei_qual.store.packets import _reference_schema

    reference = _reference_schema(tuple(migrations.names))
    assert set(reference["tables"]) == store.TABLES
    assert reference["triggers"] == store.TRIGGERS


def test_a_deleted_project_s_write_ahead_log_is_not_replayed_into_a_new_one(runner, tmp_path, monkeypatch):
    # `rm study.db` while its -wal stayed (a command still had it open, or was killed), then a fresh
    # ingest at the same path: SQLite replayed the old project's last changes into the new one.
    monkeypatch.chdir(tmp_path)
    old = open_db(tmp_path / "study.db")
    store.save_setting(old, "left", "a change only the old project's -wal holds")
    (tmp_path / "study.db").unlink()
    (tmp_path / "P01.txt").write_text("Interviewer: Where were you posted?\nP01: Out east, nights.\n")
    result = runner.invoke(app, ["ingest", "P01.txt", "--db", "study.db"])
    assert result.exit_code == 1
    assert result.stderr == (
        'Error: "study.db-wal" holds the last changes of a project that was deleted or moved from "study.db" '
        "without it. Move it beside that project (they belong together), or delete it if that project is "
        "gone, then run the command again.\n"
    )
    assert not (tmp_path / "study.db").exists()
    assert (tmp_path / "study.db-wal").stat().st_size > 0
    old.conn.close()
