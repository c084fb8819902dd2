"""A real terminal: run the installed console script in a pty, answer segments, SIGKILL it, and check
that every answered decision is in the database and the file is intact (each decision is committed
the moment it is made)."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import shutil
import signal
import sqlite3
import sys
import time
from pathlib import Path

import pytest
from _cli_script import SCRIPT
from _coding_project import add_suggestion, build_project

from wei_qual.store import open_db
from wei_qual.store.decisions import iter_decisions

pexpect = pytest.importorskip("pexpect")


def _wei_qual(args, *, size=(40, 160), timeout: int = 30, env=None):
    """`wei-qual ARGS` in a pty, as a terminal readline knows (it pastes in brackets there), with less
    as the pager and its own options, the pty's size as the screen's, and `env` added."""
    kept = {k: v for k, v in os.environ.items() if k not in ("PAGER", "LESS", "COLUMNS", "LINES")}
    child = pexpect.spawn(
        SCRIPT,
        args,
        dimensions=size,
        timeout=timeout,
        encoding="utf-8",
        env={**kept, "TERM": "xterm-256color", **(env or {})},
        # Ctrl-C as a terminal gives it, even when the tests run where SIGINT is ignored (a background
        # job, nohup): an ignored signal stays ignored across exec.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    child.logfile_read = io.StringIO()  # what the terminal was sent, for _drawn
    return child


def _code(db_path, coder: str = "alice", **options):
    """`wei-qual code` of `coder` in a pty (_wei_qual)."""
    return _wei_qual(["code", "--coder", coder, "--db", str(db_path)], **options)


@contextlib.contextmanager
def _session(db_path, **options):
    """_code's session, killed if a test leaves it running (a failed expect must not leave it behind)."""
    with _kept(_code(db_path, **options)) as child:
        yield child


@contextlib.contextmanager
def _reconcile(db_path, size, *, notes: bool = False):
    """The lead's reconcile session at size (rows, columns) on one disagreement, p01 segment 2 (alice:
    csu-admission; bob: csu-refusal, followup; each with a note when `notes`), killed as _session is."""
    from wei_qual.models import Decision
    from wei_qual.store.decisions import save_decision

    db = open_db(db_path)
    build_project(db)
    for coder, codes in (("alice", {"csu-admission"}), ("bob", {"csu-refusal", "followup"})):
        note = f"{coder} was unsure here" if notes else ""
        save_decision(db, Decision("p01", 2, coder, frozenset(codes), note=note))
    db.close()
    with _kept(_wei_qual(["reconcile", "--coder", "lead", "--db", str(db_path)], size=size)) as child:
        yield child


@contextlib.contextmanager
def _kept(child):
    """A spawned session, its output printed when the test fails and killed if the test leaves it running."""
    try:
        yield child
    except Exception:
        # All the session wrote, in the failure's report: pexpect keeps its last 100 characters, and a
        # session that crashed as it started left the end of a traceback and not where it came from.
        print(child.logfile_read.getvalue()[-6000:])
        raise
    finally:
        if child.isalive():
            child.kill(signal.SIGKILL)


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
CLEAR = "\x1b[2J"  # the screen is cleared before each drawing


def _drawn(child) -> list[list[str]]:
    """Each screen drawn so far (what follows each clear), as lines without escape sequences (a line
    written again after a carriage return, as readline does, is the line written last)."""
    sent = child.logfile_read.getvalue()
    return [
        [line.rsplit("\r", 1)[-1] for line in ANSI.sub("", part).replace("\r\n", "\n").split("\n")]
        for part in sent.split(CLEAR)[1:]
    ]


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
        # The terminal is asked to mark a paste (Python turns readline's bracketed paste off): without
        # it, a terminal sends a pasted note as typed lines, and the blank line saved the segment.
        assert "\x1b[?2004h" in child.logfile_read.getvalue()
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


def _load_many_codes(db_path) -> None:
    """A codebook of 60 codes, longer than an 80x24 screen: `?` shows it in the pager."""
    import yaml

    from wei_qual.codebook import load_into_project

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
                ]
                + [{"id": "followup", "name": "Follow-up"}],
            }
        ],
    }
    path = db_path.parent / "many.yaml"
    path.write_text(yaml.safe_dump(many), encoding="utf-8")
    load_into_project(open_db(db_path), path)


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
@pytest.mark.skipif(shutil.which("less") is None, reason="less is not installed")
def test_the_codebook_longer_than_the_screen_is_read_in_the_pager_then_the_segment_comes_back(db_path):
    # `?` printed the whole codebook and the screen was drawn again under it: at 80x24 only the last
    # few codes could be read.
    build_project(open_db(db_path))
    _load_many_codes(db_path)
    with _session(db_path, size=(24, 80)) as child:
        child.expect_exact("coded 0 of 4 (alice)")
        child.expect_exact("> ")
        child.sendline("?")
        # The top of the listing (the keys, every code by number, then the codebook), in less, which waits
        child.expect_exact("Codes by number")
        assert child.expect_exact(["Definition 59.", pexpect.TIMEOUT], timeout=1) == 1
        child.send(">")  # less: to the end
        child.expect_exact("Definition 59.")
        child.send("q")
        child.expect_exact("coded 0 of 4 (alice)")  # the segment's screen again
        _quit(child)


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
@pytest.mark.skipif(shutil.which("less") is None, reason="less is not installed")
def test_ctrl_c_in_the_pager_closes_it_and_the_segment_comes_back_with_its_codes_and_note(db_path):
    # Ctrl-C in less went to the session too: it ended at once without naming the codes and note on
    # screen (lost), and less, killed, left the terminal without echo.
    build_project(open_db(db_path))
    _load_many_codes(db_path)
    with _session(db_path, size=(24, 80), timeout=60) as child:
        child.expect_exact("coded 0 of 4 (alice)")
        child.expect_exact("> ")
        child.sendline("followup")
        child.expect_exact("> ")
        child.sendline("n check the date")
        child.expect_exact("> ")
        child.sendline("?")
        child.expect_exact("Codes by number")  # in less
        child.sendintr()
        child.expect_exact("Closed the codebook (Ctrl-C). Nothing on screen was lost; q quits the session.")
        child.expect_exact("> ")
        assert "Chosen: followup" in _drawn(child)[-1] and "Note: check the date" in _drawn(child)[-1]
        child.sendline("")  # Enter saves what was chosen before the pager
        child.expect_exact("coded 1 of 4")
        _quit(child)
    assert [(d.transcript, d.segment, sorted(d.codes), d.note) for d in iter_decisions(open_db(db_path))] == [
        ("p01", 2, ["followup"], "check the date")
    ]


