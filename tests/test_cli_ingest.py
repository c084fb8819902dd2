"""`wei-qual ingest` through the CLI: summary and errors on stderr, exit codes, nothing half-written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from wei_qual.cli import app
from wei_qual.ingest import parse_transcript
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


def test_a_mac_roman_transcript_is_refused_with_the_encoding_to_pass(runner, db_path, tmp_path):
    # TextEdit's "Western (Mac OS Roman)": with --encoding cp1252 its "é" (0x8E) was stored as "Ž" and its
    # "ñ" (0x96) as "–", without a word.
    text = "Interviewer: Where did you go?\r\nP07: The clínica, then the señora's house. Café after.\r\n"
    Path("P07.txt").write_bytes(text.encode("mac_roman"))
    for more in (["--encoding", "cp1252"], []):
        result = runner.invoke(app, ["ingest", "P07.txt", *more, "--db", str(db_path)])
        assert result.exit_code == 1
        assert result.stderr.startswith(
            f'Error: "P07.txt", line 2: this looks like Mac Roman text (a Mac\'s "Western (Mac OS Roman)"), not '
            f'{"cp1252" if more else "UTF-8 or cp1252"}: cp1252 reads a byte in a word as "'
        )
        assert "Pass --encoding mac_roman for it, or re-save it as UTF-8.\n" in result.stderr
        assert "house" not in result.stderr and "Where" not in result.stderr  # no transcript text
    result = runner.invoke(app, ["ingest", "P07.txt", "--encoding", "mac_roman", "--db", str(db_path)])
    assert result.exit_code == 0, result.stderr
    assert [r["text"] for r in iter_segments(open_db(db_path))][
        1
    ] == "The clínica, then the señora's house. Café after."


def test_a_utf16_transcript_without_a_bom_says_what_it_is(runner, db_path, tmp_path):
    # It was "a binary file, not text (it contains NUL bytes)".
    text = "Interviewer: Where did you go?\r\nP07: The clinic, then home.\r\n"
    Path("P07.txt").write_bytes(text.encode("utf-16-be"))
    result = runner.invoke(app, ["ingest", "P07.txt", "--db", str(db_path)])
    assert (result.exit_code, result.stderr.splitlines()[0]) == (
        1,
        (
            'Error: "P07.txt" is UTF-16 text (big-endian) without a byte-order mark, told by its NULs at every '
            "other byte. Pass --encoding utf-16-be, or re-save it as UTF-8."
        ),
    )
    result = runner.invoke(app, ["ingest", "P07.txt", "--encoding", "utf-16-be", "--db", str(db_path)])
    assert result.exit_code == 0, result.stderr
    assert [r["text"] for r in iter_segments(open_db(db_path))] == [
        "Where did you go?",
        "The clinic, then home.",
    ]


def test_f4_transcript_passes_the_gate_with_its_times(runner, db_path, files):
    # Its time marks are neither text nor a finding of the PII gate.
    result = runner.invoke(app, ["ingest", *files("KP08_f4.txt"), "--db", str(db_path)])
    assert result.exit_code == 0, result.stderr
    rows = iter_segments(open_db(db_path))
    assert [(r["speaker"], r["start_time"], r["end_time"]) for r in rows[:3]] == [
        ("I", None, 7.3),
        ("B", 7.3, 19.8),
        ("I", 19.8, 24.1),
    ]
    assert not any("#" in r["text"] for r in rows)


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


def test_an_attributes_id_in_another_case_is_the_transcripts_as_in_decisions_import(
    runner, db_path, tmp_path
):
    # A spreadsheet holding "p07" for the file P07.txt: decisions import reads it as P07, but the
    # attributes were left off with "matches no transcript", so P07 counted under role "(missing)".
    sheet = tmp_path / "participants.csv"
    sheet.write_text("id,role,setting\np07,officer,rural\n", encoding="utf-8")
    study = Path(__file__).parent / "data" / "e2e_study"
    result = runner.invoke(
        app, ["ingest", str(study / "P07.txt"), "--attributes", str(sheet), "--db", str(db_path)]
    )
    assert result.exit_code == 0, result.stderr
    assert (
        f'Warning: "{sheet}", line 2: id "p07" read as "P07" (transcript ids ignore case and accent form here).'
        in result.stderr
    )
    assert get_attributes(open_db(db_path))["P07"] == {"role": "officer", "setting": "rural"}


def test_a_csv_value_over_the_files_own_front_matter_is_said(runner, db_path, tmp_path):
    # The study's P08.md, its front matter saying "setting: urban", beside a participants.csv saying
    # rural: the CSV wins (as documented), and the participant moved from the urban to the rural group
    # of every --by setting table without a word.
    study = Path(__file__).parent / "data" / "e2e_study"
    text = (study / "P08.md").read_text(encoding="utf-8")
    md = tmp_path / "P08.md"
    md.write_text(
        text.replace("interviewer: WEI team\n", "interviewer: WEI team\nsetting: urban\n"), encoding="utf-8"
    )
    result = runner.invoke(
        app,
        [
            "ingest",
            str(md),
            "--attributes",
            str(study / "participants.csv"),
            "--format",
            "json",
            "--db",
            str(db_path),
        ],
    )
    assert result.exit_code == 0, result.stderr
    said = (
        f'"{study / "participants.csv"}", line 9: "setting" of "P08" is "rural" here but "urban" in the file '
        "itself (its front matter or header); the CSV's value is kept. Correct whichever is wrong."
    )
    assert said in json.loads(result.stdout)["warnings"]
    assert f"Warning: {said}" in result.stderr
    assert get_attributes(open_db(db_path))["P08"]["setting"] == "rural"
    # The same value in both, or a key only the CSV has (role): nothing to say.
    again = runner.invoke(
        app,
        [
            "ingest",
            str(study / "P08.md"),
            "--attributes",
            str(study / "participants.csv"),
            "--db",
            str(tmp_path / "b.db"),
        ],
    )
    assert "in the file itself" not in again.stderr


@pytest.mark.parametrize(
    "csv_name, message",
    [
        (
            "attributes_noid.csv",
            (
                'Error: "attributes_noid.csv", line 1: no "id" column in the header row (2 columns). '
                "Add an id column holding each transcript's id (its file name without extension).\n"
            ),
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
        'Error: Folder "docs" contains no .txt, .md, .docx, .odt, .rtf, .vtt, .srt or .pdf files. '
        "Pass the folder that holds the transcripts, or the files themselves.\n"
        f"Ingested 0 transcripts (0 segments, 0 words) into {db_path}: 1 failed.\n"
    )


def test_nothing_in_a_folder_is_left_out_without_a_word(runner, db_path, files, tmp_path, monkeypatch):
    # A file name that is not UTF-8 was a UnicodeEncodeError traceback; an unreadable subfolder, a link
    # to nothing and a named pipe were skipped silently, so the summary said all was well.
    import os

    folder = tmp_path / "study"
    (folder / "locked").mkdir(parents=True)
    shutil.copy(DATA / "rev.txt", folder / "rev.txt")
    shutil.copy(DATA / "rev.txt", os.fsencode(folder) + b"/bad\xff\xfename.txt")
    (folder / "gone.txt").symlink_to(tmp_path / "moved-away.txt")
    os.mkfifo(folder / "pipe.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "notes.odp").symlink_to(tmp_path / "nowhere")  # not a transcript's suffix: not listed
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path).endswith("locked"):  # as a folder without read permission (tests run as root)
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = runner.invoke(app, ["ingest", "study", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.stderr == (
        'Error: "study/bad\\xff\\xfename.txt": the file name is not UTF-8 text (the bytes shown as \\x escapes), '
        "so it was left out. Rename the file and run the command again.\n"
        'Error: "study/gone.txt" is a symbolic link to a file that does not exist, so it was left out. Fix '
        "or remove the link.\n"
        'Error: "study/pipe.txt" is a named pipe, not a file: it was not read (reading it could wait or run for '
        "ever). Pass a regular file.\n"
        'Error: "study/zero.txt" is a device, not a file: it was not read (reading it could wait or run for '
        "ever). Pass a regular file.\n"
        'Error: Folder "study/locked" cannot be read (Permission denied), so its files were left out. Check '
        "its permissions.\n"
        "rev: Interviewer = interviewer (2 turns, 9 words; a known interviewer label); Officer 2 = participant "
        "(1 turn, 10 words; answers: asks 0/2 questions). Roles inferred.\n"
        f"Ingested 1 transcript (3 segments, 19 words) into {db_path}: 1 added, 5 failed.\n"
    )
    assert _ids(db_path) == ["rev"]
    outcomes = json.loads(
        runner.invoke(app, ["ingest", "study", "--format", "json", "--db", str(db_path)]).stdout
    )["outcomes"]
    assert outcomes[0]["path"] == "study/bad\\xff\\xfename.txt"


@pytest.mark.parametrize("name", ["pipe.txt", "zero.txt"])
def test_a_pipe_or_a_device_named_on_the_command_line_is_refused_unread(runner, db_path, tmp_path, name):
    import os

    os.mkfifo(tmp_path / "pipe.txt")  # reading it waited for ever for a writer
    (tmp_path / "zero.txt").symlink_to("/dev/zero")  # reading it ate memory until the machine gave out
    result = runner.invoke(app, ["ingest", name, "--db", str(db_path)])
    kind = "a named pipe" if name == "pipe.txt" else "a device"
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f'Error: "{name}" is {kind}, not a file: it was not read (reading it could wait or run for ever). '
        "Pass a regular file."
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
        f'Review with "wei-qual deid scan recurring_names.txt --db {db_path}", redact with '
        f'"wei-qual deid redact recurring_names.txt -o redacted/recurring_names.txt --db {db_path}", or pass --allow-pii. '
        "A name the study may keep (the interviewer's, in the speaker labels) goes on the project's allowlist "
        f"instead: \"wei-qual deid allow add 'NAME' --db {db_path}\", then ingest again."
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

    assert DEFAULT_LABELS_TEXT == ", ".join(DEFAULT_INTERVIEWER_LABELS)
    result = runner.invoke(app, ["ingest", "--help"])
    assert result.exit_code == 0
    shown = " ".join(result.stdout.split())
    assert "labels (Interviewer, I, Q, Int, Moderator, Facilitator, Co-" in shown
    assert "which stay interviewers" in shown


def test_cli_import_does_not_load_the_ingest_package():
    import subprocess
    import sys

    code = "import sys, wei_qual.cli; print('wei_qual.ingest' in sys.modules, 'docx' in sys.modules, 'webvtt' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False", "False"]


def _snapshot(db_path):
    db = open_db(db_path)
    tables = [
        "transcripts",
        "segments",
        "speakers",
        "attributes",
        "speaker_attributes",
        "audit_log",
        "settings",
    ]
    return {t: db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}


def test_dry_run_prints_what_would_be_stored_and_writes_nothing(runner, tmp_path, files):
    files("p1_interview.md", "warn_missed.md")
    db_path = tmp_path / "new.db"
    result = runner.invoke(
        app,
        ["ingest", "--dry-run", "p1_interview.md", "warn_missed.md", "--allow-pii", "--db", str(db_path)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0
    assert not db_path.exists()  # not even an empty project
    out = result.stdout
    assert "p1_interview (p1_interview.md) would be added: 6 segments, 77 words, roles inferred" in out
    assert "attributes: title=P1 - January 24, 2024, date=January 24, 2024" in out
    lines = [line.replace("│", " ").split() for line in out.splitlines()]
    assert ["Interviewer", "interviewer", "3", "26", "3", "a", "known", "interviewer", "label"] in lines
    row = next(line for line in lines if line[:2] == ["2", "P1"])
    assert row[:6] == ["2", "P1", "participant", "0:00:07", "32", "Well,"]
    assert "Warning: warn_missed: 2 lines look like a missed speaker label (lines 5, 7)." in " ".join(
        out.split()
    )
    assert result.stderr.endswith(
        f"Dry run: would ingest 2 transcripts (11 segments, 113 words) into {db_path}: 2 to add; 1 with warnings. "
        "Nothing was written.\n"
    )


def test_dry_run_on_a_project_changes_nothing_and_predicts_refusals(runner, db_path, files, make_transcript):
    make_transcript("I: one?\n\nR: two\n")
    runner.invoke(app, ["ingest", "p01.txt", "--db", str(db_path)], catch_exceptions=False)
    make_transcript("I: one?\n\nR: two, changed\n")
    before = _snapshot(db_path)
    result = runner.invoke(app, ["ingest", "--dry-run", "p01.txt", "-f", "json", "--db", str(db_path)])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["dry_run"], data["outcomes"][0]["status"]) == (True, "would_replace")
    assert data["outcomes"][0]["segment_list"][1] == {
        "n": 2,
        "speaker": "R",
        "role": "participant",
        "words": 2,
        "start_time": None,
        "end_time": None,
        "label": None,
        "page": None,
        "end_page": None,
        "text": "two, changed",
    }
    save_decision(open_db(db_path), Decision("p01", 2, "alice", frozenset({"crisis"})))
    before = _snapshot(db_path)
    result = runner.invoke(app, ["ingest", "--dry-run", "p01.txt", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        'Error: "p01.txt": transcript "p01" is already in the project with different content'
    )
    assert _snapshot(db_path) == before


def test_ingest_json_has_roles_speakers_and_warnings(runner, db_path, files):
    files("zoom_unnamed.vtt")
    result = runner.invoke(
        app, ["ingest", "zoom_unnamed.vtt", "--format", "json", "--db", str(db_path)], catch_exceptions=False
    )
    data = json.loads(result.stdout)
    outcome = data["outcomes"][0]
    assert (data["dry_run"], data["transcripts"], outcome["status"], outcome["roles"]) == (
        False,
        1,
        "added",
        "review",
    )
    assert outcome["roles_reason"] == "1 segment has no speaker"
    assert outcome["unlabelled_segments"] == 1 and "segment_list" not in outcome
    assert [(s["label"], s["role"], s["reason"]) for s in outcome["speakers"]] == [
        ("Interviewer", "interviewer", "a known interviewer label"),
        ("P03", "participant", "a participant label"),
    ]
    assert [w["kind"] for w in outcome["warnings"]] == ["unlabelled_text"]
    # The same warning on stderr, and in `transcripts list`.
    assert "Warning: zoom_unnamed: 47% of the text is outside any labelled turn" in result.stderr
    listed = runner.invoke(app, ["transcripts", "list", "--db", str(db_path)])
    assert "Warning: zoom_unnamed: 47% of the text" in listed.stderr


def test_every_warning_reaches_stderr_and_the_summary_counts_them(runner, db_path, files):
    names = files("warn_no_participant.txt", "warn_one_segment.md", "warn_unlabelled.txt", "warn_missed.md")
    result = runner.invoke(
        app, ["ingest", *names, "--allow-pii", "--db", str(db_path)], catch_exceptions=False
    )
    warned = [
        line.split(":")[1].strip() for line in result.stderr.splitlines() if line.startswith("Warning:")
    ]
    assert warned == [
        "warn_no_participant",
        "warn_no_participant",
        "warn_one_segment",
        "warn_one_segment",
        "warn_one_segment",
        "warn_one_segment",
        "warn_unlabelled",
        "warn_missed",
        "warn_missed",  # its third speaker answers no question
    ]
    assert result.stderr.endswith(f"into {db_path}: 4 added; 4 with warnings.\n")


def test_pair_interview_speaker_column(runner, db_path, files):
    from wei_qual.store.transcripts import get_speaker_attributes

    names = files("pair.txt", "pair_attributes.csv")
    result = runner.invoke(
        app, ["ingest", names[0], "--attributes", names[1], "--db", str(db_path)], catch_exceptions=False
    )
    assert (
        "Officer = participant (3 turns, 52 words; named as a participant in the attributes CSV)"
        in result.stderr
    )
    db = open_db(db_path)
    assert get_attributes(db)["pair"] == {"jurisdiction": "Jurisdiction E", "setting": "urban"}
    assert get_speaker_attributes(db) == {
        ("pair", "Clinician"): {"role": "provider"},
        ("pair", "Officer"): {"role": "officer"},
    }
    row = json.loads(runner.invoke(app, ["transcripts", "list", "-f", "json", "--db", str(db_path)]).stdout)[
        0
    ]
    assert (row["participants"], row["speaker_attributes"]) == (
        2,
        {"Clinician": {"role": "provider"}, "Officer": {"role": "officer"}},
    )


def test_speaker_rows_that_match_no_speaker_warn(runner, db_path, files, tmp_path):
    names = files("pair.txt")
    (tmp_path / "attrs.csv").write_text(
        "id,speaker,role\npair,Sergeant,officer\npair,Interviewer,staff\npair,Officer,officer\npair,Officer,provider\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["ingest", names[0], "--attributes", "attrs.csv", "--db", str(db_path)])
    assert (result.exit_code, result.stderr) == (
        1,
        'Error: "attrs.csv", line 5: id "pair" with speaker "Officer" is also on line 4. Keep one row per speaker.\n',
    )
    (tmp_path / "attrs.csv").write_text(
        "id,speaker,role\npair,Sergeant,officer\npair,Interviewer,staff\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["ingest", names[0], "--attributes", "attrs.csv", "--db", str(db_path)])
    assert (
        'Warning: "attrs.csv", line 2: transcript "pair" has no speaker "Sergeant" (speakers: "Interviewer", '
        '"Officer", "Clinician"). Write the label as the transcript has it.\n'
    ) in result.stderr
    assert (
        'Warning: "attrs.csv", line 3: speaker "Interviewer" of transcript "pair" is an interviewer, so reports do '
        'not use their attributes. Mark them a participant with "wei-qual transcripts roles pair --participant '
        f'Interviewer --db {db_path}".\n'
    ) in result.stderr


# An Otter export with a listener's "Yeah." in the middle of an answer. This version keeps the answer
# one segment; an earlier one stored it as three turns, the listener counted as a participant.
OTTER_BACK_CHANNEL = """\
Interviewer  0:04
How do crisis calls reach you on nights?

