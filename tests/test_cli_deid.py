"""`wei-qual deid scan / redact / allow` through the CLI: findings, redaction, the allowlist, privacy of the output."""

from __future__ import annotations

import json
import os
import stat

import pytest

from wei_qual.cli import app
from wei_qual.store import open_db
from wei_qual.store.transcripts import get_transcript_row

TEXT = """\
Interviewer: Who came to the call?
P07: Officer Ruiz came. Call me at (555) 201-3344 or maria@example.org.
P07: [NAME] was there, and [inaudible] the Crisis Stabilization Unit.
"""
FOUND = "{f}:2:14 person Ruiz\n{f}:2:36 phone (555) 201-3344\n{f}:2:54 email maria@example.org\n"
CHECK_FAILED = (
    'Error: 3 likely identifiers in 1 of 2 transcripts. Keep false alarms with --allow or "wei-qual deid '
    'allow add PHRASE", and redact with "wei-qual deid redact p07.txt -o redacted/p07.txt".\n'
)


@pytest.fixture
def files(make_transcript):
    return make_transcript(TEXT, "p07.txt"), make_transcript(
        "Interviewer: Hi.\nP08: Nothing to see [PERSON 1].\n", "p08.txt"
    )


def test_scan_prints_locations_and_exits_3(runner, files):
    result = runner.invoke(app, ["deid", "scan", "p07.txt", "p08.txt"])
    assert result.exit_code == 3
    assert result.stdout == FOUND.format(f="p07.txt")
    assert result.stderr == CHECK_FAILED
    assert not os.path.exists("wei-qual.db")  # scanning files creates no project


def test_scan_clean_file_exits_0(runner, files):
    result = runner.invoke(app, ["deid", "scan", "p08.txt"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "No likely identifiers in 1 transcript.\n"


def test_scan_json(runner, files):
    result = runner.invoke(app, ["deid", "scan", "p07.txt", "p08.txt", "--format", "json"])
    assert result.exit_code == 3
    assert json.loads(result.stdout) == [
        {"file": "p07.txt", "line": 2, "column": 14, "category": "person", "text": "Ruiz"},
        {"file": "p07.txt", "line": 2, "column": 36, "category": "phone", "text": "(555) 201-3344"},
        {"file": "p07.txt", "line": 2, "column": 54, "category": "email", "text": "maria@example.org"},
    ]


def test_scan_output_keeps_brackets_literal(runner, make_transcript):
    make_transcript("P07: Officer Ruiz [bold]x[/bold] came\n", "p09.txt")
    make_transcript("P07: Sgt. [red]\n", "p10.txt")
    result = runner.invoke(app, ["deid", "scan", "p09.txt"])
    assert result.stdout == "p09.txt:1:14 person Ruiz\n"


def test_scan_with_allow_file(runner, files, tmp_path):
    (tmp_path / "keep.txt").write_text("# keep\nOfficer Ruiz\nmaria@example.org\n", encoding="utf-8")
    result = runner.invoke(app, ["deid", "scan", "p07.txt", "--allow", "keep.txt"])
    assert result.exit_code == 3
    assert result.stdout == "p07.txt:2:36 phone (555) 201-3344\n"


def test_scan_files_uses_the_project_allowlist(runner, files, db_path):
    result = runner.invoke(
        app, ["deid", "allow", "add", "Officer Ruiz", "(555) 201-3344", "--db", str(db_path)]
    )
    assert result.exit_code == 0
    assert result.stderr == f'Added 2 phrases to the allowlist of "{db_path}".\n'
    # A phrase already there (in another case or spacing) is said so, not a bare "Added 0": and the
    # project is named, where a shell without $WEI_QUAL_DB starts a second one unseen.
    again = runner.invoke(app, ["deid", "allow", "add", "officer  ruiz", "Hope House", "--db", str(db_path)])
    assert again.stderr == f'Added 1 phrase to the allowlist of "{db_path}" (1 was on it already).\n'
    result = runner.invoke(app, ["deid", "scan", "p07.txt", "--db", str(db_path)])
    assert result.stdout == "p07.txt:2:54 email maria@example.org\n"


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (["deid", "scan", "missing.txt"], 'Error: "missing.txt" does not exist. Check the path.\n'),
        (
            ["deid", "scan", "bad.txt"],
            'Error: "bad.txt" is not UTF-8 (first bad byte on line 2). Re-save it as UTF-8, or pass --encoding cp1252.\n',
        ),
        (
            ["deid", "scan", "bad.txt", "--encoding", "klingon"],
            'Error: Unknown encoding "klingon" given with --encoding. Use a name such as utf-8, cp1252 or latin-1.\n',
        ),
        (
            ["deid", "scan", "p08.txt", "--allow", "nope.txt"],
            'Error: Allowlist "nope.txt" does not exist. Check the path given with --allow.\n',
        ),
        (
            ["deid", "scan", "--project", "--db", "none.db"],
            'Error: No project at "none.db". Create it with "wei-qual ingest PATH --db none.db", or pass the --db of an existing project.\n',
        ),
        (
            ["deid", "scan", "p08.txt", "--model", "no_such_pipeline"],
            (
                'Error: spaCy pipeline "no_such_pipeline" is not installed. Install it, or leave out --model '
                "to scan by rules only.\n"
            ),
        ),
    ],
)
def test_scan_bad_input_exits_1(runner, files, tmp_path, args, stderr):
    (tmp_path / "bad.txt").write_bytes(b"P07: fine\nP07: caf\xe9\n")
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == stderr
    assert not os.path.exists("none.db")


