"""Errors never echo file content, and an empty file is never an all-clear."""

from __future__ import annotations

from wei_qual.cli import app

CANARY = "Sergeant Okafor drove Dana Whitfield to the crisis unit"


def test_an_attributes_file_that_is_really_a_transcript_is_not_echoed(runner, tmp_path):
    (tmp_path / "p01.txt").write_text("Interviewer: Where did you take her?\nParticipant: To the unit.\n")
    (tmp_path / "attributes.csv").write_text(f"{CANARY}, late on a Friday.\nInterviewer: And then?\n")
    result = runner.invoke(app, ["ingest", "p01.txt", "--attributes", "attributes.csv", "--db", "p.db"])
    assert result.exit_code == 1
    assert CANARY not in result.stderr and "Okafor" not in result.stderr
    assert result.stderr == (
        'Error: "attributes.csv", line 1: no "id" column in the header row (2 column(s)). Add an id column '
        "holding each transcript's id (its file name without extension).\n"
    )


def test_scanning_an_empty_file_is_an_error_not_a_pass(runner, tmp_path):
    (tmp_path / "empty.txt").write_text("  \n")
    result = runner.invoke(app, ["deid", "scan", "empty.txt"])
    assert result.exit_code == 1
    assert (
        result.stderr
        == 'Error: "empty.txt" is empty, so there is nothing to scan. Check the file, or leave it out.\n'
    )
