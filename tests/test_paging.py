"""Long segments on screen: page_text, the clamped context turn, the reconcile screen's pages, and
`transcripts show` through a pager on a terminal."""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
from pathlib import Path

import pytest
from _cli_script import SCRIPT
from rich.console import Console, Group
from rich.rule import Rule
from rich.text import Text

from wei_qual.cli.paging import MIN_PAGE_LINES, Clamped, PageView, page_text

DATA = Path(__file__).parent / "data"
LONG = " ".join(f"word{i}" for i in range(2000))


def _lines(parts, width) -> list[str]:
    console = Console(width=width, file=io.StringIO(), color_system=None, record=True)
    console.print(Group(*parts))
    return console.export_text().splitlines()


def test_short_text_is_shown_whole_and_without_a_size_nothing_is_paged():
    top, bottom = [Rule(), Text("head")], [Text("codes"), Text("help")]
    assert page_text(top, Text("short"), bottom, page=0, size=(80, 24)) == [*top, Text("short"), *bottom]
    parts = page_text(top, Text(LONG), bottom, page=0, size=None)
    assert len(parts) == 5  # no terminal: the whole text


def test_long_text_is_cut_into_numbered_pages_that_fit_and_wrap_around():
    top, bottom = [Rule(), Text("head")], [Text("codes"), Text("help")]
    first = _lines(page_text(top, Text(LONG), bottom, page=0, size=(80, 24)), 80)
    assert len(first) == 23  # 24 rows with the prompt line
    assert first[1] == "head" and first[2].startswith("word0 word1")
    n_pages = int(next(line for line in first if line.startswith("page 1/")).split("/")[1].split(",")[0])
    assert first[-2:] == ["codes", "help"]
    last = _lines(page_text(top, Text(LONG), bottom, page=n_pages - 1, size=(80, 24)), 80)
    assert f"page {n_pages}/{n_pages}, space for page 1 (space, then Enter)" in last
    assert last[-3].endswith("word1999") or any(line.endswith("word1999") for line in last)
    again = _lines(page_text(top, Text(LONG), bottom, page=n_pages, size=(80, 24)), 80)
    assert again == first


def _words(lines: list[str]) -> list[int]:
    return [int(w[4:]) for line in lines for w in line.split() if w.startswith("word")]


def test_a_page_view_moves_on_from_the_last_line_shown_whatever_the_room_of_each_screen():
    # A notice under the text ("Saved: ...") took a line from the page it came with; the next page, with
    # the notice gone, started a page of the new size further on, and the lines between were never shown.
    top, bottom = [Text("head")], [Text("codes"), Text("help")]
    notices = [Text("Saved: p01 segment 2.\nA second line of it.")] + [None] * 60
    view, seen, numbers = PageView(), [], []
    for notice in notices:
        parts = page_text(top, Text(LONG), [*bottom, *([notice] if notice else [])], page=view, size=(80, 24))
        lines = _lines(parts, 80)
        seen += _words(lines)
        numbers.append(next(line for line in lines if line.startswith("page ")).split(",")[0])
        if seen[-1] == 1999:
            break
        view.forward()
    assert seen == list(range(2000))  # every word, once, in order
    assert numbers[:2] == ["page 1/" + numbers[0].split("/")[1], "page 2/" + numbers[1].split("/")[1]]
    assert numbers[-1].split(" ")[1].split("/")[0] == numbers[-1].split("/")[1]  # the last says so
    # Back: the page that ends where the one shown starts, whatever the room now; from the first, the last.
    view = PageView(start=40)
    after = _words(_lines(page_text(top, Text(LONG), bottom, page=view, size=(80, 24)), 80))
    view.back()
    notice = [*bottom, Text("a notice")]
    before = _words(_lines(page_text(top, Text(LONG), notice, page=view, size=(80, 24)), 80))
    assert before[-1] + 1 == after[0]
    view = PageView()
    page_text(top, Text(LONG), bottom, page=view, size=(80, 24))
    view.back()
    assert _words(_lines(page_text(top, Text(LONG), bottom, page=view, size=(80, 24)), 80))[-1] == 1999


def test_paging_a_long_turn_after_a_save_shows_every_line(tmp_path):
    # The first screen of a segment says "Saved: ..." of the one before; that line was taken from the
    # first page, and space then showed a page of the larger size further on: lines never shown.
    import _coding_project as cp

    from wei_qual.cli.code_screen import run_session
    from wei_qual.coding import load_session
    from wei_qual.models import INTERVIEWER, PARTICIPANT
    from wei_qual.store import open_db, transaction
    from wei_qual.store.codebooks import save_codebook_version
    from wei_qual.store.transcripts import save_transcript

    turns = [(INTERVIEWER, "Tell me more."), (PARTICIPANT, "Short."), (PARTICIPANT, LONG)]
    db = open_db(tmp_path / "p.db")
    with transaction(db):
        save_transcript(db, cp._transcript("p01", turns, {"role": "officer"}))
        save_codebook_version(db, cp.CODEBOOK, "name: crisis\n")
    session, context = load_session(db, "alice")
    out = io.StringIO()
    screens: list[str] = []
    answers = iter(["followup", ""] + [" "] * 40)

    def read_line(prompt):
        screens.append(out.getvalue())
        out.seek(0), out.truncate()
        return "q" if "word1999" in screens[-1] else next(answers, "q")  # once through, as a coder reads

    terminal = Console(file=out, width=80, height=24, force_terminal=True, color_system=None)
    run_session(db, session, context, read_line=read_line, out=terminal)
    seen = [w for screen in screens[2:] for w in _words(screen.splitlines())]
    assert "Saved: p01 segment 2." in screens[2]
    assert set(seen) == set(range(2000))


