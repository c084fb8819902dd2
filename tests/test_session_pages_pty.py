"""The coding and reconcile sessions in a real terminal, typed as a coder types: the pages of a long turn
stay read when the walk comes back to it, space alone turns a page, `?` lists every suggestion and code,
and the pager ends with the session."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest
from _cli_script import SCRIPT
from test_code_pty import (
    ANSI,
    CLEAR,
    LONG_ANSWER,
    _drawn,
    _kept,
    _load_many_codes,
    _project_with_turns,
    _session,
    _study_project,
    _wei_qual,
)

from wei_qual.store import open_db
from wei_qual.store.decisions import iter_decisions

pexpect = pytest.importorskip("pexpect")

needs_script = pytest.mark.skipif(
    not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed"
)
# 80x24, and a wide terminal where the turn is made long enough to be paged there too.
SIZES = pytest.mark.parametrize("size", [(24, 80), (40, 200)], ids=["80x24", "200x40"])
PAGE = re.compile(r"page (\d+)/(\d+), space for (?:more|page 1)")


def _long(size: tuple[int, int]) -> str:
    """A turn paged at `size`: LONG_ANSWER at 80x24, six of it end to end at 200x40."""
    return LONG_ANSWER if size[1] <= 80 else " ".join([LONG_ANSWER] * 6)


def _page(child) -> tuple[int, int]:
    """(page, pages) of the screen drawn last, at its prompt."""
    child.expect_exact("> ")
    line = next(line for line in _drawn(child)[-1] if PAGE.match(line))
    found = PAGE.match(line)
    return int(found[1]), int(found[2])


def _decisions(db_path) -> dict[int, list[str]]:
    return {d.segment: sorted(d.codes) for d in iter_decisions(open_db(db_path)) if d.transcript == "p03"}


@needs_script
@SIZES
def test_pages_shown_stay_read_when_b_or_g_comes_back_to_a_long_turn(db_path, size):
    # Back on a long turn with `b` or `g`, its pages shown before were forgotten: Enter said "Not saved: 3
    # pages not read yet" and the coder paged through the whole turn again.
    _project_with_turns(db_path, _long(size), "Short answer.")
    with _session(db_path, size=size) as child:
        child.expect_exact("> ")
        child.sendline("g p03:2")
        page, pages = _page(child)
        assert page == 1 and pages >= 3
        for n in range(2, pages + 1):
            child.send(" ")
            assert _page(child) == (n, pages)
        child.sendline("followup")
        child.expect_exact("> ")
        child.sendline("")
        child.expect_exact("Saved: p03 segment 2.")
        child.expect_exact("> ")  # the short turn after it
        child.sendline("b")
        assert _page(child) == (1, pages)  # back on its first page, none of them unread
        assert not any("unread" in line for line in _drawn(child)[-1])
        child.sendline("csu-admission")
        child.expect_exact("> ")
        child.sendline("")  # saved at once: it was read, in full, before
        child.expect_exact("Saved: p03 segment 2.")
        child.expect_exact("> ")
        child.sendline("g p03:2")
        assert _page(child) == (1, pages)
        child.sendline("-csu-admission")
        child.expect_exact("> ")
        child.sendline("")
        child.expect_exact("Saved: p03 segment 2.")
        child.expect_exact("> ")
        child.sendline("q")
        child.expect(pexpect.EOF)
    assert _decisions(db_path) == {2: ["followup"]}


@needs_script
@SIZES
def test_reconcile_keeps_the_pages_read_when_it_comes_back_to_a_disagreement(db_path, size):
    from wei_qual.models import Decision
    from wei_qual.store.decisions import save_decision

    _project_with_turns(db_path, _long(size), "Short answer.")
    db = open_db(db_path)
    for n in (2, 4):
        save_decision(db, Decision("p03", n, "alice", frozenset({"followup", "csu-admission"})))
        save_decision(db, Decision("p03", n, "bob", frozenset({"followup"})))
    db.close()
    args = ["reconcile", "--coder", "lead", "--transcript", "p03", "--db", str(db_path)]
    with _kept(_wei_qual(args, size=size)) as child:
        page, pages = _page(child)
        assert page == 1 and pages >= 3
        for n in range(2, pages + 1):
            child.send(" ")
            assert _page(child) == (n, pages)
        child.sendline("s")  # on to the short one, then back
        child.expect_exact("Short answer.")
        child.expect_exact("> ")
        child.sendline("b")
        assert _page(child)[0] == 1  # (a notice under the turn may take a line of a page)
        assert not any("unread" in line for line in _drawn(child)[-1])
        child.sendline("")  # the rationale's question at once: every page was shown before
        child.expect_exact("Rationale (why these codes; Enter for none, q quits): ")
        child.sendline("")
        child.expect_exact("Short answer.")
        child.expect_exact("> ")
        child.sendline("q")
        child.expect(pexpect.EOF)
    got = [(d.segment, sorted(d.codes)) for d in iter_decisions(open_db(db_path), coders=["consensus"])]
    assert got == [(2, ["followup"])]


@needs_script
@SIZES
def test_space_alone_turns_the_page_and_an_enter_typed_after_it_from_habit_saves_nothing(db_path, size):
    # A page took two keys, space then Enter. Space alone turns it now; the Enter of the old habit,
    # typed right after it, must neither save (on the last page) nor turn a page unseen.
    _project_with_turns(db_path, _long(size), "Short answer.")
    with _session(db_path, size=size) as child:
        child.expect_exact("> ")
        child.sendline("g p03:2")
        _, pages = _page(child)
        assert not any("(space, then Enter)" in line for line in _drawn(child)[-1])
        child.sendline("followup csu-admission")  # spaces inside a line are spaces
        assert _page(child) == (1, pages)
        assert "Chosen: csu-admission, followup" in _drawn(child)[-1]
        for n in range(2, pages + 1):
            child.send(" \r")  # space, then Enter, as before: one page
            assert _page(child) == (n, pages)
            assert not any("Not saved" in line for line in _drawn(child)[-1])
        child.send(" \r")  # on the last page: round to the first, and nothing saved
        assert _page(child) == (1, pages)
        assert _decisions(db_path) == {}
        child.sendline("n")  # at a question space is a space
        child.expect_exact("Note (")
        child.send(" ")
        time.sleep(0.3)
        child.send("checked twice\r")
        assert _page(child) == (1, pages)
        time.sleep(0.6)  # a coder reads the page: then Enter saves
        child.send("\r")
        child.expect_exact("Saved: p03 segment 2.")
        child.expect_exact("> ")
        child.sendline("q")
        child.expect(pexpect.EOF)
    decisions = [d for d in iter_decisions(open_db(db_path)) if d.transcript == "p03"]
    assert [(d.segment, sorted(d.codes), d.note) for d in decisions] == [
        (2, ["csu-admission", "followup"], "checked twice")
    ]


@needs_script
def test_the_key_help_at_80x24_says_enter_saves_after_every_page(db_path):
    _study_project(db_path, [("theme-0-code-1", 0.9)])
    with _session(db_path, size=(24, 80)) as child:
        child.expect_exact("> ")
        assert "Enter save (after every page) · 0 none · s skip · ? codes, keys · q quit" in _drawn(child)[-1]
        child.sendline("q")
        child.expect(pexpect.EOF)


@needs_script
@SIZES
def test_question_mark_lists_every_suggestion_and_every_code_by_number(db_path, size):
    # At 80x24 the suggestions' line was cut after five of nine and the code list after ten codes of 48,
    # and nothing on the screen or in `?` showed the rest of the suggestions.
    suggested = [
        (f"theme-{t}-code-{c}", round(0.95 - 0.05 * i, 2))
        for i, (t, c) in enumerate([(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 0), (6, 1), (7, 2), (7, 4)])
    ]
    _study_project(db_path, suggested)
    with _session(db_path, size=size, env={"PAGER": "cat"}) as child:
        child.expect_exact("> ")
        if size == (24, 80):  # the cut line says where the rest is
            assert "? shows all" in " ".join(_drawn(child)[-1])
        child.sendline("?")
        child.expect_exact("Codebook study")
        child.expect_exact("> ")
        sent = ANSI.sub("", child.logfile_read.getvalue().rsplit("> ?", 1)[1])
        child.sendline("q")
        child.expect(pexpect.EOF)
    listed = " ".join(sent.split())
    head = listed.split("Codebook study")[0]  # before the codebook's table, which numbers them too
    for code, score in suggested:
        assert f"{code} {score:.2f}" in head
    numbers = [f"{t * 6 + c + 1} theme-{t}-code-{c}" for t in range(8) for c in range(6)]
    assert [n for n in numbers if n not in head] == []
    assert "Enter and 0 save a long turn once every page of it was shown" in head


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` and which still run (not zombies)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
@pytest.mark.skipif(shutil.which("less") is None or shutil.which("bash") is None, reason="needs less, bash")
@needs_script
@SIZES
@pytest.mark.parametrize(
    "signals",
    [("SIGTERM", "SIGTERM"), ("SIGHUP", "SIGHUP"), ("SIGKILL",)],
    ids=["term-term", "hup-hup", "kill"],
)
def test_a_session_killed_with_the_codebook_open_in_less_ends_less_too(db_path, size, signals):
    # Killed twice (the second signal ends the program at once) or with SIGKILL, the session left less
    # running on the terminal, less and the shell reading the same keys.
    from _coding_project import build_project

    build_project(open_db(db_path))
    _load_many_codes(db_path)
    kept = {k: v for k, v in os.environ.items() if k not in ("PAGER", "LESS", "COLUMNS", "LINES")}
    shell = pexpect.spawn(
        "bash",
        ["-c", f"'{SCRIPT}' code --coder alice --db '{db_path}'; echo ENDED $?; sleep 30"],
        dimensions=size,
        timeout=30,
        encoding="utf-8",
        env={**kept, "TERM": "xterm-256color"},
    )
    shell.logfile_read = io.StringIO()
    less = []
    with _kept(shell):
        shell.expect_exact("> ")
        shell.sendline("?")
        [session] = _children(shell.pid)
        deadline = time.monotonic() + 10
        while not less and time.monotonic() < deadline:
            less = _children(session)
            time.sleep(0.05)
        assert len(less) == 1
        shell.expect_exact(":")  # less's prompt: it waits for a key
        for name in signals:
            with contextlib.suppress(ProcessLookupError):  # ended at the first: as meant
                os.kill(session, getattr(signal, name))
            time.sleep(0.05)
        shell.expect(r"ENDED (\d+)")
        deadline = time.monotonic() + 5
        while _running(less[0]) and time.monotonic() < deadline:
            time.sleep(0.05)
        ended = not _running(less[0])
        if not ended:
            os.kill(less[0], signal.SIGKILL)
    assert ended


@needs_script
def test_each_minus_shows_the_page_before_by_its_number_back_from_the_last_too(db_path):
    # `-` from page 1 shows the last page, and each `-` after it the page ending where the one shown starts.
    # Numbered as the nearest page, those were 4, 2, 2, 1 of 4: a `-` that did turn the page said the same
    # number again, and a coder typed it twice.
    _project_with_turns(db_path, _long((24, 80)), "Short answer.")
    with _session(db_path, size=(24, 80)) as child:
        child.expect_exact("> ")
        child.sendline("g p03:2")  # its notice takes a line of page 1: the pages after it start a line early
        _, pages = _page(child)
        assert pages >= 4
        for n in range(2, pages + 1):
            child.send(" ")
            assert _page(child) == (n, pages)
        walked = []
        for _ in range(2 * pages - 1):
            child.sendline("-")
            walked.append(_page(child)[0])
        child.sendline("q")
        child.expect(pexpect.EOF)
    back = list(range(pages - 1, 0, -1))
    assert walked == [*back, pages, *back]


# A pager that runs its own pager, as bat runs less: dies at Ctrl-C or a kill (a Rust program's default),
# and less, its child, does not.
BAT_LIKE = """import signal, subprocess, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
less = subprocess.Popen(["less", "-R"], stdin=subprocess.PIPE)
less.communicate(sys.stdin.buffer.read())
sys.exit(less.returncode)
"""


def _in_session(sid: int) -> list[int]:
    """The processes of terminal session `sid` still running."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            if int(fields[3]) == sid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


