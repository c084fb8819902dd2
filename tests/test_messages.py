"""Messages that work when followed literally: a suggested command carries the options it needs.

A user who named the project with --db gets it in every quoted "wei-qual ..." command of an error, a
warning or a note; one who relies on $WEI_QUAL_DB or the default does not need it, and does not get it.
"""

from __future__ import annotations

import re
import shlex

import pytest
from _coding_project import build_project

from wei_qual.cli import app
from wei_qual.console import COMMANDS_WITHOUT_DB, complete_commands, remember_project_option
from wei_qual.store import open_db

SUGGESTED = re.compile(r'"(wei-qual [^"]*)"')


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "my study.db"  # a space: the suggestion must quote it
    db = open_db(path)
    build_project(db)
    db.close()
    return path


def _follow(runner, message: str, **kwargs):
    """Run the first command a message suggests, exactly as printed."""
    command = SUGGESTED.search(message).group(1)
    return runner.invoke(app, shlex.split(command)[1:], **kwargs)


def test_the_quit_message_resumes_where_it_stopped_when_followed_literally(runner, project):
    args = ["code", "--coder", "alice", "--transcript", "p02", "--include-interviewer", "--db", str(project)]
    first = runner.invoke(app, args, input="0\nq\n", catch_exceptions=False)  # one turn coded, then quit
    assert first.stderr.startswith("Stopped at p02 segment 2. Coded 1 of 3")
    assert (
        f"\"wei-qual code --coder alice --transcript p02 --include-interviewer --db '{project}'\""
        in first.stderr
    )
    again = _follow(runner, first.stderr, input="q\n", catch_exceptions=False)
    assert again.exit_code == 0
    assert again.stderr.startswith("Stopped at p02 segment 2.")  # the same project, transcript and place


def test_an_error_suggestion_runs_against_the_same_project(runner, project):
    error = runner.invoke(app, ["transcripts", "show", "p99", "--db", str(project)])
    assert error.exit_code == 1
    listed = _follow(runner, error.stderr, catch_exceptions=False)
    assert listed.exit_code == 0 and "p01" in listed.stdout and "p02" in listed.stdout


def test_no_db_is_added_when_the_project_was_found_without_it(runner, project, monkeypatch, tmp_path):
    monkeypatch.setenv("WEI_QUAL_DB", str(project))  # the suggested command finds it the same way
    result = runner.invoke(app, ["transcripts", "show", "p99"])
    assert result.stderr.endswith('List them with "wei-qual transcripts list".\n')
    monkeypatch.delenv("WEI_QUAL_DB")
    (tmp_path / "wei-qual.db").write_bytes(project.read_bytes())
    result = runner.invoke(app, ["transcripts", "show", "p99", "--db", "wei-qual.db"])  # the default
    assert result.stderr.endswith('List them with "wei-qual transcripts list".\n')


def test_completion_leaves_commands_alone_that_need_no_project():
    remember_project_option("/data/study.db")
    try:
        message = (
            'Check it with "wei-qual codebook validate cb.yaml", run "wei-qual demo", see "wei-qual --help", '
            'code with "wei-qual code --coder bob --db bob.wqp", then "wei-qual agree --coders a,b".'
        )
        assert complete_commands(message) == (
            'Check it with "wei-qual codebook validate cb.yaml", run "wei-qual demo", see "wei-qual --help", '
            'code with "wei-qual code --coder bob --db bob.wqp", then "wei-qual agree --coders a,b --db /data/study.db".'
        )
    finally:
        remember_project_option(None)


def test_the_commands_without_db_are_those_of_the_app():
    import typer.main

    def walk(command, path):
        children = getattr(command, "commands", None)
        if children:
            for name, child in children.items():
                yield from walk(child, [*path, name])
        else:
            yield " ".join(path), {opt for p in command.params for opt in p.opts}

    without = {path for path, options in walk(typer.main.get_command(app), []) if "--db" not in options}
    assert without == set(COMMANDS_WITHOUT_DB)


def test_counts_in_messages_take_their_words_number():
    # "1 likely identifier(s) in 1 of 2 transcript(s)", "Replaced 3 identifier(s) with 3 placeholder(s)":
    # a count in a message is said with models.plural ("1 decision", "2 decisions"), never "(s)".
    from pathlib import Path

    import wei_qual

    counted = re.compile(
        r"\}\)?\s(?:[\w-]+ ){0,3}[\w-]+\(s\)"
    )  # "{n} decision(s)", "{len(x)} code description(s)"
    found = [
        f"{path.name}:{n}"
        for path in sorted(Path(wei_qual.__file__).parent.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if counted.search(line)
    ]
    assert found == []