def test_a_small_terminal_drops_the_rule_and_context_then_uses_shorter_forms():
    context = Clamped(Text("previous turn " * 40), 3)
    long_help = Text("a very long help line " * 8)
    codes = Text("\n".join(f"code {i}" for i in range(20)))
    compact = Text("codes in one line")
    top = [Rule(), Text("head"), context, Text("Speaker:")]
    parts = page_text(
        top,
        Text(LONG),
        [codes, long_help],
        page=0,
        size=(80, 24),
        shorter=[(long_help, Text("help")), (codes, compact)],
    )
    assert compact in parts and Text("help") in parts
    # The shorter forms left room: the turn before comes back (the rule not, as the text is paged).
    assert not any(isinstance(p, Rule) for p in parts) and context in parts
    lines = _lines(parts, 80)
    assert len(lines) <= 23 and sum(line.startswith("word") for line in lines) >= MIN_PAGE_LINES
    assert lines[0] == "head" and lines[1].startswith("previous turn previous")


def test_the_turn_before_comes_back_on_one_line_when_three_do_not_fit():
    context = Clamped(Text("previous turn " * 40), 3)
    codes = Text("\n".join(f"code {i}" for i in range(16)))
    top = [Rule(), Text("head"), context, Text("Speaker:")]
    short = Text(" ".join(f"w{i}" for i in range(40)))  # two lines at 80 columns
    parts = page_text(
        top, short, [codes, Text("help")], page=0, size=(80, 24), shorter=[(codes, Text("codes"))]
    )
    lines = _lines(parts, 80)
    assert len(lines) <= 23 and lines[0].startswith("──") and lines[2].endswith("…")
    assert lines[3] == "Speaker:" and "page" not in " ".join(lines)


def test_clamped_context_is_cut_to_its_lines_with_an_ellipsis():
    lines = _lines([Clamped(Text("previous " * 100), 3)], 40)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert _lines([Clamped(Text("short turn"), 3)], 40) == ["short turn"]


def _long_disagreement(**extra):
    """The first disagreement of the agree project with a long turn, and the reconcile screen's arguments."""
    from _agree_project import build

    from wei_qual.agree import list_disagreements, shown_codes
    from wei_qual.store import memory_db

    db = memory_db()
    build(db)
    sel, found = list_disagreements(db, coders=["alice", "bob"])
    d = found[0]
    d.unit.text = LONG
    kwargs = {
        "chosen": frozenset(),
        "numbered": shown_codes(d, sel.codebook),
        "rationale": None,
        "position": 1,
        "total": 1,
        "consensus": "consensus",
        **extra,
    }
    return d, sel, kwargs


def test_reconcile_screen_pages_a_long_segment():
    from wei_qual.cli.reconcile_screen import render_reconcile_screen

    d, sel, kwargs = _long_disagreement()
    lines = _lines([render_reconcile_screen(d, sel, size=(80, 24), page=0, **kwargs)], 80)
    assert len(lines) <= 23
    assert any(line.startswith("page 1/") for line in lines) and any("word0 word1" in line for line in lines)
    assert any("Chosen:" in line for line in lines)
    whole = _lines([render_reconcile_screen(d, sel, **kwargs)], 80)
    assert not any(line.startswith("page ") for line in whole) and len(whole) > 100


def test_a_long_message_takes_three_lines_of_the_reconcile_screen_and_leaves_the_rest_on_it():
    # A message that wrapped to 20 lines at 80 columns (the codes a short prefix matched in a 40-code
    # study) scrolled the header, the turn and the codes off an 80x24 screen.
    from wei_qual.cli.reconcile_screen import render_reconcile_screen

    message = "Problem " + " ".join(f"word{i}" for i in range(300)) + " END"
    d, sel, kwargs = _long_disagreement(message=message)
    lines = _lines([render_reconcile_screen(d, sel, size=(80, 24), page=0, **kwargs)], 80)
    assert len(lines) <= 23 and any("disagreement 1 of 1" in line for line in lines[:2])
    assert any(line.startswith("page 1/") for line in lines) and any("Chosen:" in line for line in lines)
    at = next(i for i, line in enumerate(lines) if line.startswith("Problem word0"))
    # three lines, the last cut and naming the key that shows it whole, at the bottom
    assert lines[at + 2].endswith("… ! shows all") and at + 3 == len(lines)
    # Piped (no terminal size), the message is whole: nothing limits its lines there.
    whole = _lines([render_reconcile_screen(d, sel, **kwargs)], 80)
    assert "END" in whole[-1]


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_transcripts_show_goes_through_the_pager_on_a_terminal(runner, db_path, tmp_path):
    pexpect = pytest.importorskip("pexpect")
    from wei_qual.cli import app

    shutil.copy(DATA / "KP04_otter_export.txt", tmp_path / "KP04_otter_export.txt")
    runner.invoke(
        app, ["ingest", "KP04_otter_export.txt", "--allow-pii", "--db", str(db_path)], catch_exceptions=False
    )
    paged = tmp_path / "paged.txt"
    env = {"PATH": f"{Path(SCRIPT).parent}:/usr/bin:/bin", "TERM": "xterm", "PAGER": f"tee {paged}"}
    if os.environ.get("PYTHONPATH"):  # the child runs the code under test, not the installed checkout's
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    child = pexpect.spawn(
        SCRIPT,
        ["transcripts", "show", "KP04_otter_export", "--db", str(db_path)],
        env=env,
        dimensions=(24, 100),
        encoding="utf-8",
        timeout=60,
    )
    try:
        child.expect(pexpect.EOF)
    finally:
        if child.isalive():
            child.kill(signal.SIGKILL)
    text = paged.read_text(encoding="utf-8")
    assert (
        "KP04_otter_export" in text
        and "Dana Whitfield" in text
        and "What happens when the answer is no?" in text
    )
    # Not a terminal (a pipe, as in scripts and CliRunner): no pager, the table goes straight to stdout.
    plain = runner.invoke(app, ["transcripts", "show", "KP04_otter_export", "--db", str(db_path)])
    assert "What happens when the answer is no?" in plain.stdout


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
@pytest.mark.skipif(shutil.which("less") is None, reason="less is not installed")
def test_ctrl_c_in_the_pager_is_the_pagers_and_leaves_the_terminal_as_it_was(runner, db_path, tmp_path):
    # Ctrl-C in less reached wei-qual too, whose KeyboardInterrupt made subprocess kill less with
    # SIGKILL: the command ended under the reader, and the shell's terminal was left without echo.
    pexpect = pytest.importorskip("pexpect")
    from wei_qual.cli import app

    shutil.copy(DATA / "KP04_otter_export.txt", tmp_path / "KP04_otter_export.txt")
    runner.invoke(
        app, ["ingest", "KP04_otter_export.txt", "--allow-pii", "--db", str(db_path)], catch_exceptions=False
    )
    kept = {k: v for k, v in os.environ.items() if k not in ("PAGER", "LESS", "COLUMNS", "LINES")}
    child = pexpect.spawn(
        "sh",  # then the terminal's mode, as the shell gets it back (the shell itself outlives Ctrl-C)
        [
            "-c",
            'trap : INT; "$0" transcripts show KP04_otter_export --db "$1"; echo "status $?"; stty -a',
            SCRIPT,
            str(db_path),
        ],
        env={**kept, "TERM": "xterm"},
        dimensions=(24, 100),
        encoding="utf-8",
        timeout=60,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as a terminal gives Ctrl-C
    )
    try:
        child.expect_exact("KP04_otter_export")  # the first page, in less, which waits
        child.sendintr()
        child.send("q")
        child.expect_exact("status ")
        child.expect(pexpect.EOF)
    finally:
        if child.isalive():
            child.kill(signal.SIGKILL)
    after = child.before
    assert after.startswith("0"), after  # q, not Ctrl-C, ended it
    assert " echo " in after and " icanon " in after, after