@contextlib.contextmanager
def _none_left(sid: int):
    """Kills what is left of terminal session `sid` (its leader too) when the block ends: a failed test
    must leave no session or less stopped behind."""
    try:
        yield
    finally:
        for pid in _in_session(sid):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def _ended(pids: list[int], within: float = 3.0) -> bool:
    """Whether `pids` all end `within` seconds (those still running are killed: never left behind)."""
    deadline = time.monotonic() + within
    while any(_running(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [p for p in pids if _running(p)]
    for pid in left:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    return not left


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
@pytest.mark.skipif(shutil.which("less") is None or shutil.which("bash") is None, reason="needs less, bash")
@needs_script
@pytest.mark.parametrize("end", ["ctrl-c", "SIGTERM", "SIGHUP"])
def test_a_pager_that_runs_less_ends_with_its_less_at_ctrl_c_or_a_kill(db_path, tmp_path, end):
    # PAGER=bat: bat runs less. Ctrl-C in it (or the session killed, its terminal closed) ended bat and
    # left less running on the terminal, reading the keys the session or the shell then read too.
    from _coding_project import build_project

    build_project(open_db(db_path))
    _load_many_codes(db_path)
    pager = tmp_path / "bat-like"
    pager.write_text(f"#!{sys.executable}\n{BAT_LIKE}", encoding="utf-8")
    pager.chmod(0o700)
    kept = {k: v for k, v in os.environ.items() if k not in ("PAGER", "LESS", "COLUMNS", "LINES")}
    shell = pexpect.spawn(  # a shell that outlives the session, as a coder's does
        "bash",
        ["-c", f"'{SCRIPT}' code --coder alice --db '{db_path}'; echo ENDED $?; sleep 30"],
        dimensions=(24, 80),
        timeout=30,
        encoding="utf-8",
        env={**kept, "TERM": "xterm-256color", "PAGER": str(pager)},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    shell.logfile_read = io.StringIO()
    with _kept(shell):
        shell.expect_exact("> ")
        shell.sendline("followup")
        shell.expect_exact("> ")
        [session] = _children(shell.pid)
        shell.sendline("?")
        shell.expect_exact("Codes by number")  # in less, under the bat-like pager
        deadline = time.monotonic() + 5
        while len(_in_session(shell.pid)) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        paging = [p for p in _in_session(shell.pid) if p not in (shell.pid, session)]
        assert len(paging) == 2  # the pager and its less
        if end == "ctrl-c":
            shell.sendintr()
            shell.expect_exact("Closed the codebook (Ctrl-C).")
            shell.expect_exact("> ")
            assert _ended(paging)
            assert "Chosen: followup" in _drawn(shell)[-1]
            shell.sendline("q")
        else:
            os.kill(session, getattr(signal, end))
        shell.expect(r"ENDED (\d+)")
        assert _ended(paging)


@pytest.mark.skipif(shutil.which("less") is None or shutil.which("bash") is None, reason="needs less, bash")
@needs_script
def test_ctrl_z_in_the_pager_stops_the_session_and_fg_brings_the_pager_back(db_path):
    # The pager holds the terminal in a group of its own: stopped alone by Ctrl-Z, nothing would read the
    # terminal and the shell would wait for a session that never stopped.
    from _coding_project import build_project

    build_project(open_db(db_path))
    _load_many_codes(db_path)
    kept = {k: v for k, v in os.environ.items() if k not in ("PAGER", "LESS", "COLUMNS", "LINES")}
    shell = pexpect.spawn(
        "bash",
        ["--norc", "--noprofile", "-i"],
        dimensions=(24, 80),
        timeout=30,
        encoding="utf-8",
        env={**kept, "TERM": "xterm-256color", "PS1": "SHELL$ "},
    )
    shell.logfile_read = io.StringIO()
    with _kept(shell), _none_left(shell.pid):
        shell.expect_exact("SHELL$ ")
        shell.sendline(f"'{SCRIPT}' code --coder alice --db '{db_path}'")
        shell.expect_exact("> ")
        shell.sendline("?")
        shell.expect_exact("Codes by number")  # in less
        shell.sendcontrol("z")
        shell.expect("Stopped")
        shell.expect_exact("SHELL$ ")
        shell.sendline("fg")
        shell.expect_exact("Codes by number")  # less drawn again, reading the keys
        shell.send("q")
        shell.expect_exact("coded 0 of 4 (alice)")  # the segment's screen again
        shell.expect_exact("> ")
        shell.sendline("q")
        shell.expect_exact("Stopped at p01 segment 2.")
        shell.expect_exact("SHELL$ ")
        shell.sendline("exit")
        shell.expect(pexpect.EOF)


# Python's readline as macOS's Python has it, libedit's emulation (its docstring and, from Python 3.13, its
# `backend`), here over the GNU readline module this Python has: what the session reads to tell them apart.
LIBEDIT = """import importlib.machinery, importlib.util, os, sys
found = [os.path.join(d, f) for d in sys.path[1:] if os.path.isdir(d) for f in os.listdir(d)
         if f.startswith("readline.") and f.endswith((".so", ".pyd"))]
loader = importlib.machinery.ExtensionFileLoader("readline", found[0])
module = importlib.util.module_from_spec(importlib.util.spec_from_file_location("readline", found[0], loader=loader))
loader.exec_module(module)
module.__doc__ = "Importing this module enables command line editing using libedit readline."
module.backend = "editline"
if {no_hook}:  # a build without rl_pre_input_hook: Python's module has no set_pre_input_hook then
    del module.set_pre_input_hook
sys.modules["readline"] = module
"""


@needs_script
@pytest.mark.parametrize("no_hook", [False, True], ids=["libedit", "libedit-without-pre-input-hook"])
def test_with_libedit_space_then_enter_turns_the_page_and_the_page_line_says_so(db_path, tmp_path, no_hook):
    # GNU readline's C functions make space alone turn a page; libedit has none of them. There it is space,
    # then Enter, as the page line and `?` say; Enter on an empty line shows the next page not read.
    _project_with_turns(db_path, LONG_ANSWER, "Short answer.")
    shim = tmp_path / "libedit"
    shim.mkdir()
    (shim / "readline.py").write_text(LIBEDIT.format(no_hook=no_hook), encoding="utf-8")
    path = os.pathsep.join(p for p in (str(shim), os.environ.get("PYTHONPATH", "")) if p)
    with _session(db_path, size=(24, 80), env={"PYTHONPATH": path}) as child:
        child.expect_exact("> ")
        child.sendline("g p03:2")
        _, pages = _page(child)
        assert pages >= 3
        assert any("space for more (space, then Enter)" in line for line in _drawn(child)[-1])
        screens = len(_drawn(child))
        child.send(" ")  # a space on the line, nothing more
        assert child.expect_exact([CLEAR, pexpect.TIMEOUT], timeout=0.5) == 1
        assert len(_drawn(child)) == screens
        child.send("\r")
        assert _page(child) == (2, pages)
        child.sendline("")  # pages not read: Enter shows the next, and saves nothing
        assert _page(child) == (3, pages)
        assert any("Not saved:" in line for line in _drawn(child)[-1])
        child.sendline("-")
        assert _page(child) == (2, pages)
        child.sendline("q")
        child.expect(pexpect.EOF)
        assert "Traceback" not in child.logfile_read.getvalue()
    assert _decisions(db_path) == {}


@pytest.mark.skipif(shutil.which("less") is None or shutil.which("bash") is None, reason="needs less, bash")
@needs_script
def test_a_terminal_closed_with_the_pager_open_ends_the_session_as_hung_up(db_path, tmp_path):
    # The pager's group holds the terminal while it runs, so a closed terminal hangs up that group and the
    # shell, not the session: the session drew on the terminal that was gone, spent seconds on the write
    # error, and ended with status 1.
    from _coding_project import build_project

    build_project(open_db(db_path))
    _load_many_codes(db_path)
    status = tmp_path / "status"
    kept = {k: v for k, v in os.environ.items() if k not in ("PAGER", "LESS", "COLUMNS", "LINES")}
    shell = pexpect.spawn(  # a shell that waits for the session and then says how it ended
        "bash",
        ["-c", f"trap true HUP; '{SCRIPT}' code --coder alice --db '{db_path}'; echo $? > '{status}'"],
        dimensions=(24, 80),
        timeout=30,
        encoding="utf-8",
        env={**kept, "TERM": "xterm-256color"},
    )
    shell.logfile_read = io.StringIO()
    with _kept(shell):
        shell.expect_exact("> ")
        [session] = _children(shell.pid)
        shell.sendline("?")
        shell.expect_exact("Codes by number")  # in less
        shell.ptyproc.fileobj.close()  # the terminal window closed (its descriptor: never closed twice)
        shell.closed = shell.ptyproc.closed = True
        closed = time.monotonic()
        while not (status.exists() and status.read_text()) and time.monotonic() < closed + 10:
            time.sleep(0.02)
        took = time.monotonic() - closed
        ended = _ended([session])
    assert status.read_text().strip() == str(128 + signal.SIGHUP)
    assert took < 1.5, took
    assert ended


@needs_script
def test_a_pager_that_cannot_run_leaves_the_terminal_to_the_session(db_path, tmp_path):
    # The pager's child took the terminal for its group before exec, and exec failed: the terminal's
    # foreground group was left a dead one, and the session, reading from the background, was stopped.
    from _coding_project import build_project

    build_project(open_db(db_path))
    _load_many_codes(db_path)
    pager = tmp_path / "not-a-program"
    pager.write_bytes(b"\x7fELF\x00not a program")  # found on the PATH, refused by exec
    pager.chmod(0o700)
    with _session(db_path, size=(24, 80), env={"PAGER": str(pager)}) as child:
        child.expect_exact("> ")
        child.sendline("?")
        child.expect_exact("Definition 59.")  # printed straight, as without a pager
        child.expect_exact("> ")
        child.sendline("followup")
        child.expect(r"Chosen: (\x1b\[[0-9;]*m)?followup")
        child.expect_exact("> ")
        child.sendline("q")
        child.expect(pexpect.EOF)