def test_scan_needs_files_or_project(runner):
    assert runner.invoke(app, ["deid", "scan"]).exit_code == 2


def _ingest(db_path, tmp_path, name="p07", text=TEXT):
    from wei_qual.ingest import ingest_files

    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    ingest_files(open_db(db_path), [path], allow_pii=True)
    return get_transcript_row(open_db(db_path), name)["text"]


def test_scan_project_reports_transcript_ids(runner, db_path, tmp_path):
    stored = _ingest(db_path, tmp_path)
    (tmp_path / "p07.txt").unlink()
    result = runner.invoke(app, ["deid", "scan", "--project", "--db", str(db_path), "--format", "json"])
    assert result.exit_code == 3
    rows = json.loads(result.stdout)
    assert [(r["file"], r["category"], r["text"], r["segment"], r["field"]) for r in rows] == [
        ("p07", "person", "Ruiz", 2, "text"),
        ("p07", "phone", "(555) 201-3344", 2, "text"),
        ("p07", "email", "maria@example.org", 2, "text"),
    ]
    lines = stored.split("\n")
    for r in rows:  # positions point into the stored text
        assert lines[r["line"] - 1][r["column"] - 1 :].startswith(r["text"])
    runner.invoke(
        app, ["deid", "allow", "add", "Ruiz", "(555) 201-3344", "maria@example.org", "--db", str(db_path)]
    )
    result = runner.invoke(app, ["deid", "scan", "--project", "--db", str(db_path)])
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "",
        "No likely identifiers in 1 transcript.\n",
    )


def test_redact_writes_copy_key_and_warning(runner, files, tmp_path):
    result = runner.invoke(
        app, ["deid", "redact", "p07.txt", "-o", "clean.txt", "--key", "key.json"], catch_exceptions=False
    )
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == (
        "Replaced 3 identifiers with 3 placeholders in clean.txt.\n"
        'Warning: "key.json" maps placeholders back to real identifiers. It is sensitive: store it apart from the '
        "transcripts, readable only by you, and never share it with them.\n"
    )
    assert (tmp_path / "clean.txt").read_text(encoding="utf-8") == TEXT.replace("Ruiz", "[PERSON-1]").replace(
        "(555) 201-3344", "[PHONE-1]"
    ).replace("maria@example.org", "[EMAIL-1]")
    assert (tmp_path / "p07.txt").read_text(encoding="utf-8") == TEXT
    assert json.loads((tmp_path / "key.json").read_text(encoding="utf-8")) == [
        {"placeholder": "[PERSON-1]", "category": "person", "original": "Ruiz"},
        {"placeholder": "[PHONE-1]", "category": "phone", "original": "(555) 201-3344"},
        {"placeholder": "[EMAIL-1]", "category": "email", "original": "maria@example.org"},
    ]
    assert stat.S_IMODE(os.stat(tmp_path / "key.json").st_mode) == 0o600
    # the redacted copy passes the scan
    assert runner.invoke(app, ["deid", "scan", "clean.txt"]).exit_code == 0