@pytest.mark.parametrize("size", [(80, 24), (60, 16), (40, 10)])
def test_the_coding_screen_keeps_its_header_speaker_and_text_on_a_small_terminal(tmp_path, size):
    # With the study's 40 codes and a turn with nine suggestions, the code list and the suggestions
    # pushed the header, the speaker and all but a line of the turn off the top of an 80 x 24 terminal.
    from wei_qual.cli.code_screen import render_screen
    from wei_qual.coding import load_session
    from wei_qual.demo import run_demo
    from wei_qual.store import open_db

    db = open_db(run_demo(tmp_path / "out").db_path)
    session, context = load_session(db, "carol")
    while len(session.shown_suggestions()) < 6 or session.current.segment.role != "participant":
        session.skip()  # to an interview turn with many suggestions
    item = session.current
    width, height = size
    lines = _lines([render_screen(session, context, size=size)], width)
    assert len(lines) <= height - 1  # the prompt's line under it
    assert lines[0].startswith(item.transcript) and f"segment {item.segment.n} of" in " ".join(lines[:3])
    speaker = next(i for i, line in enumerate(lines) if line.endswith("):"))  # "P01 (participant):"
    assert " ".join(item.segment.text.split()[:3]) in lines[speaker + 1]
    assert any(line.startswith("Chosen:") for line in lines)
    if height >= 24:  # room for the suggestions, some codes and the keys too
        assert any(line.startswith("Suggestions") for line in lines)
        assert any("1 csu-admission" in line for line in lines) and any("? " in line for line in lines)


def test_the_coding_screen_pages_back_with_a_dash(tmp_path):
    from _coding_project import build_project

    from wei_qual.cli.code_screen import run_session
    from wei_qual.coding import load_session
    from wei_qual.store import open_db

    db = open_db(tmp_path / "p.db")
    build_project(db)
    db.execute("UPDATE segments SET text = ? WHERE transcript_id = 'p01' AND n = 2", [LONG])
    session, context = load_session(db, "alice")
    screens = []

    class Terminal(Console):
        def clear(self, home: bool = True) -> None:
            screens.append(self.export_text())

    out = Terminal(width=80, height=24, file=io.StringIO(), force_terminal=True, record=True)
    answers = iter([" ", " ", "-", "q"])
    run_session(db, session, context, read_line=lambda prompt: next(answers), out=out)
    screens.append(out.export_text())
    pages = [next(line for line in s.splitlines() if line.startswith("page ")) for s in screens[1:]]
    assert [p.split(",")[0].split("/")[0] for p in pages] == ["page 1", "page 2", "page 3", "page 2"]


def test_the_rule_comes_back_above_a_header_that_took_its_shorter_form():
    head, bare = Text("head " * 24), Text("head")  # two lines at 80 columns, and its short form
    context = Clamped(Text("previous turn"), 3)
    codes = Text("\n".join(f"code {i}" for i in range(9)))
    parts = page_text(
        [Rule(), head, context, Text("Speaker:")],
        Text("the answer"),
        [codes],
        page=0,
        size=(80, 9),  # at 12 rows the whole header comes back too (test_longer_forms_come_back_...)
        shorter=[(head, bare), (codes, Text("codes"))],
    )
    lines = _lines(parts, 80)
    assert lines[:4] == ["─" * 80, "head", "previous turn", "Speaker:"], lines