def _typed_then_resized(child, typed: str, rows: int, columns: int) -> list[str]:
    """Resize the terminal while `typed` waits on the prompt (setwinsize sends SIGWINCH); the screen
    drawn again at the new size, before any Enter."""
    screens = len(_drawn(child))
    child.setwinsize(rows, columns)
    child.expect_exact(CLEAR)
    child.expect_exact("> " + typed)  # back on the new prompt, at the end of the new screen
    assert len(_drawn(child)) == screens + 1
    return _drawn(child)[-1]


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_a_resized_terminal_is_drawn_again_at_once_keeping_what_was_typed(db_path):
    # Narrowed, the screen stayed wrapped garbage (widened, cramped) until the next Enter.
    build_project(open_db(db_path))
    with _session(db_path, size=(24, 80)) as child:
        child.expect_exact("coded 0 of 4 (alice)")
        child.expect_exact("> ")
        child.send("csu-ad")  # part of a code, no Enter
        child.expect_exact("csu-ad")
        for rows, columns in ((20, 60), (40, 120)):
            screen = _typed_then_resized(child, "csu-ad", rows, columns)
            assert "─" * columns in screen and "─" * (columns + 1) not in "\n".join(screen)
            assert all(len(line) <= columns for line in screen), screen
            assert screen[1].startswith("p01  role=officer  setting=rural   segment 2 of 4")  # the header
            assert screen[-1].endswith("> csu-ad")
        child.send("m\r")  # the end of the code: the line is "csu-adm", one answer
        child.expect(r"Chosen: (\x1b\[[0-9;]*m)?csu-admission")  # (in colour)
        child.expect_exact("> ")
        child.send("\r")
        child.expect_exact("coded 1 of 4")
        _quit(child)
        assert "(1 saved this session)" in child.before
    got = {(d.transcript, d.segment): sorted(d.codes) for d in iter_decisions(open_db(db_path))}
    assert got == {("p01", 2): ["csu-admission"]}
    assert (
        open_db(db_path).execute("SELECT COUNT(*) FROM audit_log WHERE entity = 'decision'").fetchone()[0]
        == 1
    )


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_a_burst_of_resizes_draws_the_screen_once_and_ctrl_c_still_quits(db_path):
    # Dragging a window's corner sends many resizes: one screen, at the last size.
    build_project(open_db(db_path))
    with _session(db_path, size=(24, 80)) as child:
        child.expect_exact("> ")
        child.send("fol")
        child.expect_exact("fol")
        screens = len(_drawn(child))
        for columns in (78, 74, 70, 66, 62):
            child.setwinsize(24, columns)
        child.expect_exact(CLEAR)
        child.expect_exact("> fol")
        assert child.expect_exact([CLEAR, pexpect.TIMEOUT], timeout=1) == 1
        assert len(_drawn(child)) == screens + 1
        assert "─" * 62 in _drawn(child)[-1] and "─" * 63 not in "\n".join(_drawn(child)[-1])
        child.sendintr()  # Ctrl-C quits as before, with nothing saved and no traceback
        child.expect_exact("Stopped at p01 segment 2.")
        child.expect(pexpect.EOF)
        child.wait()
        assert "Traceback" not in child.logfile_read.getvalue()
    assert child.exitstatus == 0
    assert list(iter_decisions(open_db(db_path))) == []


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_a_resize_while_a_question_waits_keeps_the_question_and_the_answer_typed(db_path):
    build_project(open_db(db_path))
    with _session(db_path, size=(24, 80)) as child:
        child.expect_exact("> ")
        child.send("csu\r")  # two codes start so: which one?
        child.expect_exact("Which one? (number or id, Enter cancels, q quits) ")
        child.send("csu-re")
        child.expect_exact("csu-re")
        child.setwinsize(20, 60)
        child.expect_exact(CLEAR)  # the screen and the question, drawn again at the new width
        child.expect_exact("Which one? (number or id, Enter cancels, q quits) csu-re")
        screen = _drawn(child)[-1]  # at 60 columns: the header wraps there (the question keeps a row for
        # the answer, which wraps under a prompt this long, and the rule gives way to it)
        assert all(len(line) <= 60 for line in screen), screen
        assert any(line.startswith("p01") and 50 < len(line) for line in screen), screen
        child.send("fusal\r")
        child.expect(r"Chosen: (\x1b\[[0-9;]*m)?csu-refusal")  # (in colour)
        child.expect_exact("> ")
        child.send("\r")
        child.expect_exact("Saved: p01 segment 2.")
        _quit(child)
    got = {(d.transcript, d.segment): sorted(d.codes) for d in iter_decisions(open_db(db_path))}
    assert got == {("p01", 2): ["csu-refusal"]}


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_without_readline_a_resize_draws_the_screen_at_the_next_line_as_before(db_path, tmp_path):
    build_project(open_db(db_path))
    blocker = tmp_path / "no_readline"
    blocker.mkdir()
    (blocker / "readline.py").write_text('raise ImportError("no readline here")\n', encoding="utf-8")
    path = os.pathsep.join(p for p in (str(blocker), os.environ.get("PYTHONPATH", "")) if p)
    with _session(db_path, size=(24, 80), env={"PYTHONPATH": path}) as child:
        child.expect_exact("> ")
        child.send("csu-ad")
        child.expect_exact("csu-ad")
        screens = len(_drawn(child))
        child.setwinsize(20, 60)
        assert child.expect_exact([CLEAR, pexpect.TIMEOUT], timeout=1) == 1
        assert len(_drawn(child)) == screens
        child.send("m\r")  # the terminal kept the line: it is one answer
        child.expect_exact(CLEAR)
        child.expect(r"Chosen: (\x1b\[[0-9;]*m)?csu-admission")  # (in colour)
        assert "─" * 60 in _drawn(child)[-1]
        _quit(child)
        assert "Traceback" not in child.logfile_read.getvalue()


def _project_with_turns(db_path, *turns: str) -> None:
    """The tiny project plus transcript p03: an interviewer's question before each participant turn."""
    from _coding_project import _transcript

    from wei_qual.models import INTERVIEWER, PARTICIPANT
    from wei_qual.store import transaction
    from wei_qual.store.transcripts import save_transcript

    db = open_db(db_path)
    build_project(db)
    pairs = [
        (role, words) for turn in turns for role, words in ((INTERVIEWER, "And then?"), (PARTICIPANT, turn))
    ]
    with transaction(db):
        save_transcript(db, _transcript("p03", pairs, {"role": "officer"}))