P32  0:09
I'm a deputy, eleven years on patrol, mostly nights.

Unknown Speaker  0:15
Yeah.

P32  0:16
And I did the CIT course two years ago, so dispatch sends me most of the mental health calls.

Interviewer  0:31
Where do you take people after the call?

P32  0:35
The stabilization unit if they have a bed, otherwise the emergency room.
"""


def _store_earlier_reading(db_path):
    """Rewrite p32's stored segments as the earlier version read the file (the answer split in two)."""
    db = open_db(db_path)
    rows = db.execute("SELECT * FROM segments WHERE transcript_id = 'p32' ORDER BY n").fetchall()
    columns = [c[1] for c in db.execute("PRAGMA table_info(segments)").fetchall() if c[1] != "id"]
    answer = dict(zip(["id", *columns], rows[1]))
    first, rest = answer["text"].split("\n\nUnknown Speaker: Yeah.\n\n")
    split = [
        {**answer, "text": first},
        {**answer, "speaker": "Unknown Speaker", "label": "Unknown Speaker", "text": "Yeah."},
        {**answer, "text": rest},
    ]
    others = [dict(zip(["id", *columns], r)) for r in rows]
    earlier = [others[0], *split, *others[2:]]
    with db.conn:
        db.execute("DELETE FROM segments WHERE transcript_id = 'p32'")
        for n, row in enumerate(earlier, start=1):
            values = {**row, "n": n}
            db.execute(
                f"INSERT INTO segments ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
                [values[c] for c in columns],
            )