def test_longer_forms_come_back_where_the_rows_hold_them_with_room_for_a_message():
    # The parts were made shorter until the screen fitted, and stayed so: at 200x50 a reconcile screen whose
    # 33 codes went side by side kept its help in one line and its notes cut, over ten empty rows.
    head, bare = Text("head " * 24), Text("head")
    codes = Text("\n".join(f"code {i}" for i in range(9)))
    help_line, short_help = Text("help " * 20), Text("help")
    shorter = [(help_line, short_help), (head, bare), (codes, Text("codes"))]
    top, bottom = [head, Text("Speaker:")], [codes, help_line]

    def shown(rows, passing=()):
        parts = page_text(
            top,
            Text("the answer"),
            [*bottom, *passing],
            page=0,
            size=(80, rows),
            shorter=shorter,
            passing=passing,
        )
        return [line.rstrip() for line in _lines(parts, 80)]

    # 2 + 1 + 1 + 9 + 2 + prompt = 16 rows: at 12 the codes give way, the header and help come back whole.
    assert shown(12) == [
        ("head " * 16).rstrip(),
        ("head " * 8).rstrip(),
        "Speaker:",
        "the answer",
        "codes",
        ("help " * 16).rstrip(),
        ("help " * 4).rstrip(),
    ]
    # Two rows are kept for a message: at 9 rows the help stays short, and a message does not change it.
    assert shown(9)[-1] == "help" and shown(9, [Text("Saved.")])[-2:] == ["help", "Saved."]
    assert shown(18)[4:13] == [f"code {i}" for i in range(9)]  # room for everything: nothing cut


def test_a_300_word_turn_at_80x24_is_read_nine_lines_a_page_with_where_and_the_prompt(tmp_path):
    # With the study's codebook, the code list and the help took the screen and a 300-word answer was read
    # 4 or 5 lines at a time (five pages): the parts under it are now made shorter until a page has nearly
    # half the rows, the header (where, whose), the question answered and the speaker staying.
    from _coding_project import build_project

    from wei_qual.cli.code_screen import render_screen
    from wei_qual.codebook import load_into_project
    from wei_qual.coding import load_session
    from wei_qual.store import open_db

    db = open_db(tmp_path / "p.db")
    build_project(db)
    load_into_project(db, Path(__file__).parent.parent / "codebooks" / "wei_crisis_response.yaml")
    turn = " ".join(f"w{i}" for i in range(300))
    db.execute("UPDATE segments SET text = ? WHERE transcript_id = 'p01' AND n = 2", [turn])
    db.conn.commit()
    session, context = load_session(db, "alice")
    view = PageView()
    lines = _lines([render_screen(session, context, page=view, size=(80, 24))], 80)
    assert len(lines) <= 23  # the prompt's line under it
    assert lines[0].startswith("p01") and "segment 2 of 4" in lines[0] and "coded 0 of 4 (alice)" in lines[0]
    question = session.current.previous.text
    assert lines[1] == "I (interviewer): " + question
    assert lines[2] == "P (participant):"
    first, last = view.shown
    assert first == 0 and last - first >= 9 and lines[3].startswith("w0 w1")
    assert any(line.startswith("page 1/2, space for more") for line in lines)
    assert any(line.startswith("Chosen:") for line in lines) and "1 csu-admission" in "\n".join(lines)
    assert lines[-2].endswith("? lists every code") and lines[-1].startswith("Enter save")


def test_a_notice_takes_its_line_from_the_page_not_from_the_code_list(tmp_path):
    # A notice under a paged turn ("P11 segment 4: ...", after g) made the code list shorter on that
    # screen only (4 lines, then 8 on the next): it takes its line from the page instead.
    from _coding_project import build_project

    from wei_qual.cli.code_screen import render_screen
    from wei_qual.codebook import load_into_project
    from wei_qual.coding import load_session
    from wei_qual.store import open_db

    db = open_db(tmp_path / "p.db")
    build_project(db)
    load_into_project(db, Path(__file__).parent.parent / "codebooks" / "wei_crisis_response.yaml")
    db.execute("UPDATE segments SET text = ? WHERE transcript_id = 'p01' AND n = 2", [LONG])
    db.conn.commit()
    session, context = load_session(db, "alice")
    screens, views = [], []
    for notice in ("p01 segment 2: segment 1 of 4 in this walk.", None):
        views.append(PageView())
        screens.append(_lines([render_screen(session, context, notice, page=views[-1], size=(80, 24))], 80))
    with_notice, without = screens
    codes = [line for line in without if "csu-admission" in line or "? lists" in line]
    assert codes and all(line in with_notice for line in codes)
    assert len(with_notice) == len(without) <= 23
    assert views[0].per_page == views[1].per_page - 1 == 8


def test_reconcile_screen_keeps_its_header_at_80x24_with_many_codes_a_note_and_a_message():
    # With nine codes, a note, a rationale and a message at 80x24 the screen was taller than the terminal,
    # and the header (which transcript, disagreement 6 of 41) scrolled off the top: the lead lost the place.
    from _agree_project import build

    from wei_qual.agree import list_disagreements
    from wei_qual.cli.reconcile_screen import render_reconcile_screen
    from wei_qual.store import memory_db

    db = memory_db()
    build(db)
    sel, found = list_disagreements(db, coders=["alice", "bob"])
    d = found[0]
    d.unit.attributes = {
        "title": "a ride-along debrief with the east side deputies",
        "date": "Tue, 2/6 10:15AM",
    }
    d.unit.text = "More than people think. " * 8  # three lines
    numbered = [f"code-{i}" for i in range(10)]
    lines = _lines(
        [
            render_reconcile_screen(
                d,
                sel,
                chosen=frozenset(numbered[:3]),
                numbered=numbered,
                rationale="a long rationale that explains why the lead chose these codes over the others "
                * 2,
                position=6,
                total=41,
                consensus="consensus",
                message="Note: code-1 and code-2 are in the exclusive group: pick one. " * 2,
                notes={"alice": "check this one, " * 12},
                size=(80, 24),
                previous=None,
            )
        ],
        80,
    )
    assert len(lines) <= 23
    assert any("disagreement 6 of 41" in line for line in lines)
    assert any(line.startswith("Chosen:") for line in lines) and any("code-9" in line for line in lines)
    assert any(line.startswith("alice's note: check this one") for line in lines)