def _reverse_video(sent: str) -> str:
    """The words the terminal was sent in reverse video (an excerpt's mark), a line break as a space."""
    runs, reverse = [], False
    for sgr, text in re.findall(r"\x1b\[([0-9;]*)m|([^\x1b]+)", sent):
        if text:
            if reverse:
                runs.append(text)
        else:
            reverse = "7" in sgr.split(";")
    return " ".join(runs)


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_control_characters_in_a_turn_show_as_escapes_and_keep_the_marks_on_their_words(db_path):
    # A dispatcher's note pasted into a transcript: Rich's Text dropped the BEL that ends an OSC title
    # (and the BEL and backspaces after it), so the excerpt marked "cleared it" showed as "leared it.",
    # and counted ESC as no width: the escaped line ran past the edge and the terminal wrapped it.
    turn = (
        "The dispatcher typed \x1b]0;hacked title\x07 into the notes then \x1b[2J cleared it. "
        "A bell \x07 and two backspaces\x08\x08 were left in the export too, which we saw later."
    )
    _project_with_turns(db_path, turn)
    with _session(db_path, size=(24, 80)) as child:
        for _ in range(4):  # p01:2, p01:4, p02:2, p02:3 skipped: p03's turn
            child.expect_exact("> ")
            child.sendline("s")
        child.expect_exact("> ")
        child.sendline('x followup "cleared it"')
        child.expect_exact("[excerpt:")
        child.expect_exact("> ")
        screen = _drawn(child)[-1]
        sent = child.logfile_read.getvalue()
        child.sendline("q")
        child.expect(pexpect.EOF)
    words = " ".join(" ".join(screen).split())
    assert "\\x1b]0;hacked title\\x07 into" in words
    assert "A bell \\x07 and two backspaces\\x08\\x08 were" in words
    assert all(len(line) <= 80 for line in screen), screen  # no line the terminal had to wrap
    assert _reverse_video(sent[sent.rindex(CLEAR) :]) == "cleared it"
    got = next(iter(iter_decisions(open_db(db_path))), None)
    assert got is None  # nothing saved: only marked


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_a_second_memo_on_a_transcript_is_added_to_the_first_in_one_session_or_two(db_path):
    # `mt` on a later segment replaced the transcript memo written on an earlier one: the coder's first
    # thought was gone from the project (only the audit log kept it), and so with two terminals.
    from wei_qual.store.decisions import iter_memos

    build_project(open_db(db_path))
    with _session(db_path) as child, _session(db_path) as other:
        other.expect_exact("coded 0 of 4 (alice)")
        other.expect_exact("> ")
        child.expect_exact("> ")
        child.sendline("mt rural agency, two deputies a night")
        child.expect_exact("Memo (transcript): rural agency")
        child.expect_exact("> ")
        child.sendline("1")
        child.expect_exact("> ")
        child.sendline("")
        child.expect_exact("coded 1 of 4")
        child.expect_exact("> ")
        child.sendline("mt")  # asked on its own line
        child.expect_exact("Add to your memo on transcript p01 (m? reads it; Enter cancels, q quits): ")
        child.sendline("follow-up never happens out here")
        child.expect_exact("Added to your memo on transcript p01.")
        child.expect_exact("> ")
        other.sendline("mt compare with p02's city unit")  # the other terminal never saw either
        other.expect_exact("Added to your memo on transcript p01.")
        other.expect_exact("> ")
        child.sendline("q")
        other.sendline("q")
        child.expect(pexpect.EOF)
        other.expect(pexpect.EOF)
    assert iter_memos(open_db(db_path), "alice") == {
        ("transcript", "p01"): (
            "rural agency, two deputies a night\n\nfollow-up never happens out here\n\ncompare with p02's city unit"
        )
    }


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
@pytest.mark.parametrize("key", ["\x04", "\x03"])  # Ctrl-D, Ctrl-C
def test_quitting_with_ctrl_d_or_ctrl_c_names_the_codes_not_saved_as_q_does(db_path, key):
    # q named the codes chosen and not saved; Ctrl-D and Ctrl-C, which the help gives as the same quit,
    # ended without a word, and the coder believed the segment saved.
    build_project(open_db(db_path))
    with _session(db_path) as child:
        child.expect_exact("> ")
        child.sendline("1 followup")
        child.expect_exact("> ")
        child.sendline("n check the date")
        child.expect_exact("> ")
        child.send(key)
        child.expect_exact("Not saved: csu-admission, followup and a note on p01 segment 2.")
        child.expect_exact("Stopped at p01 segment 2.")
        child.expect(pexpect.EOF)
        child.wait()
    assert child.exitstatus == 0
    assert list(iter_decisions(open_db(db_path))) == []


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_reconcile_enter_enter_does_not_store_nothing_applies_over_the_coders_codes(db_path):
    # Two coders with no code in common: the choice started empty, and Enter (save) then Enter (no
    # rationale) stored "nothing applies" as consensus, a slip that took the segment out of every theme.
    from wei_qual.models import Decision
    from wei_qual.store.decisions import save_decision

    db = open_db(db_path)
    build_project(db)
    for coder, codes in (("alice", {"csu-admission"}), ("bob", {"csu-refusal", "followup"})):
        save_decision(db, Decision("p01", 2, coder, frozenset(codes)))
        save_decision(db, Decision("p01", 4, coder, frozenset(codes)))
    db.close()
    child = _wei_qual(["reconcile", "--coder", "lead", "--db", str(db_path)], size=(24, 80))
    try:
        child.expect_exact("disagreement 1 of 2")
        child.expect_exact("I (interviewer): Tell me about the last crisis call.")  # the question answered
        child.expect_exact('none yet (0 saves "nothing applies")')
        child.expect_exact("> ")
        child.sendline("")
        child.expect_exact('No codes chosen. Choose codes, or type 0 to save "nothing applies" as consensus.')
        child.expect_exact("> ")
        child.sendline("")  # the second Enter: still nothing saved
        child.expect_exact("No codes chosen.")
        child.expect_exact("> ")
        child.sendline("0")  # said on purpose
        child.expect_exact("Rationale (why these codes; Enter for none, q quits): ")
        child.sendline("neither fits: a transport, not an admission")
        child.expect_exact("disagreement 2 of 2")
        child.expect_exact("> ")
        child.sendline("followup")
        child.expect_exact("> ")
        child.sendline("0")  # with a code chosen, 0 asks first
        child.expect_exact("Chosen: followup. Enter saves them; type 0 again")
        child.expect_exact("> ")
        child.sendline("")
        child.expect_exact("Rationale (why these codes; Enter for none, q quits): ")
        child.sendline("")
        child.expect(pexpect.EOF)
    finally:
        if child.isalive():
            child.kill(signal.SIGKILL)
    got = {
        (d.segment): (sorted(d.codes), d.rationale)
        for d in iter_decisions(open_db(db_path), coders=["consensus"])
    }
    assert got == {
        2: ([], "neither fits: a transport, not an admission"),
        4: (["followup"], "chosen by lead"),
    }


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_a_recode_walk_resumes_where_it_was_stopped(db_path):
    # The resume command of a --recode walk started it again at the first segment: a lead recoding a
    # study after a codebook change went back over every segment recoded already, each time.
    import shlex

    from wei_qual.models import Decision
    from wei_qual.store.decisions import save_decision

    db = open_db(db_path)
    build_project(db)
    for transcript, n in (("p01", 2), ("p01", 4), ("p02", 2), ("p02", 3)):
        save_decision(db, Decision(transcript, n, "alice", frozenset({"followup"})))
    db.close()

    def spawn(args):
        return _wei_qual(args, env={"TERM": "xterm"})

    child = spawn(["code", "--coder", "alice", "--recode", "--db", str(db_path)])
    try:
        child.expect_exact("segment 2 of 4")
        child.expect_exact("> ")
        child.sendline("")  # unchanged: on to p01:4
        child.expect_exact("segment 4 of 4")
        child.expect_exact("> ")
        child.sendline("-followup 1")
        child.expect_exact("> ")
        child.sendline("")
        child.expect_exact("p02")
        child.expect_exact("segment 2 of 3")
        child.expect_exact("> ")
        child.sendline("q")
        child.expect(r'Resume with "([^"]+)"')
        resume = shlex.split(" ".join(child.match.group(1).split()))  # (the line may wrap)
        child.expect(pexpect.EOF)
    finally:
        if child.isalive():
            child.kill(signal.SIGKILL)
    assert resume[:5] == ["wei-qual", "code", "--coder", "alice", "--recode"]
    child = spawn(resume[1:])
    try:
        child.expect(r"(p0\d)(\x1b\[[0-9;]*m)?  role=\w+  setting=\w+   segment (\d)")
        assert (child.match.group(1), child.match.group(3)) == ("p02", "2")  # where it stopped, not p01:2
        child.expect_exact("> ")
        child.sendline("q")
        child.expect(pexpect.EOF)
    finally:
        if child.isalive():
            child.kill(signal.SIGKILL)
    got = {(d.transcript, d.segment): sorted(d.codes) for d in iter_decisions(open_db(db_path))}
    assert got[("p01", 4)] == ["csu-admission"]


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_a_theme_under_a_theme_is_headed_with_the_outer_theme_at_80x24(db_path):
    # Three levels: "Substance:" headed its own block, read as a theme beside "Stance (pick one):", though
    # its codes are under Stance.
    import yaml

    from wei_qual.codebook import load_into_project

    build_project(open_db(db_path))
    leaf = lambda i: {"id": i, "name": i.title()}
    deep = {
        "name": "Deep",
        "version": "2",
        "codes": [
            {
                "id": "system",
                "name": "System responses to crisis calls",
                "children": [
                    {"id": "units", "name": "Crisis units", "children": [leaf("admit"), leaf("refuse")]},
                    {
                        "id": "stance",
                        "name": "Stance",
                        "children": [
                            leaf("pro"),
                            leaf("con"),
                            {
                                "id": "substance",
                                "name": "Substance",
                                "children": [leaf("sub-a"), leaf("sub-b")],
                            },
                        ],
                    },
                ],
            }
        ],
    }
    path = db_path.parent / "deep.yaml"
    path.write_text(yaml.safe_dump(deep, sort_keys=False), encoding="utf-8")
    load_into_project(open_db(db_path), path)
    with _session(db_path, size=(24, 80)) as child:
        child.expect_exact("> ")
        screen = _drawn(child)[-1]
        child.sendline("q")
        child.expect(pexpect.EOF)
    headings = [line.split(":")[0].strip() for line in screen if re.search(r":\s+\d+ \w", line)]
    assert headings == [
        "System respons… › Crisis units",
        "System responses to … › Stance",
        "Stance › Substance",
    ]


def _screen_after(child, line: str, text: str) -> list[str]:
    """Type `line`, wait for `text` and the prompt after it; the screen drawn last."""
    child.sendline(line)
    child.expect_exact(text)
    child.expect_exact("> ")
    return _drawn(child)[-1]