def test_a_file_read_differently_now_stays_unchanged_and_says_so(runner, db_path, make_transcript):
    make_transcript(OTTER_BACK_CHANNEL, "p32.txt")
    args = ["ingest", "p32.txt", "--db", str(db_path)]
    assert runner.invoke(app, args).exit_code == 0
    assert [s["speaker"] for s in iter_segments(open_db(db_path))] == [
        "Interviewer",
        "P32",
        "Interviewer",
        "P32",
    ]
    _store_earlier_reading(db_path)
    save_decision(open_db(db_path), Decision("p32", 4, "alice", frozenset({"crisis"})))
    before = _snapshot(db_path)

    result = runner.invoke(app, args)
    assert result.exit_code == 0
    assert result.stderr == (
        "p32.txt: unchanged, already in the project with the same content.\n"
        "Warning: p32: this file is read differently now (4 segments where the project holds 6): a newer "
        "wei-qual, another --encoding, other interviewer labels or an attributes CSV naming its interviewer. "
        "The project keeps the segments it holds. "
        "To store the new reading, ingest it again with --replace (it drops its 1 coding decision, kept in "
        f'the audit log); see it first with "wei-qual ingest --dry-run --replace p32.txt --db {db_path}".\n'
        f"Ingested 0 transcripts (0 segments, 0 words) into {db_path}: 1 unchanged; 1 read differently now.\n"
    )
    data = json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)["outcomes"][0]
    assert (data["status"], data["read_differently"].split(" (")[0]) == (
        "unchanged",
        "p32: this file is read differently now",
    )
    assert _snapshot(db_path) == before  # the coding stays on the segments it was done on

    preview = runner.invoke(app, [*args, "--dry-run", "--replace", "-f", "json"])
    assert json.loads(preview.stdout)["outcomes"][0]["status"] == "would_replace"
    assert _snapshot(db_path) == before

    replaced = runner.invoke(app, [*args, "--replace"])
    assert replaced.exit_code == 0, replaced.stderr
    assert (
        "replaced the earlier version" in replaced.stderr and "dropped 1 coding decision" in replaced.stderr
    )
    assert [s["speaker"] for s in iter_segments(open_db(db_path))] == [
        "Interviewer",
        "P32",
        "Interviewer",
        "P32",
    ]
    again = runner.invoke(app, args)
    assert "read differently" not in again.stderr and again.stderr.startswith("p32.txt: unchanged")