def test_the_reconcile_screen_names_the_memos_in_one_line_when_they_do_not_fit():
    # Every memo on the segment is shown under the codes; four of them on an 80x24 terminal with many codes
    # pushed the header (where the lead is) off the top.
    from _agree_project import build

    from wei_qual.agree import list_disagreements
    from wei_qual.cli.reconcile_screen import render_reconcile_screen
    from wei_qual.store import memory_db

    db = memory_db()
    build(db)
    sel, found = list_disagreements(db, coders=["alice", "bob"])
    d = found[0]
    d.unit.text = "More than people think. " * 8
    numbered = [f"code-{i}" for i in range(10)]
    memo = "the unit said no because of the charge, not the drinking, ask the team " * 2
    kwargs = {
        "chosen": frozenset(numbered[:3]),
        "numbered": numbered,
        "rationale": "the charge decided it",
        "position": 6,
        "total": 41,
        "consensus": "consensus",
        "notes": {"alice": "check this one"},
        "size": (80, 24),
    }
    memos = {name: memo for name in ("alice", "bob", "carol", "lead")}
    lines = _lines([render_reconcile_screen(d, sel, memos=memos, **kwargs)], 80)
    assert len(lines) <= 23 and any("disagreement 6 of 41" in line for line in lines)
    assert "Memos by alice, bob, carol, lead: m? reads them." in lines
    # With room for it, a memo is shown itself.
    lines = _lines([render_reconcile_screen(d, sel, memos={"bob": "beds?"}, **kwargs)], 80)
    assert "bob's memo: beds?" in lines


def test_the_reconcile_screen_fits_80x24_with_six_long_code_names_two_notes_memos_and_a_message():
    # Six codes whose names wrap took twelve lines: with two coders' notes, two memos, a rationale and a
    # message the screen was a line taller than 80x24 even in its shortest forms, and the header (where the
    # lead is) scrolled off. The names are cut to a line first, as the coding session's code list is.
    import dataclasses

    from _agree_project import build

    from wei_qual.agree import list_disagreements
    from wei_qual.cli.reconcile_screen import render_reconcile_screen
    from wei_qual.models import Code, Codebook
    from wei_qual.store import memory_db

    db = memory_db()
    build(db)
    sel, found = list_disagreements(db, coders=["alice", "bob"])
    names = {
        "csu-wait": "Officer describes waiting for a crisis stabilization unit bed",
        "jail-fallback": "Jail used as a fallback when no treatment bed is available",
        "coresponder": "Co-responder clinician present on the call at the scene",
        "family-request": "Family member requested help before the officer arrived",
        "csu-refusal": "Provider refused admission because of a pending criminal charge",
        "ed-transport": "Transport to the emergency department by patrol car",
    }
    sel = dataclasses.replace(
        sel, codebook=Codebook(name="T", version="1", codes=tuple(Code(i, n) for i, n in names.items()))
    )
    d = found[0]
    d.unit.text = "We waited four hours at the unit and then they said no because of the charge. " * 2
    kwargs = {
        "chosen": frozenset({"csu-wait", "jail-fallback"}),
        "numbered": list(names),
        "rationale": "the charge decided it, not the drinking; the unit's policy says so",
        "position": 6,
        "total": 41,
        "consensus": "consensus",
        "message": '"stance" matches several codes: stance-supportive, stance-mixed. Type more of the id. '
        "Nothing changed.",
        "notes": {
            "alice": "I was unsure whether the refusal counts as csu-refusal or jail-fallback here, please look",
            "bob": "the charge is what mattered",
        },
        "memos": {"alice": "ask the team about the unit's exclusion rules", "lead": "compare with P03"},
    }
    lines = _lines([render_reconcile_screen(d, sel, size=(80, 24), **kwargs)], 80)
    assert len(lines) <= 23  # the prompt takes the 24th row
    assert "disagreement 6 of 41" in lines[0]
    assert "We waited four hours" in "\n".join(lines)
    assert any(line.startswith("Chosen: csu-wait, jail-fallback") for line in lines)
    assert any(line.startswith("2  jail-fallback   Jail used as a fallback when no…") for line in lines)
    assert any(line.startswith("bob's note: the charge is what mattered") for line in lines)
    # A wide terminal shows every name whole.
    wide = _lines([render_reconcile_screen(d, sel, size=(160, 30), **kwargs)], 160)
    assert any("Provider refused admission because of a pending criminal charge" in line for line in wide)


