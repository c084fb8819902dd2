"""Every output is written atomically, privately (0600) and never through a symlink.

Each writer is driven through the command line: a planted symlink must be replaced, not followed; a
failure part-way (a full disk during the write, or the final rename failing) must leave the old file
untouched and no temporary file behind, with a one-line error.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest
from _hostile import build_lead

from wei_qual.cli import app
from wei_qual.errors import WriteError
from wei_qual.models import Decision
from wei_qual.safeio import atomic_writer, write_text_atomic
from wei_qual.store.decisions import save_decision

DATA = Path(__file__).parent.parent / "data"
OLD = b"the previous export, which must survive\n"


@pytest.fixture(autouse=True)
def umask_022():
    old = os.umask(0o022)  # the usual default: files would be world-readable without the writer
    yield
    os.umask(old)


@pytest.fixture
def lead(tmp_path):
    db = build_lead(tmp_path / "lead.db")
    for coder, codes in (("alice", {"wait"}), ("bob", {"beds"})):
        for tid in ("t1", "t2"):
            for n in (1, 2, 3):
                save_decision(db, Decision(tid, n, coder, frozenset(codes | ({"jail"} if n == 3 else set()))))
    db.close()
    (tmp_path / "p07.txt").write_text("Officer: I called Maria Lopez at 555-867-5309.\n", encoding="utf-8")
    return tmp_path / "lead.db"


# (name, args with OUT.suffix standing for the file written)
WRITERS = [
    ("report csv", ["report", "themes", "--source", "union", "-o", "OUT.csv"]),
    ("report xlsx", ["report", "quotes", "--source", "union", "-o", "OUT.xlsx"]),
    ("report md", ["report", "matrix", "--source", "union", "-o", "OUT.md"]),
    ("report json", ["report", "cooccurrence", "--source", "union", "-o", "OUT.json"]),
    ("report html", ["report", "html", "--source", "union", "-o", "OUT.html"]),
    ("agree -o", ["agree", "--bootstrap", "0", "-o", "OUT.md"]),
    ("agree --disagreements -o", ["agree", "--disagreements", "-o", "OUT.csv"]),
    ("decisions export -o", ["decisions", "export", "-o", "OUT.csv"]),
    ("codebook export md", ["codebook", "export", "--format", "md", "-o", "OUT.md"]),
    ("codebook export csv", ["codebook", "export", "--format", "csv", "-o", "OUT.csv"]),
    ("codebook export docx", ["codebook", "export", "--format", "docx", "-o", "OUT.docx"]),
    ("codebook export qdc", ["codebook", "export", "--format", "qdc", "-o", "OUT.qdc"]),
    (
        "codebook import -o",
        # --force: the tests' OUT.yaml is no file wei-qual wrote, which import would otherwise keep
        ["codebook", "import", str(DATA / "codebooks" / "qualcoder.qdc"), "-o", "OUT.yaml", "--force"],
    ),
    ("deid redact -o", ["deid", "redact", "p07.txt", "-o", "OUT.txt"]),
    ("deid redact --key", ["deid", "redact", "p07.txt", "-o", "redacted.txt", "--key", "OUT.json"]),
    ("packet --force", ["packet", "--coder", "alice", "--force", "-o", "OUT.wqp"]),
    ("project export .qdpx", ["project", "export", "OUT.qdpx"]),
    ("retrieve -o", ["retrieve", "wait", "--source", "union", "-o", "OUT.html"]),
    ("search -o", ["search", "waited", "-o", "OUT.csv"]),
    ("memos -o", ["memos", "-o", "OUT.md"]),
    ("report methods -o", ["report", "methods", "-o", "OUT.md"]),
]
IDS = [name for name, _ in WRITERS]


def _args(args: list[str], target: Path, db: Path) -> list[str]:
    swapped = [str(target) if a.startswith("OUT.") else a for a in args]
    if args[:2] == ["codebook", "import"]:  # works on files only, no project
        return swapped
    return [*swapped, "--db", str(db)]


def _option(args: list[str]) -> str:
    """How the messages name the output: its option, or project export's argument (it has no -o)."""
    if "--key" in args:
        return "--key"
    return "OUT.qdpx" if args[:2] == ["project", "export"] else "-o"


