"""`wei-qual transcripts list/show`: the JSON contract of docs/ingest.md and the tables."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from wei_qual.cli import app
from wei_qual.store import open_db

DATA = Path(__file__).parent / "data"


def _ingest(runner, db_path, tmp_path, *names, attributes=None):
    for n in names:
        shutil.copy(DATA / n, tmp_path / n)
    args = ["ingest", *names, "--db", str(db_path)]
    if attributes:
        args += ["--attributes", str(DATA / attributes)]
    result = runner.invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr


def test_list_json_contract(runner, db_path, tmp_path):
    _ingest(runner, db_path, tmp_path, "bom.txt", "zoom.vtt", attributes="attributes.csv")
    result = runner.invoke(
        app, ["transcripts", "list", "--format", "json", "--db", str(db_path)], catch_exceptions=False
    )
    rows = json.loads(result.stdout)
    for row in rows:
        assert len(row.pop("sha256")) == 64
    assert rows == [
        {
            "id": "bom",
            "kind": "interview",
            "source": "bom.txt",
            "format": "txt",
            "segments": 2,
            "participant_segments": 1,
            "participants": 1,
            "other_speakers": 0,
            "words": 13,
            "roles": "inferred",
            "warnings": [],
            "attributes": {
                "jurisdiction": "J1",
                "role": "officer",
                "setting": "rural",
                "years_experience": "12",
            },
            "speaker_attributes": {},
        },
        {
            "id": "zoom",
            "kind": "interview",
            "source": "zoom.vtt",
            "format": "vtt",
            "segments": 3,
            "participant_segments": 1,
            "participants": 1,
            "other_speakers": 0,
            "words": 19,
            "roles": "inferred",
            "warnings": [],
            "attributes": {},
            "speaker_attributes": {},
        },
    ]


def test_show_json_contract_offsets_locate_text(runner, db_path, tmp_path):
    _ingest(runner, db_path, tmp_path, "zoom.vtt")
    result = runner.invoke(
        app, ["transcripts", "show", "zoom", "--format", "json", "--db", str(db_path)], catch_exceptions=False
    )
    data = json.loads(result.stdout)
    assert data == {
        "id": "zoom",
        "kind": "interview",
        "roles": "inferred",
        "roles_reason": "",
        "speakers": [
            {
                "label": "Interviewer",
                "role": "interviewer",
                "reason": "a known interviewer label",
                "given": False,
                "turns": 2,
                "words": 9,
            },
            {
                "label": "P03",
                "role": "participant",
                "reason": "a participant label",
                "given": False,
                "turns": 1,
                "words": 10,
            },
        ],
        "warnings": [],
        "attributes": {},
        "speaker_attributes": {},
        "segments": [
            {
                "n": 1,
                "speaker": "Interviewer",
                "role": "interviewer",
                "text": "How do crisis calls reach you?",
                "start_char": 0,
                "end_char": 30,
                "start_time": 4.0,
                "end_time": 7.5,
                "label": None,
                "page": None,
                "end_page": None,
            },
            {
                "n": 2,
                "speaker": "P03",
                "role": "participant",
                "text": "Mostly through dispatch. Sometimes the family calls the unit directly.",
                "start_char": 32,
                "end_char": 102,
                "start_time": 9.0,
                "end_time": 16.25,
                "label": None,
                "page": None,
                "end_page": None,
            },
            {
                "n": 3,
                "speaker": "Interviewer",
                "role": "interviewer",
                "text": "And after that?",
                "start_char": 104,
                "end_char": 119,
                "start_time": 91.0,
                "end_time": 93.0,
                "label": None,
                "page": None,
                "end_page": None,
            },
        ],
    }
    text = open_db(db_path).execute("SELECT text FROM transcripts").fetchone()[0]
    assert all(text[s["start_char"] : s["end_char"]] == s["text"] for s in data["segments"])


def test_show_json_for_unlabelled_text_has_null_speaker_and_times(runner, db_path, tmp_path):
    _ingest(runner, db_path, tmp_path, "no_labels.txt")
    result = runner.invoke(app, ["transcripts", "show", "no_labels", "-f", "json", "--db", str(db_path)])
    seg = json.loads(result.stdout)["segments"][0]
    assert (seg["speaker"], seg["role"], seg["start_time"], seg["end_time"]) == (
        None,
        "participant",
        None,
        None,
    )


def test_list_table(runner, db_path, tmp_path):
    _ingest(runner, db_path, tmp_path, "bom.txt", "zoom.vtt", attributes="attributes.csv")
    result = runner.invoke(app, ["transcripts", "list", "--db", str(db_path)], catch_exceptions=False)
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "2 transcripts"
    rows = {line.split()[0]: line.split() for line in lines[4:] if line.strip()}
    assert rows["bom"] == [
        "bom",
        "interview",
        "txt",
        "2",
        "1",
        "13",
        "inferred",
        "jurisdiction=J1,",
        "role=officer,",
        "setting=rural,",
        "years_experience=12",
    ]
    assert rows["zoom"] == ["zoom", "interview", "vtt", "3", "1", "19", "inferred"]


def test_show_table_keeps_brackets(runner, db_path, tmp_path):
    _ingest(runner, db_path, tmp_path, "inaudible.txt")
    result = runner.invoke(
        app, ["transcripts", "show", "inaudible", "--db", str(db_path)], catch_exceptions=False
    )
    assert (
        "[inaudible 00:12:03]" in result.stdout
        and "[crosstalk]" in result.stdout
        and "[Laughs]" in result.stdout
    )
    assert any(
        " ".join(line.split()).startswith("1 Interviewer interviewer ") for line in result.stdout.splitlines()
    )


def test_show_times_in_table(runner, db_path, tmp_path):
    _ingest(runner, db_path, tmp_path, "otter.txt")
    result = runner.invoke(
        app, ["transcripts", "show", "otter", "--db", str(db_path)], catch_exceptions=False
    )
    assert "3 Interviewer interviewer 1:02:31 And after that?" in [
        " ".join(line.split()) for line in result.stdout.splitlines()
    ]


def test_show_unknown_id(runner, db_path):
    result = runner.invoke(app, ["transcripts", "show", "p99", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.stderr == (
        f'Error: Transcript "p99" is not in the project. List them with "wei-qual transcripts list --db {db_path}".\n'
    )


def test_list_empty_project_and_missing_project(runner, db_path, tmp_path):
    result = runner.invoke(app, ["transcripts", "list", "--db", str(db_path)], catch_exceptions=False)
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == f'No transcripts yet. Add some with "wei-qual ingest PATH --db {db_path}".\n'
    result = runner.invoke(
        app, ["transcripts", "list", "-f", "json", "--db", str(db_path)], catch_exceptions=False
    )
    assert json.loads(result.stdout) == []
    result = runner.invoke(app, ["transcripts", "list", "--db", "nope.db"])
    assert result.exit_code == 1
    assert (
        result.stderr
        == 'Error: No project at "nope.db". Create it with "wei-qual ingest PATH --db nope.db", or pass the --db of an existing project.'
        # the project beside it, named: a lead in a new terminal without $WEI_QUAL_DB, or a coder
        # without --db beside their packet, was told only to make a new, empty project
        f' This folder holds "{db_path.name}": pass it with --db {db_path.name}.\n'
    )
    assert not (tmp_path / "nope.db").exists()
    # The project before the packets: a lead beside three coders' packets was pointed at alice.wqp, and
    # the project was "1 more".
    for coder in ("alice", "bob", "carol"):
        (tmp_path / f"{coder}.wqp").write_bytes(b"")
    result = runner.invoke(app, ["transcripts", "list", "--db", "nope.db"])
    assert result.stderr.endswith(
        f' This folder holds "{db_path.name}", "alice.wqp", "bob.wqp" and 1 more: pass one with --db '
        f"(--db {db_path.name}, say).\n"
    )


def test_show_and_roles_match_the_id_in_any_case_and_accent_form(runner, db_path, tmp_path):
    # `transcripts show` matched the id exactly, where --transcript, --from and `g` ignore case and how
    # accents are stored: a Mac names the file (and so the id) with "n" + a combining tilde.
    name = "Sen\u0303ora_P03.txt"
    (tmp_path / name).write_text(
        "Interviewer: Where did he go?\n\nOfficer: To the crisis unit.\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["ingest", name, "--db", str(db_path)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    for typed in ["se\u00f1ora_p03", "SE\u00d1ORA_P03", "Sen\u0303ora_P03"]:
        shown = runner.invoke(app, ["transcripts", "show", typed, "-f", "json", "--db", str(db_path)])
        assert shown.exit_code == 0, shown.stderr
        assert json.loads(shown.stdout)["id"] == "Sen\u0303ora_P03"
        roles = runner.invoke(app, ["transcripts", "roles", typed, "-f", "json", "--db", str(db_path)])
        assert roles.exit_code == 0, roles.stderr
        assert json.loads(roles.stdout)["id"] == "Sen\u0303ora_P03"
    result = runner.invoke(
        app, ["transcripts", "roles", "SEÑORA_P03", "--participant", "Officer", "--db", str(db_path)]
    )
    assert result.exit_code == 0, result.stderr
    assert "Roles of Sen\u0303ora_P03 confirmed" in " ".join(result.stderr.split())
    result = runner.invoke(app, ["transcripts", "show", "senora_p04", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.stderr == (
        'Error: Transcript "senora_p04" is not in the project (did you mean "Sen\u0303ora_P03"?). List them with '
        '"wei-qual transcripts list '
        f'--db {db_path}".\n'
    )