def _dense_disagreement():
    """33 codes with long names applied by four coders who disagree on 32, a 350-word turn, each coder's
    note and three memos: the densest screen a study's reconcile shows."""
    import random

    from wei_qual.agree.disagreements import Disagreement
    from wei_qual.agree.selection import Selection, Unit
    from wei_qual.models import Code, Codebook

    rng = random.Random(3)
    ids = [f"t{t}-code-with-a-rather-long-identifier-{c}" for t in range(5) for c in range(8)]
    name = "officers describe waiting for hours at the emergency department while the crisis unit has no beds"
    codebook = Codebook(
        name="T", version="1", codes=tuple(Code(i, f"Código {i[:2]}: {name} 🙂") for i in ids)
    )
    coders = ["alice", "bob", "carmen-núñez", "dmitri"]
    applied = {c: frozenset([ids[1], *rng.sample(ids[2:], 9)]) for c in coders}
    words = [
        "the",
        "unit",
        "said",
        "no",
        "bed",
        "tonight",
        "so",
        "we",
        "drove",
        "two",
        "hours",
        "señora",
        "José",
        "危机干预",
        "😀",
    ]
    text = "START " + " ".join(rng.choice(words) for _ in range(350)) + " END"
    unit = Unit("P21", 2, "Speaker 2", "participant", text, {"role": "officer", "setting": "rural"}, applied)
    union = frozenset().union(*applied.values())
    d = Disagreement(unit, union - {ids[1]}, frozenset({ids[1]}))
    sel = Selection(codebook, coders, [], {}, {}, [unit])
    numbered = [i for i in ids if i in union]
    note = "I was unsure because the participant moves between the ER and the unit without saying which. " * 3
    memo = "This turn reads as a story about waiting at the ER; the criteria are implied, never named. " * 2
    kwargs = {
        "chosen": frozenset({ids[1]}),
        "numbered": numbered,
        "rationale": None,
        "position": 1,
        "total": 12,
        "consensus": "consensus",
        "notes": {c: note for c in coders},
        "memos": {c: memo for c in coders[:3]},
    }
    return d, sel, kwargs


