"""Long turns on a real terminal: the coding screen pages a 5,000-word turn at 80x24 and 120x40 with
the segment's start, the page number, the codes and the prompt all on screen (pexpect in a pty, and the
exact visible screen through tmux when it is installed)."""

from __future__ import annotations

import contextlib
import os
import random
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from _cli_script import SCRIPT

from wei_qual.codebook.versions import load_into_project
from wei_qual.models import INTERVIEWER, PARTICIPANT, Segment, Transcript
from wei_qual.store import open_db, transaction
from wei_qual.store.decisions import iter_decisions
from wei_qual.store.transcripts import save_transcript

pexpect = pytest.importorskip("pexpect")
CODEBOOK = Path(__file__).parent.parent / "codebooks" / "wei_crisis_response.yaml"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]")
CLEAR = "\x1b[2J"
WORDS = [
    "the",
    "unit",
    "called",
    "back",
    "and",
    "said",
    "there",
    "was",
    "no",
    "bed",
    "tonight",
    "so",
    "we",
    "drove",
    "two",
    "hours",
    "to",
    "the",
    "emergency",
    "room",
    "and",
    "waited",
    "with",
    "him",
    "while",
    "the",
    "other",
    "deputy",
    "covered",
    "the",
    "county",
    "alone",
    "which",
    "happens",
    "most",
    "weeks",
]


def _long_turn(n_words: int) -> str:
    """A fictional 5,000-word answer, in sentences, with markers at its start and end."""
    rng = random.Random(7)
    words = [rng.choice(WORDS) for _ in range(n_words - 2)]
    sentences = [" ".join(words[i : i + 17]).capitalize() + "." for i in range(0, len(words), 17)]
    return "START-OF-TURN " + " ".join(sentences) + " END-OF-TURN"


def _save_turns(path: Path, tid: str, turns: list[tuple[str, str, str]], sha: str):
    """A project at `path` holding one transcript of (role, speaker, text) turns, parted by blank lines;
    returns it open."""
    segments, parts, pos = [], [], 0
    for n, (role, speaker, text) in enumerate(turns, start=1):
        pos += 2 if parts else 0
        segments.append(Segment(n, speaker, role, text, pos, pos + len(text)))
        parts.append(text)
        pos += len(text)
    db = open_db(path)
    with transaction(db):
        save_transcript(db, Transcript(tid, f"{tid}.txt", "txt", sha, "\n\n".join(parts), tuple(segments)))
    return db


def _project(path: Path) -> None:
    turns = [
        (INTERVIEWER, "I", "Tell me about the last time the crisis unit could not take someone."),
        (PARTICIPANT, "P01", _long_turn(5000)),
        (PARTICIPANT, "P01", "That is about it."),
    ]
    db = _save_turns(path, "P01", turns, "sha-long")
    load_into_project(db, CODEBOOK)
    db.close()


def _code_under_test() -> dict[str, str]:
    """PYTHONPATH when the tests run another checkout's code than the installed one's: the child runs it."""
    return {"PYTHONPATH": os.environ["PYTHONPATH"]} if os.environ.get("PYTHONPATH") else {}


def _screen(raw: str) -> list[str]:
    """What the terminal shows after the last clear: lines without escape sequences."""
    text = ANSI.sub("", raw[raw.rindex(CLEAR) :] if CLEAR in raw else raw)
    return text.replace("\r\n", "\n").replace("\r", "").split("\n")


def _wait_for_prompt(child, log, timeout=60) -> list[str]:
    child.expect_exact("> ", timeout=timeout)  # the prompt is written after the whole screen
    return _screen(log.getvalue())


def _tmux_visible(tmux: list[str], session: str, expect: str, *, timeout: float, step: float) -> list[str]:
    """The lines of the tmux session's pane once `expect` is on it with the prompt (">") drawn."""
    deadline = time.monotonic() + timeout
    shown: list[str] = []
    while time.monotonic() < deadline:
        shown = subprocess.run(
            [*tmux, "capture-pane", "-p", "-t", session], capture_output=True, text=True, check=False
        ).stdout.split("\n")
        if any(expect in line for line in shown) and any(line.rstrip() == ">" for line in shown):
            return shown
        time.sleep(step)
    raise AssertionError(f"{expect!r} never shown:\n" + "\n".join(shown))