def _target(tmp_path: Path, args: list[str]) -> Path:
    return tmp_path / next(a for a in args if a.startswith("OUT."))


def _listing(folder: Path) -> list[str]:
    """The files in a folder, leaving out the project's own WAL files (they come and go with connections)."""
    return sorted(p.name for p in folder.iterdir() if p.name not in ("lead.db-wal", "lead.db-shm"))


@pytest.mark.parametrize("name, args", WRITERS, ids=IDS)
def test_a_planted_symlink_is_replaced_not_followed(runner, lead, tmp_path, name, args):
    victim = tmp_path / "victim.txt"
    victim.write_bytes(OLD)
    victim.chmod(0o644)
    target = _target(tmp_path, args)
    target.symlink_to(victim)
    result = runner.invoke(app, _args(args, target, lead))
    assert result.exit_code == 0, result.stderr
    assert (
        victim.read_bytes() == OLD and victim.stat().st_mode & 0o777 == 0o644
    )  # neither written nor chmodded
    assert not target.is_symlink() and target.stat().st_size > 0
    assert target.stat().st_mode & 0o777 == 0o600  # private under umask 022


@pytest.mark.parametrize("name, args", WRITERS, ids=IDS)
def test_a_pipe_or_device_is_never_replaced(runner, lead, tmp_path, name, args):
    # As root, "-o /dev/null" replaced the device with a regular file; a named pipe went the same way.
    target = _target(tmp_path, args)
    os.mkfifo(target)
    result = runner.invoke(app, _args(args, target, lead))
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1].endswith(
        f'"{target}" is a device or a pipe, not a file: a file written there would take its place. '
        f"Pass a file name with {_option(args)}."
    )
    assert stat.S_ISFIFO(os.lstat(target).st_mode)


# Every writer that can be pointed at the project itself (codebook import works on files only).
ON_THE_PROJECT = [
    pytest.param(args, id=name) for name, args in WRITERS if args[:2] != ["codebook", "import"]
] + [pytest.param(["memos", "--format", "json", "-o", "OUT.json"], id="memos -o")]


@pytest.mark.parametrize("args", ON_THE_PROJECT)
def test_an_output_over_the_project_database_is_refused(runner, lead, tmp_path, args):
    # "decisions export -o p.db --db p.db" wrote 531 decisions over the project: it was gone. The
    # project is named with the output's suffix, so the commands that go by the suffix get that far.
    project = tmp_path / f"project{Path(next(a for a in args if a.startswith('OUT.'))).suffix}"
    lead.rename(project)
    before = project.read_bytes()
    result = runner.invoke(app, _args(args, project, project))
    assert result.exit_code == 1, result.stderr
    assert result.stderr.splitlines()[-1] == (
        f'Error: "{project}" is the project database this command is using: writing there would replace '
        f"the project. Pass another {_option(args)}."
    )
    assert "Traceback" not in result.stderr
    assert project.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("side", ["-wal", "-shm"])
def test_an_output_over_a_side_file_of_the_project_is_refused(runner, lead, tmp_path, side):
    target = Path(f"{lead}{side}")
    result = runner.invoke(
        app, ["decisions", "export", "--format", "csv", "-o", str(target), "--db", str(lead)]
    )
    assert result.exit_code == 1
    assert result.stderr == (
        f'Error: "{target}" is the {side} file of the project database this command is using: writing there '
        "would damage the project. Pass another -o.\n"
    )
    assert runner.invoke(app, ["transcripts", "list", "--db", str(lead)]).exit_code == 0


def test_the_project_is_refused_under_another_name_too(runner, lead, tmp_path):
    (tmp_path / "sub").mkdir()
    hard = tmp_path / "same.db"
    os.link(lead, hard)  # another name for the same file
    for target in (tmp_path / "sub" / ".." / "lead.db", hard):
        result = runner.invoke(app, ["decisions", "export", "-o", str(target), "--db", str(lead)])
        assert result.exit_code == 1
        assert "is the project database this command is using" in result.stderr
    assert runner.invoke(app, ["transcripts", "list", "--db", str(lead)]).exit_code == 0