@pytest.mark.parametrize("columns, rows", [(60, 16), (80, 24), (100, 30), (180, 36), (200, 50)])
def test_a_dense_disagreement_fits_the_terminal_and_says_what_it_cut(columns, rows):
    # 33 codes from four coders, long names, notes and memos: at 80x24 the table alone was 99 lines in its
    # shortest form, and the header and the passage scrolled off the top before the lead saw them.
    from wei_qual.cli.reconcile_screen import render_reconcile_screen

    d, sel, kwargs = _dense_disagreement()
    n = len(kwargs["numbered"])
    view = PageView()
    lines = _lines([render_reconcile_screen(d, sel, size=(columns, rows), page=view, **kwargs)], columns)
    assert len(lines) <= rows - 1 and all(len(line) <= columns for line in lines), lines
    joined = "\n".join(lines)
    assert "P21" in lines[0] and "disagreement 1 of 12" in lines[0]  # where the lead is
    # The passage, or its first page (MIN_PAGE_LINES of it at least, 60x16 being the smallest screen).
    assert "START" in joined and (view.per_page >= min(7, rows // 4) or "END" in joined)
    assert "Chosen: t0-code-with-a-rather-long-identifier-1" in joined
    if (
        columns >= 80
    ):  # every coder's column (at 60 a row names under it the coders past the width who applied it)
        assert all(c in joined for c in ("alice", "bob", "carmen-núñez", "dmitri"))
    shown = sorted(int(x) for x in re.findall(r"(\d+)  t\d-code", joined))
    # Numbered as in the whole table, in its order; cut, the disputed codes (all but row 1) go first.
    assert shown == (list(range(1, n + 1)) if len(shown) == n else list(range(2, len(shown) + 2)))
    if len(shown) < n:  # the others counted, and the key that shows them named
        rest = n - len(shown)  # row 1, agreed and chosen, among them
        assert f"… {rest} more codes ({rest - 1} disputed, 1 chosen): ? shows all" in joined
    if columns == 180:  # a wide terminal: every code, in two halves side by side
        assert len(shown) == n and re.search(r"✓ +\d+  t\d-code", joined)
    if columns == 200:  # wider and taller: every code with its name, every note and memo
        assert len(shown) == n and joined.count("Código t") == n
        assert joined.count("'s note: I was unsure") == 4 and joined.count("'s memo:") == 3
    if columns == 80:
        assert "Notes by alice, bob, carmen-núñez, dmitri: ? shows all." in joined
    if columns == 60:  # the table down to its first code; the notes and memos said in one line
        assert shown == [2] and "Notes by 4 coders (? shows all), memos by 3 (m? reads them)." in joined
    # The keys, on every size: at 60x16 the screen was 17 lines, its header scrolled off and no key shown.
    assert "Enter save" in lines[-1] and "q quit" in lines[-1]
    # `?` shows it all: every code with its name, every note and memo whole.
    whole = _lines([render_reconcile_screen(d, sel, whole=True, **kwargs)], columns)
    everything = " ".join(line.strip() for line in whole)
    assert all(code in everything for code in kwargs["numbered"]) and "END" in everything
    assert everything.count("the ER and the unit without saying which.") == 12  # three in each of 4 notes
    assert everything.count("no beds 🙂") == len(kwargs["numbered"])  # every name to its end


def test_a_coding_screen_with_fourteen_long_codes_chosen_keeps_the_code_list_and_help(tmp_path):
    # Fourteen codes with long ids chosen took fourteen lines of "Chosen:" at 80x24: the code list and the
    # help were left out and the turn was read five lines a page. The choice goes by the code list's
    # numbers there, every code still named; a wide terminal shows the ids.
    import _coding_project as cp

    from wei_qual.cli.code_screen import render_screen
    from wei_qual.coding import load_session
    from wei_qual.models import INTERVIEWER, PARTICIPANT, Code, Codebook
    from wei_qual.store import open_db, transaction
    from wei_qual.store.codebooks import save_codebook_version
    from wei_qual.store.transcripts import save_transcript

    ids = [f"t{t}-code-with-a-rather-long-identifier-{c}" for t in range(5) for c in range(8)]
    codebook = Codebook(name="dense", version="1", codes=tuple(Code(i, f"Name {i}") for i in ids))
    turns = [(INTERVIEWER, "Tell me more."), (PARTICIPANT, " ".join(["the unit said no bed tonight"] * 60))]
    db = open_db(tmp_path / "p.db")
    with transaction(db):
        save_transcript(db, cp._transcript("p01", turns, {"role": "officer"}))
        save_codebook_version(db, codebook, "name: dense\n")
    session, context = load_session(db, "alice")
    picked = ids[1::3] + [ids[-1]]  # 14 codes: 2 5 8 ... 38 and 40 in the code list
    session.apply_codes([("+", c) for c in picked])
    lines = _lines([render_screen(session, context, page=PageView(), size=(80, 24))], 80)
    assert len(lines) <= 23, lines
    numbers = " ".join(str(ids.index(c) + 1) for c in picked)
    assert f"Chosen (14, numbers of the code list): {numbers}" in lines
    assert any("1 t0-code-with-a-rather-long-identifier-0" in line for line in lines)  # the code list
    assert lines[-1].startswith("Enter save")  # and the help
    wide = _lines([render_screen(session, context, page=PageView(), size=(200, 50))], 200)
    assert any(line.startswith(f"Chosen: {picked[0]}, {picked[1]}") for line in wide)


@pytest.mark.parametrize("size", [(60, 16), (80, 24), (200, 50)])
def test_a_choice_that_fits_its_line_is_named_not_numbered_on_a_small_terminal(tmp_path, size):
    # At 60x16 "Chosen: coresp-value, stance-support" (one line) became "Chosen (2, numbers of the code
    # list): 5 7", with the code list cut before 7: the coder could not see what they had chosen.
    import _coding_project as cp

    from wei_qual.cli.code_screen import render_screen
    from wei_qual.coding import load_session
    from wei_qual.models import INTERVIEWER, PARTICIPANT, Code, Codebook
    from wei_qual.store import open_db, transaction
    from wei_qual.store.codebooks import save_codebook_version
    from wei_qual.store.transcripts import save_transcript

    themes = {
        "csu": ["csu-admit", "csu-refused", "csu-full"],
        "jail": [],
        "coresp": ["coresp-value", "coresp-limits"],
        "stance": ["stance-support", "stance-oppose"],
        "followup": [],
        "rural": [],
        "training": [],
        "wellbeing": [],
    }
    codes = []
    for theme, children in themes.items():
        name = "Stance toward civilian response" if theme == "stance" else f"Theme {theme}"
        codes.append(Code(theme, name, exclusive=theme == "stance"))
        codes += [Code(c, f"Name {c}", parent=theme) for c in children]
    codebook = Codebook(name="pilot", version="0.1", codes=tuple(codes))
    answer = (
        "I'd take one in a heartbeat. Out here we don't have that. A clinician on the phone at three in the "
        "morning would already be something. Nights it is just us, and days are not much better out here."
    )
    attrs = {"date": "Tue, 5/6 2:10PM", "jurisdiction": "North", "role": "officer", "setting": "rural"}
    attrs["title"] = "K01 deputy interview"
    db = open_db(tmp_path / "p.db")
    with transaction(db):
        save_transcript(
            db, cp._transcript("K01", [(INTERVIEWER, "And clinicians?"), (PARTICIPANT, answer)], attrs)
        )
        save_codebook_version(db, codebook, "name: pilot\n")
    session, context = load_session(db, "alice")
    session.apply_codes([("+", "coresp-value"), ("+", "stance-support")])
    session.draft.note = "he wants one but does not have it"
    columns, rows = size
    lines = _lines([render_screen(session, context, page=PageView(), size=size)], columns)
    assert len(lines) <= rows - 1 and all(len(line) <= columns for line in lines), lines
    assert "Chosen: coresp-value, stance-support" in lines, "\n".join(lines)
    assert not any("numbers of the code list" in line for line in lines), lines
    if columns == 200:  # room for a theme's whole name: it was cut at 30 characters on any terminal
        assert any(line.startswith("Stance toward civilian response (pick one):") for line in lines), lines
    if columns == 80:
        assert any(line.startswith("Stance toward civilian respon… (pick one):") for line in lines), lines


@pytest.mark.parametrize("columns, rows", [(60, 16), (80, 24)])
def test_a_study_disagreement_keeps_its_turn_codes_and_keys_on_a_small_terminal(columns, rows):
    # The demo's first disagreement (six codes of the study codebook, two coders' notes, a 150-word turn):
    # at 60x16 the key line was dropped to make room, and the lead saw no word of how to save or quit.
    from wei_qual.agree.disagreements import Disagreement
    from wei_qual.agree.selection import Selection, Unit
    from wei_qual.cli.reconcile_screen import render_reconcile_screen
    from wei_qual.codebook import load_codebook

    codebook = load_codebook(Path(__file__).parent.parent / "codebooks" / "wei_crisis_response.yaml")
    both = ["csu-admission", "csu-excluded-dangerous", "rural-distance", "staffing-coverage"]
    codes = {"alice": frozenset(both), "bob": frozenset([*both, "csu-excluded-intoxication", "ed-holding"])}
    text = "START " + " ".join(["the deputy drove fifty minutes and waited for the unit"] * 15) + " END"
    unit = Unit("P01", 8, "P01", "participant", text, {"role": "officer", "setting": "rural"}, codes)
    d = Disagreement(unit, codes["bob"] - codes["alice"], codes["alice"])
    numbered = [c.id for c in codebook.codes if c.id in codes["bob"]]
    lines = _lines(
        [
            render_reconcile_screen(
                d,
                Selection(codebook, ["alice", "bob"], [], {}, {}, [unit]),
                chosen=codes["alice"],
                numbered=numbered,
                rationale=None,
                position=1,
                total=84,
                consensus="consensus",
                notes={"alice": "medical clearance asked because of an assault charge " * 2, "bob": "long"},
                size=(columns, rows),
                page=PageView(),
            )
        ],
        columns,
    )
    assert len(lines) <= rows - 1 and all(len(line) <= columns for line in lines), lines
    joined = "\n".join(lines)
    assert "disagreement 1 of 84" in joined and "START" in joined and "page 1/" in joined
    # The disputed codes, what the lead decides, before the agreed ones (the first rows of the table).
    assert "3  csu-excluded-intoxication" in joined and "4  ed-holding" in joined
    assert "Chosen: " in joined and ("Notes by alice, bob" in joined or "alice's note" in joined)
    assert "Enter save" in lines[-1] or "Enter saves" in joined  # the keys, in their shortest form at least


def test_pages_read_stay_read_when_the_terminal_is_resized_and_the_rest_stays_unread():
    # Enter saves a paged turn only once every page was shown (PageView.unread): a resize wraps the turn
    # anew, and the lines read must stay read (else Enter would page a read turn again) while the lines
    # never shown stay unread (else a resize would let Enter save them unseen).
    top, bottom = [Text("head")], [Text("codes")]
    text = Text(" ".join(f"w{i}" for i in range(1500)))
    read = PageView()
    page_text(top, text, bottom, page=read, size=(80, 24))
    pages = read.unread()
    assert pages >= 2
    for _ in range(pages):
        read.forward()
        page_text(top, text, bottom, page=read, size=(80, 24))
    assert read.unread() == 0
    page_text(top, text, bottom, page=read, size=(50, 20))
    assert read.unread() == 0
    once = PageView()  # the first page only, then a narrower terminal
    page_text(top, text, bottom, page=once, size=(80, 24))
    page_text(top, text, bottom, page=once, size=(50, 20))
    assert once.unread() >= pages
    once.to_unread()  # Enter: the first line never shown opens the page
    assert once.start == min(set(range(once.lines)) - once.seen) > 0
    # a turn that fits whole is read whole
    short = PageView()
    page_text(top, Text("a short answer"), bottom, page=short, size=(80, 24))
    assert short.unread() == 0


@pytest.fixture(scope="module")
def desk_project(tmp_path_factory):
    """The bundled sample with thirty more segment memos: every listing here is longer than a screen."""
    from _qdpx_project import build_sample_project

    from wei_qual.store.decisions import save_memo

    path = tmp_path_factory.mktemp("desk-pager") / "sample.db"
    db = build_sample_project(path)
    for n in range(1, 31):
        save_memo(db, "alice", "segment", f"P02:{n}", f"Memo {n}: compare with what P03 says of the unit.")
    db.close()
    return path


def _pager_script(folder: Path) -> tuple[Path, Path]:
    """A $PAGER that records that it ran and what it was given (as `less` would show it)."""
    ran, shown = folder / "pager-ran", folder / "pager-shown.txt"
    script = folder / "pager.sh"
    script.write_text(f'#!/bin/sh\necho ran >> "{ran}"\ncat > "{shown}"\n')
    script.chmod(0o700)
    return ran, shown


def _in_a_terminal(args: list[str], env: dict[str, str]) -> str:
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(SCRIPT, args, env=env, dimensions=(24, 100), encoding="utf-8", timeout=120)
    try:
        child.expect(pexpect.EOF)
    finally:
        if child.isalive():
            child.kill(signal.SIGKILL)
    child.close()
    assert child.exitstatus == 0, child.before
    return child.before


DESK_COMMANDS = {
    "retrieve": (["retrieve", "csu-admission"], "CSU admission and intake (csu-admission)"),
    "memos": (["memos"], "Memo 30: compare with what P03 says of the unit."),
    "search": (["search", "unit"], "Search: unit"),
}


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
@pytest.mark.parametrize("command", DESK_COMMANDS)
def test_retrieve_memos_and_search_go_through_the_pager_on_a_terminal_only(desk_project, tmp_path, command):
    # A retrieve of a code on 40 segments, or the team's memos, scrolled past on a terminal, where
    # `transcripts show` was paged: the start had gone before it was read.
    import subprocess

    args, expected = DESK_COMMANDS[command]
    args = [*args, "--db", str(desk_project)]
    ran, shown = _pager_script(tmp_path)
    env = {
        "PATH": f"{Path(SCRIPT).parent}:/usr/bin:/bin",
        "TERM": "xterm",
        "PAGER": str(tmp_path / "pager.sh"),
    }
    if os.environ.get("PYTHONPATH"):  # the child runs the code under test, not the installed checkout's
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    _in_a_terminal(args, env)
    assert ran.read_text() == "ran\n"
    listing = shown.read_text(encoding="utf-8")
    assert expected in " ".join(listing.split()) and len(listing.splitlines()) > 24
    ran.unlink()
    # JSON, a file, or --no-pager on a terminal: straight out, no pager.
    out = tmp_path / "listing.md"
    for more in (["--format", "json"], ["-o", str(out)], ["--no-pager"]):
        printed = _in_a_terminal([*args, *more], env)
        assert not ran.exists(), more
    assert expected in " ".join(printed.split())  # --no-pager: the table, on the terminal itself
    assert out.read_text(encoding="utf-8").startswith("# ")  # the Markdown file, written whole
    # Piped, as scripts read it: the same text as with --no-pager, and no pager.
    piped = subprocess.run([SCRIPT, *args], env=env, capture_output=True, text=True, check=True)
    plain = subprocess.run([SCRIPT, *args, "--no-pager"], env=env, capture_output=True, text=True, check=True)
    assert not ran.exists()
    assert piped.stdout == plain.stdout and expected in " ".join(piped.stdout.split())
    # Colour forced (CI, a tool wanting colour): Rich takes the pipe for a terminal; still no pager.
    for force in ("FORCE_COLOR", "FORCE_TERMINAL"):
        forced = subprocess.run(
            [SCRIPT, *args], env={**env, force: "1"}, capture_output=True, text=True, timeout=120, check=False
        )
        assert forced.returncode == 0 and not ran.exists(), force
        assert expected in " ".join(re.sub(r"\x1b\[[0-9;]*m", "", forced.stdout).split()), force
