"""`wei-qual ingest` through the CLI: summary and errors on stderr, exit codes, nothing half-written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wei_qual.cli import app
from wei_qual.models import Decision
from wei_qual.store import iter_audit, open_db
from wei_qual.store.decisions import save_decision
from wei_qual.store.transcripts import get_attributes, iter_segments, iter_transcript_summaries

DATA = Path(__file__).parent / "data"


@pytest.fixture
def files(tmp_path):
    """Copy fixtures into the cwd (tmp_path) so messages show short relative names."""

    def copy(*names: str) -> list[str]:
        for n in names:
            shutil.copy(DATA / n, tmp_path / n)
        return list(names)

    return copy


def _ids(db_path):
    return [r["id"] for r in iter_transcript_summaries(open_db(db_path))]


def test_ingest_files_and_summary(runner, db_path, files):
    args = ["ingest", *files("zoom.vtt", "rev.txt"), "--db", str(db_path)]
    result = runner.invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == (
        "zoom: Interviewer = interviewer (2 turns, 9 words; a known interviewer label); P03 = participant (1 turn, 10 words; a participant label). Roles inferred.\n"
        "rev: Interviewer = interviewer (2 turns, 9 words; a known interviewer label); Officer 2 = participant (1 turn, 10 words; answers: asks 0/2 questions). Roles inferred.\n"
        f"Ingested 2 transcripts (6 segments, 38 words) into {db_path}: 2 added.\n"
    )
    assert _ids(db_path) == ["rev", "zoom"]

    again = runner.invoke(app, args, catch_exceptions=False)
    assert again.exit_code == 0
    assert again.stderr == (
        "zoom.vtt: unchanged, already in the project with the same content.\n"
        "rev.txt: unchanged, already in the project with the same content.\n"
        f"Ingested 0 transcripts (0 segments, 0 words) into {db_path}: 2 unchanged.\n"
    )


def test_a_bad_file_fails_alone_with_exit_1(runner, db_path, files):
    names = files("cp1252.txt", "rev.txt", "empty.txt")
    result = runner.invoke(app, ["ingest", *names, "missing.txt", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.stderr == (
        'Error: "missing.txt" does not exist. Check the path.\n'
        'Error: "cp1252.txt" is not UTF-8 (first bad byte on line 3). Re-save it as UTF-8, or pass --encoding cp1252.\n'
        "rev: Interviewer = interviewer (2 turns, 9 words; a known interviewer label); Officer 2 = participant (1 turn, 10 words; answers: asks 0/2 questions). Roles inferred.\n"
        'Error: "empty.txt" is empty (0 bytes). Export the transcript again, or leave the file out.\n'
        f"Ingested 1 transcript (3 segments, 19 words) into {db_path}: 1 added, 3 failed.\n"
    )
    assert _ids(db_path) == ["rev"]


def test_encoding_option(runner, db_path, files):
    result = runner.invoke(
        app, ["ingest", *files("cp1252.txt"), "--encoding", "cp1252", "--db", str(db_path)]
    )
    assert result.exit_code == 0
    assert [r["text"] for r in iter_segments(open_db(db_path))] == ["Where do you go?", "The unit’s café."]


def test_unknown_encoding_is_a_batch_error(runner, db_path, files):
    result = runner.invoke(app, ["ingest", *files("rev.txt"), "--encoding", "nope", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.stderr == (
        'Error: Unknown encoding "nope" given with --encoding. Use a name such as utf-8, cp1252 or latin-1.\n'
    )
    assert _ids(db_path) == []


def test_interviewer_labels_option(runner, db_path, files):
    args = [
        "ingest",
        *files("non_ascii.txt"),
        "--interviewer-labels",
        "entrevistadora, Moderator",
        "--db",
        str(db_path),
    ]
    assert runner.invoke(app, args, catch_exceptions=False).exit_code == 0
    assert [r["role"] for r in iter_segments(open_db(db_path))] == ["interviewer", "participant"] * 2


def test_attributes_option_and_warning(runner, db_path, files):
    names = files("bom.txt", "crlf.txt", "attributes.csv")
    result = runner.invoke(
        app, ["ingest", *names[:2], "--attributes", "attributes.csv", "--db", str(db_path)]
    )
    assert result.exit_code == 0
    role = "Interviewer = interviewer (1 turn, 6 words; a known interviewer label); P03 = participant (1 turn, 7 words; a participant label). Roles inferred.\n"
    assert result.stderr == (
        f"bom: {role}"
        f"crlf: {role}"
        'Warning: "attributes.csv", line 4: id "p99" matches no transcript in the project. '
        "Check the id, or ingest that transcript first.\n"
        f"Ingested 2 transcripts (4 segments, 26 words) into {db_path}: 2 added.\n"
        "Set attributes of 2 transcripts from attributes.csv.\n"
    )
    assert get_attributes(open_db(db_path))["bom"]["role"] == "officer"


@pytest.mark.parametrize(
    "csv_name, message",
    [
        (
            "attributes_noid.csv",
            'Error: "attributes_noid.csv", line 1: no "id" column (found: name, role). '
            "Add an id column holding each transcript's id (its file name without extension).\n",
        ),
        (
            "attributes_dup.csv",
            'Error: "attributes_dup.csv", line 4: id "bom" is also on line 2. Keep one row per transcript.\n',
        ),
    ],
)
def test_bad_attributes_csv_exits_1_and_writes_nothing(runner, db_path, files, csv_name, message):
    names = files("bom.txt", csv_name)
    result = runner.invoke(app, ["ingest", names[0], "--attributes", csv_name, "--db", str(db_path)])
    assert (result.exit_code, result.stderr) == (1, message)
    assert _ids(db_path) == []


def test_folder_without_transcripts(runner, db_path, tmp_path):
    (tmp_path / "docs").mkdir()
    result = runner.invoke(app, ["ingest", "docs", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.stderr == (
        'Error: Folder "docs" contains no .txt, .md, .docx, .vtt or .srt files. '
        "Pass the folder that holds the transcripts, or the files themselves.\n"
        f"Ingested 0 transcripts (0 segments, 0 words) into {db_path}: 1 failed.\n"
    )


def test_changed_transcript_with_decisions_needs_replace(runner, db_path, make_transcript):
    make_transcript("I: one\n\nR: two\n")
    runner.invoke(app, ["ingest", "p01.txt", "--db", str(db_path)], catch_exceptions=False)
    save_decision(open_db(db_path), Decision("p01", 2, "alice", frozenset({"crisis"})))
    make_transcript("I: one\n\nR: two, changed\n")
    result = runner.invoke(app, ["ingest", "p01.txt", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.stderr == (
        'Error: "p01.txt": transcript "p01" is already in the project with different content and 1 coding '
        "decision. Pass --replace to replace it (the dropped decisions are kept in the audit log).\n"
        f"Ingested 0 transcripts (0 segments, 0 words) into {db_path}: 1 failed.\n"
    )
    result = runner.invoke(
        app, ["ingest", "p01.txt", "--replace", "--db", str(db_path)], catch_exceptions=False
    )
    assert result.exit_code == 0
    assert result.stderr == (
        'p01.txt: replaced the earlier version of transcript "p01" and dropped 1 coding decision (kept in the audit log).\n'
        "p01: I = interviewer (1 turn, 1 word; a known interviewer label); R = participant (1 turn, 2 words; a participant label). Roles inferred.\n"
        f"Ingested 1 transcript (2 segments, 3 words) into {db_path}: 1 replaced.\n"
    )


def test_pii_gate_end_to_end(runner, db_path, files):
    # The real scan (wei_qual.deid) flags a recurring name; the message never shows it.
    files("recurring_names.txt")
    result = runner.invoke(app, ["ingest", "recurring_names.txt", "--db", str(db_path)])
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith("Error: recurring_names.txt: likely identifiers at 3:5 (person)")
    assert first.endswith(
        'Review with "wei-qual deid scan recurring_names.txt", redact with '
        '"wei-qual deid redact", or pass --allow-pii.'
    )
    assert "Rivera" not in result.stderr
    assert _ids(db_path) == []

    result = runner.invoke(
        app, ["ingest", "recurring_names.txt", "--allow-pii", "--db", str(db_path)], catch_exceptions=False
    )
    assert result.exit_code == 0
    row = [r for r in iter_audit(open_db(db_path)) if r["action"] == "allow_pii"]
    assert [(r["entity_id"], sorted(r["after"])) for r in row] == [("recurring_names", ["person"])]


def test_brackets_in_messages_survive_rich(runner, db_path, tmp_path):
    (tmp_path / "[draft]").mkdir()
    result = runner.invoke(app, ["ingest", "[draft]", "--db", str(db_path)])
    assert 'Folder "[draft]" contains no' in result.stderr


def test_help_names_the_default_interviewer_labels(runner):
    from wei_qual.cli.ingest import DEFAULT_LABELS_TEXT
    from wei_qual.ingest import DEFAULT_INTERVIEWER_LABELS

    assert DEFAULT_LABELS_TEXT == ",".join(DEFAULT_INTERVIEWER_LABELS)
    result = runner.invoke(app, ["ingest", "--help"])
    assert result.exit_code == 0
    assert "Interviewer,I,Q,Int,Moderator,Facilitator," in " ".join(result.stdout.split())


def test_cli_import_does_not_load_the_ingest_package():
    import subprocess
    import sys

    code = "import sys, wei_qual.cli; print('wei_qual.ingest' in sys.modules, 'docx' in sys.modules, 'webvtt' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False", "False"]