@contextlib.contextmanager
def _tmux(tmp_path: Path, command: str, columns: int, rows: int, session: str):
    """`command` run in a tmux pane of columns x rows on a private server (nothing else is touched), its
    size the pane's; yields the tmux command to drive it, and kills the server after."""
    tmux = ["tmux", "-S", str(tmp_path / "tmux.sock")]
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "TMUX")}
    subprocess.run(
        [*tmux, "new-session", "-d", "-x", str(columns), "-y", str(rows), "-s", session, command],
        check=True,
        env=env,
    )
    try:
        yield tmux
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True, check=False)


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
@pytest.mark.parametrize("columns, rows", [(80, 24), (120, 40)])
def test_coding_screen_pages_a_5000_word_turn(db_path, columns, rows):
    import io

    _project(db_path)
    log = io.StringIO()
    child = pexpect.spawn(
        SCRIPT,
        ["code", "--coder", "alice", "--db", str(db_path)],
        dimensions=(rows, columns),
        timeout=60,
        encoding="utf-8",
        env={"PATH": str(Path(SCRIPT).parent), "TERM": "xterm", "LANG": "C.UTF-8", **_code_under_test()},
    )
    child.logfile_read = log
    try:
        screen = _wait_for_prompt(child, log)
        page = next(line for line in screen if line.startswith("page 1/"))
        n_pages = int(re.match(r"page 1/(\d+)", page)[1])
        assert n_pages > 1
        assert len(screen) <= rows, screen  # the last line is the prompt
        assert all(len(line) <= columns for line in screen)
        joined = "\n".join(screen)
        assert "segment 2 of 3" in joined and "coded 0 of 2 (alice)" in joined
        assert "START-OF-TURN" in joined  # the segment's start is on screen
        # Every code where there is room; at 80x24 the list is cut for a page of nearly half the rows.
        last_code = "32 wellbeing-support" if rows >= 40 else "? lists every code"
        assert "1 csu-admission" in joined and last_code in joined
        assert screen[-1] == "> "

        child.send(" \r")  # space, then Enter: the next page
        screen = _wait_for_prompt(child, log)
        joined = "\n".join(screen)
        assert f"page 2/{n_pages}" in joined and "START-OF-TURN" not in joined
        assert last_code in joined and len(screen) <= rows
        for _ in range(n_pages - 2):
            child.send(" \r")
            screen = _wait_for_prompt(child, log)
        joined = "\n".join(screen)
        assert f"page {n_pages}/{n_pages}, space for page 1" in joined and "END-OF-TURN" in joined
        child.send(" \r")
        assert f"page 1/{n_pages}" in "\n".join(_wait_for_prompt(child, log))

        child.send("1\r")  # choose a code on any page, Enter saves
        _wait_for_prompt(child, log)
        child.send("\r")
        screen = _wait_for_prompt(child, log)
        assert "segment 3 of 3" in "\n".join(screen) and "page " not in "\n".join(screen)
        child.send("q\r")
        child.expect(pexpect.EOF, timeout=60)
    finally:
        if child.isalive():
            child.kill(signal.SIGKILL)
    assert [(d.segment, sorted(d.codes)) for d in iter_decisions(open_db(db_path))] == [
        (2, ["csu-admission"])
    ]


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
@pytest.mark.parametrize("columns, rows", [(80, 24), (120, 40)])
def test_visible_screen_in_tmux_keeps_head_text_codes_and_prompt(db_path, tmp_path, columns, rows):
    _project(db_path)
    command = f"{SCRIPT} code --coder alice --db {db_path}"
    with _tmux(tmp_path, command, columns, rows, "code") as tmux:

        def visible(expect: str) -> list[str]:
            return _tmux_visible(tmux, "code", expect, timeout=60, step=0.2)

        shown = visible("page 1/")
        head = next(i for i, line in enumerate(shown) if "segment 2 of 3" in line)
        start = next(i for i, line in enumerate(shown) if "START-OF-TURN" in line)
        page = next(i for i, line in enumerate(shown) if line.startswith("page 1/"))
        last_code = "32 wellbeing-support" if rows >= 40 else "? lists every code"  # cut for a page at 80x24
        codes = next(i for i, line in enumerate(shown) if last_code in line)
        prompt = next(i for i, line in enumerate(shown) if line.rstrip() == ">")
        assert head < start < page < codes < prompt < rows
        subprocess.run([*tmux, "send-keys", "-t", "code", " ", "Enter"], check=True)
        shown = visible("page 2/")
        assert not any("START-OF-TURN" in line for line in shown)
        assert any("segment 2 of 3" in line for line in shown) and any(last_code in line for line in shown)
        subprocess.run([*tmux, "send-keys", "-t", "code", "q", "Enter"], check=True)