def test_a_symlink_to_the_project_is_replaced_not_followed(runner, lead, tmp_path):
    link = tmp_path / "export.csv"
    link.symlink_to(lead)
    before = lead.read_bytes()
    result = runner.invoke(app, ["decisions", "export", "-o", str(link), "--db", str(lead)])
    assert result.exit_code == 0, result.stderr
    assert not link.is_symlink() and lead.read_bytes() == before


# SQLite writes the packet itself, not through a file object: its full disk is tested below, in
# test_a_packet_on_a_full_disk_leaves_nothing.
FAILED_WRITES = [
    pytest.param(name, args, failure, id=f"{name}-{failure}")
    for name, args in WRITERS
    for failure in ("rename", "disk full mid-write")
    if not (name == "packet --force" and failure != "rename")
]


@pytest.mark.parametrize("name, args, failure", FAILED_WRITES)
def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(
    runner, lead, tmp_path, monkeypatch, name, args, failure
):
    target = _target(tmp_path, args)
    target.write_bytes(OLD)
    before = _listing(tmp_path)
    if failure == "rename":

        def fail_rename(src, dst):
            raise OSError(errno.EIO, "Input/output error", str(dst))

        monkeypatch.setattr(os, "replace", fail_rename)
        reason = "Input/output error"
    else:
        real_fdopen = os.fdopen

        class FullDisk:
            """A file whose disk fills after a few bytes, as the attack pass's full disk did."""

            def __init__(self, handle):
                self.handle = handle

            def write(self, data):
                self.handle.write(data[:3])
                raise OSError(errno.ENOSPC, "No space left on device")

            def __getattr__(self, attr):
                return getattr(self.handle, attr)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.handle.close()

        monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: FullDisk(real_fdopen(fd, *a, **k)))
        reason = "No space left on device"
    result = runner.invoke(app, _args(args, target, lead))
    assert result.exit_code == 1, (result.stderr, result.exception)
    assert target.read_bytes() == OLD
    assert _listing(tmp_path) == before  # no temporary file, nothing half-written beside it
    # the analysis's own warnings and progress (agree's exclusive group on too few units, search's first
    # indexing) come before the error
    lines = [line for line in result.stderr.splitlines() if not line.startswith(("Warning: ", "Indexing "))]
    lines = [line for line in lines if line]
    assert len(lines) == 1 and lines[0].startswith('Error: Cannot write "')
    assert f"({reason}); nothing was changed." in lines[0]


def test_a_packet_on_a_full_disk_leaves_nothing(runner, tmp_path, monkeypatch):
    import wei_qual.packet as packet_module

    turns = ["We waited at the unit for hours that night, and then some more. " * 40] * 3
    build_lead(tmp_path / "lead.db", texts={tid: turns for tid in ("t1", "t2", "t3", "t4")}).close()
    lead = tmp_path / "lead.db"

    real_open_db = packet_module.open_db

    def small_disk(path, **kwargs):
        db = real_open_db(path, **kwargs)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")  # the disk fills while the transcripts are copied
        return db

    monkeypatch.setattr(packet_module, "open_db", small_disk)
    old = tmp_path / "alice.wqp"
    old.write_bytes(OLD)
    before = _listing(tmp_path)
    result = runner.invoke(app, ["packet", "--coder", "alice", "--force", "-o", str(old), "--db", str(lead)])
    assert result.exit_code == 1
    assert (
        result.stderr
        == "Error: The disk is full, so nothing was saved by this command. Free some space and run it again.\n"
    )
    assert old.read_bytes() == OLD and _listing(tmp_path) == before


# Runs the wei-qual program with its write held just before the rename, so a signal lands mid-write.
HELD_WRITE = """
import pathlib, sys, time
from wei_qual import safeio
def held(*args, **kwargs):
    pathlib.Path("writing").touch()
    time.sleep(60)
safeio._commit = held
sys.argv = ["wei-qual", *sys.argv[1:]]
from wei_qual.cli import run
run()
"""