def test_redact_without_key_writes_no_key_and_no_warning(runner, files, tmp_path):
    result = runner.invoke(app, ["deid", "redact", "p07.txt", "-o", "clean.txt"], catch_exceptions=False)
    assert result.stderr == "Replaced 3 identifiers with 3 placeholders in clean.txt.\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean.txt", "p07.txt", "p08.txt"]


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (
            ["-o", "p07.txt"],
            'Error: Output "p07.txt" is the input file. Pass another path with -o; redact never edits in place.\n',
        ),
        (
            ["-o", "./sub/../p07.txt"],
            'Error: Output "sub/../p07.txt" is the input file. Pass another path with -o; redact never edits in place.\n',
        ),
        (
            ["-o", "out.txt", "--key", "p07.txt"],
            'Error: Key file "p07.txt" is the input or output file. Pass another path with --key.\n',
        ),
        (
            ["-o", "p08.txt/out.txt"],
            'Error: "p08.txt" is a file, not a folder. Pass another path with -o.\n',
        ),
    ],
)
def test_redact_refuses_in_place_and_bad_paths(runner, files, tmp_path, args, stderr):
    (tmp_path / "sub").mkdir()
    result = runner.invoke(app, ["deid", "redact", "p07.txt", *args])
    assert result.exit_code == 1
    assert result.stderr == stderr
    assert (tmp_path / "p07.txt").read_text(encoding="utf-8") == TEXT
    assert not (tmp_path / "out.txt").exists()


def test_redact_creates_the_missing_folders_owner_only(runner, files, tmp_path):
    # The documented example: neither redacted/ nor the key's folder exists yet.
    result = runner.invoke(
        app,
        ["deid", "redact", "p07.txt", "-o", "redacted/p07.txt", "--key", "secure/keys/p07-key.json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[:4] == [
        'Created the folder "secure" (readable by you only).',
        'Created the folder "secure/keys" (readable by you only).',
        'Created the folder "redacted" (readable by you only).',
        "Replaced 3 identifiers with 3 placeholders in redacted/p07.txt.",
    ]
    for folder in ("redacted", "secure", "secure/keys"):
        assert stat.S_IMODE(os.stat(tmp_path / folder).st_mode) == 0o700
    assert "[PERSON-1]" in (tmp_path / "redacted" / "p07.txt").read_text(encoding="utf-8")
    assert json.loads((tmp_path / "secure" / "keys" / "p07-key.json").read_text(encoding="utf-8"))


def test_a_refused_redact_creates_no_folder(runner, files, tmp_path):
    result = runner.invoke(app, ["deid", "redact", "missing.txt", "-o", "redacted/missing.txt"])
    assert result.exit_code == 1
    assert not (tmp_path / "redacted").exists()


WINDOWS_TEXT = "Interviewer: Who came?\r\nP08: Officer Ruiz, at the caf\u00e9 on Elm, (555) 201-3344.\r\n"


def test_scan_and_redact_read_a_cp1252_file_with_encoding_as_ingest_does(runner, tmp_path):
    (tmp_path / "p08.txt").write_bytes(WINDOWS_TEXT.encode("cp1252"))  # a Windows export, CRLF and é
    scan = runner.invoke(app, ["deid", "scan", "p08.txt", "--encoding", "cp1252"])
    assert (scan.exit_code, scan.stdout) == (
        3,
        "p08.txt:2:14 person Ruiz\np08.txt:2:40 phone (555) 201-3344\n",
    )
    assert '"wei-qual deid redact p08.txt -o redacted/p08.txt --encoding cp1252"' in scan.stderr
    redact = runner.invoke(
        app, ["deid", "redact", "p08.txt", "-o", "redacted/p08.txt", "--encoding", "cp1252"]
    )
    assert redact.exit_code == 0, redact.stderr
    assert (tmp_path / "redacted" / "p08.txt").read_text(encoding="utf-8") == (
        "Interviewer: Who came?\nP08: Officer [PERSON-1], at the caf\u00e9 on Elm, [PHONE-1].\n"
    )


def test_the_gates_suggested_commands_run_as_printed(runner, tmp_path):
    """The ingest gate refuses a cp1252 file and names the deid commands to run: each runs as printed."""
    import shlex

    (tmp_path / "p08.txt").write_bytes(WINDOWS_TEXT.encode("cp1252"))
    db = str(tmp_path / "study.db")
    refused = runner.invoke(app, ["ingest", "p08.txt", "--encoding", "cp1252", "--db", db])
    assert refused.exit_code == 1
    commands = [c for c in refused.stderr.split('"')[1::2] if c.startswith("wei-qual deid")]
    assert commands == [
        f"wei-qual deid scan p08.txt --encoding cp1252 --db {db}",
        f"wei-qual deid redact p08.txt -o redacted/p08.txt --encoding cp1252 --db {db}",
        f"wei-qual deid allow add 'NAME' --db {db}",  # a template: NAME is the name the study keeps
    ]
    assert runner.invoke(app, shlex.split(commands[0])[1:]).exit_code == 3  # findings, as the gate said
    assert runner.invoke(app, shlex.split(commands[1])[1:]).exit_code == 0
    again = runner.invoke(app, ["ingest", "redacted/p08.txt", "--db", db])
    assert again.exit_code == 0, again.stderr


def test_the_redact_suggested_for_a_docx_writes_its_turns_as_text(runner, tmp_path):
    import docx

    from wei_qual.deid.commands import redact_command

    document = docx.Document()
    for line in ("Interviewer: Who came?", "P05: Deputy Kowalski did."):
        document.add_paragraph(line)
    document.save(tmp_path / "P05.docx")
    assert redact_command("P05.docx") == "wei-qual deid redact P05.docx -o redacted/P05.txt"
    result = runner.invoke(app, ["deid", "redact", "P05.docx", "-o", "redacted/P05.txt"])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "redacted" / "P05.txt").read_text(encoding="utf-8") == (
        "Interviewer: Who came?\n\nP05: Deputy [PERSON-1] did."
    )