WALK_TURNS = [f"Turn {i}: the county, the deputies and the night shift." for i in range(1, 13)]
WALK_TURNS[4] = (
    "They put him on the 72\u2011hour hold, the officer\u2019s call, and \u201cnobody\u201d liked it."
)
WALK_TURNS[8] = "Another 72-hour HOLD at the Caf\u00e9 Azul, the officer's too."
WALK_TURNS[10] = (
    "A long one. " + " ".join(f"filler{i}" for i in range(600)) + " and then the crisis line rang again."
)


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
@pytest.mark.parametrize("size", [(24, 80), (40, 160)])
def test_search_moves_through_the_walk_and_says_where(db_path, size):
    # There was no way to go back to a segment, or to the turn about "the 72-hour hold", inside a session:
    # the coder had to quit and start again with --from, knowing the number.
    _project_with_turns(db_path, *WALK_TURNS)  # p01:2, p01:4, p02:2, p02:3, then p03's 12 turns
    with _session(db_path, size=size) as child:
        child.expect_exact("coded 0 of 16 (alice)")
        child.expect_exact("> ")
        child.sendline("1")  # chosen, not saved: a jump says so
        child.expect_exact("> ")
        # Case and the transcript's non-breaking hyphen (Word's) are ignored.
        screen = _screen_after(child, "/72-HOUR hold", "in this walk.")
        assert "p03  role=officer   segment 10 of 24" in " ".join(screen)
        said = " ".join(" ".join(screen).split())
        assert "Not saved: csu-admission on p01 segment 2." in said
        assert '"72-HOUR hold": p03 segment 10, match 1 of 2; segment 9 of 16 in this walk.' in said
        screen = _screen_after(child, "/", "in this walk.")
        assert "p03 segment 18, match 2 of 2; segment 13 of 16 in this walk." in " ".join(
            " ".join(screen).split()
        )
        screen = _screen_after(child, "/", "in this walk.")
        assert "match 1 of 2 (from the start: none after)" in " ".join(" ".join(screen).split())
        _screen_after(child, "/officer's call", "Only this segment has")  # its apostrophe is curly
        _screen_after(child, "/cafe azul", "match 1 of 1")  # accents left off
        _screen_after(child, "/-nobody liked", "p03 segment 10")  # back; the quotes between are ignored
        screen = _screen_after(child, "/zebra crossing", "Nothing moved.")
        assert "p03  role=officer   segment 10 of 24" in " ".join(screen)
        assert 'No segment of this walk has "zebra crossing"' in " ".join(" ".join(screen).split())
        # A long turn opens on the page holding the words found.
        screen = _screen_after(child, "/crisis line rang", "in this walk.")
        assert "the crisis line rang again." in " ".join(" ".join(screen).split())
        assert any(re.match(r"page (\d+)/\1,", line) for line in screen), screen  # its last page
        child.sendline("q")
        child.expect(pexpect.EOF)
    assert list(iter_decisions(open_db(db_path))) == []


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_g_goes_to_a_segment_and_the_walk_goes_on_from_there(db_path):
    _project_with_turns(db_path, *WALK_TURNS)
    with _session(db_path, size=(24, 80)) as child:
        child.expect_exact("> ")
        _screen_after(child, "g p01:3", "is an interviewer turn, which this session does not walk")
        _screen_after(child, "g p01:7", "p01 has segments 1 to 4. Nothing moved.")
        _screen_after(child, "g p01:4", "p01 segment 4: segment 2 of 16 in this walk.")
        child.sendline("followup")
        child.expect_exact("> ")
        screen = _screen_after(child, "", "Saved: p01 segment 4.")  # the walk goes on from there
        assert screen[1].startswith("p02  role=provider  setting=urban   segment 2 of 3   coded 1 of 16")
        _screen_after(child, "g 3", "p02 segment 3: segment 4 of 16 in this walk.")
        _screen_after(child, "g #1", "p01 segment 2: segment 1 of 16 in this walk.")
        child.sendline("q")
        child.expect(pexpect.EOF)
    got = {(d.transcript, d.segment): sorted(d.codes) for d in iter_decisions(open_db(db_path))}
    assert got == {("p01", 4): ["followup"]}


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_coded_x_of_y_counts_the_saves_of_another_session_of_the_same_coder(db_path):
    # Two terminals of alice: each counted only its own saves ("coded 1 of 4" after the second save of
    # the pair), read once at start-up.
    build_project(open_db(db_path))
    with _session(db_path) as first, _session(db_path) as second:
        for child in (first, second):
            child.expect_exact("coded 0 of 4 (alice)")
            child.expect_exact("> ")
        first.sendline("1")
        first.expect_exact("> ")
        first.sendline("")
        first.expect_exact("coded 1 of 4")
        first.expect_exact("> ")
        second.sendline("s")  # the segment the first one saved: on to the next
        second.expect_exact("segment 4 of 4   coded 1 of 4 (alice)")
        second.expect_exact("> ")
        second.sendline("0")
        second.expect_exact("coded 2 of 4")
        second.expect_exact("> ")
        first.sendline("0")  # p01:4, which the second saved meanwhile: asked, then saved over it
        first.expect_exact("Another session of alice saved this segment meanwhile")
        first.expect_exact("> ")
        first.sendline("q")
        first.expect_exact("Coded 2 of 4 segments for alice (1 saved this session).")
        second.sendline("q")
        second.expect_exact("Coded 2 of 4 segments for alice (1 saved this session).")
        for child in (first, second):
            child.expect(pexpect.EOF)


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_a_second_terminal_passes_the_segments_the_first_coded_meanwhile_and_says_so(db_path):
    # The second terminal of alice stopped on a segment the first had coded meanwhile, and said so only
    # when Enter saved over it.
    build_project(open_db(db_path))
    with _session(db_path) as first, _session(db_path) as second:
        for child in (first, second):
            child.expect_exact("coded 0 of 4 (alice)")
            child.expect_exact("> ")
        first.sendline("1")
        first.expect_exact("> ")
        first.sendline("")
        first.expect_exact("coded 1 of 4")
        first.expect_exact("> ")
        first.sendline("0")  # p01:4
        first.expect_exact("coded 2 of 4")
        first.expect_exact("> ")
        screen = _screen_after(second, "s", "coded 2 of 4 (alice)")  # p01:2 was on its screen: skipped by s
        said = " ".join(" ".join(screen).split())
        assert "p01 segment 4 was coded in another session; skipped." in said
        assert "p02 role=provider setting=urban segment 2 of 3" in said
        _screen_after(second, "followup", "Chosen:")  # the next screen does not say it again
        assert "another session" not in " ".join(_drawn(second)[-1])
        for child in (first, second):
            child.sendline("q")
            child.expect(pexpect.EOF)
    got = {(d.transcript, d.segment): sorted(d.codes) for d in iter_decisions(open_db(db_path))}
    assert got == {("p01", 2): ["csu-admission"], ("p01", 4): []}


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_an_excerpt_phrase_pasted_with_curly_quotes_or_typed_as_shown_is_found(db_path):
    # `x ID "phrase"` pasted from Word (curly quotes around it and in it) or typed as the screen shows a
    # control character ("\x07") said "That phrase is not in this turn".
    turn = "We can't hold him past seventy-two hours, said the nurse. A bell \x07 rang at the desk."
    _project_with_turns(db_path, turn)
    with _session(db_path, size=(24, 80)) as child:
        for _ in range(4):
            child.expect_exact("> ")
            child.sendline("s")
        child.expect_exact("> ")
        child.sendline("x followup \u201cwe CAN\u2019T hold him\u201d")
        child.expect_exact("[excerpt:")
        child.expect_exact("> ")
        sent = child.logfile_read.getvalue()
        assert _reverse_video(sent[sent.rindex(CLEAR) :]) == "We can't hold him"
        child.sendline('x co-responder "bell \\x07 rang"')  # as the screen shows the character
        child.expect_exact('[excerpt: "bell \\x07 rang"]')
        child.expect_exact("> ")
        child.sendline('x setting-rural "hold him past 72 hours"')
        child.expect_exact('"hold him past 72 hours" is not in this turn (case, accents, quotes and')
        child.expect_exact("> ")
        child.sendline("")  # the last segment of the walk: saved, and the session ends
        child.expect_exact("Session done. Coded 1 of 5 segments")
        child.expect(pexpect.EOF)
    (got,) = iter_decisions(open_db(db_path))
    spans = {e.code: turn[e.start : e.end] for e in got.excerpts}
    assert spans == {"followup": "We can't hold him", "co-responder": "bell \x07 rang"}


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_reconcile_goes_to_a_disagreement_and_searches_them_and_counts_a_revisit_once(db_path):
    # The lead could only walk forward: going back to disagreement 1, or on to the one about the full
    # unit, meant quitting and running reconcile again.
    from wei_qual.models import Decision
    from wei_qual.store.decisions import save_decision

    db = open_db(db_path)
    build_project(db)
    for transcript, n in (("p01", 2), ("p01", 4), ("p02", 2), ("p02", 3)):
        save_decision(db, Decision(transcript, n, "alice", frozenset({"followup"})))
        save_decision(db, Decision(transcript, n, "bob", frozenset({"csu-refusal"})))
    db.close()
    child = _wei_qual(["reconcile", "--coder", "lead", "--db", str(db_path)], size=(24, 80))
    try:
        child.expect_exact("disagreement 1 of 4")
        child.expect_exact("> ")
        child.sendline("followup")
        child.expect_exact("> ")
        child.sendline("r stays with followup")
        child.expect_exact("> ")
        child.sendline("")
        child.expect_exact("disagreement 2 of 4")
        child.expect_exact("> ")
        screen = _screen_after(child, "g 1", "Disagreement 1 of 4.")  # back: the choice saved is shown
        said = " ".join(" ".join(screen).split())
        assert "Chosen: followup" in said and "Rationale: stays with followup" in said
        _screen_after(
            child, "g p09", 'No disagreement left on a transcript "p09" in this walk. Nothing moved.'
        )
        child.sendline("csu-admission")
        child.expect_exact("> ")
        screen = _screen_after(child, "g 1", "Disagreement 1 of 4.")  # the one on screen: the choice stays
        assert "Chosen: csu-admission, followup" in " ".join(" ".join(screen).split())
        child.sendline("-csu-admission")
        child.expect_exact("> ")
        child.sendline("")  # saved again, unchanged: counted once
        child.expect_exact("disagreement 2 of 4")
        child.expect_exact("> ")
        screen = _screen_after(child, "/unit SAID no", "disagreement 4 of 4.")
        said = " ".join(" ".join(screen).split())
        assert '"unit SAID no": p02 segment 3, match 1 of 1; disagreement 4 of 4.' in said
        assert "segment 3 disagreement 4 of 4" in said
        child.sendline("csu-refusal")
        child.expect_exact("> ")
        child.sendline("r full that night")
        child.expect_exact("> ")
        child.sendline("")  # the last of the walk: it ends
        child.expect_exact("Done: reconciled 2 of 4 disagreements into consensus; 2 left")
        child.expect(pexpect.EOF)
    finally:
        if child.isalive():
            child.kill(signal.SIGKILL)
    got = {
        (d.transcript, d.segment): sorted(d.codes)
        for d in iter_decisions(open_db(db_path), coders=["consensus"])
    }
    assert got == {("p01", 2): ["followup"], ("p02", 3): ["csu-refusal"]}


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
@pytest.mark.parametrize(
    "question, asked",
    [
        ("csu", "cancels"),  # `Which one?`
        ("mt", "cancels"),  # a memo's text
        ("m?", "Enter returns to the segment"),  # reading the memos: it went back to the segment
        ("?", "Enter returns to the segment"),  # reading the codebook
    ],
)
def test_ctrl_c_on_a_question_quits_as_on_the_prompt_naming_what_is_not_saved(db_path, question, asked):
    # Ctrl-C on the note's question quit, on `Which one?` or a memo's question it cancelled the question
    # alone ("Cancelled.", "Memo unchanged.") and the coder, meaning to leave, was still in the session.
    build_project(open_db(db_path))
    with _session(db_path) as child:
        child.expect_exact("> ")
        child.sendline("followup")
        child.expect_exact("> ")
        child.sendline(question)
        child.expect_exact(asked)
        child.sendintr()
        child.expect_exact("Not saved: followup on p01 segment 2.")
        child.expect_exact("Stopped at p01 segment 2.")
        child.expect(pexpect.EOF)
        child.wait()
    assert child.exitstatus == 0
    assert list(iter_decisions(open_db(db_path))) == []