@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_at_80x24_with_the_study_codebook_the_question_answered_is_on_screen(db_path):
    # The 40-code list's shorter form made the room, but the rule and the turn before were dropped
    # first and never put back: every answer at 80x24 was coded without the question it answered.
    import io

    turns = [
        (INTERVIEWER, "I", "Any Arabic speakers on those calls?"),
        (PARTICIPANT, "P01", "Yes, one man, and we had no interpreter for two hours."),
    ]
    db = _save_turns(db_path, "P01", turns, "sha-q")
    load_into_project(db, CODEBOOK)
    db.close()
    log = io.StringIO()
    child = pexpect.spawn(
        SCRIPT,
        ["code", "--coder", "alice", "--db", str(db_path)],
        dimensions=(24, 80),
        timeout=60,
        encoding="utf-8",
        env={
            **{k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")},
            "TERM": "xterm",
            "LANG": "C.UTF-8",
        },
    )
    child.logfile_read = log
    try:
        screen = _wait_for_prompt(child, log)
        child.send("q\r")
        child.expect(pexpect.EOF, timeout=60)
    finally:
        if child.isalive():
            child.kill(signal.SIGKILL)
    assert len(screen) <= 24 and all(len(line) <= 80 for line in screen), screen
    joined = "\n".join(screen)
    assert "I (interviewer): Any Arabic speakers on those calls?" in joined
    assert "1 csu-admission" in joined and "32 wellbeing-support" in joined  # every code, still
    assert screen[-1] == "> "


def _dense_reconcile_project(path: Path) -> list[str]:
    """A 350-word turn that four coders coded with 6 to 10 of 40 long-named codes each (33 in all), each
    with a note: the densest disagreement a study's reconcile shows. Returns the codes applied."""
    import yaml

    from wei_qual.models import Decision
    from wei_qual.store.decisions import save_decision

    ids = [f"t{t}-code-with-a-rather-long-identifier-{c}" for t in range(5) for c in range(8)]
    name = "Officers describe waiting for hours at the emergency department while the unit has no beds"
    codebook = path.parent / "dense.yaml"
    codebook.write_text(
        yaml.safe_dump({"name": "dense", "version": "1", "codes": [{"id": i, "name": name} for i in ids]})
    )
    turns = [
        (INTERVIEWER, "I", "Tell me about the last time the crisis unit could not take someone."),
        (PARTICIPANT, "P21", "START-OF-TURN " + _long_turn(350) + " señora José 危机干预 😀"),
    ]
    db = _save_turns(path, "P21", turns, "sha-d")
    load_into_project(db, codebook)
    rng = random.Random(5)
    applied = set()
    for coder in ("alice", "bob", "carmen-núñez", "dmitri"):
        codes = frozenset([ids[0], *rng.sample(ids[1:], rng.randint(6, 10))])
        applied |= codes
        note = "Unsure: the participant moves between the ER and the unit without saying which. " * 3
        save_decision(db, Decision("P21", 2, coder, codes, note=note), actor=coder)
    db.close()
    return sorted(applied)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_reconcile_at_80x24_keeps_where_the_passage_the_coders_and_the_prompt_on_screen_and_resizes(
    db_path, tmp_path
):
    # Four coders' 33 codes with long names and their notes made a reconcile screen of 120 lines at 80x24:
    # the header (which passage), the turn and the coders' columns scrolled off before the lead saw them.
    applied = _dense_reconcile_project(db_path)
    command = f"{SCRIPT} reconcile --coder lead --db {db_path}"
    with _tmux(tmp_path, command, 80, 24, "rec") as tmux:

        def visible(expect: str) -> list[str]:
            return _tmux_visible(tmux, "rec", expect, timeout=30, step=0.1)

        shown = visible("more codes")
        where = next(i for i, line in enumerate(shown) if "disagreement 1 of 1" in line)
        start = next(i for i, line in enumerate(shown) if "START-OF-TURN" in line)
        page = next(i for i, line in enumerate(shown) if line.startswith("page 1/"))
        coders = next(
            i for i, line in enumerate(shown) if re.search(r"alice +bob +carmen-núñez +dmitri", line)
        )
        more = next(i for i, line in enumerate(shown) if re.match(r"… \d+ more codes .*: \? shows all", line))
        prompt = next(i for i, line in enumerate(shown) if line.rstrip() == ">")
        assert where == 0 and where < start < page < coders < more < prompt
        assert any(
            line.startswith("Notes by alice, bob, carmen-núñez, dmitri: ? shows all.") for line in shown
        )
        # A prefix that matches every code: its message used to list all 40 ids, 20 lines that scrolled
        # the header, the turn and the codes off the screen. It takes three lines at most now.
        subprocess.run([*tmux, "send-keys", "-t", "rec", "code", "Enter"], check=True)
        shown = visible("Type more of the id")
        said = next(i for i, line in enumerate(shown) if line.startswith('"code" matches 40 codes:'))
        prompt = next(i for i, line in enumerate(shown) if line.rstrip() == ">")
        assert "disagreement 1 of 1" in shown[0] and any("START-OF-TURN" in line for line in shown)
        assert any(line.startswith("Chosen: ") for line in shown[:said])
        assert "and 37 more. Type more of the id. Nothing changed." in shown[said + 2]
        assert prompt == said + 3
        # ? shows the whole disagreement (through less, 80x24 being too small for it); q comes back.
        subprocess.run([*tmux, "send-keys", "-t", "rec", "?", "Enter"], check=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            paged = subprocess.run(
                [*tmux, "capture-pane", "-p", "-t", "rec"], capture_output=True, text=True, check=False
            ).stdout
            if "START-OF-TURN" in paged and "page 1/" not in paged:  # the turn whole, in less
                break
            time.sleep(0.1)
        assert "START-OF-TURN" in paged and "page 1/" not in paged and "> " not in paged, paged
        subprocess.run([*tmux, "send-keys", "-t", "rec", "q"], check=True)
        assert "disagreement 1 of 1" in visible("more codes")[0]
        # Wider and taller, mid-walk: the screen is drawn again for the new size, every code on it.
        subprocess.run([*tmux, "resize-window", "-t", "rec", "-x", "200", "-y", "50"], check=True)
        shown = visible("alice's note: Unsure")
        where = next(i for i, line in enumerate(shown) if "disagreement 1 of 1" in line)
        assert where <= 1 and shown[where + 1].startswith("I (interviewer): Tell me about")  # the question
        assert not any("more codes" in line for line in shown) and "END-OF-TURN" in "\n".join(shown)
        found = re.findall(r"t\d-code-with-a-rather-long-identifier-\d", "\n".join(shown))
        assert set(applied) <= set(found)  # every code any coder applied
        subprocess.run([*tmux, "send-keys", "-t", "rec", "q", "Enter"], check=True)


def _capture(tmux: list[str]) -> list[str]:
    """The lines of the "code" session's pane as they are now."""
    got = subprocess.run(
        [*tmux, "capture-pane", "-p", "-t", "code"], capture_output=True, text=True, check=False
    )
    return got.stdout.split("\n")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_at_40x10_a_line_typed_longer_than_the_terminal_keeps_the_header_on_screen(db_path, tmp_path):
    # The typed line wrapped onto more rows and scrolled the header (transcript, segment n of N) off the top:
    # it now scrolls sideways on the prompt's row, and the whole line is read.
    from _coding_project import build_project

    build_project(open_db(db_path))
    command = f"{SCRIPT} code --coder alice --db {db_path}"
    with _tmux(tmp_path, command, 40, 10, "code") as tmux:
        _tmux_visible(tmux, "code", "segment 2 of 4", timeout=60, step=0.2)
        typed = "csu-admission   followup   setting-rural   " * 2  # 90 columns: three rows wrapped
        subprocess.run([*tmux, "send-keys", "-t", "code", "-l", typed], check=True)
        deadline, shown = time.monotonic() + 30, []
        while time.monotonic() < deadline and not any("setting-rural" in line for line in shown):
            time.sleep(0.2)
            shown = _capture(tmux)
        assert any("segment 2 of 4" in line for line in shown), shown
        assert sum("setting-rural" in line or "followup" in line for line in shown) == 1, shown  # one row
        subprocess.run([*tmux, "send-keys", "-t", "code", "Enter"], check=True)
        shown = _tmux_visible(tmux, "code", "setting-rural", timeout=30, step=0.2)
        assert any("segment 2 of 4" in line for line in shown), shown
        subprocess.run([*tmux, "send-keys", "-t", "code", "n", "Enter"], check=True)
        # A question's prompt takes more than half the row: scrolled sideways, its start went off the row and
        # the question was not seen. It wraps, and the screen keeps a row for the answer.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any("Note (Enter keeps it" in line for line in shown):
            time.sleep(0.2)
            shown = _capture(tmux)
        subprocess.run(
            [*tmux, "send-keys", "-t", "code", "-l", "waited at the unit door for an hour"], check=True
        )
        while time.monotonic() < deadline and not any("an hour" in line for line in shown):
            time.sleep(0.2)
            shown = _capture(tmux)
        assert any("Note (Enter keeps it" in line for line in shown), shown
        assert any("segment 2 of 4" in line for line in shown), shown
        subprocess.run([*tmux, "send-keys", "-t", "code", "Enter"], check=True)
        _tmux_visible(tmux, "code", "Note: waited at the unit door", timeout=30, step=0.2)
        subprocess.run([*tmux, "send-keys", "-t", "code", "Enter"], check=True)
        _tmux_visible(tmux, "code", "coded 1 of 4", timeout=30, step=0.2)
        subprocess.run([*tmux, "send-keys", "-t", "code", "q", "Enter"], check=True)
    decisions = list(iter_decisions(open_db(db_path), coders=["alice"]))
    assert [(d.segment, sorted(d.codes), d.note) for d in decisions] == [
        (2, ["csu-admission", "followup", "setting-rural"], "waited at the unit door for an hour")
    ]


# Emoji tmux (as xterm) draws wider than rich counts them: a skin tone two cells more, a flag's letters.
EMOJI_TURN = "He texted 😀👍🏽 and 🇺🇸 and 李小龍 then the unit called back. " * 4


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_a_turn_of_emoji_at_80x24_keeps_the_header_on_screen(db_path, tmp_path):
    # Laid out at 80 columns by rich's count, a line of them took 82 in the terminal, which wrapped it
    # mid-word; a screen that filled the terminal was a row taller for each, and its header (transcript,
    # segment n of N) went off the top.
    turns = [
        (INTERVIEWER, "I", "What did he send you?"),
        (PARTICIPANT, "P01", EMOJI_TURN),
        (PARTICIPANT, "P01", "That is about it."),
    ]
    db = _save_turns(db_path, "P01", turns, "sha-emoji")
    load_into_project(db, CODEBOOK)
    db.close()
    command = f"{SCRIPT} code --coder alice --db {db_path}"
    with _tmux(tmp_path, command, 80, 24, "code") as tmux:
        shown = _tmux_visible(tmux, "code", "then the unit called back", timeout=60, step=0.2)
        assert any("segment 2 of 3" in line for line in shown[:3]), shown
        start = next(i for i, line in enumerate(shown) if line.startswith("P01 (participant):")) + 1
        end = next(i for i, line in enumerate(shown) if line.startswith("Chosen:"))
        typed = set(EMOJI_TURN.split())
        # Every word whole: the terminal wrapped no line ("... He texted 😀👍🏽 a" then "nd")
        assert {word for line in shown[start:end] for word in line.split()} <= typed, shown[start:end]
        assert " ".join(" ".join(shown[start:end]).split()) == " ".join(EMOJI_TURN.split())
        subprocess.run([*tmux, "send-keys", "-t", "code", "q", "Enter"], check=True)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.skipif(not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed")
def test_control_characters_in_the_transcript_id_and_attributes_show_as_escapes_and_the_header_fits(
    db_path, tmp_path
):
    # The header's id and attributes were escaped only as written: Rich dropped the BEL and counted the ESC
    # as no width, so the terminal wrapped the header mid-word ("coded 0 o" / "f 2 (alice)"), a row more.
    from wei_qual.store.transcripts import save_attributes

    tid = "E\x1b]0;TID\x07"
    turns = [(INTERVIEWER, "I", "Question?"), (PARTICIPANT, "P", "An answer."), (PARTICIPANT, "P", "More.")]
    db = _save_turns(db_path, tid, turns, "sha-esc")
    with transaction(db):
        save_attributes(db, tid, {"role": "officer\x1b]0;ATTR\x07", "site\x1b[2J": "rural"})
    load_into_project(db, CODEBOOK)
    db.close()
    command = f"{SCRIPT} code --coder alice --db {db_path}"
    with _tmux(tmp_path, command, 80, 24, "code") as tmux:
        shown = _tmux_visible(tmux, "code", "An answer.", timeout=60, step=0.2)
        assert any(line.startswith(r"E\x1b]0;TID\x07  role=officer\x1b]0;ATTR\x07") for line in shown), shown
        assert any("coded 0 of 2 (alice)" in line for line in shown), shown  # not wrapped mid-word
        title = subprocess.run(
            [*tmux, "display-message", "-p", "-t", "code", "#{pane_title}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "TID" not in title and "ATTR" not in title
        subprocess.run([*tmux, "send-keys", "-t", "code", "q", "Enter"], check=True)