def test_roles_set_after_ingest_are_not_a_new_reading(runner, db_path, make_transcript):
    # A role a person gave a speaker, or the unlabelled text, is theirs, not the reader's.
    make_transcript(
        "Welcome, this is the opening before anyone is named.\n\nQ: How do calls reach you?\n\n"
        "P07: Through dispatch, mostly.\n\nQ: And then?\n\nP07: The stabilization unit.\n",
        "p07.txt",
    )
    args = ["ingest", "p07.txt", "--db", str(db_path)]
    assert runner.invoke(app, args).exit_code == 0
    for extra in (["--interviewer", "P07", "--participant", "Q"], ["--unlabelled", "interviewer"]):
        done = runner.invoke(app, ["transcripts", "roles", "p07", *extra, "--db", str(db_path)])
        assert done.exit_code == 0, done.stderr
    again = runner.invoke(app, args)
    assert again.exit_code == 0
    assert "read differently" not in again.stderr, again.stderr


def test_ctrl_c_part_way_says_what_was_stored_and_that_the_attributes_wait(
    db_path, files, monkeypatch, capsys, program_signals
):
    # Ctrl-C (or a kill) ended a long ingest with no word: the files stored so far were kept, but the
    # attributes CSV is applied after the last file, so they had no role or setting and a report by role
    # left them out, while the lead had no way to know the command must be run again.
    import os
    import sys

    from wei_qual import gcpause, ingest
    from wei_qual.cli import run

    names = files("bom.txt", "crlf.txt", "attributes.csv")
    real = ingest.ingest_files

    def stopped_after_the_first_file(db, paths, *, on_progress=None, **kwargs):
        def progress(n):
            if on_progress is not None:
                on_progress(n)
            raise KeyboardInterrupt

        return real(db, paths, on_progress=progress, **kwargs)

    # run() sets what the program sets for itself: freezing what reports build (which in this process would
    # keep every later test's data, and its open projects, for ever), numpy's environment and the signal
    # handlers (program_signals); the test process gets its own back.
    monkeypatch.setattr(gcpause, "FREEZE_IN_THIS_PROCESS", False)
    for name in ("NUMPY_MADVISE_HUGEPAGE", "OPENBLAS_NUM_THREADS"):
        monkeypatch.setenv(name, os.environ.get(name, "1" if name == "OPENBLAS_NUM_THREADS" else "0"))
    monkeypatch.setattr(ingest, "ingest_files", stopped_after_the_first_file)
    monkeypatch.setattr(
        sys,
        "argv",
        ["wei-qual", "ingest", *names[:2], "--attributes", "attributes.csv", "--db", str(db_path)],
    )
    with pytest.raises(SystemExit) as ended:
        run()
    assert ended.value.code == 130
    assert capsys.readouterr().err == (
        "Interrupted (Ctrl-C): the 1 of 2 files read before it are stored or refused, each whole, but the "
        "attributes of attributes.csv are not set yet. Run the same command again to finish: the files already "
        "stored are skipped as unchanged.\n"
    )
    assert _ids(db_path) == ["bom"] and get_attributes(open_db(db_path)) == {"bom": {}}
    monkeypatch.setattr(ingest, "ingest_files", real)
    with pytest.raises(SystemExit) as ended:
        run()
    assert ended.value.code == 0
    assert _ids(db_path) == ["bom", "crlf"] and get_attributes(open_db(db_path))["bom"]["role"] == "officer"