# Ctrl-C (or a kill) comes as readline runs its pre-input hook, just after it drew the prompt: the hook
# sends the signal the moment it starts, where under load a real one came now and then.
_SIGNAL_IN_THE_HOOK = """
import os, signal, sys
from wei_qual.cli import line_input

class SignalAsTheHookRuns(type(line_input._state)):
    def __setattr__(self, name, value):
        if name == "started" and value:
            os.kill(os.getpid(), getattr(signal, sys.argv[1]))
        super().__setattr__(name, value)

def terminated(signum, frame):
    raise SystemExit(f"stopped by {signum}")

signal.signal(signal.SIGTERM, terminated)
line_input._state = SignalAsTheHookRuns()
with line_input.redraw_on_resize():
    print("read:", repr(line_input.read_line("Which one? ")))
"""


@pytest.mark.parametrize(
    "name, said", [("SIGINT", "read: None"), ("SIGTERM", f"stopped by {signal.SIGTERM}")]
)
def test_ctrl_c_as_readline_starts_the_line_ends_the_prompt(name, said):
    # Raised in readline's pre-input hook, the KeyboardInterrupt was cleared by readline and the signal
    # spent: the prompt waited as if Ctrl-C had not been pressed (the Ctrl-C tests above timed out under
    # load, a run in forty), and a coder pressing it once saw nothing happen.
    child = pexpect.spawn(
        sys.executable,
        ["-c", _SIGNAL_IN_THE_HOOK, name],
        timeout=10,
        encoding="utf-8",
        env={**os.environ, "TERM": "xterm-256color"},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        child.expect_exact("Which one? ")
        child.expect_exact(said)  # no key typed: the prompt ended of itself
        child.expect(pexpect.EOF)
    finally:
        if child.isalive():
            child.kill(signal.SIGKILL)


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_ctrl_c_away_from_a_prompt_names_the_codes_not_saved_as_at_the_prompt(db_path):
    # Ctrl-C while the session worked (here a first search indexing the project; a screen drawing, a save)
    # ended it without naming what was chosen and not saved: the coder believed the segment saved.
    build_project(open_db(db_path))
    with _session(db_path) as child:
        child.expect_exact("> ")
        child.sendline("1 followup")
        child.expect_exact("> ")
        child.sendline("/unit")
        child.expect_exact("Indexing ")  # spaCy loads and the segments are indexed: no prompt is waiting
        child.sendintr()
        child.expect_exact("Not saved: csu-admission, followup on p01 segment 2.")
        child.expect_exact("Stopped at p01 segment 2.")
        child.expect(pexpect.EOF)
        child.wait()
        said = child.logfile_read.getvalue()
    assert child.exitstatus == 0 and "Traceback" not in said
    assert list(iter_decisions(open_db(db_path))) == []
    db = open_db(db_path)  # the index was left whole: the next search completes it and finds the words
    from wei_qual.search import search

    assert search(db, "unit").hits


def _two_disagreements(db_path) -> None:
    from wei_qual.models import Decision
    from wei_qual.store.decisions import save_decision

    db = open_db(db_path)
    build_project(db)
    for n in (2, 4):
        save_decision(db, Decision("p01", n, "alice", frozenset({"csu-admission"})))
        save_decision(db, Decision("p01", n, "bob", frozenset({"csu-refusal"})))
    db.close()


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
@pytest.mark.parametrize("key", ["q\r", "\x04", "\x03"])  # q, Ctrl-D, Ctrl-C
def test_reconcile_quitting_names_the_choice_not_saved_as_the_coding_session_does(db_path, key):
    # q and Ctrl-C left reconcile with "reconciled 1 of 2" and not a word on the codes and rationale the
    # lead had chosen on the second disagreement: the lead believed it saved.
    _two_disagreements(db_path)
    child = _wei_qual(["reconcile", "--coder", "lead", "--db", str(db_path)], size=(24, 80))
    try:
        child.expect_exact("disagreement 1 of 2")
        child.expect_exact("> ")
        child.sendline("csu-admission")
        child.expect_exact("> ")
        child.sendline("")
        child.expect_exact("Rationale (why these codes; Enter for none, q quits): ")
        child.sendline("admitted")
        child.expect_exact("disagreement 2 of 2")
        child.expect_exact("> ")
        child.sendline("csu-refusal followup")
        child.expect_exact("> ")
        child.sendline("r refused, then a follow-up")
        child.expect_exact("> ")
        child.send(key)
        child.expect_exact("Not saved: csu-refusal, followup and a rationale on p01 segment 4.")
        child.expect_exact("Stopped: reconciled 1 of 2 disagreements into consensus; 1 left")
        child.expect(pexpect.EOF)
        child.wait()
        said = child.logfile_read.getvalue()
    finally:
        if child.isalive():
            child.kill(signal.SIGKILL)
    assert child.exitstatus == 0 and "Traceback" not in said
    got = {d.segment: sorted(d.codes) for d in iter_decisions(open_db(db_path), coders=["consensus"])}
    assert got == {2: ["csu-admission"]}


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_reconcile_killed_says_how_far_it_got_and_how_to_resume(db_path):
    # Killed (SIGTERM), reconcile said only "nothing was left half-done", not how many disagreements it
    # had reconciled, nor the choice on screen lost, nor how to go on: the lead did not know where it was.
    _two_disagreements(db_path)
    with _kept(_wei_qual(["reconcile", "--coder", "lead", "--db", str(db_path)], size=(24, 80))) as child:
        child.expect_exact("disagreement 1 of 2")
        child.expect_exact("> ")
        child.sendline("csu-admission")
        child.expect_exact("> ")
        child.sendline("")
        child.expect_exact("Rationale (why these codes; Enter for none, q quits): ")
        child.sendline("admitted")
        child.expect_exact("disagreement 2 of 2")
        child.expect_exact("> ")
        child.sendline("csu-refusal")
        child.expect_exact("> ")
        child.kill(signal.SIGTERM)
        child.expect(pexpect.EOF)
        child.wait()
        said = " ".join(ANSI.sub("", child.logfile_read.getvalue()).split())
    assert child.signalstatus is None and child.exitstatus == 128 + signal.SIGTERM
    assert (
        "Stopped by SIGTERM: Not saved: csu-refusal on p01 segment 4. Reconciled 1 of 2 disagreements into "
        "consensus; 1 left, run the same command to resume." in said
    ), said[-600:]
    assert "Traceback" not in said


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
@pytest.mark.parametrize(
    "typed, asked",
    [
        ("csu", "Which one? (number or id, Enter cancels, q quits) "),
        ("n", "Note (Enter keeps it, - clears it, q quits): "),
        ("mt", "Memo on transcript p01 (Enter cancels, q quits): "),
    ],
)
def test_a_question_on_a_small_terminal_keeps_the_header_and_q_quits(db_path, typed, asked):
    # At 60x16 a question printed under the prompt scrolled the header off: the coder answering it no
    # longer saw which transcript and segment it was for. At `Which one?` a lone q was read as a code.
    build_project(open_db(db_path))
    with _session(db_path, size=(16, 60)) as child:
        child.expect_exact("> ")
        child.sendline("followup")
        child.expect_exact("> ")
        child.sendline(typed)
        child.expect_exact(asked.split("(")[0])
        child.expect_exact("quits)")
        assert child.expect_exact([CLEAR, pexpect.TIMEOUT], timeout=0.5) == 1
        screen = [line for line in _drawn(child)[-1] if line.strip()]
        assert len(screen) <= 16, screen  # nothing scrolled off the 16 rows
        head = [line for line in screen if not line.startswith("─")]  # the rule, when there is room
        assert head[0].startswith("p01  role=officer") and "segment 2 of 4" in head[0]
        assert screen[-1].startswith(asked.split(",")[0])
        child.sendline("q")
        child.expect_exact("Not saved: followup on p01 segment 2.")
        child.expect_exact("Stopped at p01 segment 2.")
        child.expect(pexpect.EOF)
        child.wait()
        said = child.logfile_read.getvalue()
    assert child.exitstatus == 0 and "Traceback" not in said
    assert list(iter_decisions(open_db(db_path))) == []
    assert "not one of the choices" not in said


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
@pytest.mark.parametrize("typed", ["r", "m", ""])  # a rationale, a memo, the save's rationale
def test_reconcile_questions_on_a_small_terminal_keep_the_header(db_path, typed):
    # At 60x16 the rationale's and the memo's questions scrolled "p01 segment 2 disagreement 1 of 1" off.
    with _reconcile(db_path, (16, 60)) as child:
        child.expect_exact("(saving as consensus)")
        child.expect_exact("> ")
        if not typed:
            child.sendline("1")
            child.expect_exact("> ")
        child.sendline(typed)
        child.expect_exact("q quits): ")
        assert child.expect_exact([CLEAR, pexpect.TIMEOUT], timeout=0.5) == 1
        screen = [line for line in _drawn(child)[-1] if line.strip()]
        assert len(screen) <= 16, screen
        head = [line for line in screen if not line.startswith("─")]
        assert head[0].startswith("p01  role=officer") and "segment 2" in head[0], screen
        child.sendline("q")
        child.expect_exact("Stopped")
        child.expect(pexpect.EOF)
        said = child.logfile_read.getvalue()
    assert "Traceback" not in said
    assert list(iter_decisions(open_db(db_path), coders=["consensus"])) == []


def _rows_taken(screen: list[str], width: int) -> int:
    """The terminal rows the lines of a screen take at `width` (a longer line wraps)."""
    return sum(max(1, -(-len(line) // width)) for line in screen)


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
@pytest.mark.parametrize(
    "typed, asked",
    [
        ("r", "Rationale (q quits): "),
        ("m", "Memo p01:2 (Enter cancels, q quits): "),
        ("", "Rationale (Enter for none, q quits): "),  # the save's
        ("mc csu-admission", "Memo csu-admission (Enter cancels, q quits): "),  # two rows at 40 columns
    ],
)
def test_reconcile_questions_at_40x10_keep_the_header(db_path, typed, asked):
    # At 40x10 the reconcile screen took 14 rows: its header ("p01 segment 2 disagreement 1 of 1") was
    # off the screen at every question, and at the prompt too.
    with _reconcile(db_path, (10, 40)) as child:
        child.expect_exact("> ")
        if not typed:
            child.sendline("1")
            child.expect_exact("> ")
        child.sendline(typed)
        child.expect_exact(asked)
        assert child.expect_exact([CLEAR, pexpect.TIMEOUT], timeout=0.5) == 1
        for screen in _drawn(child):  # the prompt's screens and the question's
            while screen and not screen[-1].strip():
                screen.pop()
            assert _rows_taken(screen, 40) <= 10, screen
            assert screen[0] == "p01  segment 2  disagreement 1 of 1", screen
        assert screen[-1] == asked
        assert not any("terminal is under" in line for screen in _drawn(child) for line in screen)
        child.sendline("q")
        child.expect_exact("Stopped")
        if typed == "r":  # under 40x10 the first screen says so, once, as the coding session's does
            child.expect(pexpect.EOF)
            small = _wei_qual(["reconcile", "--coder", "lead", "--db", str(db_path)], size=(8, 36))
            small.expect_exact("> ")
            small.sendline("s")
            small.expect(pexpect.EOF)
            drawn = [" ".join(" ".join(screen).split()) for screen in _drawn(small)]
            assert "This 36x8 terminal is under the 40x10 the screen needs." in drawn[0], drawn
            assert all("terminal is under" not in screen for screen in drawn[1:])
        child.expect(pexpect.EOF)
        said = child.logfile_read.getvalue()
    assert "Traceback" not in said
    assert list(iter_decisions(open_db(db_path), coders=["consensus"])) == []


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_which_one_at_40x10_keeps_the_header_and_a_smaller_terminal_is_said_once(db_path):
    # At 40x10 the choices of "c" and the question took five rows, and the header scrolled off.
    build_project(open_db(db_path))
    with _session(db_path, size=(10, 40)) as child:
        child.expect_exact("> ")
        child.sendline("followup")
        child.expect_exact("> ")
        child.sendline("c")
        child.expect_exact("Which one? (Enter cancels, q quits) ")
        assert child.expect_exact([CLEAR, pexpect.TIMEOUT], timeout=0.5) == 1
        screen = _drawn(child)[-1]
        while screen and not screen[-1].strip():
            screen.pop()
        assert _rows_taken(screen, 40) <= 10, screen
        assert screen[0].startswith("p01") and any("segment 2 of 4" in line for line in screen[:2]), screen
        assert '"c":  1 csu-admission  2 csu-refusal' in screen and "3 co-responder" in screen
        assert not any("terminal is under" in line for line in _drawn(child))
        child.sendline("2")
        child.expect_exact("csu-refusal")
        _quit(child)
    with _session(db_path, size=(8, 36)) as child:
        child.expect_exact("> ")
        child.sendline("s")
        child.expect_exact("> ")
        said = [" ".join(" ".join(screen).split()) for screen in _drawn(child)]
        assert "This 36x8 terminal is under the 40x10 the screen needs." in said[0]
        assert len(said) > 1 and all("terminal is under" not in screen for screen in said[1:])
        child.sendline("q")
        child.expect(pexpect.EOF)


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_a_long_message_at_40x10_is_cut_under_the_header_and_bang_shows_it_whole(db_path):
    # At 40x10 the four lines of "0"'s question (codes chosen) pushed the header off the top of the screen.
    build_project(open_db(db_path))
    with _session(db_path, size=(10, 40)) as child:
        child.expect_exact("> ")
        child.sendline("csu-admission csu-refusal followup")
        child.expect_exact("> ")
        child.sendline("0")
        child.expect_exact("! shows all")
        child.expect_exact("> ")
        screen = _drawn(child)[-1]
        while screen and not screen[-1].strip():
            screen.pop()
        assert _rows_taken(screen, 40) <= 10, screen
        assert any("segment 2 of 4" in line for line in screen[:2]), screen
        child.sendline("!")  # the message whole, on a screen of its own
        child.expect_exact("Enter returns to the segment ")
        whole = " ".join(" ".join(_drawn(child)[-1]).split())
        assert 'Enter saves them; type 0 again to save "nothing applies" instead.' in whole
        child.sendline("")
        child.expect_exact("> ")
        child.sendline("!")  # again: the same message
        child.expect_exact("Enter returns to the segment ")
        assert "type 0 again" in " ".join(" ".join(_drawn(child)[-1]).split())
        child.sendline("")
        child.expect_exact("> ")
        child.sendline("0")  # still the second 0: "nothing applies" is saved
        child.expect_exact("coded 1 of 4")
        _quit(child)
        said = child.logfile_read.getvalue()
    assert "Traceback" not in said
    assert [(d.segment, d.codes) for d in iter_decisions(open_db(db_path), coders=["alice"])] == [
        (2, frozenset())
    ]


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_reconcile_message_at_40x10_is_cut_under_the_header_and_bang_shows_it_whole(db_path):
    # At 40x10 a disagreement with both coders' notes filled the screen: a message under it, cut to three
    # lines, still pushed the header ("p01  segment 2  disagreement 1 of 1") off the top.
    with _reconcile(db_path, (10, 40), notes=True) as child:
        child.expect_exact("> ")
        assert any("Notes by alice, bob" in line for line in _drawn(child)[-1])
        child.sendline("zzzz-not-a-code")
        child.expect_exact("! shows all")
        child.expect_exact("> ")
        screen = _drawn(child)[-1]
        while screen and not screen[-1].strip():
            screen.pop()
        assert _rows_taken(screen, 40) <= 10, screen
        assert screen[0] == "p01  segment 2  disagreement 1 of 1", screen
        child.sendline("!")
        child.expect_exact("Enter returns to the segment ")
        whole = " ".join(" ".join(_drawn(child)[-1]).split())
        assert '"zzzz-not-a-code" is neither a number from the list nor a code id. Nothing changed.' in whole
        child.sendline("")
        child.expect_exact("> ")
        child.sendline("q")
        child.expect(pexpect.EOF)
        said = child.logfile_read.getvalue()
    assert "Traceback" not in said
    assert list(iter_decisions(open_db(db_path), coders=["consensus"])) == []


def _study_project(db_path, suggested: list[tuple[str, float]]) -> None:
    """A study's shape: a 48-code codebook (8 themes of 6 codes) and p01's 30 participant answers, each
    longer than an 80x24 screen, each with the `suggested` (code, score) pairs, "officer" their evidence."""
    from _coding_project import _transcript

    from wei_qual.models import INTERVIEWER, PARTICIPANT, Code, Codebook
    from wei_qual.store import transaction
    from wei_qual.store.codebooks import save_codebook_version
    from wei_qual.store.transcripts import save_transcript

    codes = []
    for t in range(8):
        codes.append(Code(f"theme-{t}", f"Theme {t}: how agencies handle crisis calls in practice"))
        codes += [
            Code(f"theme-{t}-code-{c}", f"Code {c} of theme {t}", parent=f"theme-{t}", definition="A code.")
            for c in range(6)
        ]
    answer = (
        "The officer waited at the crisis unit for hours because the beds were full, and the clinician "
        "said the admission criteria had changed again that week. Nobody followed up with the family. "
    ) * 12
    db = open_db(db_path)
    with transaction(db):
        version = save_codebook_version(db, Codebook("study", "1.0", codes=tuple(codes)), "name: study\n")
        turns = [
            (role, words)
            for _ in range(30)
            for role, words in ((INTERVIEWER, "And then?"), (PARTICIPANT, answer))
        ]
        save_transcript(db, _transcript("p01", turns, {"role": "officer", "setting": "rural"}))
    for n in range(2, 62, 2):
        for code, score in suggested:
            add_suggestion(db, version, "p01", n, code, score, [{"start": 4, "end": 11, "words": "officer"}])
    db.close()


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_twenty_saves_in_a_row_with_a_big_codebook_and_long_turns_on_a_small_screen(db_path):
    # A study's 48-code codebook and answers longer than an 80x24 screen, coded as a coder codes: each
    # screen is laid out once per part and the code list once per codebook (how long a save takes is
    # measured in bench/fresh.py, "code: save -> next screen"; it was 126 ms here, 13 ms now).
    _study_project(db_path, [("theme-0-code-1", 0.9), ("theme-3-code-2", 0.8), ("theme-5-code-0", 0.7)])
    with _session(db_path, size=(24, 80)) as child:
        child.expect_exact("page 1/")
        child.expect_exact("> ")
        for _ in range(20):
            child.sendline("1 7 13")
            child.expect_exact("> ")
            child.sendline("")
            while child.expect_exact(["Saved:", "> "]) == 1:  # Enter shows each page not read, then saves
                child.sendline("")
            child.expect_exact("> ")
        child.sendline("q")
        child.expect(pexpect.EOF)
    db = open_db(db_path)
    assert len(list(iter_decisions(db, coders=["alice"]))) == 20


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash for job control (Ctrl-Z, fg)")
def test_ctrl_z_then_fg_draws_the_screen_again_with_the_line_typed(db_path):
    # Ctrl-Z from a shell, then fg: the shell's "Stopped" and "fg" lines were where the screen had been,
    # with no prompt, and a coder pressing Enter to get the screen back saved the codes chosen.
    build_project(open_db(db_path))
    kept = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PAGER", "LESS", "COLUMNS", "LINES", "PROMPT_COMMAND")
    }
    shell = pexpect.spawn(
        "bash",
        ["--norc", "--noprofile", "-i"],
        dimensions=(24, 80),
        timeout=30,
        encoding="utf-8",
        env={**kept, "TERM": "xterm-256color", "PS1": "shell$ "},
    )
    shell.logfile_read = io.StringIO()
    with _kept(shell):
        shell.expect_exact("shell$ ")
        shell.sendline(f"{shlex.quote(SCRIPT)} code --coder alice --db {shlex.quote(str(db_path))}")
        shell.expect_exact("coded 0 of 4 (alice)")
        shell.expect_exact("> ")
        shell.send("1 co")
        shell.expect_exact("1 co")
        screens = len(_drawn(shell))
        shell.sendcontrol("z")
        shell.expect_exact("Stopped")
        shell.expect_exact("shell$ ")
        shell.sendline("fg")
        shell.expect_exact("coded 0 of 4 (alice)")  # drawn again
        shell.expect_exact("> 1 co")  # what was typed is on the prompt, as typed
        assert len(_drawn(shell)) == screens + 1
        shell.send("\r")  # the line typed before Ctrl-Z is one answer: two codes chosen, nothing saved
        shell.expect(r"Chosen: (\x1b\[[0-9;]*m)?co-responder, csu-admission")
        shell.expect_exact("> ")
        shell.sendline("q")
        shell.expect_exact("Not saved: co-responder, csu-admission on p01 segment 2.")
        shell.expect_exact("shell$ ")
        shell.sendline("exit")
        shell.expect(pexpect.EOF)
    assert list(iter_decisions(open_db(db_path))) == []


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_accepting_suggestions_names_every_code_added_on_a_small_screen(db_path):
    # At 80x24 the suggestions' line was cut after six ("·…") and "Chosen:" gave the codes by the code
    # list's numbers, the list cut to its first codes: `a` added three codes the screen never named, and
    # Enter saved them.
    suggested = [
        (f"theme-{t}-code-{c}", round(0.95 - 0.05 * i, 2))
        for i, (t, c) in enumerate([(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 0), (6, 1), (7, 2), (7, 4)])
    ]
    _study_project(db_path, suggested)
    with _session(db_path, size=(24, 80)) as child:
        child.expect_exact("> ")
        child.sendline("a")
        child.expect_exact("> ")
        screen = " ".join(_drawn(child)[-1])
        child.sendline("q")
        child.expect(pexpect.EOF)
    flat = " ".join(screen.split())
    assert [code for code, _ in suggested if code not in flat] == []


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_question_mark_lists_every_key_where_the_screen_shows_five(db_path):
    # At 80x24 with a long turn the help is one line (Enter, 0, s, ?, q): b, g, /, n, m and x were named
    # nowhere in the session, and `?`, "codes", showed the codebook alone.
    _study_project(db_path, [("theme-0-code-1", 0.9)])
    with _session(db_path, size=(24, 80), env={"PAGER": "cat"}) as child:
        child.expect_exact("page 1/")
        child.expect_exact("? codes, keys · q quit")
        child.expect_exact("> ")
        child.sendline("?")
        child.expect_exact("theme-7-code-5")  # the codebook, through the pager
        child.expect_exact("> ")
        sent = ANSI.sub("", child.logfile_read.getvalue().rsplit("> ?", 1)[1])
        child.sendline("q")
        child.expect(pexpect.EOF)
    listed = " ".join(sent.split())
    for key in (
        "b back",
        "s skip",
        "g N go to segment",
        "/words search",
        "n note",
        "m memo",
        "! the last message",
    ):
        assert key in listed


# A participant's long answer, marked where it starts and ends: at 80x24 it is paged (page 1/N).
LONG_ANSWER = (
    "BEGINS " + " ".join(f"the crisis team came at hour {n} and waited." for n in range(60)) + " ENDS"
)


def _pages_then_saved(child, key: str, saved: str) -> tuple[int, list[str]]:
    """(At a prompt) `key` at each prompt until `saved` shows: (how many times it was typed, the last screen before)."""
    typed = 0
    while True:
        screen = _drawn(child)[-1]
        child.sendline(key)
        typed += 1
        if child.expect_exact([saved, "> "]) == 0:
            return typed, screen


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_enter_on_a_long_turn_shows_the_pages_not_read_before_it_saves(db_path):
    # At 80x24 a long answer is paged, and Enter on page 1 saved the codes chosen: a code (or "nothing
    # applies") was applied to pages 2 and 3, never shown, and the reliability figures counted it.
    _project_with_turns(db_path, LONG_ANSWER, LONG_ANSWER, "Short answer.")
    with _session(db_path, size=(24, 80)) as child:
        child.sendline("g p03:2")
        child.expect(r"page 1/(\d), space for more · (\d) pages unread")
        pages, unread = int(child.match.group(1)), int(child.match.group(2))
        assert pages >= 3 and unread == pages - 1
        child.expect_exact("> ")
        child.sendline("followup")
        child.expect_exact("> ")
        child.sendline("")  # Enter on page 1: not saved, page 2 shown, saying why
        child.expect_exact(
            f"Not saved: {unread} pages not read yet; the next is shown. Enter saves on the last."
        )
        child.expect_exact("> ")
        assert list(iter_decisions(open_db(db_path))) == []
        assert any(line.startswith(f"page 2/{pages}") for line in _drawn(child)[-1])
        typed, last = _pages_then_saved(child, "", "Saved: p03 segment 2.")
        assert typed == pages - 1  # an Enter a page, the last one saving
        assert any("ENDS" in line for line in last)
        # 0 ("nothing applies") waits for the last page too; space pages on, and the last page saves.
        child.expect_exact("> ")  # the next long turn, its page 1 above the notice
        assert f"page 1/{pages}, space for more · {unread} pages unread" in _drawn(child)[-1]
        child.sendline("0")
        child.expect_exact("not read yet; the next is shown. 0 saves on the last.")
        for _ in range(pages - 2):
            child.expect_exact("> ")
            child.sendline(" ")
        child.expect_exact("> ")  # the last page: nothing unread
        lines = [line.rstrip() for line in _drawn(child)[-1]]
        assert f"page {pages}/{pages}, space for page 1" in lines
        child.sendline("0")
        child.expect_exact("Saved: p03 segment 4.")
        # A turn on one page saves at the first Enter, as it always did.
        child.expect_exact("> ")
        assert any("Short answer." in line for line in _drawn(child)[-1])
        child.sendline("followup")
        child.expect_exact("> ")
        child.sendline("")
        child.expect_exact("Session done.")  # the last segment of the walk (g passed over p01's)
        child.expect(pexpect.EOF)
    got = {d.segment: sorted(d.codes) for d in iter_decisions(open_db(db_path)) if d.transcript == "p03"}
    assert got == {2: ["followup"], 4: [], 6: ["followup"]}


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_reconcile_saves_a_long_turn_only_after_every_page_was_shown(db_path):
    # The lead's consensus, saved by Enter on page 1 of a long disagreement, stood for lines never read.
    from wei_qual.models import Decision
    from wei_qual.store.decisions import save_decision

    _project_with_turns(db_path, LONG_ANSWER)
    db = open_db(db_path)
    for coder, codes in (("alice", {"followup", "csu-admission"}), ("bob", {"followup"})):
        save_decision(db, Decision("p03", 2, coder, frozenset(codes)))
    db.close()
    args = ["reconcile", "--coder", "lead", "--transcript", "p03", "--db", str(db_path)]
    with _kept(_wei_qual(args, size=(24, 80))) as child:
        child.expect(r"page 1/(\d), space for more · (\d) pages unread")
        pages = int(child.match.group(1))
        child.expect_exact("> ")
        child.sendline("")
        child.expect_exact(f"page 2/{pages}")
        child.expect_exact("Not saved: ")
        child.expect_exact("> ")
        typed, last = _pages_then_saved(child, "", "Rationale (why these codes; Enter for none, q quits): ")
        assert typed == pages - 1 and any("ENDS" in line for line in last)
        child.sendline("")
        child.expect(pexpect.EOF)
    got = [(d.segment, sorted(d.codes)) for d in iter_decisions(open_db(db_path), coders=["consensus"])]
    assert got == [(2, ["followup"])]


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
@pytest.mark.parametrize("chosen", [False, True], ids=["at-the-prompt", "codes-chosen"])
def test_a_closed_terminal_ends_the_session_at_once_as_hung_up_keeping_every_save(db_path, chosen):
    # The terminal closed (SIGHUP): the session took the hang-up for Ctrl-D, wrote its summary to the
    # terminal that was gone, and spent seconds rendering the write error's traceback for nobody, ending
    # with status 1 instead of 129 (hung up).
    build_project(open_db(db_path))
    child = _code(db_path)
    status = None
    try:
        child.expect_exact("> ")
        child.sendline("csu-admission")
        child.expect_exact("> ")
        child.sendline("")
        child.expect_exact("Saved: p01 segment 2.")
        child.expect_exact("> ")
        if chosen:
            child.sendline("followup")
            child.expect_exact("Chosen: ")
            child.expect_exact("> ")
        child.ptyproc.fileobj.close()  # the terminal window closed: the kernel hangs up the session
        hung_up = time.monotonic()
        while status is None and time.monotonic() < hung_up + 10:
            pid, raw = os.waitpid(child.pid, os.WNOHANG)
            status = os.waitstatus_to_exitcode(raw) if pid else None
            time.sleep(0.02)
        took = time.monotonic() - hung_up
    except Exception:
        print(child.logfile_read.getvalue()[-6000:])
        raise
    finally:
        child.closed = child.ptyproc.closed = True  # closed above; pexpect must not close it again
        child.ptyproc.terminated = True  # waited for above
        if status is None:
            with contextlib.suppress(OSError):
                os.kill(child.pid, signal.SIGKILL)
                os.waitpid(child.pid, 0)
    assert status == 128 + signal.SIGHUP, status
    assert took < 1.0, took
    got = [(d.transcript, d.segment, sorted(d.codes)) for d in iter_decisions(open_db(db_path))]
    assert got == [("p01", 2, ["csu-admission"])]
    assert sqlite3.connect(db_path).execute("pragma integrity_check").fetchone() == ("ok",)


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
@pytest.mark.parametrize("moved", ["s", "g p02:2"], ids=["after-a-skip", "after-g"])
def test_the_resume_command_starts_where_the_session_stopped_after_a_skip_or_g(db_path, moved):
    # "Stopped at p02 segment 2 ... Resume with ..." gave the plain command, which started at p01:2, the
    # segment skipped (or passed over by g) before: not where the coder left off.
    import shlex

    build_project(open_db(db_path))
    child = _code(db_path, env={"TERM": "xterm"})
    with _kept(child):
        child.expect_exact("segment 2 of 4")
        child.expect_exact("> ")
        if moved == "s":
            child.sendline("s")
            child.expect_exact("segment 4 of 4")
            child.expect_exact("> ")
            child.sendline("followup")
            child.expect_exact("> ")
            child.sendline("")
        else:
            child.sendline(moved)
        child.expect_exact("segment 2 of 3")
        child.expect_exact("> ")
        child.sendline("q")
        child.expect_exact("Stopped at p02 segment 2.")
        child.expect(r'Resume with "([^"]+)"')
        resume = shlex.split(" ".join(child.match.group(1).split()))  # (the line may wrap)
        child.expect(pexpect.EOF)
    assert resume[4:6] == ["--from", "p02:2"], resume
    with _kept(_wei_qual(resume[1:], env={"TERM": "xterm"})) as child:
        child.expect(r"(p0\d)(\x1b\[[0-9;]*m)?  role=\w+  setting=\w+   segment (\d)")
        assert (child.match.group(1), child.match.group(3)) == ("p02", "2")  # not p01:2
        child.expect_exact("> ")
        child.sendline("q")
        child.expect_exact("Stopped at p02 segment 2.")
        child.expect(pexpect.EOF)