def test_scan_project_suggests_redacting_the_source_file(runner, db_path, tmp_path):
    _ingest(db_path, tmp_path)
    result = runner.invoke(app, ["deid", "scan", "--project", "--db", str(db_path)])
    source = tmp_path / "p07.txt"
    assert result.exit_code == 3
    assert result.stderr.endswith(
        f'redact the source file with "wei-qual deid redact {source} -o redacted/p07.txt --db {db_path}", '
        f'then replace the stored transcript with "wei-qual ingest redacted/p07.txt --replace --db {db_path}".\n'
    )


def test_allow_list_json(runner, db_path):
    runner.invoke(app, ["deid", "allow", "add", "Dana Whitfield", "Caf\u00e9 Ruiz", "--db", str(db_path)])
    result = runner.invoke(app, ["deid", "allow", "list", "--format", "json", "--db", str(db_path)])
    assert (result.exit_code, json.loads(result.stdout)) == (0, ["Dana Whitfield", "Caf\u00e9 Ruiz"])


def test_allow_list_and_remove(runner, db_path):
    runner.invoke(
        app, ["deid", "allow", "add", "Crisis Stabilization Unit", "[Officer] Friendly", "--db", str(db_path)]
    )
    result = runner.invoke(app, ["deid", "allow", "list", "--db", str(db_path)], catch_exceptions=False)
    assert result.stdout == "Crisis Stabilization Unit\n[Officer] Friendly\n"
    result = runner.invoke(
        app, ["deid", "allow", "remove", "crisis stabilization unit", "--db", str(db_path)]
    )
    assert (result.exit_code, result.stderr) == (0, f'Removed 1 phrase from the allowlist of "{db_path}".\n')
    result = runner.invoke(app, ["deid", "allow", "remove", "Hope House", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.stderr == (
        f'Error: Allowlist phrase "Hope House" is not on the project allowlist. See it with "wei-qual deid allow list --db {db_path}".\n'
    )
    assert (
        runner.invoke(app, ["deid", "allow", "list", "--db", str(db_path)]).stdout == "[Officer] Friendly\n"
    )


def test_scan_folder_and_docx(runner, tmp_path):
    import docx

    folder = tmp_path / "interviews"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("P01: Nothing here.\n", encoding="utf-8")
    (folder / "notes.csv").write_text("Officer Ruiz\n", encoding="utf-8")  # not a transcript: skipped
    document = docx.Document()
    document.add_paragraph("Interviewer: Who came?")
    document.add_paragraph("P02: Deputy Kowalski, badge 4471.")
    document.add_paragraph("Interviewer: And then?")
    document.add_paragraph("Officer Ruiz: I took over.")  # a name in a speaker label
    document.add_paragraph("Interviewer: Thanks.")
    document.add_paragraph("Officer Ruiz: Sure.")
    document.save(folder / "sub" / "b.docx")
    result = runner.invoke(app, ["deid", "scan", "interviews"])
    assert result.exit_code == 3
    # a .docx has no lines a Word user can find: findings are placed by paragraph
    assert result.stdout == (
        "interviews/sub/b.docx:paragraph 2 person Kowalski\n"
        "interviews/sub/b.docx:paragraph 2 id_number 4471\n"
        "interviews/sub/b.docx:paragraph 4 person Ruiz\n"
        "interviews/sub/b.docx:paragraph 6 person Ruiz\n"
    )
    assert result.stderr.startswith("Error: 4 likely identifiers in 1 of 2 transcripts.")


def test_scan_folder_leaves_out_what_ingest_leaves_out(runner, tmp_path):
    folder = tmp_path / "interviews"
    (folder / "documents").mkdir(parents=True)
    (folder / ".drafts").mkdir()
    (folder / "p01.txt").write_text("P01: Nothing here.\n", encoding="utf-8")
    for skipped in ("README.md", "documents/policy.txt", ".drafts/p01.txt", "~$p02.txt"):
        (folder / skipped).write_text("Written by Sgt. Dana Whitfield.\n", encoding="utf-8")
    result = runner.invoke(app, ["deid", "scan", "interviews"])
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == (
        'interviews/documents: left out (documents), as ingest does; scan it with "wei-qual deid scan '
        'interviews/documents".\nNo likely identifiers in 1 transcript.\n'
    )
    assert runner.invoke(app, ["deid", "scan", "interviews/documents"]).exit_code == 3
    assert runner.invoke(app, ["deid", "scan", "interviews/README.md"]).exit_code == 3  # named: scanned


def test_a_folder_entry_the_scan_cannot_read_is_never_passed_over(runner, tmp_path):
    # A named pipe and a link to nothing among the transcripts: the scan said "No likely identifiers",
    # a clean bill for files it never read.
    import os

    folder = tmp_path / "interviews"
    folder.mkdir()
    (folder / "p01.txt").write_text("P01: Nothing here.\n", encoding="utf-8")
    os.mkfifo(folder / "p02.txt")
    (folder / "p03.txt").symlink_to(tmp_path / "gone.txt")
    result = runner.invoke(app, ["deid", "scan", "interviews"])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        'Error: "interviews/p02.txt" is a named pipe, not a file: it was not read (reading it could wait or run '
        "for ever). Pass a regular file. (1 more cannot be read either.) Nothing was scanned.\n"
    )


@pytest.mark.parametrize(
    ("setup", "stderr"),
    [
        (
            "empty",
            'Error: Folder "empty" contains no .txt, .md, .docx, .odt, .rtf, .vtt, .srt or .pdf files. Pass the folder that holds the transcripts, or the files themselves.\n',
        ),
        (
            "corrupt.docx",
            (
                'Error: "corrupt.docx" is not a valid .docx file (BadZipFile); it may be damaged or another format '
                "renamed. Open and re-save it in Word, or export it as .txt.\n"
            ),
        ),
        (
            "binary.txt",
            'Error: "binary.txt" is a binary file, not a transcript. Export it as .txt or .docx.\n',
        ),
    ],
)
def test_scan_unreadable_inputs(runner, tmp_path, setup, stderr):
    (tmp_path / "empty").mkdir()
    (tmp_path / "corrupt.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    result = runner.invoke(app, ["deid", "scan", setup])
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", stderr)


def test_scan_project_checks_speaker_labels_stored_apart_from_the_text(runner, db_path, tmp_path):
    vtt = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Interviewer>Who came?</v>\n\n"
        "00:00:05.000 --> 00:00:08.000\n<v Maria Lopez>Nobody, really.</v>\n"
    )
    (tmp_path / "teams.vtt").write_text(vtt, encoding="utf-8")
    scan = runner.invoke(app, ["deid", "scan", "teams.vtt"])
    assert scan.stdout == "teams.vtt:7:4 person Maria Lopez\n"  # voice tags are not placeholders
    runner.invoke(app, ["ingest", "teams.vtt", "--allow-pii", "--db", str(db_path)], catch_exceptions=False)
    result = runner.invoke(app, ["deid", "scan", "--project", "--db", str(db_path)])
    assert result.exit_code == 3
    assert result.stdout == "teams:3:0 person Maria Lopez\n"  # column 0: the label of the segment on line 3
    rows = json.loads(
        runner.invoke(app, ["deid", "scan", "--project", "--db", str(db_path), "--format", "json"]).stdout
    )
    assert rows == [
        {
            "file": "teams",
            "line": 3,
            "column": 0,
            "category": "person",
            "text": "Maria Lopez",
            "segment": 2,
            "field": "speaker",
        }
    ]