@pytest.mark.parametrize("name, code", [("SIGTERM", 143), ("SIGHUP", 129), ("SIGINT", 130)])
def test_a_signal_mid_write_leaves_no_temporary_file(lead, tmp_path, name, code):
    # SIGTERM or SIGHUP (a kill, a closed terminal) left ".out.csv.<hex>.tmp" behind; Ctrl-C did not.
    import signal
    import subprocess
    import sys
    import time

    (tmp_path / "held.py").write_text(HELD_WRITE, encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, "held.py", "decisions", "export", "-o", "out.csv", "--db", str(lead)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509 - the test runs no threads
    )
    deadline = time.monotonic() + 10
    while not (tmp_path / "writing").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # caught mid-write
    child.send_signal(getattr(signal, name))
    _, err = child.communicate(timeout=10)
    how = "Interrupted (Ctrl-C)" if name == "SIGINT" else f"Stopped by {name}"
    said = "nothing was left half-done: a change under way was rolled back, and an output file is written whole or not at all."
    assert (child.returncode, err) == (code, f"{how}: {said}\n")
    assert _listing(tmp_path) == ["held.py", "lead.db", "p07.txt", "writing"]  # no out.csv, no .tmp


def test_a_packet_is_not_overwritten_without_force(runner, lead, tmp_path):
    (tmp_path / "alice.wqp").write_bytes(OLD)
    result = runner.invoke(app, ["packet", "--coder", "alice", "-o", "alice.wqp", "--db", str(lead)])
    assert result.exit_code == 1
    assert result.stderr == (
        'Error: "alice.wqp" already exists. Choose another -o, pass --force, or delete the old packet first.\n'
    )
    assert (tmp_path / "alice.wqp").read_bytes() == OLD


def test_redact_on_a_full_disk_writes_neither_file(runner, lead, tmp_path, monkeypatch):
    real_fsync = os.fsync
    calls = []

    def fsync(fd):
        calls.append(fd)
        if len(calls) == 2:  # the key is written; the disk fills as the copy is
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    result = runner.invoke(
        app, ["deid", "redact", "p07.txt", "-o", "out.txt", "--key", "key.json", "--db", str(lead)]
    )
    assert result.exit_code == 1
    assert result.stderr == (
        'Error: Cannot write "out.txt" (No space left on device); nothing was changed. Free some space or fix the '
        "folder, or pass another -o.\n"
    )
    assert not (tmp_path / "key.json").exists() and not (tmp_path / "out.txt").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_output_under_a_regular_file_is_one_line(runner, lead, tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    result = runner.invoke(app, ["agree", "--disagreements", "-o", "notes.txt/out.csv", "--db", str(lead)])
    assert result.exit_code == 1
    assert result.stderr == 'Error: "notes.txt" is a file, not a folder. Pass another -o.\n'


def test_the_old_predictable_temp_name_is_no_way_in(runner, lead, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_bytes(OLD)
    (tmp_path / ".report.html.tmp").symlink_to(victim)  # where the old writer put its temporary file
    result = runner.invoke(
        app, ["report", "html", "--source", "union", "-o", "report.html", "--db", str(lead)]
    )
    assert result.exit_code == 0, result.stderr
    assert victim.read_bytes() == OLD and (tmp_path / "report.html").stat().st_mode & 0o777 == 0o600


def test_atomic_writer_basics(tmp_path):
    target = tmp_path / "out.txt"
    write_text_atomic(target, "one\r\ntwo\n")
    assert target.read_bytes() == b"one\r\ntwo\n" and target.stat().st_mode & 0o777 == 0o600
    with pytest.raises(RuntimeError), atomic_writer(target) as handle:
        handle.write("half")
        raise RuntimeError("the caller fails mid-way")
    assert target.read_bytes() == b"one\r\ntwo\n" and _listing(tmp_path) == ["out.txt"]
    with pytest.raises(WriteError, match='"[^"]*out.txt" already exists'):
        write_text_atomic(target, "x", overwrite=False)
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    with pytest.raises(WriteError, match="already exists"):
        write_text_atomic(tmp_path / "dangling", "x", overwrite=False)
    assert not (tmp_path / "nowhere").exists()
    with pytest.raises(
        WriteError, match='Folder "[^"]*missing" does not exist. Create it, or pass another --key.'
    ):
        write_text_atomic(tmp_path / "missing" / "k.json", "x", option="--key")
    with pytest.raises(WriteError, match=r'"[^"]*sub" is a folder\. Pass a file name with -o\.'):
        (tmp_path / "sub").mkdir()
        write_text_atomic(tmp_path / "sub", "x")