def test_a_row_of_no_speaker_then_a_row_of_no_transcript_are_both_said(runner, db_path, files, tmp_path):
    # The list of the transcript's speakers took the name of the count of unmatched ids: the next row of
    # an unknown id stopped ingest with a traceback.
    names = files("pair.txt")
    (tmp_path / "attrs.csv").write_text(
        "id,speaker,role\npair,Sergeant,officer\nP99,,officer\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["ingest", names[0], "--attributes", "attrs.csv", "--db", str(db_path)])
    assert result.exit_code == 0, result.stderr
    assert 'line 2: transcript "pair" has no speaker "Sergeant"' in result.stderr
    assert 'line 3: id "P99" matches no transcript in the project' in result.stderr


def test_an_id_in_another_case_on_every_speaker_row_is_said_once(runner, db_path, tmp_path):
    # A sheet of speaker rows typed with "p07" throughout: a warning a row, as many as the sheet's rows.
    study = Path(__file__).parent / "data" / "e2e_study"
    speakers = sorted({s.speaker for s in parse_transcript(study / "P07.txt").segments if s.speaker})
    sheet = tmp_path / "speakers.csv"
    sheet.write_text(
        "id,speaker,years\n" + "".join(f"p07,{name},{i}\n" for i, name in enumerate(speakers, 1)),
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["ingest", str(study / "P07.txt"), "--attributes", str(sheet), "--db", str(db_path)]
    )
    assert result.exit_code == 0, result.stderr
    more = len(speakers) - 1
    said = [line for line in result.stderr.splitlines() if "read as" in line]
    plural = "s" if more > 1 else ""
    once = (
        f'Warning: "{sheet}", line 2: id "p07" read as "P07" (transcript ids ignore case and accent form '
        f"here), and on {more} more line{plural}."
    )
    assert said == [once]
